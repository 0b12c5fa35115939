"""The task part of a serialized DAG: each task's fields, the task-group tree and the topological order."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

_CALLBACKS = ("on_execute_callback", "on_failure_callback", "on_success_callback",
              "on_retry_callback", "on_skipped_callback")


def topological_order(dag: Any) -> list[Any]:
    """The DAG's tasks, upstream before downstream (the sdk's order: declaration order among equals)."""
    return list(dag.topological_sort())


def serialize_task_groups(dag: Any) -> dict[str, dict[str, Any]]:
    """The task-group tree by group id; the root group is "" and has no parent."""
    groups: dict[str, dict[str, Any]] = {}
    for group_id, group in dag.task_group.get_task_group_dict().items():
        parent = group.parent_group
        groups[group_id or ""] = {
            "parent": None if group.is_root else (parent.group_id or ""),
            "tooltip": getattr(group, "tooltip", "") or "",
            "ui_color": getattr(group, "ui_color", "") or "",
            "children": [child.group_id if _is_group(child) else child.task_id for child in group.children.values()],
        }
    return groups


def _is_group(node: Any) -> bool:
    return hasattr(node, "get_task_group_dict")


def iso_or_none(value: datetime | None) -> str | None:
    """An instant as ISO 8601 text, None as None."""
    return value.isoformat() if value is not None else None


def seconds_or_none(value: timedelta | float | int | None) -> float | None:
    """A duration (timedelta or number of seconds) as float seconds, None as None."""
    if value is None:
        return None
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _backoff(value: Any) -> float:
    """Airflow 3.3's multiplier: False is off (0), True is 2.0, a number is itself."""
    if value is True:
        return 2.0
    if not value:
        return 0.0
    return float(value)


def _operator_class(task: Any) -> type:
    return getattr(task, "operator_class", None) or type(task)


def _is_sensor(task: Any) -> bool:
    from tradewind.sdk.sensors.base import BaseSensorOperator

    cls = _operator_class(task)
    return isinstance(cls, type) and issubclass(cls, BaseSensorOperator)


def _value(value: Any) -> Any:
    """Enum members (trigger rules, weight rules) as their plain string values."""
    return getattr(value, "value", value)


def serialize_task(dag: Any, task: Any) -> dict[str, Any]:
    """One task's entry in the serialized DAG."""
    cls = _operator_class(task)
    group = getattr(task, "task_group", None)
    is_mapped = bool(getattr(task, "is_mapped", False)) or hasattr(task, "expand_input_spec")
    is_sensor = _is_sensor(task)
    return {
        "task_id": task.task_id,
        "operator": getattr(task, "operator_name", None) or cls.__name__,
        "operator_module": cls.__module__,
        "task_group": group.group_id if group is not None and not group.is_root else None,
        "upstream": sorted(task.upstream_task_ids),
        "downstream": sorted(task.downstream_task_ids),
        "trigger_rule": str(_value(task.trigger_rule)),
        "retries": int(task.retries or 0),
        "retry_delay_s": seconds_or_none(task.retry_delay) or 0.0,
        "retry_exponential_backoff": _backoff(task.retry_exponential_backoff),
        "max_retry_delay_s": seconds_or_none(task.max_retry_delay),
        "execution_timeout_s": seconds_or_none(task.execution_timeout),
        "depends_on_past": bool(task.depends_on_past),
        "wait_for_downstream": bool(task.wait_for_downstream),
        "ignore_first_depends_on_past": bool(task.ignore_first_depends_on_past),
        "pool": task.pool or "default_pool",
        "pool_slots": int(task.pool_slots),
        "priority_weight": int(task.priority_weight),
        "weight_rule": str(_value(task.weight_rule)),
        "queue": task.queue,
        "owner": task.owner,
        "max_active_tis_per_dag": task.max_active_tis_per_dag,
        "max_active_tis_per_dagrun": task.max_active_tis_per_dagrun,
        "is_empty": bool(getattr(task, "is_empty", False)),
        "is_sensor": is_sensor,
        "sensor_mode": getattr(task, "mode", "poke") if is_sensor else None,
        "is_setup": bool(getattr(task, "is_setup", False)),
        "is_teardown": bool(getattr(task, "is_teardown", False)),
        "on_failure_fail_dagrun": bool(getattr(task, "on_failure_fail_dagrun", False)),
        "is_mapped": is_mapped,
        "expand_input": task.expand_input_spec() if is_mapped else None,
        "callbacks": [name for name in _CALLBACKS if getattr(task, name, None)],
        "template_fields": list(getattr(task, "template_fields", ()) or ()),
        "ui_color": getattr(task, "ui_color", "#fff"),
        "ui_fgcolor": getattr(task, "ui_fgcolor", "#000"),
        "doc_md": getattr(task, "doc_md", None),
        "start_date": iso_or_none(getattr(task, "start_date", None)),
        "end_date": iso_or_none(getattr(task, "end_date", None)),
    }
