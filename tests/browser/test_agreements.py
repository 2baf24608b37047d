"""The demo memoranda in a real browser: the status in words and its rule for everyone, the
progress bars of deal-based commitments for a coordinator, a deal linked to a commitment by a
coordinator, the change in the audit log."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from seriktes.demo.users import DEMO_PASSWORD
from tests.browser.conftest import screenshot, serve

pytestmark = pytest.mark.browser
MINING = "О поставках для горнодобывающих предприятий"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on a database made the way `make run` makes it: migrate, then the demo."""
    folder = tmp_path_factory.mktemp("agreements-live")
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


def test_memoranda_progress_and_a_deal_linked_by_a_coordinator(demo_server: str, page: Any) -> None:
    page.goto(demo_server + "/memoranda?lang=ru")
    assert page.locator("tr[data-memorandum]").count() == 10
    screenshot(page, "agreements-list-ru")
    page.get_by_role("link", name=MINING, exact=True).click()
    page.wait_for_selector("tr[data-commitment]")
    # the public sees each commitment's status, not what its linked deals add up to
    assert page.locator(".progress").count() == 0
    assert page.locator('[data-hidden="deal-sums"]').count() == 2
    assert page.locator("#rule").inner_text().count("0,8") >= 1
    statuses = page.locator("tr[data-commitment] [data-status]").all_inner_texts()
    assert set(statuses) <= {"Выполнено", "В графике", "Под угрозой", "Просрочено"}
    screenshot(page, "agreements-memorandum-ru")
    page.get_by_role("link", name="Қазақша").click()
    page.wait_for_selector("text=Міндеттемелер")
    screenshot(page, "agreements-memorandum-kk")

    page.goto(demo_server + "/login?next=/deals&lang=ru")
    page.fill("input[name=email]", "vko@seriktes.demo")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("tr[data-deal]")
    page.locator("tr[data-deal] td.title a").first.click()
    links = page.locator("details.form-box", has=page.locator('input[name="commitment_ids"]'))
    links.locator("summary").click()
    box = links.locator('input[name="commitment_ids"]').first
    linked_before = box.is_checked()
    box.set_checked(not linked_before)
    page.get_by_role("button", name="Сохранить").first.click()
    page.wait_for_selector("p.notice")
    screenshot(page, "agreements-deal-linked-ru")
    page.goto(demo_server + "/memoranda?lang=ru")
    page.get_by_role("link", name=MINING, exact=True).click()
    page.wait_for_selector("tr[data-commitment]")
    assert page.locator(".progress").count() == 2  # a coordinator sees the progress bars

    page.goto(demo_server + "/memoranda?lang=ru")
    first_memo = page.locator("tr[data-memorandum] td.title a")
    assert first_memo.count() == 10
    audits = 0
    for href in first_memo.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        page.goto(demo_server + href + "/audit?lang=ru")
        audits += page.locator('tr[data-kind="deal"][data-action="update"]').count()
    assert audits >= 1, "the link is in an audit log"
    screenshot(page, "agreements-audit-ru")
