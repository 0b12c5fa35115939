"""The Jinja environment task templates render in: sandboxed, StrictUndefined, `do`, Airflow's filters.

Jinja2 is imported here only (and in web/), so that importing a DAG file never pays for it.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import jinja2
import jinja2.nativetypes
import jinja2.sandbox
from jinja2.sandbox import is_internal_attribute


class _AllowSingleUnderscore:
    """Airflow lets templates read `_private` attributes; only `__dunder__` names stay blocked."""

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return not (attr.startswith("__") or is_internal_attribute(obj, attr))


class SandboxedEnvironment(_AllowSingleUnderscore, jinja2.sandbox.SandboxedEnvironment):
    """The default environment: rendering gives strings."""


class NativeSandboxedEnvironment(_AllowSingleUnderscore, jinja2.sandbox.SandboxedEnvironment):
    """The environment of `render_template_as_native_obj=True`: rendering keeps Python types."""

    code_generator_class = jinja2.nativetypes.NativeCodeGenerator
    concat = staticmethod(jinja2.nativetypes.native_concat)  # type: ignore[assignment]
    template_class = jinja2.nativetypes.NativeTemplate


def ds(value: datetime | None) -> str | None:
    """YYYY-MM-DD of a datetime."""
    return value.strftime("%Y-%m-%d") if value is not None else None


def ds_nodash(value: datetime | None) -> str | None:
    """YYYYMMDD of a datetime."""
    return value.strftime("%Y%m%d") if value is not None else None


def ts(value: datetime | None) -> str | None:
    """ISO 8601 of a datetime."""
    return value.isoformat() if value is not None else None


def ts_nodash(value: datetime | None) -> str | None:
    """YYYYMMDDTHHMMSS of a datetime."""
    return value.strftime("%Y%m%dT%H%M%S") if value is not None else None


def ts_nodash_with_tz(value: datetime | None) -> str | None:
    """ISO 8601 without dashes and colons: 20260102T000000+0000."""
    return value.isoformat().replace("-", "").replace(":", "") if value is not None else None


FILTERS = {"ds": ds, "ds_nodash": ds_nodash, "ts": ts, "ts_nodash": ts_nodash, "ts_nodash_with_tz": ts_nodash_with_tz}


def search_path(dag: Any) -> list[str]:
    """Folders templates are looked up in: the DAG file's folder, then the DAG's template_searchpath."""
    folders: list[str] = []
    fileloc = getattr(dag, "fileloc", None)
    if fileloc:
        folders.append(os.path.dirname(os.path.abspath(fileloc)))
    extra = getattr(dag, "template_searchpath", None) or []
    folders.extend([extra] if isinstance(extra, str) else list(extra))
    return folders


def build_jinja_env(dag: Any, *, native: bool | None = None) -> jinja2.Environment:
    """The environment for a task of `dag`; `native` overrides the DAG's render_template_as_native_obj."""
    if native is None:
        native = bool(getattr(dag, "render_template_as_native_obj", False))
    options: dict[str, Any] = {
        "loader": jinja2.FileSystemLoader(search_path(dag)),
        "undefined": getattr(dag, "template_undefined", None) or jinja2.StrictUndefined,
        "extensions": ["jinja2.ext.do"],
        "cache_size": 0,
    }
    user_options = dict(getattr(dag, "jinja_environment_kwargs", None) or {})
    user_options["extensions"] = list(dict.fromkeys([*options["extensions"], *user_options.get("extensions", [])]))
    options.update(user_options)
    env_class = NativeSandboxedEnvironment if native else SandboxedEnvironment
    env = env_class(**options)
    env.filters.update(FILTERS)
    env.filters.update(_mapping(getattr(dag, "user_defined_filters", None)))
    env.globals.update(_mapping(getattr(dag, "user_defined_macros", None)))
    return env


_ENVS: weakref.WeakKeyDictionary[Any, dict[bool | None, jinja2.Environment]] = weakref.WeakKeyDictionary()


def jinja_env_for(dag: Any, *, native: bool | None = None) -> jinja2.Environment:
    """`build_jinja_env`, built once per DAG object and kept while the DAG lives.

    A local-executor worker builds it when it loads the DAG file, so that its forked task processes
    inherit it instead of each building its own.
    """
    try:
        by_native = _ENVS.setdefault(dag, {})
    except TypeError:  # a DAG object that cannot be weakly referenced or hashed: build it each time
        return build_jinja_env(dag, native=native)
    env = by_native.get(native)
    if env is None:
        env = by_native[native] = build_jinja_env(dag, native=native)
    return env


def render_string(env: jinja2.Environment, source: str, context: Mapping[str, Any]) -> Any:
    """Render one template string with the context (used for map_index_template)."""
    return env.from_string(source).render(**dict(context))


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}
