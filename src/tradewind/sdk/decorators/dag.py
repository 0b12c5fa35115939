"""`@dag`: a function whose call builds a DAG; its parameters become the DAG's params."""

from __future__ import annotations

import functools
import inspect
from typing import Any

from tradewind.sdk.dag import DAG
from tradewind.sdk.params import NOTSET, Param
from tradewind.sdk.template_rendering import ResolveMixin


class DagParam(ResolveMixin):
    """A @dag function's parameter inside its body: resolves to `params[name]` when a task runs."""

    def __init__(self, name: str, default: Any = NOTSET) -> None:
        self.name, self.default = name, default

    def resolve(self, context: Any) -> Any:
        params = context.get("params") or {}
        if self.name in params:
            return params[self.name]
        if self.default is NOTSET:
            raise KeyError(f"param {self.name!r} has no value in this run: pass it in the run's conf")
        return self.default.value if isinstance(self.default, Param) else self.default

    def __repr__(self) -> str:
        return f"DagParam({self.name!r})"


class DagFactory:
    """The function a `@dag` decorator wraps: calling it builds (and registers) the DAG."""

    def __init__(self, function: Any, dag_kwargs: dict[str, Any]) -> None:
        self.function, self.dag_kwargs = function, dict(dag_kwargs)
        functools.update_wrapper(self, function)

    def __call__(self, *args: Any, **kwargs: Any) -> DAG:
        dag_kwargs = dict(self.dag_kwargs)
        dag_id = dag_kwargs.pop("dag_id", None) or self.function.__name__
        if not dag_kwargs.get("doc_md") and self.function.__doc__:
            dag_kwargs["doc_md"] = inspect.getdoc(self.function)
        dag_kwargs.setdefault("full_filepath", _source_file(self.function))
        bound = inspect.signature(self.function).bind(*args, **kwargs)
        bound.apply_defaults()
        with DAG(dag_id, **dag_kwargs) as dag_obj:
            placeholders: dict[str, Any] = {}
            for name, value in bound.arguments.items():
                if value is not NOTSET:
                    dag_obj.params[name] = value
                placeholders[name] = DagParam(name, value)
            self.function(**placeholders)
        return dag_obj


def dag(dag_id: Any = "", **dag_kwargs: Any) -> Any:
    """Decorate a function that builds a DAG: `@dag`, `@dag(schedule=...)` or `@dag("my_id", ...)`."""
    if callable(dag_id):
        return DagFactory(dag_id, {})
    if dag_id:
        dag_kwargs["dag_id"] = dag_id
    return lambda function: DagFactory(function, dag_kwargs)


def _source_file(function: Any) -> str | None:
    try:
        return inspect.getsourcefile(function) or function.__code__.co_filename
    except TypeError:
        return None
