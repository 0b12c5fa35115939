"""Task log files: their path, what a try writes to them, secret masking, and echo to the console."""

from __future__ import annotations

import logging

from tradewind.clock import ManualClock
from tradewind.logs.capture import capture_task_output
from tradewind.logs.masking import SecretsMasker
from tradewind.logs.paths import task_log_path

LOG_DAG = """
import logging, sys
from tradewind.sdk.runtime import current_services
def talk(ti):
    print("printed line")
    print("to stderr", file=sys.stderr)
    logging.getLogger("airflow.task").info("task logger line")
    logging.getLogger("user.module").warning("root logger line")
    secret = current_services().get_variable("api_password")
    print(f"the secret is {secret}")
    print("a plain variable", current_services().get_variable("colour"))
with DAG("t", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)) as dag:
    PythonOperator(task_id="talk", python_callable=talk)
    PythonOperator.partial(task_id="m", python_callable=print).expand(op_args=[[1], [2]])
"""


def test_log_path_layout(env):
    base = env.settings.log_folder
    assert task_log_path(env.settings, "d", "r1", "t", -1, 2) == base / "dag_id=d/run_id=r1/task_id=t/attempt=2.log"
    assert task_log_path(env.settings, "d", "r1", "t", 3, 1) == base / "dag_id=d/run_id=r1/task_id=t/map_index=3/attempt=1.log"


def test_a_try_writes_stdout_stderr_and_log_records_with_secrets_masked(env, capsys):
    from tradewind.store import variables
    with env.db.write() as conn:
        variables.set_variable(conn, "api_password", "hunter2-very-secret")
        variables.set_variable(conn, "colour", "blue-green")
    dag = env.load_dag(LOG_DAG)
    env.create_run(dag)
    assert env.run(dag, "talk").state == "success"
    text = task_log_path(env.settings, "t", "scheduled__2026-01-02", "talk", -1, 1).read_text()
    for line in ("printed line", "to stderr", "task logger line", "root logger line", "Marking task as SUCCESS"):
        assert line in text
    assert "the secret is ***" in text and "hunter2" not in text
    assert "a plain variable blue-green" in text
    assert "[2026-01-03T12:00:00.000+0000] {stdout} INFO - printed line" in text
    assert "printed line" not in capsys.readouterr().out


def test_echo_also_writes_to_the_console(env, capsys):
    dag = env.load_dag(LOG_DAG)
    env.create_run(dag)
    env.run(dag, "talk", echo=True)
    assert "printed line" in capsys.readouterr().out


def test_mapped_instances_log_under_their_map_index(env):
    dag = env.load_dag(LOG_DAG)
    env.create_run(dag, map_lengths={"m": 2})
    assert env.run(dag, "m", map_index=1).state == "success"
    assert task_log_path(env.settings, "t", "scheduled__2026-01-02", "m", 1, 1).exists()


def test_capture_restores_streams_and_handlers(tmp_path):
    import sys

    before = (sys.stdout, sys.stderr, list(logging.getLogger().handlers))
    masker = SecretsMasker()
    masker.add({"nested": ["s3cr3t-value"]})
    with capture_task_output(tmp_path / "a.log", clock=ManualClock(__import__("datetime").datetime(
            2026, 1, 2, tzinfo=__import__("datetime").timezone.utc)), masker=masker):
        print("value s3cr3t-value end", end="")
    assert (sys.stdout, sys.stderr, list(logging.getLogger().handlers)) == before
    assert (tmp_path / "a.log").read_text().endswith("INFO - value *** end\n")


def test_masker_rules():
    masker = SecretsMasker(["pin"])
    assert masker.is_sensitive_name("db_PASSWORD") and masker.is_sensitive_name("my_api_key")
    assert masker.is_sensitive_name("card_pin") and not masker.is_sensitive_name("colour")
    masker.add("abc")  # too short to mask safely
    masker.add('{"token": "tok-123456"}')
    assert masker.redact("abc tok-123456") == "abc ***"
