"""`airflow dags list-runs` and `airflow tasks states-for-dag-run`: runs and task states as Airflow prints them."""

from __future__ import annotations

import argparse

from tradewind.cli.arguments import parse_instant
from tradewind.cli.db_cmd import open_database
from tradewind.cli.output import print_rows
from tradewind.errors import DagNotFound, TradewindError

RUN_COLUMNS = ["dag_id", "run_id", "state", "run_type", "logical_date", "start_date", "end_date"]
TI_COLUMNS = ["dag_id", "logical_date", "task_id", "map_index", "state", "try_number", "start_date", "end_date"]


def list_runs(args: argparse.Namespace) -> int:
    from tradewind.store import dag_runs, serialized_dags

    dag_id = _dag_id_given_once(args.dag_id, args.dag_id_option)
    _settings, db = open_database()
    with db.read() as conn:
        runs = dag_runs.list_runs(conn, dag_id, state=args.state)
        if not runs and args.state is None and serialized_dags.latest(conn, dag_id) is None:
            raise DagNotFound(dag_id)
    start, end = parse_instant(args.start_date, "--start-date"), parse_instant(args.end_date, "--end-date")
    rows = [r for r in runs
            if not (args.no_backfill and r["run_type"] == "backfill")
            and (start is None or (r["logical_date"] is not None and r["logical_date"] >= start))
            and (end is None or (r["logical_date"] is not None and r["logical_date"] <= end))]
    print_rows(rows, args.output, RUN_COLUMNS)
    return 0


def _dag_id_given_once(positional: str | None, option: str | None) -> str:
    """The DAG id, given as Airflow 3 does (`list-runs DAG_ID`) or as Airflow 2 does (`list-runs -d DAG_ID`)."""
    if positional and option and positional != option:
        raise TradewindError(f"two DAG ids given, {positional!r} and -d {option!r}: give one")
    dag_id = positional or option
    if not dag_id:
        raise TradewindError("give the DAG id: `airflow dags list-runs DAG_ID` (or `-d DAG_ID`)")
    return dag_id


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
