"""Trigger a DAG from the UI: the conf typed in the form, validated against Params by the scheduler's trigger."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from tradewind.errors import ParamValidationError
from tradewind.store.serialized_dag import SerializedDag


def parse_conf(text: str) -> dict[str, Any]:
    """The conf JSON typed in the trigger form; it must be an object."""
    text = (text or "").strip()
    if not text:
        return {}
    try:
        conf = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParamValidationError(f"conf is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from None
    if not isinstance(conf, dict):
        raise ParamValidationError("conf must be a JSON object such as {\"key\": \"value\"}")
    return conf


def trigger_run(conn: Any, dag: SerializedDag, *, conf: dict[str, Any], now: datetime,
                run_id: str | None = None) -> str:
    """Create a queued manual run (task instances with no state, try 0) and return its run_id.

    Raises ParamValidationError when the conf breaks a Param's rule, DagRunAlreadyExists on a taken run_id.
    """
    from tradewind.scheduler.trigger import trigger_dag_run

    return trigger_dag_run(conn, dag, now=now, conf=conf, run_id=run_id, triggered_by="ui")
