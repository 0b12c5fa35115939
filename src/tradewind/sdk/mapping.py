"""Dynamic task mapping: `.partial(...).expand(...)`, `.expand_kwargs(...)` and `MappedOperator`.

A MappedOperator stands for n task instances. The scheduler learns n from `expand_input_spec()`
without running user code; the task runner gets the concrete operator of one map index with
`unmap(map_index, context)`. As in Airflow, the cross product varies the last argument fastest and
a dict expands to its (key, value) pairs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from math import prod
from typing import Any

from tradewind.rules.trigger_rule_names import normalize_trigger_rule
from tradewind.sdk import defaults, scopes
from tradewind.sdk.exceptions import (
    InvalidTriggerRuleError,
    UnmappableXComLengthPushed,
    UnmappableXComTypePushed,
)
from tradewind.sdk.ids import validate_id
from tradewind.sdk.operator_args import apply_default_args
from tradewind.sdk.task_node import TaskNode
from tradewind.sdk.template_rendering import ResolveMixin
from tradewind.sdk.xcom_arg import XComArg, as_sequence, iter_xcom_references

NOT_MAPPABLE = frozenset({"task_id", "dag", "task_group", "default_args"})

# The scheduling attributes a MappedOperator exposes before it is unmapped, with BaseOperator's defaults.
_TASK_ATTRIBUTES: dict[str, Any] = {
    "owner": "airflow", "retry_delay": timedelta(seconds=300), "retry_exponential_backoff": False,
    "max_retry_delay": None, "execution_timeout": None, "depends_on_past": False, "wait_for_downstream": False,
    "ignore_first_depends_on_past": True, "pool": "default_pool", "pool_slots": 1, "priority_weight": 1,
    "weight_rule": "downstream", "queue": "default", "max_active_tis_per_dag": None,
    "max_active_tis_per_dagrun": None, "on_failure_fail_dagrun": False, "doc_md": None, "start_date": None,
    "end_date": None, "do_xcom_push": True, "multiple_outputs": False, "map_index_template": None,
    "email": None, "executor_config": {}, "params": {}, "on_execute_callback": None,
    "on_failure_callback": None, "on_success_callback": None, "on_retry_callback": None,
    "on_skipped_callback": None,
}


class OperatorPartial:
    """An operator class with its shared arguments fixed; `.expand()` or `.expand_kwargs()` makes the task."""

    def __init__(self, operator_class: type, kwargs: dict[str, Any], *, mapped_field: str | None = None) -> None:
        if "task_id" not in kwargs:
            raise TypeError(f"{operator_class.__name__}.partial() needs task_id=")
        kwargs = dict(kwargs)
        kwargs.pop("provide_context", None)
        declared = getattr(operator_class, "_tw_init_params", frozenset())
        unknown = sorted(k for k in kwargs if k not in declared)
        if unknown:
            raise TypeError(
                f"Invalid arguments were passed to {operator_class.__name__}.partial() "
                f"(task_id: {kwargs['task_id']}): {', '.join(unknown)}"
            )
        self.operator_class = operator_class
        self.dag = kwargs.pop("dag", None) or scopes.current_dag()
        self.task_group = kwargs.pop("task_group", None) or scopes.current_group(self.dag)
        self.kwargs = apply_default_args(operator_class, {**kwargs, "dag": self.dag, "task_group": self.task_group})
        for key in ("dag", "task_group", "default_args"):
            self.kwargs.pop(key, None)
        self.mapped_field = mapped_field

    def expand(self, **mapped: Any) -> MappedOperator:
        """One task instance per element (the cross product when several arguments are mapped)."""
        if not mapped:
            raise TypeError(f"{self.operator_class.__name__}.expand() needs at least one keyword argument")
        for name, value in mapped.items():
            self._check_mappable_name(name)
            if not isinstance(value, (list, tuple, dict, ResolveMixin)):
                raise TypeError(
                    f"expand() argument {name!r} of task {self.kwargs['task_id']!r} must be a list, a dict or an "
                    f"XComArg, got {type(value).__name__}"
                )
        return MappedOperator(self, "product", dict(mapped))

    def expand_kwargs(self, kwargs: Any) -> MappedOperator:
        """One task instance per dict in `kwargs` (a list of dicts, or an XComArg resolving to one)."""
        if isinstance(kwargs, (list, tuple)):
            for item in kwargs:
                if not isinstance(item, (dict, ResolveMixin)):
                    raise TypeError(f"expand_kwargs() needs a list of dicts, got an item {item!r}")
                for name in item if isinstance(item, dict) else ():
                    self._check_mappable_name(name)
        elif not isinstance(kwargs, ResolveMixin):
            raise TypeError(f"expand_kwargs() needs a list of dicts or an XComArg, got {type(kwargs).__name__}")
        return MappedOperator(self, "list", kwargs)

    def _check_mappable_name(self, name: str) -> None:
        task_id = self.kwargs["task_id"]
        if name in NOT_MAPPABLE:
            raise ValueError(f"task {task_id!r}: {name!r} cannot be mapped; pass it to .partial()")
        if name in self.kwargs or (self.mapped_field and name in (self.kwargs.get(self.mapped_field) or {})):
            raise ValueError(f"task {task_id!r}: {name!r} is given both to .partial() and to .expand()")
        declared = getattr(self.operator_class, "_tw_init_params", frozenset())
        if self.mapped_field is None and name not in declared:
            raise TypeError(f"task {task_id!r}: {self.operator_class.__name__} has no argument {name!r} to map over")


class MappedOperator(TaskNode):
    """A task expanded at run time into one instance per element of its mapped arguments."""

    is_mapped = True
    is_empty = False

    def __init__(self, partial: OperatorPartial, kind: str, expand_input: Any) -> None:
        self.operator_class = partial.operator_class
        self.partial_kwargs = dict(partial.kwargs)
        self.expand_kind, self.expand_input, self.mapped_field = kind, expand_input, partial.mapped_field
        label = validate_id("task", self.partial_kwargs.pop("task_id"))
        self.task_group = partial.task_group
        self.task_id = self.task_group.child_id(label) if self.task_group is not None else label
        self.upstream_task_ids: set[str] = set()
        self.downstream_task_ids: set[str] = set()
        self._set_task_attributes()
        self._dag = None
        if partial.dag is None:
            raise TypeError(f"mapped task {self.task_id!r} is not in any DAG: create it inside `with DAG(...)`")
        self.dag = partial.dag
        for operator, _key in iter_xcom_references([self.expand_input, self._templated_partial_values()]):
            if operator is not self:
                self.set_upstream(operator)
        scopes.note_task_created(self)

    def _set_task_attributes(self) -> None:
        for name, default in _TASK_ATTRIBUTES.items():
            setattr(self, name, self.partial_kwargs.get(name, default))
        self.retries = int(self.partial_kwargs.get("retries", defaults.DEFAULT_TASK_RETRIES) or 0)
        if not isinstance(self.retry_delay, timedelta):
            self.retry_delay = timedelta(seconds=float(self.retry_delay))
        for name in ("on_execute_callback", "on_failure_callback", "on_success_callback", "on_retry_callback",
                     "on_skipped_callback"):
            value = getattr(self, name)
            setattr(self, name, [] if value is None else list(value) if isinstance(value, (list, tuple)) else [value])
        rule = self.partial_kwargs.get("trigger_rule", "all_success")
        try:
            self.trigger_rule = normalize_trigger_rule(rule)
        except ValueError as exc:
            raise InvalidTriggerRuleError(f"task {self.task_id!r}: {exc}", task_id=self.task_id) from None

    def _templated_partial_values(self) -> list[Any]:
        fields = getattr(self.operator_class, "template_fields", ())
        return [v for k, v in self.partial_kwargs.items() if k in fields]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("partial_kwargs", "operator_class"):
            raise AttributeError(name)
        if name in self.partial_kwargs:
            return self.partial_kwargs[name]
        return getattr(self.operator_class, name)

    @property
    def operator_name(self) -> str:
        """The class name of the operator being mapped (or the decorator's name for TaskFlow)."""
        return getattr(self.operator_class, "custom_operator_name", None) or self.operator_class.__name__

    @property
    def output(self) -> XComArg:
        """The XComArg of all the mapped instances' return values."""
        return XComArg(self)

    # -- for the scheduler ---------------------------------------------------------------------
    def expand_input_spec(self) -> dict[str, Any]:
        """A JSON-able description of how many instances this task has, for the scheduler."""
        return expand_spec(self.expand_kind, self.expand_input)

    def expanded_length(self, resolved_values: Mapping[str, Any] | None = None) -> int:
        """The number of instances, given the resolved value of each XComArg argument by name
        ("source" for expand_kwargs); literal arguments need not be given."""
        values = mappable_values(self.expand_kind, self.expand_input, resolved_values or {}, self.task_id)
        return expanded_count(self.expand_kind, values)

    def resolve_expand_input(self, context: Any) -> dict[str, Any]:
        """The value of every mapped argument ("source" for expand_kwargs) for the run in `context`."""
        return resolve_expand_input(self.expand_kind, self.expand_input, context)

    # -- for the task runner -------------------------------------------------------------------
    def unmap(self, map_index: int, context: Any = None, resolved_values: Mapping[str, Any] | None = None) -> Any:
        """The concrete operator of instance `map_index` (values resolved from `context` unless given)."""
        from tradewind.sdk.baseoperator import build_detached

        if resolved_values is None:
            resolved_values = self.resolve_expand_input(context) if context is not None else {}
        values = mappable_values(self.expand_kind, self.expand_input, resolved_values, self.task_id)
        chosen = kwargs_for_index(self.expand_kind, values, map_index, self.task_id)
        kwargs = dict(self.partial_kwargs)
        if self.mapped_field:
            kwargs[self.mapped_field] = {**(kwargs.get(self.mapped_field) or {}), **chosen}
        else:
            kwargs.update(chosen)
        operator = build_detached(self.operator_class, {**kwargs, "task_id": self.label})
        operator._tw_detached = True
        operator.task_id, operator.task_group, operator._dag = self.task_id, self.task_group, self._dag
        operator.upstream_task_ids = set(self.upstream_task_ids)
        operator.downstream_task_ids = set(self.downstream_task_ids)
        operator.is_setup, operator.is_teardown = self.is_setup, self.is_teardown
        operator.trigger_rule, operator.map_index = self.trigger_rule, map_index
        return operator


def expand_spec(kind: str, expand_input: Any) -> dict[str, Any]:
    """The scheduler's description of an expand input ("product" of named arguments, or a "list" of dicts)."""
    if kind == "list":
        return {"kind": "list", "source": _length_spec(expand_input)}
    return {"kind": "product", "args": {name: _length_spec(v) for name, v in expand_input.items()}}


def resolve_expand_input(kind: str, expand_input: Any, context: Any) -> dict[str, Any]:
    """The run-time value of every mapped argument ("source" for a list of dicts)."""
    if kind == "list":
        source = expand_input
        return {"source": source.resolve(context) if isinstance(source, ResolveMixin) else source}
    return {k: v.resolve(context) if isinstance(v, ResolveMixin) else v for k, v in expand_input.items()}


def mappable_values(kind: str, expand_input: Any, resolved: Mapping[str, Any], task_id: str) -> dict[str, Any]:
    """Each mapped argument as a sequence, checked against [core] max_map_length; literals fill the gaps."""
    if kind == "list":
        raw = {"source": resolved.get("source", expand_input)}
    else:
        raw = {k: resolved.get(k, v) for k, v in expand_input.items()}
    values = {}
    for name, value in raw.items():
        if isinstance(value, ResolveMixin):
            raise ValueError(f"task {task_id!r}: the value of mapped argument {name!r} is not resolved yet")
        try:
            values[name] = as_sequence(value)
        except TypeError as exc:
            raise UnmappableXComTypePushed(f"task {task_id!r}, argument {name!r}: {exc}") from None
        if len(values[name]) > defaults.MAX_MAP_LENGTH:
            raise UnmappableXComLengthPushed(
                f"task {task_id!r}, argument {name!r}: {len(values[name])} elements is more than "
                f"[core] max_map_length = {defaults.MAX_MAP_LENGTH}"
            )
    return values


def expanded_count(kind: str, values: dict[str, Any]) -> int:
    """How many instances the mapped values give."""
    return len(values["source"]) if kind == "list" else prod(len(v) for v in values.values())


def kwargs_for_index(kind: str, values: dict[str, Any], map_index: int, task_id: str) -> dict[str, Any]:
    """The arguments of instance `map_index`: the cross product varies the last argument fastest."""
    total = expanded_count(kind, values)
    if not 0 <= map_index < total:
        raise IndexError(f"task {task_id!r} has {total} mapped instances; there is no map index {map_index}")
    if kind == "list":
        item = values["source"][map_index]
        if not isinstance(item, Mapping):
            raise UnmappableXComTypePushed(f"task {task_id!r}: expand_kwargs() needs dicts, element {map_index} is {item!r}")
        return dict(item)
    chosen: dict[str, Any] = {}
    remainder = map_index
    for name in reversed(list(values)):
        remainder, position = divmod(remainder, len(values[name]))
        chosen[name] = values[name][position]
    return dict(reversed(list(chosen.items())))


def _length_spec(value: Any) -> dict[str, Any]:
    if isinstance(value, ResolveMixin) and hasattr(value, "length_spec"):
        return value.length_spec()
    if isinstance(value, (list, tuple, dict)):
        return {"literal_length": len(value)}
    raise TypeError(f"cannot map over {value!r}")
