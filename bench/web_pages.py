"""Median response time of each UI page with 1,000 DAGs and 100,000 task instances in a SQLite DB.

Run: python bench/web_pages.py [--dags 1000] [--runs 10] [--tasks 10] [--repeat 15]
The app is served in-process (ASGI, no network) so the figures are the server's own time per page.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

STATES = ("success", "success", "success", "success", "failed", "skipped", "upstream_failed", "running", None, "queued")
T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def serialized(dag_id: str, n_tasks: int, fileloc: str) -> dict[str, Any]:
    """A chain of tasks, the middle ones in a task group, as the DAG processor would store it."""
    ids = [f"t{i:02d}" if not 3 <= i < 6 else f"grp.t{i:02d}" for i in range(n_tasks)]
    tasks = []
    for i, task_id in enumerate(ids):
        tasks.append({"task_id": task_id, "operator": "BashOperator" if i % 2 else "PythonOperator",
                      "operator_module": "airflow.operators.bash", "task_group": "grp" if task_id.startswith("grp.") else None,
                      "upstream": [ids[i - 1]] if i else [], "downstream": [ids[i + 1]] if i + 1 < n_tasks else [],
                      "trigger_rule": "all_success", "retries": 1, "pool": "default_pool", "pool_slots": 1,
                      "priority_weight": 1, "template_fields": ["bash_command"], "owner": "airflow"})
    return {"format": 1, "dag_id": dag_id, "fileloc": fileloc, "relative_fileloc": Path(fileloc).name,
            "description": f"Benchmark DAG {dag_id}", "owner": "airflow", "tags": ["bench", f"team{hash(dag_id) % 7}"],
            "timetable": {"type": "cron", "expression": "0 0 * * *", "timezone": "UTC"},
            "timetable_summary": "@daily", "timetable_description": "At 00:00", "timezone": "UTC",
            "start_date": T0.isoformat(), "end_date": None, "catchup": False, "max_active_runs": 16,
            "max_active_tasks": 16, "params": {}, "task_groups": {"": {"parent": None, "children": [*ids[:3], "grp", *ids[6:]]},
                                                                  "grp": {"parent": "", "children": ids[3:6], "tooltip": ""}},
            "tasks": tasks}


def fill(db: Any, n_dags: int, n_runs: int, n_tasks: int) -> None:
    """Insert DAGs through the store's own functions and runs with their task instances in bulk."""
    from tradewind.store import dag_code, dag_runs, dags, serialized_dags

    source = "from airflow import DAG\n" + "\n".join(f"# line {i}" for i in range(200))
    for d in range(n_dags):
        dag_id = f"bench_dag_{d:04d}"
        data = serialized(dag_id, n_tasks, f"/dags/{dag_id}.py")
        with db.write() as conn:
            version, _ = serialized_dags.write_if_changed(conn, dag_id, data, data["fileloc"], now=T0)
            dags.upsert_from_serialized(conn, data, version_number=version, paused_at_creation=d % 3 == 0, now=T0)
            dag_code.write_if_changed(conn, data["fileloc"], source, now=T0)
            for r in range(n_runs):
                at = T0 + timedelta(days=r)
                tis = []
                for i, task in enumerate(data["tasks"]):
                    state = STATES[(d + r + i) % len(STATES)]
                    start = at + timedelta(seconds=i * 5)
                    tis.append({"task_id": task["task_id"], "state": state, "try_number": 1, "operator": task["operator"],
                                "start_date": start if state else None,
                                "end_date": start + timedelta(seconds=4) if state not in (None, "running", "queued") else None,
                                "duration": 4.0 if state not in (None, "running", "queued") else None})
                dag_runs.create_run(conn, dag_id=dag_id, run_id=f"scheduled__{at.isoformat()}", run_type="scheduled",
                                    run_after=at, state="success" if r < n_runs - 1 else "running", logical_date=at,
                                    data_interval=(at - timedelta(days=1), at), task_instances=tis, now=at)


def measure(client: Any, url: str, repeat: int) -> tuple[float, int]:
    times = []
    status = 0
    for _ in range(repeat):
        started = time.perf_counter()
        answer = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        status = answer.status_code
    return statistics.median(times), status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dags", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--tasks", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    from starlette.testclient import TestClient

    from tradewind.clock import Clock
    from tradewind.config.settings import load_settings
    from tradewind.security.passwords import hash_password
    from tradewind.store import migrate, users
    from tradewind.store.database import Database
    from tradewind.web.app import create_app

    home = Path(tempfile.mkdtemp(prefix="tw-bench-web-"))
    settings = load_settings({"AIRFLOW_HOME": str(home), "AIRFLOW__WEBSERVER__SECRET_KEY": "bench"})
    db = Database.from_settings(settings)
    migrate.upgrade(db)
    started = time.perf_counter()
    fill(db, args.dags, args.runs, args.tasks)
    with db.write() as conn:
        users.create(conn, username="admin", password_hash=hash_password("admin"), role="Admin", now=Clock().now())
    n_tis = args.dags * args.runs * args.tasks
    print(f"filled {args.dags} DAGs, {args.dags * args.runs} runs, {n_tis} task instances "
          f"in {time.perf_counter() - started:.1f}s ({db.url})")

    client = TestClient(create_app(settings, db))
    page = client.post("/login", data={"username": "admin", "password": "admin"})
    assert "data-csrf" in page.text, "login failed"
    dag = f"bench_dag_{args.dags // 2:04d}"
    run = f"scheduled__{(T0 + timedelta(days=args.runs - 1)).isoformat()}".replace("+", "%2B").replace(":", "%3A")
    urls = ["/home", "/home?page=20", "/home?search=dag_05", "/home?tags=team3", "/home?status=active",
            *(f"/dags/{dag}/{p}" for p in ("grid", "graph", "gantt", "duration", "landing-times", "calendar", "code",
                                          "details")),
            f"/dags/{dag}/grid.json", f"/dags/{dag}/graph/states.json?run_id={run}",
            f"/dags/{dag}/runs/{run}/tasks/t01", "/dagrun/list/", "/taskinstance/list/",
            "/taskinstance/list/?state=failed", f"/taskinstance/list/?dag_id={dag}", "/xcom/list/", "/log/list/",
            "/importerror/list/", "/variable/list/", "/connection/list/", "/pool/list/", "/users/list/", "/health"]
    print(f"{'page':<62} {'median ms':>10}  status")
    worst = 0.0
    for url in urls:
        median, status = measure(client, url, args.repeat)
        worst = max(worst, median)
        print(f"{re.sub(r'%[0-9A-F]{2}', '_', url)[:62]:<62} {median:>10.1f}  {status}")
    print(f"slowest page median: {worst:.1f} ms")


if __name__ == "__main__":
    main()
