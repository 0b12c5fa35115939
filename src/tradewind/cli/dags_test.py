"""`airflow dags test DAG_ID [LOGICAL_DATE] [-c CONF]`: one full DAG run in this process.

The run is recorded in the metadata DB like any other (run type manual, triggered by test), so
`dags list-runs` and `tasks states-for-dag-run` show it afterwards.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from typing import Any

from tradewind.cli.arguments import parse_conf, parse_instant, with_dags_folder


def dags_test(args: argparse.Namespace) -> int:
    from tradewind.clock import Clock
    from tradewind.config.settings import load_settings
    from tradewind.dagtest.run_test import find_dag, run_dag_test

    settings = with_dags_folder(load_settings(), args.subdir)
    clock = Clock()
    conf = parse_conf(args.conf)
    logical_date = parse_instant(args.logical_date, "logical date") or clock.now()
    dag = find_dag(settings, args.dag_id)
    result = run_dag_test(settings, dag, logical_date=logical_date, conf=conf, clock=clock, echo=True)
    print_summary(result)
    return 0 if result.state == "success" else 1


def test_dag_object(dag: Any, *, logical_date: datetime | None = None, conf: dict[str, Any] | None = None) -> Any:
    """`dag.test()` from a DAG file: the same run as `airflow dags test`, for an already built DAG."""
    from tradewind.clock import Clock
    from tradewind.config.settings import load_settings
    from tradewind.dagtest.run_test import run_dag_test

    clock = Clock()
    if logical_date is not None and logical_date.tzinfo is None:
        logical_date = logical_date.replace(tzinfo=timezone.utc)
    result = run_dag_test(load_settings(), dag, logical_date=logical_date or clock.now(), conf=conf or {},
                          clock=clock, echo=True)
    print_summary(result)
    return result


def print_summary(result: Any) -> None:
    from tradewind.cli.output import render_rows

    print()
    print(f"DAG run {result.run_id} of {result.dag_id}: {result.state}")
    print(render_rows(result.task_rows, "table", ["task_id", "map_index", "state", "try_number", "duration"]))
    sys.stdout.flush()
