"""Gantt of a run, Task Duration and Landing Times across runs, and the Calendar of runs."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tradewind.store.views import dag_pages
from tradewind.web import charts
from tradewind.web.auth import requires
from tradewind.web.context import ctx_of
from tradewind.web.pages.dag_common import load, not_found, render_dag_page, selected_run

RUNS_CHARTED = 25


def _bars(tis: list[dict[str, Any]], now: Any) -> list[charts.GanttBar]:
    bars = []
    for ti in tis:
        if ti["start_date"] is None:
            continue
        label = ti["task_id"] if ti["map_index"] < 0 else f'{ti["task_id"]}'
        bars.append(charts.GanttBar(label, ti["start_date"], ti["end_date"] or now, ti["state"], ti.get("queued_at"),
                                    ti["try_number"]))
    return bars


@requires("read")
def gantt(request: Request) -> Response:
    """One row per task and one bar per try of the chosen run."""
    ctx = ctx_of(request)
    dag_id = request.path_params["dag_id"]
    with ctx.db.read() as conn:
        page = load(conn, dag_id)
        if page is None:
            return not_found(request, dag_id)
        runs = dag_pages.recent_runs(conn, dag_id, limit=RUNS_CHARTED)
        run = selected_run(runs, request.query_params.get("run_id"))
        ids = [run["run_id"]] if run else []
        tis = dag_pages.task_instances_for_runs(conn, dag_id, ids) + dag_pages.history_for_runs(conn, dag_id, ids)
    svg = charts.gantt_svg(page.dag.task_ids, _bars(tis, ctx.clock.now()))
    return render_dag_page(request, page, "chart.html", "gantt", runs=runs[::-1], run=run, svg=svg,
                           run_picker=True, chart_title="Gantt")


def _series(page: Any, runs: list[dict[str, Any]], tis: list[dict[str, Any]], landing: bool) -> dict[str, list[float | None]]:
    index = {r["run_id"]: i for i, r in enumerate(runs)}
    series: dict[str, list[float | None]] = {t: [None] * len(runs) for t in page.dag.task_ids}
    for ti in tis:
        if ti["task_id"] not in series or ti["end_date"] is None:
            continue
        run = runs[index[ti["run_id"]]]
        if landing:
            base = run["data_interval_end"] or run["run_after"]
            value = (ti["end_date"] - base).total_seconds()
        else:
            value = ti["duration"] if ti["duration"] is not None else (
                (ti["end_date"] - ti["start_date"]).total_seconds() if ti["start_date"] else None)
        if value is None:
            continue
        i = index[ti["run_id"]]
        current = series[ti["task_id"]][i]
        series[ti["task_id"]][i] = value if current is None else max(current, value)
    return {t: v for t, v in series.items() if any(x is not None for x in v)}


def _across_runs(request: Request, tab: str, landing: bool) -> Response:
    ctx = ctx_of(request)
    dag_id = request.path_params["dag_id"]
    with ctx.db.read() as conn:
        page = load(conn, dag_id)
        if page is None:
            return not_found(request, dag_id)
        runs = dag_pages.recent_runs(conn, dag_id, limit=RUNS_CHARTED)
        tis = dag_pages.task_instances_for_runs(conn, dag_id, [r["run_id"] for r in runs])
    labels = [(r["logical_date"] or r["run_after"]).strftime("%m-%d %H:%M:%S") for r in runs]
    svg = charts.line_chart_svg(labels, _series(page, runs, tis, landing),
                                y_title="Landing time after the data interval" if landing else "Duration")
    return render_dag_page(request, page, "chart.html", tab, runs=runs, run=None, svg=svg, run_picker=False,
                           chart_title="Landing Times" if landing else "Task Duration")


@requires("read")
def duration(request: Request) -> Response:
    """How long each task took in each of the latest runs."""
    return _across_runs(request, "duration", landing=False)


@requires("read")
def landing_times(request: Request) -> Response:
    """How long after its data interval ended each task finished, per run."""
    return _across_runs(request, "landing-times", landing=True)


@requires("read")
def calendar(request: Request) -> Response:
    """Runs per day over this year and the last, coloured by state."""
    ctx = ctx_of(request)
    dag_id = request.path_params["dag_id"]
    now = ctx.clock.now()
    years = [now.year - 1, now.year]
    since = now.replace(year=now.year - 1, month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    with ctx.db.read() as conn:
        page = load(conn, dag_id)
        if page is None:
            return not_found(request, dag_id)
        rows = dag_pages.run_days(conn, dag_id, since)
    days: dict[date, dict[str, int]] = {}
    for when, state in rows:
        counts = days.setdefault(when.date(), {})
        counts[state] = counts.get(state, 0) + 1
    svg = charts.calendar_svg(days, years=years[::-1])
    return render_dag_page(request, page, "chart.html", "calendar", run=None, svg=svg, run_picker=False,
                           chart_title="Calendar")


ROUTES = [
    Route("/dags/{dag_id}/gantt", gantt),
    Route("/dags/{dag_id}/duration", duration),
    Route("/dags/{dag_id}/landing-times", landing_times),
    Route("/dags/{dag_id}/calendar", calendar),
]
