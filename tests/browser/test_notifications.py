"""Notifications in a real browser: the bell's unread count, the list, marking one and then all
read, in Russian and in Kazakh, without JavaScript of ours."""

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

NOTIFY = """
from sqlalchemy import select
from sqlalchemy.orm import Session
from seriktes.accounts.models import User
from seriktes.config import get_settings
from seriktes.kit.db import make_engine
from seriktes.notifications.kinds import Kind
from seriktes.notifications.service import notify

with Session(make_engine(get_settings().database_url)) as session:
    user = session.scalars(select(User).where(User.email == "buyer@seriktes.demo")).one()
    for name in ("needs-2026.xlsx", "offers-2026.csv"):
        params = {"filename": name, "created": 12, "updated": 3, "unchanged": 40}
        notify(session, Kind.IMPORT_DONE, [user], params, "/import", "browser." + name)
    session.commit()
"""


@pytest.fixture(scope="module")
def notified_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo site where the demo buyer has two unread notifications."""
    folder = tmp_path_factory.mktemp("notifications-live")
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{folder / 'demo.db'}"}
    env.pop("SERIKTES_SMTP_URL", None)
    for command in (
        ["-m", "seriktes", "db", "upgrade"],
        ["-m", "seriktes", "demo"],
        ["-c", NOTIFY],
    ):
        subprocess.run([sys.executable, *command], env=env, check=True, capture_output=True)
    with serve(env) as url:
        yield url


def _bell(page: Any) -> Any:
    return page.locator("header a.bell")


def test_the_bell_the_list_and_marking_read_in_russian_and_kazakh(
    notified_server: str, page: Any
) -> None:
    page.goto(notified_server + "/login?next=/&lang=ru")
    page.fill("input[name=email]", "buyer@seriktes.demo")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.stacked button[type=submit]")
    bell = _bell(page)
    bell.wait_for()
    assert bell.get_attribute("aria-label") == "Уведомления: непрочитанных 2"
    assert bell.locator(".count").inner_text() == "2"

    page.get_by_role("link", name="Уведомления: непрочитанных 2").click()
    page.wait_for_selector("li.notification")
    items = page.locator("li.notification")
    assert items.count() == 2
    assert "Импорт завершён: offers-2026.csv" in items.first.inner_text()
    screenshot(page, "notifications-list-ru")
    items.first.get_by_role("button", name="Отметить прочитанным").click()
    page.wait_for_selector("li.notification.unread")
    assert page.locator("li.notification.unread").count() == 1
    assert _bell(page).get_attribute("aria-label") == "Уведомления: непрочитанных 1"

    page.get_by_role("link", name="Қазақша").click()
    page.wait_for_selector("text=Барлығын оқылды деп белгілеу")
    assert _bell(page).get_attribute("aria-label") == "Хабарламалар: оқылмағаны 1"
    assert "Импорт аяқталды: needs-2026.xlsx" in page.locator("li.notification.unread").inner_text()
    screenshot(page, "notifications-list-kk")
    page.get_by_role("button", name="Барлығын оқылды деп белгілеу").click()
    page.wait_for_selector("p.notice")
    assert page.locator("li.notification.unread").count() == 0
    assert _bell(page).get_attribute("data-unread") == "0"
    assert _bell(page).locator(".count").count() == 0
