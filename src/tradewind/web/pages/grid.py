"""The Grid view (runs x tasks, with the task tree) and its live JSON of states."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tradewind.store.views import dag_pages
from tradewind.web.auth import requires
from tradewind.web.context import ctx_of
from tradewind.web.formatting import run_duration_s
from tradewind.web.pages.dag_common import load, not_found, render_dag_page, selected_run
from tradewind.web.task_tree import cell_states, row_state, tree_rows

RUNS_SHOWN = (25, 50, 100, 365)
FINISHED_RUN_STATES = ("success", "failed")


def _num_runs(request: Request) -> int:
    raw = request.query_params.get("num_runs", "25")
    return int(raw) if raw.isdigit() and int(raw) in RUNS_SHOWN else 25


@requires("read")
def grid(request: Request) -> Response:
    """Runs as columns (a duration bar each), the task tree as rows, a state square per cell."""
    ctx = ctx_of(request)
    dag_id = request.path_params["dag_id"]
    q = request.query_params
    with ctx.db.read() as conn:
        page = load(conn, dag_id)
        if page is None:
            return not_found(request, dag_id)
        runs = dag_pages.recent_runs(conn, dag_id, limit=_num_runs(request), state=q.get("run_state") or None,
                                     run_type=q.get("run_type") or None)
        tis = dag_pages.task_instances_for_runs(conn, dag_id, [r["run_id"] for r in runs])
        summary = dag_pages.run_state_summary(conn, dag_id)
    rows = tree_rows(page.dag)
    cells = cell_states(tis)
    states = {(row.id, r["run_id"]): row_state(row, r["run_id"], cells) for row in rows for r in runs}
    durations = [run_duration_s(r) or 0 for r in runs]
    run = selected_run(runs, q.get("run_id"))
    return render_dag_page(request, page, "grid.html", "grid", runs=runs, rows=rows, states=states,
                           max_duration=max(durations, default=0) or 1, durations=durations, run=run,
                           summary=summary, num_runs=_num_runs(request), runs_shown=RUNS_SHOWN,
                           live=any(r["state"] not in FINISHED_RUN_STATES for r in runs))


@requires("read")
def grid_json(request: Request) -> Response:
    """The states of the latest runs and their cells, for the Grid's live update."""
    ctx = ctx_of(request)
    dag_id = request.path_params["dag_id"]
    with ctx.db.read() as conn:
        page = load(conn, dag_id)
        if page is None:
            return JSONResponse({"detail": f"DAG {dag_id!r} not found"}, status_code=404)
        runs = dag_pages.recent_runs(conn, dag_id, limit=_num_runs(request))
        tis = dag_pages.task_instances_for_runs(conn, dag_id, [r["run_id"] for r in runs])
    rows = tree_rows(page.dag)
    cells = cell_states(tis)
    return JSONResponse({
        "runs": [{"run_id": r["run_id"], "state": r["state"]} for r in runs],
        "cells": {r["run_id"]: {row.id: row_state(row, r["run_id"], cells) for row in rows} for r in runs},
    })


async def dag_root(request: Request) -> Response:
    """/dags/{dag_id} and the old Tree view address go to the Grid."""
    return RedirectResponse(f"/dags/{request.path_params['dag_id']}/grid", status_code=307)


ROUTES = [
    Route("/dags/{dag_id}/grid", grid),
    Route("/dags/{dag_id}/grid.json", grid_json),
    Route("/dags/{dag_id}", dag_root),
    Route("/dags/{dag_id}/tree", dag_root),
]
