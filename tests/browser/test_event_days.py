"""Several meeting days in a real browser: an organiser creates a two-day event on the form
(«add a meeting day»), adds a buyer and two producers, asks for two meetings and accepts
them, builds the schedule and reads the grid day by day — in Russian and in Kazakh."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.accounts.service import create_user
from seriktes.kit.db import make_engine
from seriktes.kit.migrate import upgrade
from seriktes.registry.importer import import_organisations
from seriktes.registry.service import ensure_reference_data
from tests.browser.conftest import screenshot, serve, worker
from tests.factories import ORG_HEADER, org_rows, write_csv

pytestmark = pytest.mark.browser

PASSWORD = "Ыстық-шай-2099!"
ORGANISER = "organiser@days.test"


def _site(folder: Path) -> list[str]:
    """A migrated database with a ВКО buyer, two СКО producers and a ВКО coordinator; the
    organisations' BINs, buyer first."""
    engine = make_engine(f"sqlite:///{folder / 'days.db'}")
    upgrade(engine)
    rows = org_rows(3)
    rows[0][1] = "АО «Усть-Каменогорский горный комбинат»"
    for n, row in enumerate(rows[1:], start=1):
        row[1], row[2] = f"ТОО «Петропавловский машзавод {n}»", "СКО"
    with Session(engine) as session:
        ensure_reference_data(session)
        import_organisations(session, write_csv(folder / "o.csv", ORG_HEADER, rows))
        create_user(session, ORGANISER, PASSWORD, "Координатор ВКО", Role.COORDINATOR, "630000000")
        session.commit()
    engine.dispose()
    return [str(row[0]) for row in rows]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """A server and a worker on the small site; its URL and the organisations' BINs."""
    folder = tmp_path_factory.mktemp("days-live")
    bins = _site(folder)
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{folder / 'days.db'}"}
    with serve(env) as url, worker(env):
        yield url, bins


def test_an_organiser_schedules_a_two_day_event_and_reads_the_grid_per_day(
    site: tuple[str, list[str]], page: Any
) -> None:
    url, bins = site
    event_path = _create(page, url)
    _fill(page, event_path, bins)
    _schedule(page, event_path)


def _create(page: Any, url: str) -> str:
    """Log in as the organiser and create the two-day event; the event page's address."""
    page.goto(url + "/login?next=/events/new&lang=ru")
    page.fill("input[name=email]", ORGANISER)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("input[name=title]")
    page.fill("input[name=title]", "Дни СКО в ВКО: два дня встреч")
    page.select_option("select[name=guest_region]", "590000000")
    page.fill("input[name=starts_on]", "2099-09-01")
    page.fill("input[name=ends_on]", "2099-09-02")
    page.fill("input[name=d0_meets_on]", "2099-09-01")
    page.fill("input[name=d0_morning_slots]", "1")  # the first day: one slot, one table
    page.fill("input[name=d0_afternoon_slots]", "0")
    page.fill("input[name=d0_tables]", "1")
    page.fill("input[name=d0_pause_after]", "")
    page.click("button[data-add-day]")
    page.wait_for_selector("fieldset[data-day='1']")
    assert page.input_value("input[name=d1_meets_on]") == "2099-09-02"
    page.fill("input[name=d1_morning_slots]", "2")
    page.fill("input[name=d1_tables]", "2")
    screenshot(page, "event-days-form-ru")
    page.click("form.edit button[type=submit]:not([name])")
    page.wait_for_selector("p.notice")
    assert "01.09.2099" in page.inner_text("dl.facts") and "02.09.2099" in page.inner_text(
        "dl.facts"
    )
    return str(page.url.split("?")[0])


def _fill(page: Any, event_path: str, bins: list[str]) -> None:
    """Add the three organisations, keep the first producer off the second day, ask for two
    meetings and accept them."""
    for number in bins:
        page.click("details.organiser-form summary >> nth=0")
        page.fill("details.organiser-form input[name=organisation]", number)
        page.click("details.organiser-form form button[type=submit] >> nth=0")
        page.wait_for_selector("p.notice")
    assert page.locator("tr[data-participant]").count() == 3
    assert page.locator("#availability fieldset.slots[data-day='1']").count() >= 1

    # the first producer comes on the first day only: its second day is not attended
    first_producer = page.locator("details.availability").nth(1)
    first_producer.locator("summary").click()
    first_producer.locator("input[name=attend_1]").uncheck()
    screenshot(page, "event-days-availability-ru")
    first_producer.locator("button[type=submit]").click()
    page.wait_for_selector("p.notice")

    for producer in (1, 2):
        buyer_form = page.locator("#ask form").first
        option = buyer_form.locator(
            "select[name=recipient_id] option", has_text=f"машзавод {producer}"
        )
        buyer_form.locator("select[name=recipient_id]").select_option(option.get_attribute("value"))
        buyer_form.locator("input[name=topic]").fill(f"Поставка запчастей, партия {producer}")
        buyer_form.locator("button[type=submit]").click()
        page.wait_for_selector("p.notice")
        page.goto(event_path + "?lang=ru")
    page.goto(event_path + "/requests?lang=ru")
    for _ in range(2):
        page.locator('tr[data-state="requested"] button[value="accept"]').first.click()
        page.wait_for_selector("p.notice")


def _schedule(page: Any, event_path: str) -> None:
    """Build the schedule and read it per day; removing a day with a meeting is refused."""
    page.goto(event_path + "/schedule?lang=ru")
    page.get_by_role("button", name="Составить расписание").click()
    page.wait_for_selector("section.schedule-day", timeout=120_000)
    days = page.locator("section.schedule-day")
    assert days.count() == 2
    assert "01.09.2099" in days.nth(0).inner_text() and "02.09.2099" in days.nth(1).inner_text()
    assert days.nth(0).locator("thead th").count() == 1 + 1  # time and the first day's table
    assert days.nth(1).locator("thead th").count() == 1 + 2
    assert days.nth(0).locator("td.meeting").count() == 1
    assert days.nth(1).locator("td.meeting").count() == 1
    screenshot(page, "event-days-schedule-ru")
    page.get_by_role("link", name="Қазақша").click()
    page.wait_for_selector("text=Кездесу күні 2")
    assert page.locator("section.schedule-day").count() == 2
    screenshot(page, "event-days-schedule-kk")
    page.goto(event_path + "/days?lang=kk")
    page.click("button[data-remove-day='0']")
    page.wait_for_selector("[data-error-for='d0_meets_on']")
    assert page.locator("fieldset.meeting-day").count() == 2  # refused: the day has a meeting
    screenshot(page, "event-days-remove-refused-kk")
