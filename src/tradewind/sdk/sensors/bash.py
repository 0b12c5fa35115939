"""BashSensor: poke by running a bash command until it exits with code 0."""

from __future__ import annotations

import logging
import os
import tempfile
from typing import Any

from tradewind.sdk.exceptions import AirflowFailException
from tradewind.sdk.operators.bash_process import BashProcess
from tradewind.sdk.sensors.base import BaseSensorOperator

log = logging.getLogger("airflow.task")


class BashSensor(BaseSensorOperator):
    """Wait until `bash_command` exits with code 0.

    Any other exit code means "not yet", unless `retry_exit_code` is set: then only that code
    means "not yet" and any other non-zero code fails the task at once.
    """

    template_fields = ("bash_command", "env")
    template_ext = (".sh", ".bash")

    def __init__(
        self,
        *,
        bash_command: str,
        env: dict[str, str] | None = None,
        output_encoding: str = "utf-8",
        retry_exit_code: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.bash_command = bash_command
        self.env = env
        self.output_encoding = output_encoding
        self.retry_exit_code = retry_exit_code
        self._process: BashProcess | None = None

    def poke(self, context: Any) -> bool:
        """Run the command once in a fresh temporary directory."""
        env = dict(os.environ) if self.env is None else dict(self.env)
        with tempfile.TemporaryDirectory(prefix="airflowtmp") as tmp_dir:
            self._process = BashProcess(self.bash_command, env=env, cwd=tmp_dir, output_encoding=self.output_encoding)
            try:
                exit_code = self._process.run().exit_code
            finally:
                self._process = None
        if exit_code == 0:
            return True
        if self.retry_exit_code is None or exit_code == self.retry_exit_code:
            log.info("Command exited with return code %s; poking again later", exit_code)
            return False
        raise AirflowFailException(
            f"Sensor {self.task_id!r}: command exited with return code {exit_code}, which is neither 0 nor "
            f"retry_exit_code {self.retry_exit_code}"
        )

    def on_kill(self) -> None:
        """Stop the running command and everything it started."""
        if self._process is not None:
            self._process.kill()
