"""DAG and task control from the command line: trigger, pause, unpause, state, delete, next-execution,
tasks clear, tasks state, tasks run."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from tradewind.cli.arguments import parse_conf, parse_instant
from tradewind.cli.db_cmd import open_database
from tradewind.cli.output import print_rows
from tradewind.errors import DagNotFound, TradewindError


def _latest_dag(conn: Any, dag_id: str) -> Any:
    from tradewind.store import serialized_dags

    dag = serialized_dags.latest(conn, dag_id)
    if dag is None:
        raise DagNotFound(dag_id)
    return dag


def _wake(settings: Any) -> None:
    from tradewind.wakeup import notify_scheduler

    notify_scheduler(settings.home)


def trigger(args: argparse.Namespace) -> int:
    from tradewind.clock import Clock
    from tradewind.scheduler.trigger import trigger_dag_run
    from tradewind.store import action_log, scheduling

    settings, db = open_database()
    conf = parse_conf(args.conf)
    now = Clock().now()
    with db.write() as conn:
        dag = _latest_dag(conn, args.dag_id)
        run_id = trigger_dag_run(conn, dag, now=now, conf=conf, run_id=args.run_id,
                                 logical_date=parse_instant(args.logical_date), triggered_by="cli")
        action_log.append(conn, event="trigger", dag_id=args.dag_id, run_id=run_id, now=now)
        run = dict(scheduling.get_run(conn, args.dag_id, run_id))
    _wake(settings)
    print_rows([run], args.output, ["dag_id", "run_id", "state", "run_type", "logical_date", "conf"])
    return 0


def _set_paused(args: argparse.Namespace, is_paused: bool) -> int:
    from tradewind.clock import Clock
    from tradewind.store import action_log, dags

    settings, db = open_database()
    with db.write() as conn:
        if not dags.set_paused(conn, args.dag_id, is_paused):
            raise DagNotFound(args.dag_id)
        action_log.append(conn, event="paused" if is_paused else "unpaused", dag_id=args.dag_id, now=Clock().now())
    _wake(settings)
    print(f"Dag: {args.dag_id}, paused: {is_paused}")
    return 0


def pause(args: argparse.Namespace) -> int:
    return _set_paused(args, True)


def unpause(args: argparse.Namespace) -> int:
    return _set_paused(args, False)


def _find_run(conn: Any, dag_id: str, run_or_date: str) -> Any:
    from tradewind.store import dag_runs

    run = dag_runs.get(conn, dag_id, run_or_date)
    if run is None:
        when = parse_instant(run_or_date) if re.match(r"\d{4}-\d{2}-\d{2}", run_or_date) else None
        run = dag_runs.get_by_logical_date(conn, dag_id, when) if when else None
    if run is None:
        raise TradewindError(f"DAG {dag_id!r} has no run with run_id or logical date {run_or_date!r}")
    return run


def state(args: argparse.Namespace) -> int:
    _settings, db = open_database()
    with db.read() as conn:
        run = _find_run(conn, args.dag_id, args.run_or_date)
    print(run["state"])
    return 0


def delete(args: argparse.Namespace) -> int:
    from tradewind.store import dags

    if not args.yes and input(f"This deletes all metadata of DAG {args.dag_id!r}. Proceed? (y/n) ").strip().lower() != "y":
        print("Cancelled")
        return 1
    _settings, db = open_database()
    with db.write() as conn:
        if not dags.delete_dag(conn, args.dag_id):
            raise DagNotFound(args.dag_id)
    print(f"Removed {args.dag_id}: its file stays in the DAGs folder and is parsed again")
    return 0


def next_execution(args: argparse.Namespace) -> int:
    from tradewind.clock import Clock
    from tradewind.scheduler.timetable_runs import next_run_info

    _settings, db = open_database()
    with db.read() as conn:
        dag = _latest_dag(conn, args.dag_id)
        info = next_run_info(conn, dag, Clock().now())
    print("None" if info is None else info.logical_date.isoformat())
    return 0


def tasks_clear(args: argparse.Namespace) -> int:
    from tradewind.clock import Clock
    from tradewind.store import action_log, dag_runs
    from tradewind.store.task_instance_clear import clear_task_instances

    settings, db = open_database()
    start, end = parse_instant(args.start_date), parse_instant(args.end_date)
    with db.write() as conn:
        dag = _latest_dag(conn, args.dag_id)
        task_ids = _select_tasks(dag, args.task_regex, downstream=args.downstream, upstream=args.upstream)
        runs = [r for r in dag_runs.list_runs(conn, args.dag_id)
                if (start is None or (r["logical_date"] and r["logical_date"] >= start))
                and (end is None or (r["logical_date"] and r["logical_date"] <= end))]
        if not args.yes:
            print(f"Clearing {len(task_ids)} task(s) in {len(runs)} run(s) of {args.dag_id}: {', '.join(task_ids)}")
            if input("Proceed? (y/n) ").strip().lower() != "y":
                print("Cancelled")
                return 1
        now = Clock().now()
        cleared = []
        for run in runs:
            only = _failed_only(conn, args.dag_id, run["run_id"], task_ids) if args.only_failed else task_ids
            cleared += clear_task_instances(conn, args.dag_id, run["run_id"], only, now=now)
        action_log.append(conn, event="clear", dag_id=args.dag_id, now=now, extra=f"{len(cleared)} task instances")
    _wake(settings)
    print(f"Cleared {len(cleared)} task instance(s)")
    return 0


def _failed_only(conn: Any, dag_id: str, run_id: str, task_ids: list[str]) -> list[str]:
    from tradewind.store import scheduling

    return sorted({r.task_id for r in scheduling.run_task_states(conn, dag_id, run_id)
                   if r.task_id in task_ids and r.state in ("failed", "upstream_failed")})


def _select_tasks(dag: Any, regex: str | None, *, downstream: bool, upstream: bool) -> list[str]:
    """Task ids matching the regex (all without one), plus their relatives when asked."""
    try:
        pattern = re.compile(regex) if regex else None
    except re.error as exc:
        raise TradewindError(f"--task-regex {regex!r} is not a valid regular expression: {exc}") from None
    chosen = {t for t in dag.task_ids if pattern is None or pattern.search(t)}
    if not chosen:
        raise TradewindError(f"no task of DAG {dag.dag_id!r} matches {regex!r}")
    for flag, edge in ((downstream, "downstream"), (upstream, "upstream")):
        if flag:
            frontier = list(chosen)
            while frontier:
                for nxt in dag.tasks[frontier.pop()][edge]:
                    if nxt not in chosen:
                        chosen.add(nxt)
                        frontier.append(nxt)
    return [t for t in dag.task_ids if t in chosen]


def tasks_state(args: argparse.Namespace) -> int:
    from tradewind.store import scheduling

    _settings, db = open_database()
    with db.read() as conn:
        run = _find_run(conn, args.dag_id, args.run_or_date)
        ti = scheduling.task_instance_try(conn, args.dag_id, run["run_id"], args.task_id, args.map_index)
    if ti is None:
        raise TradewindError(f"run {run['run_id']!r} of {args.dag_id!r} has no task {args.task_id!r} (map index {args.map_index})")
    print(ti.state)
    return 0


def tasks_run(args: argparse.Namespace) -> int:
    """Run one try of a task instance as an executor would: queue it if needed, then run it here."""
    from tradewind.clock import Clock
    from tradewind.dagfiles.importer import load_dags_from_file
    from tradewind.executors.base import TaskInstanceKey
    from tradewind.runner.run_try import run_task_try
    from tradewind.store import scheduling

    settings, db = open_database()
    clock = Clock()
    with db.write() as conn:
        run = _find_run(conn, args.dag_id, args.run_or_date)
        dag = _latest_dag(conn, args.dag_id)
        ti = scheduling.task_instance_try(conn, args.dag_id, run["run_id"], args.task_id, args.map_index)
        if ti is None:
            raise TradewindError(f"run {run['run_id']!r} has no task instance {args.task_id!r} (map index {args.map_index})")
        try_number = ti.try_number
        if ti.state != "queued":
            queued = scheduling.queue_task_instance(conn, args.dag_id, run["run_id"], args.task_id, args.map_index,
                                                    now=clock.now())
            if queued is None:
                raise TradewindError(f"{args.task_id} is {ti.state}: clear it first (`airflow tasks clear {args.dag_id} -t '^{args.task_id}$'`)")
            try_number = queued.try_number
    user_dag = load_dags_from_file(dag.fileloc, settings)[args.dag_id]
    key = TaskInstanceKey(args.dag_id, run["run_id"], args.task_id, args.map_index)
    outcome = run_task_try(db, settings, key, try_number, dag=user_dag, clock=clock, echo=True)
    print(f"{key}: try {try_number} ended {outcome.state}", file=sys.stderr)
    return 0 if outcome.state in ("success", "skipped", "up_for_reschedule") else 1
