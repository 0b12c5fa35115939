"""The UI's write actions on runs and task instances: clear, mark success/failed, delete a run."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tradewind.store.views import actions, dag_pages
from tradewind.web.auth import form_of, requires, user_of
from tradewind.web.context import ctx_of
from tradewind.web.pages.dag_common import load
from tradewind.web.selection import select_tasks
from tradewind.web.wake import wake_scheduler


def _flag(form: Any, name: str) -> bool:
    return str(form.get(name, "")).lower() in ("true", "on", "1", "yes")


def _back(request: Request, message: str, fallback: str) -> Response:
    wake_scheduler(request)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"detail": message})
    target = str(form_of(request).get("origin", "")) or request.headers.get("referer") or fallback
    target = target if target.startswith("/") or target.startswith(str(request.base_url)) else fallback
    sep = "&" if "?" in target else "?"
    return RedirectResponse(f"{target.split('#')[0]}{sep}flash={quote(message)}", status_code=303)


def _missing(request: Request, what: str) -> Response:
    return JSONResponse({"detail": f"{what} not found"}, status_code=404)


def _targets(conn: Any, request: Request) -> tuple[Any, dict[str, list[str]]] | None:
    p, form = request.path_params, form_of(request)
    page = load(conn, p["dag_id"])
    run = dag_pages.get_run(conn, p["dag_id"], p["run_id"])
    if page is None or run is None or p["task_id"] not in page.dag.tasks:
        return None
    tasks = select_tasks(page.dag, p["task_id"], upstream=_flag(form, "upstream"), downstream=_flag(form, "downstream"))
    run_ids = dag_pages.runs_around(conn, p["dag_id"], run, future=_flag(form, "future"), past=_flag(form, "past"))
    return page, {r: tasks for r in run_ids}


def _record(conn: Any, request: Request, event: str, extra: dict[str, Any], task_id: str | None = None) -> None:
    p = request.path_params
    actions.append_log(conn, at=ctx_of(request).clock.now(), event=event, owner=user_of(request)["username"],
                       dag_id=p["dag_id"], run_id=p.get("run_id"), task_id=task_id or p.get("task_id"),
                       extra=json.dumps(extra, default=str))


@requires("clear")
def clear_task(request: Request) -> Response:
    """Clear a task instance, with its upstream / downstream tasks and past / future runs when asked."""
    ctx = ctx_of(request)
    now = ctx.clock.now()
    with ctx.db.write() as conn:
        found = _targets(conn, request)
        if found is None:
            return _missing(request, "task instance")
        page, targets = found
        count = actions.clear_task_instances(conn, dag_id=page.dag_id, targets=targets, now=now,
                                             only_failed=_flag(form_of(request), "only_failed"))
        _record(conn, request, "clear", {"targets": targets, "cleared": count})
    return _back(request, f"Cleared {count} task instance(s).", f"/dags/{page.dag_id}/grid")


@requires("mark")
def mark_task(request: Request) -> Response:
    """Mark a task instance (and its selected relatives) success or failed."""
    ctx = ctx_of(request)
    state = str(form_of(request).get("state", ""))
    if state not in ("success", "failed"):
        return JSONResponse({"detail": f"state {state!r}: choose success or failed"}, status_code=400)
    with ctx.db.write() as conn:
        found = _targets(conn, request)
        if found is None:
            return _missing(request, "task instance")
        page, targets = found
        count = actions.mark_task_instances(conn, dag_id=page.dag_id, targets=targets, state=state, now=ctx.clock.now())
        _record(conn, request, f"mark_{state}", {"targets": targets, "changed": count})
    return _back(request, f"Marked {count} task instance(s) {state}.", f"/dags/{page.dag_id}/grid")


@requires("clear")
def clear_run(request: Request) -> Response:
    """Clear every task instance of a run (or only the failed ones)."""
    ctx = ctx_of(request)
    p = request.path_params
    with ctx.db.write() as conn:
        page = load(conn, p["dag_id"])
        if page is None or dag_pages.get_run(conn, p["dag_id"], p["run_id"]) is None:
            return _missing(request, "run")
        count = actions.clear_task_instances(conn, dag_id=p["dag_id"], targets={p["run_id"]: page.dag.task_ids},
                                             now=ctx.clock.now(),
                                             only_failed=_flag(form_of(request), "only_failed"))
        _record(conn, request, "clear_run", {"cleared": count})
    return _back(request, f"Cleared {count} task instance(s).", f"/dags/{p['dag_id']}/grid")


@requires("mark")
def mark_run(request: Request) -> Response:
    """Mark a run success or failed, with its task instances."""
    ctx = ctx_of(request)
    p = request.path_params
    state = str(form_of(request).get("state", ""))
    if state not in ("success", "failed"):
        return JSONResponse({"detail": f"state {state!r}: choose success or failed"}, status_code=400)
    with ctx.db.write() as conn:
        if not actions.mark_run(conn, dag_id=p["dag_id"], run_id=p["run_id"], state=state, now=ctx.clock.now()):
            return _missing(request, "run")
        _record(conn, request, f"mark_run_{state}", {})
    return _back(request, f"Marked run {p['run_id']} {state}.", f"/dags/{p['dag_id']}/grid")


@requires("delete_run")
def delete_run(request: Request) -> Response:
    """Delete a run with its task instances and XComs."""
    ctx = ctx_of(request)
    p = request.path_params
    with ctx.db.write() as conn:
        if not actions.delete_run(conn, dag_id=p["dag_id"], run_id=p["run_id"]):
            return _missing(request, "run")
        _record(conn, request, "delete_run", {})
    return RedirectResponse(f"/dags/{p['dag_id']}/grid?flash={quote('Deleted run ' + p['run_id'])}", status_code=303)


@requires("read")
def run_page(request: Request) -> Response:
    """A run's address shows it selected in the Grid."""
    p = request.path_params
    return RedirectResponse(f"/dags/{p['dag_id']}/grid?run_id={quote(p['run_id'])}", status_code=303)


ROUTES = [
    Route("/dags/{dag_id}/runs/{run_id:path}/tasks/{task_id}/clear", clear_task, methods=["POST"]),
    Route("/dags/{dag_id}/runs/{run_id:path}/tasks/{task_id}/mark", mark_task, methods=["POST"]),
    Route("/dags/{dag_id}/runs/{run_id:path}/clear", clear_run, methods=["POST"]),
    Route("/dags/{dag_id}/runs/{run_id:path}/mark", mark_run, methods=["POST"]),
    Route("/dags/{dag_id}/runs/{run_id:path}/delete", delete_run, methods=["POST"]),
]
RUN_ROUTES = [Route("/dags/{dag_id}/runs/{run_id:path}", run_page)]
