"""The demo B2B day after it took place, in a real browser: an organiser opens a participant's
check-in link (the link its QR code encodes, printed under the code) and confirms the arrival,
and the arrivals page counts it; a participant records "deal expected" after a meeting and
records the deal from it, which then waits for the other side's confirmation. Screenshots in
Russian and Kazakh."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest

from seriktes.demo.event import DEMO_EVENT_TITLE
from seriktes.demo.users import DEMO_PASSWORD
from tests.browser.conftest import screenshot, serve

pytestmark = pytest.mark.browser
PAST_DAY = "2026-04-14"  # the demo day moved into the past: its meetings are over


@pytest.fixture(scope="module")
def past_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on the demo data set whose B2B day has taken place."""
    folder = tmp_path_factory.mktemp("checkin-live")
    database = folder / "demo.db"
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{database}"}
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run(
            [sys.executable, "-m", "seriktes", *command],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    with sqlite3.connect(database) as connection:
        (event_id,) = connection.execute(
            "SELECT id FROM events WHERE title = ?", (DEMO_EVENT_TITLE,)
        ).fetchone()
        days = connection.execute(
            "SELECT id FROM event_meeting_days WHERE event_id = ? ORDER BY position", (event_id,)
        ).fetchall()
        # the meeting days move to the days before PAST_DAY's end, keeping their order
        last = date.fromisoformat(PAST_DAY)
        first = last - timedelta(days=len(days) - 1)
        for offset, (day_id,) in enumerate(days):
            connection.execute(
                "UPDATE event_meeting_days SET meets_on = ? WHERE id = ?",
                ((first + timedelta(days=offset)).isoformat(), day_id),
            )
        connection.execute(
            "UPDATE events SET starts_on = ?, ends_on = ? WHERE id = ?",
            (first.isoformat(), PAST_DAY, event_id),
        )
    with serve(env) as url:
        yield url


def _login(page: Any, server: str, email: str) -> None:
    page.goto(server + "/login?next=/events&lang=ru")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.get_by_role("link", name=DEMO_EVENT_TITLE, exact=True).click()


def _to_kazakh(page: Any) -> None:
    page.get_by_role("link", name="Қазақша").click()
    page.wait_for_load_state()


def test_an_organiser_checks_a_participant_in_by_its_link(past_demo: str, page: Any) -> None:
    _login(page, past_demo, "vko@seriktes.demo")
    page.locator("a[data-arrivals-link]").click()
    page.wait_for_selector("#arrival-count")
    assert page.locator("#arrival-count [data-arrived]").inner_text() == "0"
    expected = page.locator("#arrival-count [data-expected]").inner_text()
    # a participant's meetings page shows its QR code with the link it encodes printed under it
    page.locator("tr[data-arrival] td.title a").first.click()
    page.wait_for_selector("aside.checkin-code svg")
    link = page.locator("[data-checkin-url]").inner_text().strip()
    assert "/checkin/" in link
    organisation = page.locator("h2").first.inner_text().split(":", 1)[1].strip()
    page.goto(past_demo + urlsplit(link).path + "?lang=ru")  # as a phone that scanned it
    assert organisation in page.locator("section.checkin-card h2").inner_text()
    page.get_by_role("button", name="Прибыл").click()
    page.wait_for_selector("[data-arrived='1']")
    screenshot(page, "checkin-confirmed-ru")
    page.goto(past_demo + urlsplit(link).path)
    assert page.locator("[data-arrived='1']").count() == 1  # a second scan changes nothing
    page.goto(past_demo + urlsplit(link).path.rsplit("/checkin/", 1)[0] + "/arrivals?lang=ru")
    assert page.locator("#arrival-count [data-arrived]").inner_text() == "1"
    assert page.locator("#arrival-count [data-expected]").inner_text() == expected
    assert page.locator("tr[data-arrival][data-arrived='1']").count() == 1
    screenshot(page, "checkin-arrivals-ru")
    _to_kazakh(page)
    page.wait_for_selector("#arrival-count")
    assert "Келгендер" in page.content()
    screenshot(page, "checkin-arrivals-kk")


def test_a_participant_records_deal_expected_and_the_deal_from_the_meeting(
    past_demo: str, page: Any
) -> None:
    _login(page, past_demo, "producer@seriktes.demo")
    page.locator("a[data-meetings-link]").first.click()
    page.wait_for_selector("aside.checkin-code svg")
    row = page.locator("tr[data-meeting]:has(form.outcome-form)").first
    meeting = row.get_attribute("data-meeting")
    row.locator("input[name=result][value=deal_expected]").check()
    row.locator("textarea[name=comment]").fill("Коммерческое предложение до пятницы")
    row.get_by_role("button", name="Сохранить").click()
    saved = page.locator(f"tr[data-meeting='{meeting}'] [data-outcome='deal_expected']")
    saved.wait_for()
    screenshot(page, "outcome-deal-expected-ru")
    page.locator(f"a[data-record-deal='{meeting}']").click()
    page.wait_for_selector(f"[data-from-meeting='{meeting}']")
    assert page.locator("#f-meeting_id").input_value() == meeting
    assert page.locator("#f-buyer_bin").input_value() != ""
    assert page.locator("#f-supplier_bin").input_value() != ""
    page.fill("#f-number", "B2B-2026-001")
    page.fill("#f-signed_on", PAST_DAY)
    page.fill("#f-amount", "18500000")
    screenshot(page, "deal-from-meeting-form-ru")
    page.get_by_role("button", name="Сохранить").click()
    waiting = page.locator("#confirmation[data-confirmation='awaiting']")
    waiting.wait_for()
    text = waiting.inner_text()
    assert "Ждёт подтверждения" in text  # the buyer has not confirmed; the supplier did
    assert "Заказчик: ещё не подтвердил" in text and "Поставщик: подтвердил" in text
    screenshot(page, "deal-from-meeting-awaiting-ru")
    _to_kazakh(page)
    page.wait_for_selector("#confirmation[data-confirmation='awaiting']")
    screenshot(page, "deal-from-meeting-awaiting-kk")
    page.goto(past_demo + "/events?lang=kk")
    page.get_by_role("link", name=DEMO_EVENT_TITLE, exact=True).click()
    page.locator("a[data-meetings-link]").first.click()
    page.wait_for_selector(f"a[data-record-deal='{meeting}']")
    screenshot(page, "outcome-deal-expected-kk")
