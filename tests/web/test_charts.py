"""The SVG charts: one Gantt bar per try, one point per (task, run), a square per calendar day."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from tradewind.web.charts import GanttBar, calendar_svg, gantt_svg, line_chart_svg

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def test_gantt_draws_a_bar_per_try_in_its_state_colour():
    bars = [GanttBar("extract", T0, T0 + timedelta(seconds=5), "success", T0 - timedelta(seconds=1)),
            GanttBar("load", T0 + timedelta(seconds=5), T0 + timedelta(seconds=9), "failed")]
    svg = gantt_svg(["extract", "load"], bars)
    assert re.findall(r'class="bar" data-task-id="(\w+)" data-state="(\w+)"', svg) == [("extract", "success"), ("load", "failed")]
    assert "fill:green" in svg and "fill:red" in svg
    assert svg.count('class="queued-bar"') == 1


def test_gantt_without_started_tasks_says_so():
    assert "has started yet" in gantt_svg(["a"], [])


def test_line_chart_has_a_point_per_value_and_a_legend_entry_per_series():
    svg = line_chart_svg(["r1", "r2", "r3"], {"a": [1.0, 2.0, 3.0], "b": [None, 4.0, None]}, y_title="Duration")
    assert len(re.findall(r'class="point" data-task-id="a"', svg)) == 3
    assert len(re.findall(r'class="point" data-task-id="b"', svg)) == 1
    assert svg.count('class="legend-label"') == 2


def test_calendar_marks_each_day_with_its_worst_run_state():
    svg = calendar_svg({date(2026, 3, 1): {"success": 2, "failed": 1}, date(2026, 3, 2): {"success": 1}}, years=[2026])
    assert 'data-date="2026-03-01" data-state="failed"' in svg
    assert 'data-date="2026-03-02" data-state="success"' in svg
    assert svg.count('class="day"') == 365
