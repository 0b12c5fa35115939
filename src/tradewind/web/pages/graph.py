"""The Graph view: the layered SVG of the DAG for one run, folding groups, and its live state JSON."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tradewind.store.views import dag_pages
from tradewind.web.auth import requires
from tradewind.web.context import ctx_of
from tradewind.web.graph_svg import dag_layout, group_state, render_graph_svg
from tradewind.web.pages.dag_common import load, not_found, render_dag_page, selected_run

RUN_CHOICES = 25


def _expanded(request: Request) -> list[str]:
    return [g for g in request.query_params.get("expanded", "").split(",") if g]


def _task_states(conn: Any, dag_id: str, run_id: str | None) -> dict[str, str | None]:
    if not run_id:
        return {}
    by_task: dict[str, list[str | None]] = {}
    for ti in dag_pages.task_instances_for_runs(conn, dag_id, [run_id]):
        by_task.setdefault(ti["task_id"], []).append(ti["state"])
    return {t: (s[0] if len(s) == 1 else group_state(s)) for t, s in by_task.items()}


@requires("read")
def graph(request: Request) -> Response:
    """The DAG drawn for the chosen run (latest by default), updating while the run is unfinished."""
    ctx = ctx_of(request)
    dag_id = request.path_params["dag_id"]
    with ctx.db.read() as conn:
        page = load(conn, dag_id)
        if page is None:
            return not_found(request, dag_id)
        runs = dag_pages.recent_runs(conn, dag_id, limit=RUN_CHOICES)
        run = selected_run(runs, request.query_params.get("run_id"))
        states = _task_states(conn, dag_id, run["run_id"] if run else None)
    expanded = _expanded(request)
    svg = render_graph_svg(page.dag, dag_layout(page.dag, expanded), states)
    return render_dag_page(request, page, "graph.html", "graph", runs=runs[::-1], run=run, svg=svg,
                           expanded=",".join(expanded), task_count=len(page.dag.tasks))


@requires("read")
def graph_svg(request: Request) -> Response:
    """Only the SVG, for folding and unfolding groups without reloading the page."""
    ctx = ctx_of(request)
    dag_id = request.path_params["dag_id"]
    with ctx.db.read() as conn:
        page = load(conn, dag_id)
        if page is None:
            return Response(status_code=404)
        states = _task_states(conn, dag_id, request.query_params.get("run_id"))
    svg = render_graph_svg(page.dag, dag_layout(page.dag, _expanded(request)), states)
    return Response(svg, media_type="image/svg+xml")


@requires("read")
def graph_states(request: Request) -> Response:
    """The run's state and each task's state, for the live Graph."""
    ctx = ctx_of(request)
    dag_id = request.path_params["dag_id"]
    run_id = request.query_params.get("run_id")
    with ctx.db.read() as conn:
        run = dag_pages.get_run(conn, dag_id, run_id) if run_id else None
        states = _task_states(conn, dag_id, run_id)
    if run is None:
        return JSONResponse({"detail": f"DAG {dag_id!r} has no run {run_id!r}"}, status_code=404)
    return JSONResponse({"run_id": run_id, "run_state": run["state"], "tasks": states})


ROUTES = [
    Route("/dags/{dag_id}/graph", graph),
    Route("/dags/{dag_id}/graph.svg", graph_svg),
    Route("/dags/{dag_id}/graph/states.json", graph_states),
]
