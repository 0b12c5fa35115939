"""The web app in-process over a real SQLite DB: logins, roles, pages, actions and what they write."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from tests.web.conftest import T0, make_run
from tradewind.store import schema

PAGES = ("grid", "graph", "gantt", "duration", "landing-times", "calendar", "code", "details")


def _log_events(web, dag_id: str) -> list[str]:
    with web.db.read() as conn:
        return list(conn.execute(sa.select(schema.log.c.event).where(schema.log.c.dag_id == dag_id)).scalars())


def test_pages_need_a_login_except_health_and_login(web):
    client = web.client()
    page = client.get("/home")
    assert page.url.path == "/login" and "Sign In" in page.text
    assert client.get("/health").json()["metadatabase"]["status"] == "healthy"
    assert client.get("/dags/branching/grid.json").status_code == 401


def test_a_wrong_password_is_refused(web):
    page = web.client().post("/login", data={"username": "admin", "password": "nope"})
    assert page.status_code == 401 and "Invalid login" in page.text


def test_dag_list_shows_corpus_dags_import_error_and_filters(web):
    client = web.client("viewer")
    home = client.get("/home").text
    for dag_id in ("branching", "mapping", "params_conf", "groups_short_circuit"):
        assert f'data-dag-id="{dag_id}"' in home
    assert "DAG Import Errors (1)" in home and "syntax_error.py" in home
    searched = client.get("/home?search=branch").text
    assert 'data-dag-id="branching"' in searched and 'data-dag-id="mapping"' not in searched
    tagged = client.get("/home?tags=ml").text
    assert 'data-dag-id="ml_pipeline"' in tagged and 'data-dag-id="branching"' not in tagged
    assert 'data-dag-id="branching"' not in client.get("/home?status=active").text


@pytest.mark.parametrize("page", PAGES)
def test_every_dag_page_renders(web, page):
    make_run(web.db, "groups_short_circuit", {"start": "success"}, run_id=f"pages_{page}",
             at=T0.replace(hour=PAGES.index(page)))
    response = web.client("viewer").get(f"/dags/groups_short_circuit/{page}")
    assert response.status_code == 200, response.text[:300]
    assert "groups_short_circuit" in response.text


def test_grid_and_graph_show_the_run_states(web):
    run_id = make_run(web.db, "branching", {"choose": "success", "path_a": "skipped", "after_a": "skipped",
                                            "path_b": "success", "join": "running"}, at=T0.replace(day=5))
    client = web.client("viewer")
    states = client.get(f"/dags/branching/graph/states.json?run_id={quote(run_id)}").json()
    assert states["tasks"] == {"choose": "success", "path_a": "skipped", "after_a": "skipped",
                               "path_b": "success", "join": "running"}
    grid = client.get("/dags/branching/grid.json").json()
    assert grid["cells"][run_id]["path_b"] == "success"
    graph = client.get(f"/dags/branching/graph?run_id={quote(run_id)}").text
    assert len(re.findall(r'class="node task-node"', graph)) == 5
    assert re.search(r'data-task-id="join" data-state="running"', graph)


def test_gantt_has_one_bar_per_task_and_duration_one_point_per_run(web):
    for day in (10, 11, 12):
        make_run(web.db, "ml_pipeline", {"preprocess": "success", "train": "success", "predict": "success"},
                 at=T0.replace(day=day))
    client = web.client("viewer")
    gantt = client.get("/dags/ml_pipeline/gantt").text
    assert sorted(re.findall(r'class="bar" data-task-id="([^"]+)"', gantt)) == ["predict", "preprocess", "train"]
    duration = client.get("/dags/ml_pipeline/duration").text
    points = re.findall(r'class="point" data-task-id="train"', duration)
    assert len(points) == 3


def test_trigger_validates_conf_against_params_and_queues_a_run(web):
    client = web.client("user")
    refused = client.post("/dags/params_conf/trigger", data={"csrf_token": client.csrf, "conf": '{"n": -1}'})
    assert refused.status_code == 400 and "n must be &gt;= 0" in refused.text
    made = client.post("/dags/params_conf/trigger", data={"csrf_token": client.csrf, "conf": '{"n": 7}'})
    assert made.status_code == 200
    with web.db.read() as conn:
        run = conn.execute(sa.select(schema.dag_run).where(schema.dag_run.c.dag_id == "params_conf")).one()
        tis = conn.execute(sa.select(schema.task_instance).where(schema.task_instance.c.run_id == run.run_id)).all()
    assert run.state == "queued" and run.run_type == "manual" and run.conf == {"n": 7}
    assert tis and all(ti.state is None and ti.try_number == 0 for ti in tis)
    assert "trigger" in _log_events(web, "params_conf")


def test_forms_without_the_csrf_token_are_refused(web):
    client = web.client("admin")
    assert client.post("/dags/branching/paused", data={"is_paused": "false"}).status_code == 400


def test_viewer_cannot_act_or_open_admin_pages(web):
    client = web.client("viewer")
    assert client.get("/users/list/").status_code == 403
    assert client.get("/variable/list/").status_code == 403
    assert client.post("/dags/branching/paused", data={"csrf_token": client.csrf, "is_paused": "false"}).status_code == 403
    assert client.post("/dags/branching/trigger", data={"csrf_token": client.csrf}).status_code == 403


def test_roles_widen_step_by_step(web):
    assert web.client("user").get("/variable/list/").status_code == 403
    assert web.client("op").get("/variable/list/").status_code == 200
    assert web.client("op").get("/users/list/").status_code == 403
    assert web.client("admin").get("/users/list/").status_code == 200


def test_pause_toggle_switches_the_dag(web):
    client = web.client("user")
    answer = client.post("/dags/retries/paused", data={"csrf_token": client.csrf, "is_paused": "false"},
                         headers={"accept": "application/json"})
    assert answer.json() == {"dag_id": "retries", "is_paused": False}
    with web.db.read() as conn:
        assert conn.execute(sa.select(schema.dag.c.is_paused).where(schema.dag.c.dag_id == "retries")).scalar() is False
    assert "unpaused" in _log_events(web, "retries")


def test_clear_with_downstream_resets_the_tasks_and_requeues_the_run(web):
    run_id = make_run(web.db, "taskflow_etl", {"extract": "success", "transform": "failed", "load": "upstream_failed"})
    assert run_id
    client = web.client("user")
    client.post(f"/dags/taskflow_etl/runs/{quote(run_id)}/tasks/transform/clear",
                data={"csrf_token": client.csrf, "downstream": "on"})
    states = client.get(f"/dags/taskflow_etl/graph/states.json?run_id={quote(run_id)}").json()
    assert states["tasks"] == {"extract": "success", "transform": None, "load": None}
    assert states["run_state"] == "queued"


def test_mark_success_and_delete_a_run(web):
    run_id = make_run(web.db, "trigger_rules", {"ok": "success", "boom": "failed"}, run_id="to_mark")
    client = web.client("user")
    client.post(f"/dags/trigger_rules/runs/{run_id}/tasks/boom/mark", data={"csrf_token": client.csrf, "state": "success"})
    assert client.get(f"/dags/trigger_rules/graph/states.json?run_id={run_id}").json()["tasks"]["boom"] == "success"
    client.post(f"/dags/trigger_rules/runs/{run_id}/mark", data={"csrf_token": client.csrf, "state": "failed"})
    assert client.get(f"/dags/trigger_rules/graph/states.json?run_id={run_id}").json()["run_state"] == "failed"
    client.post(f"/dags/trigger_rules/runs/{run_id}/delete", data={"csrf_token": client.csrf})
    assert client.get(f"/dags/trigger_rules/graph/states.json?run_id={run_id}").status_code == 404
    assert {"mark_success", "mark_run_failed", "delete_run"} <= set(_log_events(web, "trigger_rules"))


def test_task_log_is_served_in_chunks_and_as_a_download(web):
    from tradewind.logs.paths import task_log_path

    run_id = make_run(web.db, "sensors", {}, run_id="with_log")
    with web.db.read() as conn:
        task_id = conn.execute(sa.select(schema.task_instance.c.task_id).where(schema.task_instance.c.run_id == run_id)).first()[0]
    path = task_log_path(web.settings, "sensors", run_id, task_id, -1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("line one\nline two\n")
    base = f"/dags/sensors/runs/{run_id}/tasks/{task_id}"
    client = web.client("viewer")
    first = client.get(f"{base}/log.json?try_number=1&offset=0").json()
    assert first["text"] == "line one\nline two\n" and first["offset"] == 18
    with path.open("a") as fh:
        fh.write("line three\n")
    assert client.get(f"{base}/log.json?try_number=1&offset=18").json()["text"] == "line three\n"
    download = client.get(f"{base}/log/download?try_number=1")
    assert "attachment" in download.headers["content-disposition"] and "line three" in download.text


def test_connection_passwords_and_secret_variables_are_never_shown(web):
    client = web.client("op")
    client.post("/connection/save", data={"csrf_token": client.csrf, "conn_id": "warehouse", "conn_type": "postgres",
                                          "host": "db.example", "password": "hunter2-secret"})
    client.post("/variable/save", data={"csrf_token": client.csrf, "key": "api_token", "val": "tok-123456"})
    client.post("/variable/save", data={"csrf_token": client.csrf, "key": "greeting", "val": "hello-there"})
    connections = client.get("/connection/list/").text
    assert "warehouse" in connections and "hunter2-secret" not in connections
    variables = client.get("/variable/list/").text
    assert "hello-there" in variables and "tok-123456" not in variables


def test_admin_manages_users(web):
    client = web.client("admin")
    client.post("/users/save", data={"csrf_token": client.csrf, "username": "newbie", "password": "newbie-pw",
                                     "role": "Op", "email": "n@example.com"})
    assert "newbie" in client.get("/users/list/").text
    assert web.client("newbie").get("/pool/list/").status_code == 200
    client.post("/users/delete", data={"csrf_token": client.csrf, "key": "newbie"})
    assert "newbie" not in client.get("/users/list/").text
