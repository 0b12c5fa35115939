"""How operator constructor arguments are filled: keyword-only calls and default_args precedence.

Precedence, highest first: an explicit argument, the operator's own `default_args`, the innermost
TaskGroup's `default_args`, outer groups', the DAG's `default_args`, then the operator's default.
A default_args key applies only when some `__init__` in the operator's MRO declares it.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from tradewind.sdk import scopes
from tradewind.sdk.caller import user_stacklevel
from tradewind.sdk.params import merge_params

_NEVER_DEFAULTED = frozenset({"task_id", "dag", "task_group", "default_args"})


class OperatorMeta(type):
    """Wraps each operator class's `__init__` so that default_args apply once, before any __init__ runs."""

    def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kw: Any) -> type:
        init = namespace.get("__init__")
        if init is not None and not getattr(init, "_tw_wrapped", False):
            namespace["__init__"] = _wrap_init(init)
        cls = super().__new__(mcls, name, bases, namespace, **kw)
        cls._tw_init_params = frozenset(_declared_params(cls))
        return cls


def _declared_params(cls: type) -> set[str]:
    names: set[str] = set()
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or klass is object:
            continue
        for param in inspect.signature(init).parameters.values():
            if param.kind not in (param.VAR_POSITIONAL, param.VAR_KEYWORD) and param.name != "self":
                names.add(param.name)
    return names


def _wrap_init(init: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(init)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
        if args:
            raise TypeError(
                f"{type(self).__name__}: use keyword arguments when creating an operator "
                f"(got {len(args)} positional argument(s): {args!r})"
            )
        if self.__dict__.get("_tw_init_started"):
            init(self, **kwargs)
            return
        self._tw_init_started = True
        init(self, **apply_default_args(type(self), kwargs))
        finish = getattr(self, "_tw_finish_init", None)
        if finish is not None:
            finish()

    wrapper._tw_wrapped = True  # type: ignore[attr-defined]
    return wrapper


def merged_default_args(dag: Any, group: Any, own: dict[str, Any] | None) -> dict[str, Any]:
    """default_args from the DAG, then each TaskGroup outer to inner, then the operator's own."""
    merged: dict[str, Any] = {}
    if dag is not None:
        merged.update(dag.default_args or {})
    for g in reversed(list(_group_chain(group))):
        merged.update(g.default_args or {})
    merged.update(own or {})
    return merged


def _group_chain(group: Any) -> Any:
    while group is not None:
        yield group
        group = group.parent_group


def apply_default_args(cls: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """A copy of `kwargs` completed from the default_args in scope, for the keys `cls` declares."""
    kwargs = dict(kwargs)
    group = kwargs.get("task_group")
    dag = kwargs.get("dag") or (group.dag if group is not None else None) or scopes.current_dag()
    group = group or scopes.current_group(dag)
    defaults = merged_default_args(dag, group, kwargs.get("default_args"))
    declared = getattr(cls, "_tw_init_params", frozenset())
    for key, value in defaults.items():
        if key in _NEVER_DEFAULTED or key not in declared:
            continue
        if key == "params" and kwargs.get("params") is not None:
            kwargs["params"] = merge_params(value, kwargs["params"])
        elif key not in kwargs:
            kwargs[key] = value
    return kwargs


def apply_defaults(func: Callable[..., Any]) -> Callable[..., Any]:
    """Airflow 1.10's `@apply_defaults`: default_args now always apply, so it returns `func` unchanged."""
    import warnings

    warnings.warn(
        "apply_defaults is deprecated and does nothing: default_args are applied to every operator",
        DeprecationWarning,
        stacklevel=user_stacklevel(),
    )
    return func
