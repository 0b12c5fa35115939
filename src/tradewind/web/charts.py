"""SVG charts drawn by our own code: Gantt bars, line charts (durations, landing times), a run calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Mapping, Sequence

from markupsafe import escape

from tradewind.web.formatting import short_duration
from tradewind.web.states import state_color

PALETTE = ("#017cee", "#e43921", "#00ad46", "#f7bb00", "#8e44ad", "#16a085", "#d35400", "#2c3e50",
           "#c0392b", "#7f8c8d", "#27ae60", "#2980b9")


@dataclass
class GanttBar:
    """One bar: a task try from start to end in a state (queued time drawn lighter before it)."""

    task_id: str
    start_at: datetime
    end_at: datetime
    state: str | None
    queued_at: datetime | None = None
    try_number: int = 1


def _nice_step(span_s: float, ticks: int = 6) -> float:
    raw = max(span_s / ticks, 1e-3)
    for step in (0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400):
        if step >= raw:
            return float(step)
    return float(int(raw / 86400 + 1) * 86400)


def gantt_svg(task_ids: Sequence[str], bars: Sequence[GanttBar], *, width: int = 1100) -> str:
    """A Gantt chart: one row per task, one bar per try, a time axis in seconds since the first start."""
    label_w, row_h, top = 200, 26, 30
    height = top + row_h * max(len(task_ids), 1) + 20
    if not bars:
        return _empty_svg(width, 120, "No task instance of this run has started yet.")
    t0 = min((b.queued_at or b.start_at) for b in bars)
    t1 = max(b.end_at for b in bars)
    span = max((t1 - t0).total_seconds(), 1.0)
    plot_w = width - label_w - 20
    scale = plot_w / span
    rows = {t: i for i, t in enumerate(task_ids)}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart gantt" width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    out += _time_axis(t0, span, scale, label_w, top, height - 20)
    for task_id, i in rows.items():
        y = top + i * row_h
        out.append(f'<text class="row-label" x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(task_id)}</text>')
        out.append(f'<line class="row-line" x1="{label_w}" x2="{width - 20}" y1="{y + row_h}" y2="{y + row_h}"/>')
    for bar in bars:
        if bar.task_id not in rows:
            continue
        y = top + rows[bar.task_id] * row_h + 5
        x = label_w + (bar.start_at - t0).total_seconds() * scale
        w = max((bar.end_at - bar.start_at).total_seconds() * scale, 3)
        if bar.queued_at and bar.queued_at < bar.start_at:
            qx = label_w + (bar.queued_at - t0).total_seconds() * scale
            out.append(f'<rect class="queued-bar" x="{qx:.1f}" y="{y}" width="{x - qx:.1f}" height="16" rx="3"/>')
        secs = (bar.end_at - bar.start_at).total_seconds()
        out.append(f'<rect class="bar" data-task-id="{escape(bar.task_id)}" data-state="{bar.state or "none"}" '
                   f'x="{x:.1f}" y="{y}" width="{w:.1f}" height="16" rx="3" style="fill:{state_color(bar.state)}">'
                   f'<title>{escape(bar.task_id)} try {bar.try_number}: {bar.state or "no status"}, {short_duration(secs)}</title></rect>')
    out.append("</svg>")
    return "".join(out)


def _time_axis(t0: datetime, span: float, scale: float, left: float, top: float, bottom: float) -> list[str]:
    step = _nice_step(span)
    out, tick = [], 0.0
    while tick <= span + 1e-9:
        x = left + tick * scale
        out.append(f'<line class="grid-line" x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{bottom}"/>')
        label = (t0 + timedelta(seconds=tick)).strftime("%H:%M:%S") if tick == 0 else f"+{short_duration(tick)}"
        out.append(f'<text class="axis-label" x="{x:.1f}" y="{top - 10}" text-anchor="middle">{label}</text>')
        tick += step
    return out


def line_chart_svg(x_labels: Sequence[str], series: Mapping[str, Sequence[float | None]], *, y_title: str,
                   width: int = 1100, height: int = 420) -> str:
    """A line chart: runs along x, one line per task, a point per (task, run) that has a value."""
    left, right, top, bottom = 70, 190, 20, 70
    values = [v for vs in series.values() for v in vs if v is not None]
    if not values or not x_labels:
        return _empty_svg(width, 140, "No finished task instances to chart yet.")
    y_max = max(values) * 1.1 or 1.0
    plot_w, plot_h = width - left - right, height - top - bottom
    step_x = plot_w / max(len(x_labels) - 1, 1)
    x_of = lambda i: left + (i * step_x if len(x_labels) > 1 else plot_w / 2)  # noqa: E731
    y_of = lambda v: top + plot_h - v / y_max * plot_h  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart line-chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    for k in range(5):
        v = y_max * k / 4
        out.append(f'<line class="grid-line" x1="{left}" x2="{left + plot_w}" y1="{y_of(v):.1f}" y2="{y_of(v):.1f}"/>'
                   f'<text class="axis-label" x="{left - 6}" y="{y_of(v) + 4:.1f}" text-anchor="end">{short_duration(v)}</text>')
    every = max(len(x_labels) // 10, 1)
    for i, label in enumerate(x_labels):
        if i % every == 0:
            out.append(f'<text class="axis-label" transform="translate({x_of(i):.1f},{top + plot_h + 14}) rotate(25)">{escape(label)}</text>')
    out.append(f'<text class="axis-title" transform="translate(16,{top + plot_h / 2}) rotate(-90)" text-anchor="middle">{escape(y_title)}</text>')
    for n, (name, vs) in enumerate(series.items()):
        color = PALETTE[n % len(PALETTE)]
        pts = [(x_of(i), y_of(v), v, i) for i, v in enumerate(vs) if v is not None]
        if len(pts) > 1:
            out.append(f'<polyline class="series-line" style="stroke:{color}" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in pts)}"/>')
        for x, y, v, i in pts:
            out.append(f'<circle class="point" data-task-id="{escape(name)}" data-run="{escape(x_labels[i])}" cx="{x:.1f}" cy="{y:.1f}" r="4" '
                       f'style="fill:{color}"><title>{escape(name)} &middot; {escape(x_labels[i])}: {short_duration(v)}</title></circle>')
        ly = top + 14 + n * 18
        out.append(f'<rect x="{left + plot_w + 16}" y="{ly - 9}" width="10" height="10" rx="2" style="fill:{color}"/>'
                   f'<text class="legend-label" x="{left + plot_w + 32}" y="{ly}">{escape(name[:24])}</text>')
    out.append("</svg>")
    return "".join(out)


def calendar_svg(day_states: Mapping[date, Mapping[str, int]], *, years: Sequence[int]) -> str:
    """A calendar per year: one square per day, coloured by the runs of that day (failed wins)."""
    cell, gap, top_pad, left = 13, 3, 28, 34
    year_h = top_pad + 7 * (cell + gap) + 20
    width = left + 54 * (cell + gap) + 10
    height = year_h * len(years) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart calendar" width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    for row, year in enumerate(years):
        y0 = row * year_h
        out.append(f'<text class="year-label" x="0" y="{y0 + 16}">{year}</text>')
        day = date(year, 1, 1)
        first_weekday = day.weekday()
        while day.year == year:
            offset = (day - date(year, 1, 1)).days + first_weekday
            x, y = left + (offset // 7) * (cell + gap), y0 + top_pad + (offset % 7) * (cell + gap)
            counts = day_states.get(day, {})
            state = next((s for s in ("failed", "running", "queued", "success") if counts.get(s)), None)
            title = ", ".join(f"{k}: {v}" for k, v in counts.items()) or "no runs"
            out.append(f'<rect class="day" data-date="{day.isoformat()}" data-state="{state or "none"}" x="{x}" y="{y}" '
                       f'width="{cell}" height="{cell}" rx="2" style="fill:{state_color(state) if state else "var(--cal-empty)"}">'
                       f'<title>{day.isoformat()}: {title}</title></rect>')
            day += timedelta(days=1)
        for m in range(1, 13):
            offset = (date(year, m, 1) - date(year, 1, 1)).days + first_weekday
            out.append(f'<text class="axis-label" x="{left + (offset // 7) * (cell + gap)}" y="{y0 + top_pad - 6}">{date(year, m, 1):%b}</text>')
    out.append("</svg>")
    return "".join(out)


def _empty_svg(width: int, height: int, message: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart empty" width="{width}" height="{height}">'
            f'<text class="empty-label" x="{width / 2}" y="{height / 2}" text-anchor="middle">{escape(message)}</text></svg>')
