"""`XComArg`: a reference to a task's XCom, usable as an argument, a dependency and a mapping source."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from tradewind.sdk.dependencies import DependencyMixin
from tradewind.sdk.template_rendering import ResolveMixin

RETURN_KEY = "return_value"
_NOTSET: Any = object()


class XComArg(ResolveMixin, DependencyMixin):
    """The XCom `key` of `operator`; passing it to another task adds the dependency and the value."""

    def __init__(self, operator: Any, key: str | None = RETURN_KEY) -> None:
        self.operator = operator
        self.key = key

    # -- dependencies --------------------------------------------------------------------------
    @property
    def roots(self) -> list[Any]:
        return [op for op, _ in self.iter_references()]

    @property
    def leaves(self) -> list[Any]:
        return [op for op, _ in self.iter_references()]

    def iter_references(self) -> list[tuple[Any, str]]:
        return [(self.operator, self.key or RETURN_KEY)]

    # -- values --------------------------------------------------------------------------------
    def resolve(self, context: Any) -> Any:
        """Pull the XCom through the running task instance (`context["ti"]`)."""
        return context["ti"].xcom_pull(task_ids=self.operator.task_id, key=self.key or RETURN_KEY)

    def __getitem__(self, key: Any) -> XComArg:
        """The XCom pushed under `key` (each key of a multiple_outputs task is its own XCom)."""
        return XComArg(self.operator, key=str(key))

    def __iter__(self) -> Iterator[Any]:
        raise TypeError("an XComArg is not iterable at parse time: use .map(), or pass it to a task")

    def map(self, fn: Callable[[Any], Any]) -> MapXComArg:
        """Apply `fn` to each element when the value is resolved."""
        return MapXComArg(self, [fn])

    def zip(self, *others: XComArg, fillvalue: Any = _NOTSET) -> ZipXComArg:
        """Tuples of the elements of this and `others` (shortest, or longest padded with `fillvalue`)."""
        return ZipXComArg([self, *others], fillvalue=fillvalue)

    def concat(self, *others: XComArg) -> ConcatXComArg:
        """The elements of this value followed by those of `others`."""
        return ConcatXComArg([self, *others])

    def length_spec(self) -> dict[str, Any]:
        """How a scheduler finds the length of this value without running user code."""
        return {"xcom": {"task_id": self.operator.task_id, "key": self.key or RETURN_KEY}}

    def __str__(self) -> str:
        key = f", key='{self.key}'" if self.key else ""
        return (
            f"{{{{ task_instance.xcom_pull(task_ids='{self.operator.task_id}', "
            f"dag_id='{self.operator.dag_id}'{key}) }}}}"
        )

    def __repr__(self) -> str:
        return f"XComArg({self.operator.task_id!r}, key={self.key!r})"

    # -- setup / teardown ----------------------------------------------------------------------
    def as_setup(self) -> XComArg:
        """Mark the producing task as a setup task."""
        self.operator.as_setup()
        return self

    def as_teardown(self, *, setups: Any = None, on_failure_fail_dagrun: bool | None = None) -> XComArg:
        """Mark the producing task as a teardown task."""
        self.operator.as_teardown(setups=setups, on_failure_fail_dagrun=on_failure_fail_dagrun)
        return self

    def __enter__(self) -> XComArg:
        self.operator.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.operator.__exit__(*exc)


class _CompositeXComArg(XComArg):
    """An XComArg computed from other XComArgs."""

    args: list[XComArg]

    def iter_references(self) -> list[tuple[Any, str]]:
        return [ref for arg in self.args for ref in arg.iter_references()]

    def __getitem__(self, key: Any) -> XComArg:
        raise TypeError(f"cannot take [{key!r}] of a {type(self).__name__}")

    def __str__(self) -> str:
        raise TypeError(f"a {type(self).__name__} has no template form: pass it to a task instead")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.args!r})"


class MapXComArg(_CompositeXComArg):
    """Another XComArg's elements passed through functions, lazily."""

    def __init__(self, arg: XComArg, callables: list[Callable[[Any], Any]]) -> None:
        source = arg.args[0] if isinstance(arg, MapXComArg) else arg
        before = arg.callables if isinstance(arg, MapXComArg) else []
        super().__init__(source.operator, source.key)
        self.args, self.callables = [source], [*before, *callables]

    def map(self, fn: Callable[[Any], Any]) -> MapXComArg:
        return MapXComArg(self, [fn])

    def resolve(self, context: Any) -> Any:
        return LazyMapped(self.args[0].resolve(context), self.callables)

    def length_spec(self) -> dict[str, Any]:
        return self.args[0].length_spec()


class ZipXComArg(_CompositeXComArg):
    """Tuples of the elements of several values."""

    def __init__(self, args: list[Any], *, fillvalue: Any = _NOTSET) -> None:
        super().__init__(args[0].operator, args[0].key)
        self.args, self.fillvalue = list(args), fillvalue

    def resolve(self, context: Any) -> Any:
        values = [as_sequence(a.resolve(context)) for a in self.args]
        if self.fillvalue is _NOTSET:
            return list(zip(*values))
        return list(itertools.zip_longest(*values, fillvalue=self.fillvalue))

    def length_spec(self) -> dict[str, Any]:
        return {"zip": [a.length_spec() for a in self.args], "longest": self.fillvalue is not _NOTSET}


class ConcatXComArg(_CompositeXComArg):
    """The elements of several values, one after the other."""

    def __init__(self, args: list[Any]) -> None:
        super().__init__(args[0].operator, args[0].key)
        self.args = list(args)

    def resolve(self, context: Any) -> Any:
        return [item for a in self.args for item in as_sequence(a.resolve(context))]

    def length_spec(self) -> dict[str, Any]:
        return {"concat": [a.length_spec() for a in self.args]}


class LazyMapped(Sequence[Any]):
    """A sequence whose elements pass through functions when read."""

    def __init__(self, source: Any, callables: list[Callable[[Any], Any]]) -> None:
        self._source = as_sequence(source)
        self._callables = callables

    def __len__(self) -> int:
        return len(self._source)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        value = self._source[index]
        for fn in self._callables:
            value = fn(value)
        return value

    def __repr__(self) -> str:
        return f"LazyMapped({list(self)!r})"


def as_sequence(value: Any) -> Sequence[Any]:
    """A mappable value as a sequence: a dict gives its (key, value) pairs; a scalar raises TypeError."""
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, (str, bytes)) or not (hasattr(value, "__len__") and hasattr(value, "__getitem__")):
        raise TypeError(f"cannot map over {value!r} ({type(value).__name__}): expected a list or a dict")
    return value


def iter_xcom_references(value: Any, _seen: set[int] | None = None) -> Iterator[tuple[Any, str]]:
    """The (operator, key) pairs of every XComArg inside `value`, through lists, tuples, sets and dicts."""
    if isinstance(value, ResolveMixin):
        yield from value.iter_references()
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from iter_xcom_references(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from iter_xcom_references(item)
