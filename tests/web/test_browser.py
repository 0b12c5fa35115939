"""The UI in headless Chromium against `airflow webserver` as a real process; runs made by store calls."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Iterator

import pytest

from tests.web.browser import launch_browser, login, screenshot, serve
from tests.web.conftest import T0, make_run

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def db(corpus_home) -> Iterator[Any]:
    from tradewind.config.settings import load_settings
    from tradewind.store.database import Database

    database = Database.from_settings(load_settings(corpus_home.env))
    for day in range(3):
        at = T0 + timedelta(days=day)
        make_run(database, "ml_pipeline", {"preprocess": "success", "train": "success", "predict": "success"}, at=at)
        make_run(database, "branching", {"choose": "success", "path_a": "skipped", "after_a": "skipped",
                                         "path_b": "success", "join": "success"}, at=at)
    make_run(database, "trigger_rules", {"ok": "success", "boom": "failed", "rule_all_done": "success"}, at=T0)
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def base(corpus_home, db) -> Iterator[str]:
    yield from serve(corpus_home, "webserver")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_browser(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, timezone_id="Europe/Paris")
    tab = context.new_page()
    login(tab, base, "admin", "admin-pw")
    yield tab
    context.close()


def test_dag_list_shows_corpus_dags_and_the_import_error(page, base):
    rows = page.locator("#dags tbody tr[data-dag-id]")
    assert rows.count() >= 12
    assert page.locator("details.import-errors summary").inner_text().strip().endswith("DAG Import Errors (1)")
    page.click("details.import-errors summary")
    assert "syntax_error.py" in page.locator("details.import-errors").inner_text()
    page.fill("input[name=search]", "ml_")
    page.press("input[name=search]", "Enter")
    page.wait_for_url("**search=ml_**")
    assert page.locator("#dags tbody tr[data-dag-id]").count() == 1
    page.goto(f"{base}/home")
    screenshot(page, "dag_list")


def test_grid_shows_runs_and_the_task_tree(page, base):
    page.goto(f"{base}/dags/ml_pipeline/grid")
    assert page.locator(".run-bar").count() == 3
    assert page.locator('.sq[data-task-id="train"][data-state="success"]').count() == 3
    screenshot(page, "grid")


def test_graph_draws_every_task_in_its_state_colour(page, base):
    page.goto(f"{base}/dags/trigger_rules/graph")
    nodes = page.locator("svg.dag-graph .task-node")
    assert nodes.count() == 12
    boom = page.locator('.task-node[data-task-id="boom"] .node-box')
    assert boom.evaluate("el => getComputedStyle(el).stroke") == "rgb(255, 0, 0)"
    ok = page.locator('.task-node[data-task-id="ok"] .node-box')
    assert ok.evaluate("el => getComputedStyle(el).stroke") == "rgb(0, 128, 0)"
    screenshot(page, "graph")


def test_graph_follows_a_running_run_without_reloading(page, base, db):
    from tradewind.store import task_instances

    run_id = make_run(db, "taskflow_etl", {"extract": "success", "transform": "running"}, at=T0 + timedelta(days=9))
    page.goto(f"{base}/dags/taskflow_etl/graph")
    page.evaluate("window.notReloaded = true")
    assert page.locator('.task-node[data-task-id="transform"]').get_attribute("data-state") == "running"
    with db.write() as conn:
        task_instances.update_fields(conn, ("taskflow_etl", run_id, "transform", -1), state="success")
    page.wait_for_selector('.task-node[data-task-id="transform"][data-state="success"]', timeout=20000)
    assert page.evaluate("window.notReloaded") is True


def test_task_groups_unfold_on_click(page, base):
    page.goto(f"{base}/dags/groups_short_circuit/graph")
    assert page.locator('.group-node[data-group-id="load"]').count() == 1
    page.click('.group-node[data-group-id="load"]')
    page.wait_for_selector('.group-frame[data-group-id="load"]')
    assert page.locator('.task-node[data-task-id="load.a"]').count() == 1


def test_gantt_and_duration_charts(page, base):
    page.goto(f"{base}/dags/ml_pipeline/gantt")
    assert sorted(page.locator("svg.gantt .bar").evaluate_all("els => els.map(e => e.dataset.taskId)")) == [
        "predict", "preprocess", "train"]
    screenshot(page, "gantt")
    page.goto(f"{base}/dags/ml_pipeline/duration")
    assert page.locator('svg.line-chart .point[data-task-id="train"]').count() == 3
    screenshot(page, "task_duration")


def test_dark_theme_and_local_time_switches(page, base):
    page.goto(f"{base}/dags/branching/grid")
    page.click("#theme-toggle")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    screenshot(page, "grid_dark")
    utc_text = page.locator("time").first.inner_text()
    page.click("#tz-toggle")
    assert page.locator("#clock-zone").inner_text() != "UTC"
    assert page.locator("time").first.inner_text() != utc_text
    page.click("#tz-toggle")
    assert page.locator("#clock-zone").inner_text() == "UTC"
    page.click("#theme-toggle")


def test_a_viewer_is_refused_admin_pages(browser, base):
    context = browser.new_context()
    tab = context.new_page()
    login(tab, base, "viewer", "viewer-pw")
    answer = tab.goto(f"{base}/users/list/")
    assert answer.status == 403 and "Access is Denied" in tab.content()
    assert tab.locator("#trigger-btn").count() == 0
    context.close()
