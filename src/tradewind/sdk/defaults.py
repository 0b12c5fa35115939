"""Authoring defaults that the DAG parser may set from configuration before it imports DAG files.

They are module attributes read at DAG construction time (never at import time), so a parser can
apply `[scheduler] catchup_by_default` and `[core] default_timezone` once per process.
"""

from __future__ import annotations

CATCHUP_BY_DEFAULT: bool = False
"""Airflow 3's default; `[scheduler] catchup_by_default` overrides it."""

DEFAULT_TIMEZONE: str = "UTC"
"""The zone naive datetimes are read in; `[core] default_timezone` overrides it."""

MAX_MAP_LENGTH: int = 1024
"""The most elements one mapped task may expand into; `[core] max_map_length` overrides it."""

DEFAULT_TASK_RETRIES: int = 0
"""`[core] default_task_retries`."""
