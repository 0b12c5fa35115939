"""One task instance: details, rendered template fields, XComs, tries, the live log and its download."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tradewind.logs.paths import task_log_path
from tradewind.store.views import dag_pages, task_pages
from tradewind.web.auth import requires
from tradewind.web.context import ctx_of
from tradewind.web.pages.dag_common import load, not_found, render_dag_page

LOG_CHUNK = 256 * 1024
FINISHED = ("success", "failed", "skipped", "upstream_failed", "removed")


def ti_key(request: Request) -> tuple[str, str, str, int]:
    """(dag_id, run_id, task_id, map_index) of the addressed task instance."""
    p, q = request.path_params, request.query_params
    raw = q.get("map_index", "-1")
    return p["dag_id"], p["run_id"], p["task_id"], int(raw) if raw.lstrip("-").isdigit() else -1


def _try_number(request: Request, ti: dict[str, Any]) -> int:
    raw = request.query_params.get("try_number", "")
    return int(raw) if raw.isdigit() else max(ti["try_number"], 1)


@requires("read")
def task_instance(request: Request) -> Response:
    """The task instance page: attributes, rendered fields, XComs, the log of the chosen try, actions."""
    ctx = ctx_of(request)
    dag_id, run_id, task_id, map_index = ti_key(request)
    with ctx.db.read() as conn:
        page = load(conn, dag_id)
        if page is None:
            return not_found(request, dag_id)
        run = dag_pages.get_run(conn, dag_id, run_id)
        ti = task_pages.get_task_instance(conn, dag_id, run_id, task_id, map_index)
        if ti is None and map_index == -1:
            indexes = task_pages.mapped_indexes(conn, dag_id, run_id, task_id)
            if indexes:
                ti = task_pages.get_task_instance(conn, dag_id, run_id, task_id, indexes[0]["map_index"])
        if ti is None or run is None:
            return ctx.renderer.render(request, "error.html", 404, title="Task instance not found",
                                       message=f"DAG {dag_id!r} run {run_id!r} has no task {task_id!r}.")
        mapped = task_pages.mapped_indexes(conn, dag_id, run_id, task_id)
        xcoms = task_pages.xcoms_for(conn, dag_id, run_id, task_id, ti["map_index"])
        history = task_pages.tries(conn, dag_id, run_id, task_id, ti["map_index"])
    task = page.dag.tasks.get(task_id)
    rendered = ti.get("rendered_fields") or {}
    template_fields = (task.get("template_fields") if task else None) or list(rendered)
    return render_dag_page(request, page, "task_instance.html", "grid", run=run, ti=ti, task=task,
                           xcoms=xcoms, history=history, mapped=mapped if len(mapped) > 1 else [],
                           rendered=[(f, rendered.get(f)) for f in template_fields],
                           try_number=_try_number(request, ti), tries=list(range(1, max(ti["try_number"], 1) + 1)),
                           is_finished=ti["state"] in FINISHED)


def _log_file(request: Request) -> tuple[Any, dict[str, Any] | None, int]:
    ctx = ctx_of(request)
    dag_id, run_id, task_id, map_index = ti_key(request)
    with ctx.db.read() as conn:
        ti = task_pages.get_task_instance(conn, dag_id, run_id, task_id, map_index)
    if ti is None:
        return None, None, 0
    try_number = _try_number(request, ti)
    return task_log_path(ctx.settings, dag_id, run_id, task_id, map_index, try_number), ti, try_number


@requires("read")
def log_chunk(request: Request) -> Response:
    """Log text from a byte offset on, and whether more can come (the try is still running)."""
    path, ti, try_number = _log_file(request)
    if ti is None:
        return JSONResponse({"detail": "task instance not found"}, status_code=404)
    raw = request.query_params.get("offset", "0")
    offset = int(raw) if raw.isdigit() else 0
    text, new_offset = "", offset
    if path.exists():
        with open(path, "rb") as fh:
            fh.seek(offset)
            data = fh.read(LOG_CHUNK)
        text, new_offset = data.decode("utf-8", errors="replace"), offset + len(data)
    live = try_number == ti["try_number"] and ti["state"] not in FINISHED
    return JSONResponse({"text": text, "offset": new_offset, "live": live, "exists": path.exists(),
                         "state": ti["state"], "try_number": try_number})


@requires("read")
def log_download(request: Request) -> Response:
    """The whole log of one try as a text file."""
    path, ti, try_number = _log_file(request)
    if ti is None or not path.exists():
        return PlainTextResponse("No log for this try.", status_code=404)
    name = f"{ti['dag_id']}__{ti['run_id']}__{ti['task_id']}__{try_number}.log".replace(":", "_").replace("/", "_")
    return PlainTextResponse(path.read_text(errors="replace"),
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


ROUTES = [
    Route("/dags/{dag_id}/runs/{run_id:path}/tasks/{task_id}", task_instance),
    Route("/dags/{dag_id}/runs/{run_id:path}/tasks/{task_id}/log.json", log_chunk),
    Route("/dags/{dag_id}/runs/{run_id:path}/tasks/{task_id}/log/download", log_download),
]
