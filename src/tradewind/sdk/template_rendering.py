"""Rendering of an operator's templated fields with a Jinja environment the task runner passes in.

The sdk never imports jinja2: the runner builds the environment (sandboxed, StrictUndefined, the
DAG's search path, native or not) and hands it to `render_template_fields`.
"""

from __future__ import annotations

from typing import Any


class ResolveMixin:
    """A value known only at run time (an XComArg, a @dag param placeholder): `resolve(context)` gives it."""

    def resolve(self, context: Any) -> Any:
        """The value for the running task whose context is `context`."""
        raise NotImplementedError

    def iter_references(self) -> list[tuple[Any, str]]:
        """The (operator, xcom key) pairs this value reads, for dependency linking."""
        return []


class LiteralValue(ResolveMixin):
    """A value that must not be rendered even though it sits in a templated field (`literal(...)`)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def resolve(self, context: Any) -> Any:
        return self.value


def literal(value: Any) -> LiteralValue:
    """Wrap `value` so that templating leaves it exactly as it is."""
    return LiteralValue(value)


def render_template_fields(owner: Any, context: Any, jinja_env: Any, seen: set[int] | None = None) -> None:
    """Render, in place, every attribute of `owner` named in its `template_fields`; falsy values stay."""
    seen = set() if seen is None else seen
    seen.add(id(owner))
    for field in getattr(owner, "template_fields", ()):
        try:
            value = getattr(owner, field)
        except AttributeError:
            raise AttributeError(
                f"{type(owner).__name__!s} lists {field!r} in template_fields but has no such attribute"
            ) from None
        if not value:
            continue
        setattr(owner, field, render_template(owner, value, context, jinja_env, seen))


def render_template(owner: Any, content: Any, context: Any, jinja_env: Any, seen: set[int] | None = None) -> Any:
    """Render `content` recursively through str, list, tuple, dict, set and templated objects."""
    seen = set() if seen is None else seen
    if isinstance(content, str):
        return _render_string(owner, content, context, jinja_env)
    if isinstance(content, ResolveMixin):
        return content.resolve(context)
    if isinstance(content, tuple):
        items = [render_template(owner, v, context, jinja_env, seen) for v in content]
        return type(content)(*items) if hasattr(content, "_fields") else tuple(items)
    if isinstance(content, list):
        return [render_template(owner, v, context, jinja_env, seen) for v in content]
    if isinstance(content, dict):
        return {k: render_template(owner, v, context, jinja_env, seen) for k, v in content.items()}
    if isinstance(content, (set, frozenset)):
        return type(content)(render_template(owner, v, context, jinja_env, seen) for v in content)
    if getattr(content, "template_fields", None) and id(content) not in seen:
        render_template_fields(content, context, jinja_env, seen)
    return content


def _render_string(owner: Any, content: str, context: Any, jinja_env: Any) -> Any:
    if jinja_env is None:
        raise ValueError(f"cannot render {content!r} without a Jinja environment")
    extensions = tuple(getattr(owner, "template_ext", ()) or ())
    if extensions and content.endswith(extensions):
        template = jinja_env.get_template(content)
    else:
        template = jinja_env.from_string(content)
    return template.render(**dict(context))
