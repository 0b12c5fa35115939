"""`airflow dags list-runs` and `airflow tasks states-for-dag-run`: runs and task states as Airflow prints them."""

from __future__ import annotations

import argparse

from tradewind.cli.arguments import parse_instant
from tradewind.cli.db_cmd import open_database
from tradewind.cli.output import print_rows
from tradewind.errors import TradewindError

RUN_COLUMNS = ["dag_id", "run_id", "state", "run_type", "logical_date", "start_date", "end_date"]
TI_COLUMNS = ["dag_id", "logical_date", "task_id", "map_index", "state", "try_number", "start_date", "end_date"]


def list_runs(args: argparse.Namespace) -> int:
    from tradewind.store import dag_runs

    _settings, db = open_database()
    with db.read() as conn:
        runs = dag_runs.list_runs(conn, args.dag_id, state=args.state)
    start, end = parse_instant(args.start_date, "--start-date"), parse_instant(args.end_date, "--end-date")
    rows = [r for r in runs
            if not (args.no_backfill and r["run_type"] == "backfill")
            and (start is None or (r["logical_date"] is not None and r["logical_date"] >= start))
            and (end is None or (r["logical_date"] is not None and r["logical_date"] <= end))]
    print_rows(rows, args.output, RUN_COLUMNS)
    return 0


def states_for_dag_run(args: argparse.Namespace) -> int:
    from tradewind.store import scheduling

    _settings, db = open_database()
    with db.read() as conn:
        run = scheduling.get_run(conn, args.dag_id, args.run_id)
        if run is None:
            raise TradewindError(f"DAG {args.dag_id!r} has no run {args.run_id!r}: see `airflow dags list-runs {args.dag_id}`")
        tis = scheduling.run_task_states(conn, args.dag_id, args.run_id)
    rows = [
        {"dag_id": args.dag_id, "logical_date": run["logical_date"], "task_id": t.task_id, "map_index": t.map_index,
         "state": t.state, "try_number": t.try_number, "start_date": t.start_date, "end_date": t.end_date}
        for t in tis
    ]
    print_rows(rows, args.output, TI_COLUMNS)
    return 0
