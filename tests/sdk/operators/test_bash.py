"""BashOperator: exit codes, environment, return value, cwd, template files and killing."""

from __future__ import annotations

import logging
import os
import threading
from datetime import datetime, timezone

import jinja2
import pytest

from tradewind.sdk.dag import DAG
from tradewind.sdk.exceptions import AirflowException, AirflowSkipException
from tradewind.sdk.operators.bash import BashOperator
from tradewind.testing.procfs import stat_fields


def bash(command: str, **kwargs) -> BashOperator:
    with DAG("bash_dag", schedule=None, start_date=datetime(2026, 1, 1, tzinfo=timezone.utc)):
        return BashOperator(task_id="run", bash_command=command, **kwargs)


def test_returns_the_last_stdout_line_not_stderr(make_context):
    op = bash("echo first; echo second; echo oops >&2")
    assert op.execute(make_context(op)) == "second"


def test_output_processor_transforms_the_last_line(make_context):
    op = bash("echo 41", output_processor=lambda out: int(out) + 1)
    assert op.execute(make_context(op)) == 42


def test_last_line_without_trailing_newline(make_context):
    op = bash("printf 'a\\nb'")
    assert op.execute(make_context(op)) == "b"


def test_exit_99_skips(make_context):
    op = bash("exit 99")
    with pytest.raises(AirflowSkipException):
        op.execute(make_context(op))


def test_custom_skip_codes(make_context):
    op = bash("exit 3", skip_on_exit_code=[2, 3])
    with pytest.raises(AirflowSkipException):
        op.execute(make_context(op))
    op = bash("exit 99", skip_on_exit_code=None)
    with pytest.raises(AirflowException, match="exit code 99"):
        op.execute(make_context(op))


def test_other_non_zero_exit_fails_naming_the_code(make_context):
    op = bash("echo partial; exit 7")
    with pytest.raises(AirflowException, match="exit code 7") as info:
        op.execute(make_context(op))
    assert not isinstance(info.value, AirflowSkipException)


def test_env_without_append_env_replaces_the_environment(make_context, monkeypatch):
    monkeypatch.setenv("TW_OUTER", "outer")
    op = bash('echo "$FOO-${TW_OUTER:-absent}"', env={"FOO": "bar"})
    assert op.execute(make_context(op)) == "bar-absent"


def test_append_env_keeps_the_environment(make_context, monkeypatch):
    monkeypatch.setenv("TW_OUTER", "outer")
    op = bash('echo "$FOO-${TW_OUTER:-absent}"', env={"FOO": "bar"}, append_env=True)
    assert op.execute(make_context(op)) == "bar-outer"


def test_no_env_inherits_the_environment(make_context, monkeypatch):
    monkeypatch.setenv("TW_OUTER", "outer")
    op = bash('echo "${TW_OUTER:-absent}"')
    assert op.execute(make_context(op)) == "outer"


def test_airflow_ctx_variables_are_set_on_top_of_env(make_context):
    op = bash(
        'echo "$AIRFLOW_CTX_DAG_ID|$AIRFLOW_CTX_TASK_ID|$AIRFLOW_CTX_LOGICAL_DATE|$AIRFLOW_CTX_TRY_NUMBER|'
        '$AIRFLOW_CTX_DAG_RUN_ID|$AIRFLOW_CTX_DAG_OWNER"',
        env={"AIRFLOW_CTX_DAG_ID": "overridden"},
    )
    assert op.execute(make_context(op)) == (
        "bash_dag|run|2026-01-02T00:00:00+00:00|1|manual__2026-01-02T00:00:00+00:00|airflow"
    )


def test_runs_in_a_fresh_temporary_directory_removed_afterwards(make_context):
    op = bash("pwd")
    first = op.execute(make_context(op))
    second = op.execute(make_context(op))
    assert first != second
    assert os.path.basename(first).startswith("airflowtmp")
    assert not os.path.exists(first)


def test_cwd(make_context, tmp_path):
    (tmp_path / "marker.txt").write_text("here")
    op = bash("cat marker.txt", cwd=str(tmp_path))
    assert op.execute(make_context(op)) == "here"


def test_missing_cwd_fails_naming_it(make_context, tmp_path):
    missing = tmp_path / "nope"
    op = bash("true", cwd=str(missing))
    with pytest.raises(AirflowException, match="nope"):
        op.execute(make_context(op))


def test_sh_suffix_is_a_template_file(make_context, tmp_path):
    (tmp_path / "script.sh").write_text("echo day {{ ds }}\n")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), undefined=jinja2.StrictUndefined)
    op = bash("script.sh")
    context = make_context(op)
    op.render_template_fields(context, env)
    assert op.bash_command.strip() == "echo day 2026-01-02"
    assert op.execute(context) == "day 2026-01-02"


def test_trailing_space_avoids_template_file_lookup(make_context, tmp_path):
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)), undefined=jinja2.StrictUndefined)
    op = bash("echo run.sh ")
    op.render_template_fields(make_context(op), env)
    assert op.bash_command == "echo run.sh "


def test_output_lines_go_to_the_task_log(make_context, caplog):
    op = bash("echo to-stdout; echo to-stderr >&2")
    with caplog.at_level(logging.INFO, logger="airflow.task"):
        op.execute(make_context(op))
    messages = [r.getMessage() for r in caplog.records]
    assert "to-stdout" in messages and "to-stderr" in messages


class _LineWatcher(logging.Handler):
    """Signals when the task log shows a line that is a number (the pid the command prints)."""

    def __init__(self) -> None:
        super().__init__()
        self.pid: int | None = None
        self.seen = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.isdigit():
            self.pid = int(message)
            self.seen.set()


def _is_running(pid: int) -> bool:
    fields = stat_fields(pid)
    return fields is not None and fields[0] != "Z"


def test_on_kill_stops_the_whole_process_group(make_context):
    op = bash("sleep 300 & echo $!; wait")
    watcher = _LineWatcher()
    task_log = logging.getLogger("airflow.task")
    previous_level = task_log.level
    task_log.setLevel(logging.INFO)
    task_log.addHandler(watcher)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            op.execute(make_context(op))
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    try:
        thread.start()
        assert watcher.seen.wait(30), "the command never printed its child's pid"
        assert watcher.pid is not None and _is_running(watcher.pid)
    finally:
        op.on_kill()
        thread.join(30)
        task_log.removeHandler(watcher)
        task_log.setLevel(previous_level)
    assert not thread.is_alive()
    assert errors and isinstance(errors[0], AirflowException)
    assert not _is_running(watcher.pid)
