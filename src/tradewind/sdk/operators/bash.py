"""BashOperator: run a bash command; its last stdout line is the task's return value."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Container
from typing import Any

from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.exceptions import AirflowException, AirflowSkipException
from tradewind.sdk.operators.bash_process import BashProcess, BashResult
from tradewind.sdk.operators.context_env import context_to_env_vars


class BashOperator(BaseOperator):
    """Run `bash_command` with `bash -c` in a fresh temporary directory (or `cwd`).

    Exit code 0 succeeds and returns the last stdout line (through `output_processor`); an exit
    code in `skip_on_exit_code` (99 by default) skips the task; any other exit code fails it.
    """

    template_fields = ("bash_command", "env", "cwd")
    template_fields_renderers = {"bash_command": "bash", "env": "json"}
    template_ext = (".sh", ".bash")
    ui_color = "#f0ede4"

    def __init__(
        self,
        *,
        bash_command: str,
        env: dict[str, str] | None = None,
        append_env: bool = False,
        output_encoding: str = "utf-8",
        skip_on_exit_code: int | Container[int] | None = 99,
        cwd: str | None = None,
        output_processor: Callable[[str], Any] = lambda output: output,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.bash_command = bash_command
        self.env = env
        self.append_env = append_env
        self.output_encoding = output_encoding
        self.skip_on_exit_code = _exit_codes(skip_on_exit_code)
        self.cwd = cwd
        self.output_processor = output_processor
        self._process: BashProcess | None = None

    def get_env(self, context: Any) -> dict[str, str]:
        """The command's environment: `env` (or ours), then the AIRFLOW_CTX_* variables on top."""
        if self.env is None:
            env = dict(os.environ)
        elif self.append_env:
            env = {**os.environ, **self.env}
        else:
            env = dict(self.env)
        env.update(context_to_env_vars(context))
        return env

    def execute(self, context: Any) -> Any:
        """Run the command and turn its exit code into success, skip or failure."""
        env = self.get_env(context)
        if self.cwd is not None:
            self._check_cwd(self.cwd)
            result = self._run(self.bash_command, env, self.cwd)
        else:
            with tempfile.TemporaryDirectory(prefix="airflowtmp") as tmp_dir:
                result = self._run(self.bash_command, env, tmp_dir)
        if result.exit_code in self.skip_on_exit_code:
            raise AirflowSkipException(f"Bash command returned exit code {result.exit_code}. Skipping.")
        if result.exit_code != 0:
            raise AirflowException(
                f"Bash command failed in task {self.task_id!r}. "
                f"The command returned a non-zero exit code {result.exit_code}."
            )
        return self.output_processor(result.last_line)

    def on_kill(self) -> None:
        """Stop the running command and every process it started."""
        if self._process is not None:
            self._process.kill()

    def _run(self, command: str, env: dict[str, str], cwd: str) -> BashResult:
        self._process = BashProcess(command, env=env, cwd=cwd, output_encoding=self.output_encoding)
        try:
            return self._process.run()
        finally:
            self._process = None

    def _check_cwd(self, cwd: str) -> None:
        if not os.path.exists(cwd):
            raise AirflowException(f"Task {self.task_id!r}: cwd {cwd!r} does not exist; create it or fix `cwd`")
        if not os.path.isdir(cwd):
            raise AirflowException(f"Task {self.task_id!r}: cwd {cwd!r} must be a directory")


def _exit_codes(value: int | Container[int] | None) -> Container[int]:
    if value is None:
        return ()
    if isinstance(value, int):
        return (value,)
    return value
