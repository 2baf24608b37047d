"""The demo B2B day in a real browser: the schedule grid, an agenda download, an answer."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from seriktes.demo.event import DEMO_EVENT_TITLE
from seriktes.demo.users import DEMO_PASSWORD
from tests.browser.conftest import ARTIFACTS, screenshot, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on a database made the way `make run` makes it: migrate, then the demo."""
    folder = tmp_path_factory.mktemp("events-live")
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{folder / 'demo.db'}"}
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run(
            [sys.executable, "-m", "seriktes", *command],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    with serve(env) as url:
        yield url


def test_schedule_grid_agenda_download_and_an_answer(demo_server: str, page: Any) -> None:
    page.goto(demo_server + "/events?lang=ru")
    page.get_by_role("link", name=DEMO_EVENT_TITLE, exact=True).click()
    page.wait_for_selector("tr[data-participant]")
    assert page.locator("tr[data-participant]").count() == 18
    screenshot(page, "events-programme-ru")

    page.get_by_role("link", name="Расписание").click()
    grid = page.locator("table.schedule").first
    grid.wait_for()
    meetings = page.locator("table.schedule td.meeting")
    assert meetings.count() > 30
    assert page.locator("table.schedule td.meeting.interp").count() > 0
    assert page.locator("section.schedule-day").count() == 2  # the demo has two meeting days
    first_day = page.locator("section.schedule-day").first
    assert first_day.locator("thead th").count() == 1 + 8  # time and the first day's 8 tables
    screenshot(page, "events-schedule-grid-ru")
    page.get_by_role("link", name="Қазақша").click()
    page.wait_for_selector("text=Кесте")
    screenshot(page, "events-schedule-grid-kk")

    page.get_by_role("link", name="Бағдарлама").click()
    page.wait_for_selector("tr[data-participant]")
    assert page.locator("a[data-agenda]").count() == 0  # agendas are not public

    page.goto(demo_server + "/login?next=/events&lang=ru")
    page.fill("input[name=email]", "producer@seriktes.demo")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.get_by_role("link", name=DEMO_EVENT_TITLE, exact=True).click()
    own = page.locator('tr[data-participant] a[data-agenda="pdf-kk"]')
    assert own.count() == 1  # a member reads its own organisation's agenda
    with page.expect_download() as waiting:
        own.click()
    download = waiting.value
    ARTIFACTS.mkdir(exist_ok=True)
    saved = ARTIFACTS / "events-agenda-kk.pdf"
    download.save_as(str(saved))
    assert saved.read_bytes().startswith(b"%PDF")
    assert download.suggested_filename.endswith("-kk.pdf")
    page.get_by_role("link", name="Запросы на встречи").click()
    waiting_rows = page.locator('tr[data-state="requested"] button[value="accept"]')
    assert waiting_rows.count() >= 1
    before = waiting_rows.count()
    waiting_rows.first.click()
    page.wait_for_selector("p.notice")
    assert page.locator('tr[data-state="requested"] button[value="accept"]').count() == before - 1
    screenshot(page, "events-requests-answered-ru")


def test_the_organiser_sees_the_run_and_downloads_the_table_plan(
    demo_server: str, browser: Any
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = context.new_page()
    try:
        page.goto(demo_server + "/login?next=/events&lang=ru")
        page.fill("input[name=email]", "vko@seriktes.demo")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("form.stacked button[type=submit]")
        page.get_by_role("link", name=DEMO_EVENT_TITLE, exact=True).click()
        page.get_by_role("link", name="Расписание").click()
        page.wait_for_selector("table.schedule")
        assert page.get_by_role("button", name="Составить расписание").count() == 1
        with page.expect_download() as waiting:
            page.locator('a[data-download="table-plan"]').click()
        saved = ARTIFACTS / "events-table-plan-ru.pdf"
        waiting.value.save_as(str(saved))
        assert saved.read_bytes().startswith(b"%PDF")
        screenshot(page, "events-schedule-organiser-ru")
    finally:
        context.close()
