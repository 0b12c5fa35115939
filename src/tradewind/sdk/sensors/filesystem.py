"""FileSensor: wait until a file (or a non-empty directory) matching a path or glob exists."""

from __future__ import annotations

import json
import logging
import os
from glob import glob
from typing import Any

from tradewind.sdk.exceptions import AirflowNotFoundException
from tradewind.sdk.runtime import current_services
from tradewind.sdk.sensors.base import BaseSensorOperator

log = logging.getLogger("airflow.task")


class FileSensor(BaseSensorOperator):
    """Wait until `filepath` (a path or glob, under the base path of connection `fs_conn_id`) matches a file.

    The base path is the `path` key of the connection's extra. A matching directory counts once
    it contains a file at any depth. `recursive` lets `**` in the glob match subdirectories.
    """

    template_fields = ("filepath",)
    ui_color = "#91818a"

    def __init__(
        self,
        *,
        filepath: str,
        fs_conn_id: str = "fs_default",
        recursive: bool = False,
        deferrable: bool = False,
        start_from_trigger: bool = False,
        trigger_kwargs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.filepath = filepath
        self.fs_conn_id = fs_conn_id
        self.recursive = recursive
        self.deferrable = deferrable

    @property
    def path(self) -> str:
        """The full path or glob being waited for."""
        return os.path.join(_base_path(self.fs_conn_id), self.filepath)

    def poke(self, context: Any) -> bool:
        """Whether anything matching the path exists now."""
        full_path = self.path
        log.info("Poking for file %s", full_path)
        for path in glob(full_path, recursive=self.recursive):
            if os.path.isfile(path):
                log.info("Found File %s", path)
                return True
            for _root, _dirs, files in os.walk(path):
                if files:
                    log.info("Found directory %s containing files", path)
                    return True
        return False


def _base_path(conn_id: str) -> str:
    """The `path` in the extra of connection `conn_id`, or "" when it has none."""
    conn = current_services().get_connection(conn_id)
    if conn is None:
        raise AirflowNotFoundException(
            f"The conn_id `{conn_id}` isn't defined: create it with `airflow connections add {conn_id} "
            "--conn-type fs --conn-extra '{\"path\": \"/base/dir\"}'` or `airflow connections create-default-connections`"
        )
    extra = _extra_of(conn)
    return str(extra.get("path") or "")


def _extra_of(conn: Any) -> dict[str, Any]:
    """A connection's extra as a dict, whether the connection is a mapping or an object with extra_dejson."""
    if hasattr(conn, "extra_dejson"):
        return dict(conn.extra_dejson or {})
    extra = conn.get("extra_dejson") or conn.get("extra") or {}
    if isinstance(extra, str):
        try:
            extra = json.loads(extra)
        except ValueError:
            extra = {}
    return extra if isinstance(extra, dict) else {}
