"""The whole story in Chromium against `airflow standalone`: switch a DAG on, trigger, watch, read logs, clear."""

from __future__ import annotations

import re
from urllib.parse import quote
from typing import Any, Iterator

import pytest

from tests.conftest import make_home
from tests.web.browser import launch_browser, login, screenshot, serve
from tests.web.conftest import prepare_corpus_home

pytestmark = [pytest.mark.browser, pytest.mark.slow]
RUN_DONE_MS = 90_000


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Iterator[str]:
    # A short home path: the scheduler's wake-up socket lives in it and Unix socket paths are short.
    home = prepare_corpus_home(make_home(tmp_path_factory.mktemp("sa") / "h"))
    yield from serve(home, "standalone")


@pytest.fixture(scope="module")
def page(base) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        tab = context.new_page()
        login(tab, base, "admin", "admin-pw")
        yield tab
        browser.close()


def _switch_on(page: Any, base: str, dag_id: str) -> None:
    page.goto(f"{base}/home?search={dag_id}")
    with page.expect_response(lambda r: r.url.endswith(f"/dags/{dag_id}/paused")) as answer:
        page.click(f'tr[data-dag-id="{dag_id}"] .switch .slider')
    assert answer.value.json() == {"dag_id": dag_id, "is_paused": False}


def _trigger(page: Any, base: str, dag_id: str, conf: str) -> str:
    """Trigger through the form; returns the new run's id, quoted for addresses."""
    page.goto(f"{base}/dags/{dag_id}/grid")
    page.click("#trigger-btn")
    page.fill("textarea[name=conf]", conf)
    # The form is on the grid page and posts back to it: wait for that navigation, not for the address.
    with page.expect_navigation(url=f"{base}/dags/{dag_id}/grid"):
        page.click("#trigger-form button[type=submit]")
    return quote(page.locator(".run-bar").last.get_attribute("data-run-id"), safe="")


def _goto(page: Any, url: str) -> None:
    """page.goto, again when a live grid reloaded itself (a run changed state) just as we left it."""
    from playwright.sync_api import Error

    for attempt in range(3):
        try:
            page.goto(url)
            return
        except Error as error:
            if attempt == 2 or not ("interrupted by another navigation" in str(error) or "ERR_ABORTED" in str(error)):
                raise
            page.wait_for_load_state()


def _watch_graph_until_done(page: Any, base: str, dag_id: str, run_id: str) -> None:
    _goto(page, f"{base}/dags/{dag_id}/graph?run_id={run_id}")
    page.evaluate("window.notReloaded = true")
    page.wait_for_selector('#graph[data-run-state="success"]', timeout=RUN_DONE_MS)
    assert page.evaluate("window.notReloaded") is True


def test_trigger_with_conf_runs_to_success_and_the_log_shows_the_result(page, base):
    _switch_on(page, base, "params_conf")
    run_id = _trigger(page, base, "params_conf", '{"n": 21, "label": "from the UI"}')
    _watch_graph_until_done(page, base, "params_conf", run_id)
    page.click('.task-node[data-task-id="show"]')
    page.wait_for_function("document.getElementById('log').textContent.includes('42')", timeout=30_000)


def test_taskflow_graph_turns_green_then_clear_runs_the_task_again(page, base):
    _switch_on(page, base, "taskflow_etl")
    run_id = _trigger(page, base, "taskflow_etl", '{"source": "ui"}')
    _watch_graph_until_done(page, base, "taskflow_etl", run_id)
    nodes = page.locator("svg.dag-graph .task-node")
    assert nodes.count() == 3
    assert nodes.evaluate_all("els => els.map(e => e.dataset.state)") == ["success"] * 3
    assert {page.locator(f'.task-node[data-task-id="{t}"] .node-box').evaluate("el => getComputedStyle(el).stroke")
            for t in ("extract", "transform", "load")} == {"rgb(0, 128, 0)"}
    screenshot(page, "graph_live_run")

    page.click('.task-node[data-task-id="transform"]')
    page.wait_for_function("document.getElementById('log').textContent.includes('Returned value')", timeout=30_000)
    page.click("#clear-btn")
    page.wait_for_url(re.compile(r".*flash=Cleared.*"))
    _watch_graph_until_done(page, base, "taskflow_etl", run_id)
    page.goto(f"{base}/dags/taskflow_etl/runs/{run_id}/tasks/transform")
    assert page.locator(".tries a").count() == 2

    page.goto(f"{base}/dags/taskflow_etl/gantt?run_id={run_id}")
    bars = page.locator("svg.gantt .bar").evaluate_all("els => els.map(e => e.dataset.taskId)")
    assert sorted(set(bars)) == ["extract", "load", "transform"]
    page.goto(f"{base}/dags/taskflow_etl/duration")
    assert page.locator('svg.line-chart .point[data-task-id="extract"]').count() == 1


def test_import_error_and_viewer_refusal(page, base):
    page.goto(f"{base}/home")
    assert "DAG Import Errors (1)" in page.locator("details.import-errors summary").inner_text()
    page.goto(f"{base}/importerror/list/")
    assert "syntax_error.py" in page.locator("#list").inner_text()
    page.context.clear_cookies()
    login(page, base, "viewer", "viewer-pw")
    assert page.goto(f"{base}/users/list/").status == 403
