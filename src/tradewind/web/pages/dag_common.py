"""What every per-DAG page loads: the dag row and its serialized form, or a 404 page."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from tradewind.store.views import dag_pages
from tradewind.web.context import ctx_of

DAG_TABS = (("grid", "Grid"), ("graph", "Graph"), ("gantt", "Gantt"), ("duration", "Task Duration"),
            ("landing-times", "Landing Times"), ("calendar", "Calendar"), ("code", "Code"), ("details", "Details"))


class DagPage:
    """A DAG's row and serialized form, loaded in one read transaction by `load`."""

    def __init__(self, row: dict[str, Any], dag: Any) -> None:
        self.row = row
        self.dag = dag

    @property
    def dag_id(self) -> str:
        return self.row["dag_id"]


def load(conn: Any, dag_id: str) -> DagPage | None:
    """The DAG's page data, or None when it is unknown or was never parsed."""
    row = dag_pages.get_dag(conn, dag_id)
    dag = dag_pages.latest_serialized(conn, dag_id) if row else None
    return DagPage(row, dag) if row and dag else None


def not_found(request: Request, dag_id: str) -> Response:
    """The page shown for an unknown DAG id."""
    return ctx_of(request).renderer.render(request, "error.html", 404, title="DAG not found",
                                           message=f"No DAG {dag_id!r}: check the DAG list and the import errors.")


def render_dag_page(request: Request, page: DagPage, template: str, tab: str, **context: Any) -> Response:
    """A per-DAG template with the header and the tab bar filled in."""
    return ctx_of(request).renderer.render(request, template, dag_row=page.row, dag=page.dag, tab=tab,
                                           dag_tabs=DAG_TABS, **context)


def selected_run(runs: list[dict[str, Any]], run_id: str | None) -> dict[str, Any] | None:
    """The run the page is about: the one asked for, else the latest."""
    if run_id:
        return next((r for r in runs if r["run_id"] == run_id), None)
    return runs[-1] if runs else None
