"""Choose which context values and op_kwargs a python callable receives, by its signature."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def determine_kwargs(
    python_callable: Callable[..., Any], op_args: Sequence[Any], kwargs: Mapping[str, Any]
) -> dict[str, Any]:
    """Return the keyword arguments to pass: all of `kwargs` with **kwargs, else only named parameters.

    A parameter that receives a positional value from `op_args` must not also be a key of
    `kwargs` (for example a context key such as `ds`): that is ambiguous, so it raises ValueError.
    """
    signature = inspect.signature(python_callable)
    params = list(signature.parameters.values())
    for param in params[: len(op_args)]:
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD, param.KEYWORD_ONLY):
            break
        if param.name in kwargs:
            raise ValueError(
                f"The parameter {param.name!r} of {_name(python_callable)} gets a positional value from "
                f"op_args and is also a context key or op_kwargs key; rename the parameter or pass it by keyword"
            )
    if any(p.kind == p.VAR_KEYWORD for p in params):
        return dict(kwargs)
    positional_names = {p.name for p in params[: len(op_args)] if p.kind != p.VAR_POSITIONAL}
    return {
        p.name: kwargs[p.name]
        for p in params
        if p.name in kwargs and p.name not in positional_names and p.kind != p.VAR_POSITIONAL
    }


def _name(python_callable: Callable[..., Any]) -> str:
    return getattr(python_callable, "__qualname__", None) or repr(python_callable)
