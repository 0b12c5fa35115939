"""`airflow tasks test DAG_ID TASK_ID [LOGICAL_DATE]`: run one task now, in process, printing its log; nothing is recorded."""

from __future__ import annotations

import argparse
import sys


def tasks_test(args: argparse.Namespace) -> int:
    from tradewind.cli.arguments import parse_conf, parse_instant, with_dags_folder
    from tradewind.clock import Clock
    from tradewind.config.settings import load_settings
    from tradewind.dagtest.run_test import find_dag, open_database
    from tradewind.runner.throwaway_run import run_task_test

    settings = with_dags_folder(load_settings(), args.subdir)
    clock = Clock()
    dag = find_dag(settings, args.dag_id)
    db = open_database(settings)
    outcome = run_task_test(db, settings, dag, args.task_id, logical_date=parse_instant(args.logical_date, "logical date") or clock.now(),
                        clock=clock, conf=parse_conf(args.task_params), map_index=args.map_index, echo=True)
    print(f"Task {args.dag_id}.{args.task_id} ended: {outcome.state}" + (f" ({outcome.error})" if outcome.error else ""))
    sys.stdout.flush()
    return 0 if outcome.state in ("success", "skipped") else 1
