"""Fixtures of the web tests: a home with the corpus DAGs parsed and users of every role, runs made by store calls."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

import pytest

from tests.conftest import AirflowHome, make_home
from tests.corpus.locate import corpus_dir

GOOD, BAD_FILE = corpus_dir() / "good", corpus_dir() / "bad" / "syntax_error.py"
USERS = {"admin": "Admin", "op": "Op", "user": "User", "viewer": "Viewer"}
T0 = datetime(2026, 1, 2, 3, 0, tzinfo=timezone.utc)


def prepare_corpus_home(home: AirflowHome) -> AirflowHome:
    """Copy the good corpus and one broken file, init the DB, parse the DAGs and create one user per role."""
    for path in GOOD.glob("*.py"):
        shutil.copy(path, home.dags / path.name)
    shutil.copy(BAD_FILE, home.dags / BAD_FILE.name)
    home.cli("db", "init")
    home.cli("dags", "list")
    for name, role in USERS.items():
        home.cli("users", "create", "-u", name, "-p", f"{name}-pw", "-r", role, "-e", f"{name}@example.com",
                 "-f", name.title(), "-l", "Tester")
    return home


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory: pytest.TempPathFactory) -> AirflowHome:
    """An AIRFLOW_HOME shared by a module's tests: corpus parsed, one user per role."""
    return prepare_corpus_home(make_home(tmp_path_factory.mktemp("web") / "airflow"))


@dataclass
class Web:
    """The app under test in-process, with its settings and database."""

    settings: Any
    db: Any
    app: Any

    def client(self, username: str | None = None) -> Any:
        """A test client, logged in as `username` when given; its CSRF token is in .csrf."""
        from starlette.testclient import TestClient

        client = TestClient(self.app, follow_redirects=True)
        client.csrf = ""
        if username:
            page = client.post("/login", data={"username": username, "password": f"{username}-pw", "next": "/home"})
            assert page.status_code == 200 and "Sign In" not in page.text, page.text[:500]
            client.csrf = re.search(r'data-csrf="([^"]+)"', page.text).group(1)
        return client


@pytest.fixture(scope="module")
def web(corpus_home: AirflowHome) -> Iterator[Web]:
    """The app built by create_app over the corpus home's settings and database."""
    from tradewind.config.settings import load_settings
    from tradewind.store.database import Database
    from tradewind.web.app import create_app

    settings = load_settings(corpus_home.env)
    db = Database.from_settings(settings)
    yield Web(settings, db, create_app(settings, db))
    db.dispose()


def make_run(db: Any, dag_id: str, states: dict[str, str | None], *, at: datetime = T0, run_id: str | None = None,
             run_state: str | None = None, conf: dict[str, Any] | None = None) -> str:
    """A run of a parsed DAG with the given task states, made by store calls (as if the scheduler had run it)."""
    from tradewind.store import dag_runs, task_instances
    from tradewind.store.views.dag_pages import latest_serialized

    run_id = run_id or f"scheduled__{at.isoformat()}"
    finished = {"success", "failed", "skipped", "upstream_failed"}
    with db.write() as conn:
        dag = latest_serialized(conn, dag_id)
        state = run_state or ("failed" if "failed" in states.values() else
                              "success" if all(s in finished for s in states.values()) else "running")
        dag_runs.create_run(conn, dag_id=dag_id, run_id=run_id, run_type="scheduled", run_after=at, state="running",
                            logical_date=at, data_interval=(at - timedelta(days=1), at), conf=conf or {},
                            task_instances=[{"task_id": t, "operator": dag.tasks[t].operator} for t in dag.task_ids], now=at)
        for i, task_id in enumerate(dag.task_ids):
            st = states.get(task_id)
            started = at + timedelta(seconds=2 * i)
            fields: dict[str, Any] = {"state": st}
            if st is not None:
                fields.update(try_number=1, start_date=started, queued_at=started - timedelta(seconds=0.5))
            if st in finished:
                fields.update(end_date=started + timedelta(seconds=1.5 + i), duration=1.5 + i)
            task_instances.update_fields(conn, (dag_id, run_id, task_id, -1), **fields)
        dag_runs.update_fields(conn, dag_id, run_id, state=state, start_date=at,
                               end_date=at + timedelta(seconds=30) if state in finished else None)
    return run_id
