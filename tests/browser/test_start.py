"""The start page in a real browser on the demo: a login leads there; the demo buyer sees
its needs with their matches and its next meetings, the coordinator of ВКО the open demo
event and the region's commitments at risk, in Russian and in Kazakh."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from seriktes.demo.event import DEMO_EVENT_TITLE
from seriktes.demo.users import DEMO_PASSWORD
from tests.browser.conftest import screenshot, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on a database made the way `make run` makes it: migrate, then the demo."""
    folder = tmp_path_factory.mktemp("start-live")
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


def log_in(page: Any, server: str, email: str, lang: str) -> None:
    """Log in from the dashboard's «Log in» link, as a visitor would."""
    page.goto(f"{server}/?lang={lang}")
    page.locator(".account a").click()
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/start")


def keep(page: Any, name: str) -> None:
    """A screenshot under test-artifacts/, and a copy in /tmp for people to look at."""
    path = screenshot(page, name)
    Path(f"/tmp/{name}.png").write_bytes(path.read_bytes())


@pytest.mark.parametrize(
    ("lang", "title", "needs"),
    [("ru", "Моя страница", "Наши потребности"), ("kk", "Менің бетім", "Біздің қажеттіліктер")],
)
def test_the_buyer_lands_on_its_start_page(
    demo_server: str, page: Any, lang: str, title: str, needs: str
) -> None:
    log_in(page, demo_server, "buyer@seriktes.demo", lang)
    assert page.locator("h1").inner_text() == title
    assert page.locator("nav.main a[aria-current=page]").inner_text() == title
    block = page.locator("#needs")
    assert needs in block.locator("h2").inner_text()
    assert block.locator("tr[data-line]").count() > 0
    meetings = page.locator("#meetings tr[data-meeting]")
    assert meetings.count() > 0 and DEMO_EVENT_TITLE in meetings.first.inner_text()
    for name in ("requests", "deals", "commitments"):  # shown with a sentence when empty
        assert page.locator(f"#{name}").is_visible()
    assert page.locator("#events").count() == 0  # a member has no region blocks
    keep(page, f"start-buyer-{lang}")
    page.locator("#needs tr[data-line] td.title a").first.click()
    page.wait_for_url("**/needs/*")


@pytest.mark.parametrize(
    ("lang", "events"), [("ru", "Открытые мероприятия"), ("kk", "Ашық іс-шаралар")]
)
def test_the_coordinator_sees_the_region(
    demo_server: str, page: Any, lang: str, events: str
) -> None:
    log_in(page, demo_server, "vko@seriktes.demo", lang)
    block = page.locator("#events")
    assert events in block.locator("h3").inner_text()
    assert DEMO_EVENT_TITLE in block.locator("tr[data-event]").first.inner_text()
    statuses = set(
        page.locator("#risks tr[data-commitment]").evaluate_all(
            "rows => rows.map(row => row.dataset.status)"
        )
    )
    assert statuses <= {"at_risk", "overdue"}
    assert page.locator("#jobs").is_visible() and page.locator("#outbox").count() == 0
    assert page.locator("#needs").count() == 0  # a coordinator has no organisation blocks
    keep(page, f"start-vko-{lang}")
