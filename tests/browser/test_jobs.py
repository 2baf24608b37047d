"""A schedule built in the background, in a real browser: the server answers at once, a
`seriktes worker` beside it builds the schedule, the page follows the job to its end."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

from seriktes.demo.event import DEMO_EVENT_TITLE
from seriktes.demo.users import DEMO_PASSWORD
from tests.browser.conftest import screenshot, serve, worker

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server_and_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo database, a server and a worker, as `make run` starts them."""
    folder = tmp_path_factory.mktemp("jobs-live")
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{folder / 'demo.db'}"}
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run(
            [sys.executable, "-m", "seriktes", *command], env=env, check=True, capture_output=True
        )
    with worker(env), serve(env) as url:
        yield url


def test_the_organiser_builds_the_schedule_in_the_background(
    server_and_worker: str, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="kk-KZ")
    page = context.new_page()
    try:
        page.goto(server_and_worker + "/login?next=/events&lang=kk")
        page.fill("input[name=email]", "vko@seriktes.demo")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("form.stacked button[type=submit]")
        page.get_by_role("link", name=DEMO_EVENT_TITLE, exact=True).click()
        page.get_by_role("link", name="Кесте").click()
        page.select_option("#time_limit", "10")
        started = time.monotonic()
        page.get_by_role("button", name="Кестені құру").click()
        page.wait_for_url("**/schedule?job=*")
        assert time.monotonic() - started < 5  # the server only queued the job
        job = page.locator("section.job")
        assert job.count() == 1
        # the page follows the job without a reload by hand, and shows the grid at its end
        page.wait_for_selector('section.job[data-job-status="done"]', timeout=90_000)
        page.wait_for_selector("table.schedule td.meeting")
        assert "дайын" in page.locator("section.job .job-status").inner_text()
        screenshot(page, "jobs-schedule-built-kk")
        page.goto(server_and_worker + "/jobs?lang=ru")
        assert page.locator("tr[data-job-row][data-status=done]").count() == 1
        assert "Построение расписания" in page.locator("table.list").inner_text()
        screenshot(page, "jobs-list-ru")
    finally:
        context.close()
