"""The running task's context: the `Context` type and `get_current_context()`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from tradewind.errors import TradewindError


class Context(dict):  # type: ignore[type-arg]
    """The template context of a running task: a dict of `ti`, `ds`, `params`, `dag_run`, ..."""


KNOWN_CONTEXT_KEYS = frozenset(
    {
        "conf", "conn", "dag", "dag_run", "data_interval_end", "data_interval_start", "ds", "ds_nodash",
        "execution_date", "expanded_ti_count", "exception", "inlets", "inlet_events", "logical_date",
        "macros", "map_index_template", "next_ds", "next_ds_nodash", "next_execution_date", "outlets",
        "outlet_events", "params", "prev_data_interval_start_success", "prev_data_interval_end_success",
        "prev_ds", "prev_ds_nodash", "prev_execution_date", "prev_execution_date_success",
        "prev_start_date_success", "prev_end_date_success", "reason", "run_id", "task", "task_instance",
        "task_instance_key_str", "task_reschedule_count", "templates_dict", "test_mode", "ti",
        "tomorrow_ds", "tomorrow_ds_nodash", "triggering_asset_events", "triggering_dataset_events",
        "try_number", "ts", "ts_nodash", "ts_nodash_with_tz", "var", "yesterday_ds", "yesterday_ds_nodash",
    }
)
"""Names a TaskFlow function receives from the context when it declares a parameter of that name."""

_current: ContextVar[Context | dict[str, Any] | None] = ContextVar("tradewind_current_context", default=None)


class NoRunningTaskError(TradewindError, RuntimeError):
    """get_current_context() was called outside a running task."""


def get_current_context() -> Context:
    """The context of the task running now; raises outside a running task."""
    context = _current.get()
    if context is None:
        raise NoRunningTaskError(
            "get_current_context() works only while a task runs: call it from inside a task's callable"
        )
    return context  # type: ignore[return-value]


@contextmanager
def set_current_context(context: Context | dict[str, Any]) -> Iterator[Context | dict[str, Any]]:
    """Make `context` the current one for the duration of the block (used by the task runner)."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


class ParsingContext:
    """What is being parsed: a DAG file may build only `dag_id` when it is set (None: build everything)."""

    def __init__(self, dag_id: str | None = None, task_id: str | None = None) -> None:
        self.dag_id, self.task_id = dag_id, task_id


def get_parsing_context() -> ParsingContext:
    """The parsing context; Tradewind parses whole files, so both ids are None."""
    return ParsingContext()
