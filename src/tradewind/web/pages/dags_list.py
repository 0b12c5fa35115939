"""The DAG list (/home): search, tag and status filters, the pause toggle, the trigger form."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tradewind.errors import TradewindError
from tradewind.store.views import actions, dag_list, dag_pages
from tradewind.web.auth import form_of, requires, user_of
from tradewind.web.context import ctx_of
from tradewind.sdk.params import parse_conf
from tradewind.web.triggering import trigger_run
from tradewind.web.wake import wake_scheduler

PAGE_SIZE = 25


def _filter(request: Request) -> dag_list.DagListFilter:
    q = request.query_params
    page = max(int(q.get("page", "1") or 1), 1) if (q.get("page") or "1").isdigit() else 1
    status = q.get("status", "all")
    return dag_list.DagListFilter(search=q.get("search", "").strip(), tags=[t for t in q.getlist("tags") if t],
                                  status=status if status in ("all", "active", "paused") else "all",
                                  limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)


@requires("read")
def home(request: Request) -> Response:
    """The DAG list with import errors at the top."""
    ctx = ctx_of(request)
    flt = _filter(request)
    with ctx.db.read() as conn:
        dags = dag_list.list_dags(conn, flt)
        counts = dag_list.status_counts(conn, flt)
        tags = dag_list.all_tags(conn)
        errors = dag_list.import_errors(conn)
    total = counts[flt.status]
    page = flt.offset // PAGE_SIZE + 1
    return ctx.renderer.render(request, "dags_list.html", dags=dags, counts=counts, all_tags=tags, flt=flt,
                               import_errors=errors, page=page, pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
                               total=total, page_size=PAGE_SIZE)


@requires("pause")
def toggle_paused(request: Request) -> Response:
    """Switch a DAG on or off (form field is_paused = true/false)."""
    ctx = ctx_of(request)
    dag_id = request.path_params["dag_id"]
    is_paused = str(form_of(request).get("is_paused", "true")).lower() == "true"
    now = ctx.clock.now()
    with ctx.db.write() as conn:
        found = actions.set_paused(conn, dag_id, is_paused)
        if found:
            actions.append_log(conn, at=now, event="paused" if is_paused else "unpaused", owner=user_of(request)["username"],
                               dag_id=dag_id, extra=json.dumps({"is_paused": is_paused}))
    if not found:
        return JSONResponse({"detail": f"DAG {dag_id!r} not found"}, status_code=404)
    wake_scheduler(request)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"dag_id": dag_id, "is_paused": is_paused})
    return RedirectResponse(request.headers.get("referer") or "/home", status_code=303)


def _trigger_context(dag: Any) -> dict[str, Any]:
    params = dag.data.get("params") or {}
    defaults = {k: v.get("default") for k, v in params.items() if "default" in v}
    return {"params": params, "default_conf": json.dumps(defaults, indent=2, default=str)}


@requires("trigger")
def trigger(request: Request) -> Response:
    """GET: the trigger form (Params with descriptions, conf JSON); POST: create the run."""
    ctx = ctx_of(request)
    dag_id = request.path_params["dag_id"]
    with ctx.db.read() as conn:
        dag = dag_pages.latest_serialized(conn, dag_id)
    if dag is None:
        return ctx.renderer.render(request, "error.html", 404, title="DAG not found", message=f"No DAG {dag_id!r}.")
    if request.method == "GET":
        return ctx.renderer.render(request, "trigger.html", dag=dag, error=None, conf_text=None, **_trigger_context(dag))
    form = form_of(request)
    conf_text = str(form.get("conf", ""))
    now = ctx.clock.now()
    try:
        conf = parse_conf(conf_text)
        with ctx.db.write() as conn:
            run_id = trigger_run(conn, dag, conf=conf, now=now, run_id=(str(form.get("run_id", "")).strip() or None))
            actions.append_log(conn, at=now, event="trigger", owner=user_of(request)["username"], dag_id=dag_id,
                               run_id=run_id, extra=json.dumps({"conf": conf}))
    except TradewindError as exc:
        return ctx.renderer.render(request, "trigger.html", 400, dag=dag, error=str(exc), conf_text=conf_text,
                                   **_trigger_context(dag))
    wake_scheduler(request)
    origin = str(form.get("origin", "")) or f"/dags/{dag_id}/grid"
    return RedirectResponse(origin if origin.startswith("/") else "/home", status_code=303)


async def root(request: Request) -> Response:
    """`/` goes to the DAG list, as in Airflow."""
    return RedirectResponse("/home", status_code=307)


ROUTES = [
    Route("/", root),
    Route("/home", home),
    Route("/dags/{dag_id}/paused", toggle_paused, methods=["POST"]),
    Route("/dags/{dag_id}/trigger", trigger, methods=["GET", "POST"]),
]
