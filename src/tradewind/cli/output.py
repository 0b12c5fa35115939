"""Print rows as Airflow's CLI does: a table, JSON, YAML or plain tab-separated text."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Sequence


def _cell(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str)
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def render_rows(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> str:
    """Rows (dicts with the same keys) in the chosen format."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        return json.dumps([{c: _jsonable(r.get(c)) for c in columns} for r in rows], default=str)
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump([{c: _jsonable(r.get(c)) for c in columns} for r in rows], sort_keys=False).rstrip()
    if fmt == "plain":
        return "\n".join("\t".join(_cell(r.get(c)) for c in columns) for r in rows)
    if not rows:
        return "No data found"
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    line = lambda values: " | ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()  # noqa: E731
    out = [line(columns), "=+=".join("=" * w for w in widths)]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def print_rows(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None) -> None:
    print(render_rows(rows, fmt, columns))
