"""The Browse menu: DAG runs, task instances, XComs, import errors and the audit log, filterable lists."""

from __future__ import annotations

from typing import Any, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tradewind.store.views import browse
from tradewind.web.auth import requires
from tradewind.web.context import ctx_of

PAGE_SIZE = 50


def _list_page(request: Request, *, title: str, query: Callable[..., tuple[list[dict[str, Any]], int]],
               filters: tuple[str, ...], columns: list[tuple[str, str, str]]) -> Response:
    ctx = ctx_of(request)
    q = request.query_params
    page = int(q["page"]) if q.get("page", "").isdigit() and int(q["page"]) > 0 else 1
    chosen = {f: q.get(f, "").strip() for f in filters}
    with ctx.db.read() as conn:
        rows, total = query(conn, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, **{k: v for k, v in chosen.items() if v})
    return ctx.renderer.render(request, "list.html", title=title, rows=rows, total=total, columns=columns,
                               filters=chosen, page=page, pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
                               page_size=PAGE_SIZE)


@requires("read")
def dag_runs(request: Request) -> Response:
    """Every DAG run, newest first."""
    return _list_page(request, title="DAG Runs", query=browse.list_dag_runs, filters=("dag_id", "state", "run_type"),
                      columns=[("state", "State", "state"), ("dag_id", "DAG", "dag_link"), ("run_id", "Run Id", "run_link"),
                               ("run_type", "Run Type", "text"), ("logical_date", "Logical Date", "dt"),
                               ("start_date", "Start Date", "dt"), ("end_date", "End Date", "dt"),
                               ("conf", "Conf", "json")])


@requires("read")
def task_instances(request: Request) -> Response:
    """Every task instance, newest first, filterable by DAG, run, task and state."""
    return _list_page(request, title="Task Instances", query=browse.list_task_instances,
                      filters=("dag_id", "run_id", "task_id", "state"),
                      columns=[("state", "State", "state"), ("dag_id", "DAG", "dag_link"), ("task_id", "Task Id", "ti_link"),
                               ("run_id", "Run Id", "run_link"), ("map_index", "Map Index", "text"),
                               ("try_number", "Try Number", "text"), ("operator", "Operator", "text"),
                               ("start_date", "Start Date", "dt"), ("end_date", "End Date", "dt"),
                               ("duration", "Duration", "duration"), ("pool", "Pool", "text"), ("hostname", "Hostname", "text")])


@requires("read")
def xcoms(request: Request) -> Response:
    """Every XCom, newest first."""
    return _list_page(request, title="XComs", query=browse.list_xcoms, filters=("dag_id", "run_id", "task_id", "key"),
                      columns=[("key", "Key", "text"), ("value", "Value", "json"), ("timestamp", "Timestamp", "dt"),
                               ("dag_id", "DAG", "dag_link"), ("task_id", "Task Id", "ti_link"), ("run_id", "Run Id", "run_link"),
                               ("map_index", "Map Index", "text")])


@requires("read_action_log")
def action_log(request: Request) -> Response:
    """The audit log: who did what, when."""
    return _list_page(request, title="Audit Log", query=browse.list_action_log, filters=("dag_id", "event", "owner"),
                      columns=[("dttm", "Time", "dt"), ("event", "Event", "text"), ("owner", "Owner", "text"),
                               ("dag_id", "DAG", "dag_link"), ("task_id", "Task Id", "text"), ("run_id", "Run Id", "text"),
                               ("extra", "Extra", "pre")])


@requires("read")
def import_errors(request: Request) -> Response:
    """Every DAG file that failed to import, with its error."""
    ctx = ctx_of(request)
    with ctx.db.read() as conn:
        rows = browse.list_import_errors(conn)
    return ctx.renderer.render(request, "list.html", title="Import Errors", rows=rows, total=len(rows), filters={},
                               columns=[("timestamp", "Timestamp", "dt"), ("filename", "File", "text"),
                                        ("stack_trace", "Error", "pre")], page=1, pages=1, page_size=len(rows))


ROUTES = [
    Route("/dagrun/list/", dag_runs),
    Route("/taskinstance/list/", task_instances),
    Route("/xcom/list/", xcoms),
    Route("/log/list/", action_log),
    Route("/importerror/list/", import_errors),
]
