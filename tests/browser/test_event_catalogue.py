"""An organiser registers a participant through the organisation picker (typing part of a
name, arrow keys and Enter), then a participant requests a meeting with a topic from the
participants' catalogue — in Russian and in Kazakh, with screenshots."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from seriktes.demo.event import DEMO_EVENT_TITLE
from seriktes.demo.users import DEMO_PASSWORD
from tests.browser.conftest import screenshot, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A server on the demo data set, and its database file."""
    folder = tmp_path_factory.mktemp("catalogue-live")
    database = folder / "demo.db"
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{database}"}
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run([sys.executable, "-m", "seriktes", *command], env=env, check=True,
                       capture_output=True, text=True)  # fmt: skip
    with serve(env) as url:
        yield url, database


def _query(database: Path, sql: str, **params: object) -> list[Any]:
    engine = create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(sql), params))
    finally:
        engine.dispose()


def _newcomer(database: Path, event_id: int) -> tuple[int, str]:
    """An organisation of the guest region (СКО) not yet taking part: its id and name."""
    rows = _query(
        database,
        "SELECT o.id, o.name_ru FROM organisations o JOIN regions r ON r.id = o.region_id "
        "WHERE r.kato LIKE '59%' AND o.id NOT IN (SELECT organisation_id FROM "
        "event_participants WHERE event_id = :event) ORDER BY o.id",
        event=event_id,
    )
    assert rows, "the demo has organisations of СКО that do not take part"
    return int(rows[0][0]), str(rows[0][1])


def _log_in(page: Any, url: str, email: str, lang: str) -> None:
    page.goto(f"{url}/login?lang={lang}")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()


def _typed_part(name: str) -> str:
    """Part of a name as a person types it: the beginnings of its first two words."""
    words = [w for w in re.findall(r"[^\W\d_]+", name) if len(w) > 2 and w not in ("ТОО", "АО")]
    return " ".join(w[:5].lower() for w in words[:2])


def _register_by_autocomplete(page: Any, url: str, event_id: int, org: tuple[int, str],
                              lang: str) -> None:  # fmt: skip
    """The organiser adds a participant: part of its name typed, arrows, Enter."""
    org_id, name = org
    _log_in(page, url, "vko@seriktes.demo", lang)
    page.goto(f"{url}/events/{event_id}/participants/new?lang={lang}")
    field = page.locator("input#f-organisation")
    assert field.get_attribute("role") == "combobox"
    assert field.get_attribute("aria-expanded") == "false"
    field.press_sequentially(_typed_part(name), delay=40)
    options = page.locator("[role=listbox] [role=option]")
    options.first.wait_for()
    assert field.get_attribute("aria-expanded") == "true"
    listbox_id = field.get_attribute("aria-controls")
    assert listbox_id and page.locator(f"#{listbox_id}").count() == 1
    status = page.locator("[data-org-picker] [role=status]")
    assert re.search(r"\d", status.text_content() or "")  # the count is announced
    ids = [options.nth(i).get_attribute("data-org-id") for i in range(options.count())]
    assert str(org_id) in ids, (name, ids)
    for _ in range(ids.index(str(org_id)) + 1):
        field.press("ArrowDown")
    active = field.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("data-org-id") == str(org_id)
    assert page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    screenshot(page, f"event-catalogue-autocomplete-{lang}")
    field.press("Enter")  # chooses; the form is not sent yet
    assert field.get_attribute("aria-expanded") == "false"
    assert page.locator("input[name=organisation_id]").input_value() == str(org_id)
    assert page.url.endswith(f"/participants/new?lang={lang}")
    page.click("form[data-participant-form] button[type=submit]")
    page.wait_for_selector("p.notice")
    assert page.locator(f"tr[data-participant] a[href='/organisations/{org_id}']").count() == 1
    screenshot(page, f"event-catalogue-participant-added-{lang}")


def _request_from_the_catalogue(page: Any, url: str, database: Path, event_id: int,
                                lang: str) -> None:  # fmt: skip
    """A participant's member requests a meeting with a topic from the catalogue."""
    _log_in(page, url, "buyer@seriktes.demo", lang)
    page.goto(f"{url}/events/{event_id}/participants?lang={lang}")
    card = page.locator("article[data-catalogue-participant]:has(form[data-ask])").first
    card.wait_for()
    recipient = card.get_attribute("data-catalogue-participant")
    topic = f"Поставки — {lang}"
    card.locator("input[name=topic]").fill(topic)
    screenshot(page, f"event-catalogue-{lang}")
    card.locator("button[type=submit]").click()
    page.wait_for_selector("p.notice")
    assert page.locator(f"tr[data-request]:has-text('{topic}')").count() == 1
    stored = _query(database, "SELECT recipient_id, topic FROM meeting_requests WHERE topic = :t",
                    t=topic)  # fmt: skip
    assert [(str(r[0]), r[1]) for r in stored] == [(recipient, topic)]
    screenshot(page, f"event-catalogue-request-sent-{lang}")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_register_by_autocomplete_then_request_from_the_catalogue(
    demo: tuple[str, Path], browser: Any, lang: str
) -> None:
    url, database = demo
    (event_id,) = _query(database, "SELECT id FROM events WHERE title = :t", t=DEMO_EVENT_TITLE)[0]
    newcomer = _newcomer(database, event_id)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        _register_by_autocomplete(page, url, event_id, newcomer, lang)
        page.context.clear_cookies()
        _request_from_the_catalogue(page, url, database, event_id, lang)
    finally:
        context.close()
