"""`TaskDecorator`: a function wrapped by `@task`; calling it inside a DAG creates a task."""

from __future__ import annotations

import collections.abc
import functools
import inspect
import typing
from typing import Any

from tradewind.sdk import scopes
from tradewind.sdk.context import KNOWN_CONTEXT_KEYS
from tradewind.sdk.decorators.operator_classes import decorated_class
from tradewind.sdk.ids import unique_task_id
from tradewind.sdk.mapping import OperatorPartial
from tradewind.sdk.operator_args import merged_default_args
from tradewind.sdk.xcom_arg import XComArg

_DOC_ARGS = ("doc", "doc_md", "doc_json", "doc_yaml", "doc_rst")


class TaskDecorator:
    """A TaskFlow function: call it to add a task (the result is its XComArg), or `.expand()` it."""

    def __init__(self, function: Any, kind: str, kwargs: dict[str, Any]) -> None:
        if not callable(function):
            raise TypeError(f"@task needs a function, got {function!r}")
        params = list(inspect.signature(function).parameters)
        if params and params[0] == "self":
            raise TypeError(f"@task cannot decorate the method {function.__qualname__}: use a plain function")
        self.function, self.kind, self.kwargs = function, kind, dict(kwargs)
        self.is_setup = self.is_teardown = False
        self.on_failure_fail_dagrun: bool | None = None
        functools.update_wrapper(self, function)

    def __call__(self, *args: Any, **kwargs: Any) -> XComArg:
        """Create the task with these arguments (XComArgs among them become upstream dependencies)."""
        operator_kwargs, dag, group = self._operator_kwargs()
        task_id = operator_kwargs["task_id"]
        _check_signature(self.function, args, kwargs, task_id)
        given = set(inspect.signature(self.function).bind_partial(*args, **kwargs).arguments)
        for key, value in merged_default_args(dag, group, self.kwargs.get("default_args")).items():
            if key in inspect.signature(self.function).parameters and key not in given:
                kwargs.setdefault(key, value)
        operator = decorated_class(self.kind)(
            python_callable=self.function, op_args=list(args), op_kwargs=kwargs, **operator_kwargs
        )
        self._mark_setup_teardown(operator)
        return XComArg(operator)

    def _operator_kwargs(self) -> tuple[dict[str, Any], Any, Any]:
        kwargs = dict(self.kwargs)
        dag = kwargs.get("dag") or scopes.current_dag()
        group = kwargs.get("task_group") or scopes.current_group(dag)
        kwargs["task_id"] = unique_task_id(kwargs.get("task_id") or self.function.__name__, dag, group)
        if "multiple_outputs" not in kwargs:
            kwargs["multiple_outputs"] = _returns_mapping(self.function)
        if not any(kwargs.get(name) for name in _DOC_ARGS) and self.function.__doc__:
            kwargs["doc_md"] = inspect.getdoc(self.function)
        return kwargs, dag, group

    def _mark_setup_teardown(self, operator: Any) -> None:
        if self.is_setup:
            operator.as_setup()
        if self.is_teardown:
            operator.as_teardown(on_failure_fail_dagrun=self.on_failure_fail_dagrun)

    def override(self, **kwargs: Any) -> TaskDecorator:
        """A copy with some operator arguments changed (task_id, retries, trigger_rule, ...)."""
        copy = TaskDecorator(self.function, self.kind, {**self.kwargs, **kwargs})
        copy.is_setup, copy.is_teardown = self.is_setup, self.is_teardown
        copy.on_failure_fail_dagrun = self.on_failure_fail_dagrun
        return copy

    def partial(self, **kwargs: Any) -> DecoratedPartial:
        """Fix the function arguments every mapped instance shares; then call `.expand(...)`."""
        return DecoratedPartial(self, kwargs)

    def expand(self, **mapped: Any) -> XComArg:
        """One task instance per element of the mapped arguments (a cross product for several)."""
        return DecoratedPartial(self, {}).expand(**mapped)

    def expand_kwargs(self, kwargs: Any) -> XComArg:
        """One task instance per dict of function arguments."""
        return DecoratedPartial(self, {}).expand_kwargs(kwargs)


class DecoratedPartial:
    """A TaskFlow function with some arguments fixed, waiting for `.expand()`."""

    def __init__(self, decorator: TaskDecorator, kwargs: dict[str, Any]) -> None:
        self.decorator = decorator
        for name in kwargs:
            _check_not_context_key(name, decorator.function, "partial")
        self.kwargs = kwargs

    def _partial(self) -> OperatorPartial:
        operator_kwargs, _dag, _group = self.decorator._operator_kwargs()
        fields = {"python_callable": self.decorator.function, "op_args": [], "op_kwargs": dict(self.kwargs)}
        return OperatorPartial(
            decorated_class(self.decorator.kind), {**operator_kwargs, **fields}, mapped_field="op_kwargs"
        )

    def expand(self, **mapped: Any) -> XComArg:
        """Create the mapped task."""
        for name in mapped:
            _check_not_context_key(name, self.decorator.function, "expand")
            _check_is_parameter(name, self.decorator.function)
        return XComArg(self._partial().expand(**mapped))

    def expand_kwargs(self, kwargs: Any) -> XComArg:
        """Create the mapped task, one instance per dict."""
        return XComArg(self._partial().expand_kwargs(kwargs))


def _returns_mapping(function: Any) -> bool:
    try:
        annotation = typing.get_type_hints(function).get("return")
    except Exception:  # unresolvable forward references: no inference, as in Airflow
        return False
    origin = typing.get_origin(annotation) or annotation
    return isinstance(origin, type) and issubclass(origin, collections.abc.Mapping)


def _check_signature(function: Any, args: tuple[Any, ...], kwargs: dict[str, Any], task_id: str) -> None:
    signature = inspect.signature(function)
    for param in signature.parameters.values():
        if param.name in KNOWN_CONTEXT_KEYS and param.default not in (None, param.empty):
            raise ValueError(
                f"task {task_id!r}: parameter {param.name!r} is a context key, so its default must be None "
                f"(it receives the running task's {param.name!r}), not {param.default!r}"
            )
    try:
        bound = signature.bind_partial(*args, **kwargs)
    except TypeError as exc:
        raise TypeError(f"task {task_id!r}: {exc}") from None
    missing = [
        p.name
        for p in signature.parameters.values()
        if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        and p.name not in bound.arguments and p.name not in KNOWN_CONTEXT_KEYS
    ]
    if missing:
        raise TypeError(f"task {task_id!r}: missing argument(s) {', '.join(map(repr, missing))} for {function.__name__}()")


def _check_not_context_key(name: str, function: Any, method: str) -> None:
    if name in KNOWN_CONTEXT_KEYS:
        raise ValueError(
            f"{function.__name__}.{method}(): {name!r} is a context key; it is filled from the running task "
            "and cannot be given or mapped"
        )


def _check_is_parameter(name: str, function: Any) -> None:
    params = inspect.signature(function).parameters
    if name not in params and not any(p.kind == p.VAR_KEYWORD for p in params.values()):
        raise TypeError(f"{function.__name__}.expand(): the function has no parameter {name!r}")
