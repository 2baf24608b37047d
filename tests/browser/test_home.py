"""The home page in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_home_shows_counts_and_switches_language(live_server: str, page: Any) -> None:
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "ru"
    east_card = page.locator('article[data-side="630000000"]')
    assert east_card.locator('[data-figure="open-needs"]').inner_text() == "4"
    assert east_card.locator('[data-figure="far-needs"]').inner_text() == "3"
    east = page.locator('tr[data-kato="630000000"] td')
    assert east.nth(1).inner_text() == "Восточно-Казахстанская область"
    assert east.nth(2).inner_text() == "3", "organisations"
    assert page.locator("table.regions tbody tr").count() == 20
    screenshot(page, "home-ru")

    page.get_by_role("link", name="Қазақша").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "kk"
    assert east.nth(1).inner_text() == "Шығыс Қазақстан облысы"
    page.goto(live_server + "/")
    assert page.locator("html").get_attribute("lang") == "kk", "the choice is remembered"
    screenshot(page, "home-kk")
