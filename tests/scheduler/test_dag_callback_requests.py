"""The scheduler asks for a DAG's callbacks when it ends a run, and never runs them itself."""

from __future__ import annotations

from pathlib import Path

from tests.scheduler.harness import make_harness
from tradewind.store import callback_requests

DAGS = """
from datetime import datetime, timedelta
from airflow import DAG
from airflow.operators.python import PythonOperator
from airflow.providers.standard.sensors.python import PythonSensor

MARKERS = {markers!r}

def note(context):
    open(MARKERS, "a").write(context["reason"] + "\\n")

def fail():
    raise ValueError("the task fails")

start = datetime(2026, 1, 1)
with DAG("both", schedule=None, start_date=start, on_success_callback=note, on_failure_callback=[note, note]):
    PythonOperator(task_id="ok", python_callable=lambda: 1)

with DAG("failing", schedule=None, start_date=start, on_failure_callback=note):
    PythonOperator(task_id="fails", python_callable=fail)

with DAG("success_only", schedule=None, start_date=start, on_success_callback=note):
    PythonOperator(task_id="fails", python_callable=fail)

with DAG("none", schedule=None, start_date=start):
    PythonOperator(task_id="ok", python_callable=lambda: 1)

with DAG("times_out", schedule=None, start_date=start, dagrun_timeout=timedelta(minutes=1), on_failure_callback=note):
    # The sensor measures its own timeout on the wall clock, far from the test's manual clock.
    PythonSensor(task_id="waits", python_callable=lambda: False, mode="reschedule", poke_interval=600,
                 timeout=10**10)
"""


def _requests(h) -> list[tuple]:  # noqa: ANN001
    with h.db.read() as conn:
        return [(r["dag_id"], r["run_id"], r["is_failure_callback"], r["reason"], Path(r["fileloc"]).name,
                 r["claimed_at"]) for r in callback_requests.list_requests(conn)]


def test_ended_runs_request_the_callbacks_their_dag_has(tmp_path: Path) -> None:
    markers = tmp_path / "markers"
    h = make_harness(tmp_path, {"cb.py": DAGS.format(markers=str(markers))})
    run_ids = {}
    for dag_id in ("both", "failing", "success_only", "none"):
        h.unpause(dag_id)
        run_ids[dag_id] = h.trigger(dag_id)
    h.tick_until_idle()
    assert {dag_id: h.run_state(dag_id, run_id) for dag_id, run_id in run_ids.items()} == \
        {"both": "success", "failing": "failed", "success_only": "failed", "none": "success"}
    assert sorted(_requests(h)) == [("both", run_ids["both"], False, "success", "cb.py", None),
                                    ("failing", run_ids["failing"], True, "task_failure", "cb.py", None)]
    assert not markers.exists()  # the scheduler never runs user code: the DAG processor will


def test_a_run_past_its_dagrun_timeout_requests_the_failure_callback(tmp_path: Path) -> None:
    h = make_harness(tmp_path, {"cb.py": DAGS.format(markers=str(tmp_path / "markers"))})
    h.unpause("times_out")
    run_id = h.trigger("times_out")
    h.tick_until_idle()
    assert h.states("times_out", run_id)["waits"][0].state == "up_for_reschedule" and _requests(h) == []
    h.clock.advance(61)
    h.scheduler.request_full_scan()
    h.tick_until_idle()
    assert h.run_state("times_out", run_id) == "failed"
    assert _requests(h) == [("times_out", run_id, True, "timed_out", "cb.py", None)]
