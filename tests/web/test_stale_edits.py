"""Edit forms carry the version they were rendered with: a record changed through the API
meanwhile is not overwritten; the form comes back (409) with, for each field changed, what
the user typed and what is saved now, in the user's language; saving it again keeps the
user's values. Needs, offers, organisations, memoranda, commitments and deals, on SQLite
and PostgreSQL."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.agreements.models import Commitment, Deal, Memorandum
from seriktes.catalog.models import Need, NeedStatus, Offer
from seriktes.matches import cache as engine_cache
from seriktes.registry.models import Organisation
from tests.agreements.kit import Agreement, make_agreement
from tests.api.conftest import stored
from tests.webkit import build_app, login, make_need, make_offer, token_headers


class _Form(HTMLParser):
    """The fields of the first form whose action is `action`, as a browser would post them."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action, self.inside, self.fields = action, False, {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action") == self.action
        elif self.inside and tag == "input" and "name" in a:
            if a.get("type") != "checkbox" or "checked" in a:
                self.fields[a["name"]] = a.get("value", "")
        elif self.inside and tag == "select":
            self._select = a["name"]
            self.fields.setdefault(self._select, "")
        elif self.inside and tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")
        elif self.inside and tag == "textarea":
            self._textarea = a["name"]
            self.fields[self._textarea] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_fields(page: str, action: str) -> dict[str, str]:
    """What a browser posts from the form of `page` that posts to `action`."""
    parser = _Form(action)
    parser.feed(page)
    assert parser.fields, f"the page has a form posting to {action}"
    return parser.fields


def conflict_note(page: str, field: str) -> tuple[str, str] | None:
    """(typed, saved meanwhile) shown next to `field`, None when it is not marked."""
    found = re.search(
        rf'data-conflict-for="{field}">.*?<q class="typed">(.*?)</q>.*?<q class="stored">(.*?)</q>',
        page,
        re.S,
    )
    return (html.unescape(found.group(1)), html.unescape(found.group(2))) if found else None


@dataclass(frozen=True)
class Kind:
    """How to reach one kind of record: its model, its edit page, its JSON route."""

    model: type[Any]
    make: Callable[[Agreement], Any]
    page: str  # the edit page, with {id}
    api: str  # the JSON resource, with {id}
    field: str  # a field both the form and the API change
    done: str  # where a saved form goes, with {id}


def _need(world: Agreement) -> Need:
    return make_need(world.session, world.buyer, "Плиты футеровочные")


def _offer(world: Agreement) -> Offer:
    return make_offer(world.session, world.supplier, "Плиты футеровочные")


KINDS = {
    "need": Kind(Need, _need, "/needs/{id}/edit", "/api/v1/needs/{id}", "title", "/needs/{id}"),
    "offer": Kind(
        Offer, _offer, "/offers/{id}/edit", "/api/v1/offers/{id}", "title", "/offers/{id}"
    ),
    "organisation": Kind(
        Organisation,
        lambda w: w.buyer,
        "/organisations/{id}/edit",
        "/api/v1/organisations/{id}",
        "address",
        "/organisations/{id}",
    ),
    "memorandum": Kind(
        Memorandum,
        lambda w: w.memo,
        "/memoranda/{id}/edit",
        "/api/v1/memoranda/{id}",
        "title",
        "/memoranda/{id}",
    ),
    "commitment": Kind(
        Commitment,
        lambda w: w.turnover,
        "/commitments/{id}/edit",
        "/api/v1/commitments/{id}",
        "title",
        "/commitments/{id}?done=saved",
    ),
    "deal": Kind(
        Deal,
        lambda w: w.deal(confirmed=False),
        "/deals/{id}/edit",
        "/api/v1/deals/{id}",
        "subject",
        "/deals/{id}",
    ),
}


@pytest.fixture
def world(db_session: Session) -> Iterator[Agreement]:
    """The agreements world (an administrator, a ВКО buyer, an СКО supplier, a memorandum)."""
    engine_cache.clear()
    yield make_agreement(db_session)
    engine_cache.clear()


@pytest.fixture
def browser(db_session: Session) -> Iterator[TestClient]:
    """A browser of the app on the test's transaction."""
    with TestClient(build_app(db_session)) as client:
        yield client


@pytest.fixture
def api(db_session: Session) -> Iterator[TestClient]:
    """Another client: the API user who changes the record meanwhile."""
    with TestClient(build_app(db_session)) as client:
        yield client


@pytest.mark.parametrize("name", KINDS)
def test_a_form_posted_after_an_api_change_is_refused_with_both_values(
    name: str, world: Agreement, browser: TestClient, api: TestClient, db_session: Session
) -> None:
    kind = KINDS[name]
    row = kind.make(world)
    page, resource = kind.page.format(id=row.id), kind.api.format(id=row.id)
    token = login(browser, world.admin)
    fields = form_fields(browser.get(page).text, page)
    assert fields["version"] == str(row.version)

    changed = api.patch(
        resource,
        json={kind.field: "Изменено через API"},
        headers=token_headers(db_session, world.admin),
    )
    assert changed.status_code == 200, changed.text
    before = stored(db_session, kind.model, row.id)
    assert before is not None

    posted = {**fields, kind.field: "Введено в форме", "csrf_token": token}
    refused = browser.post(page, data=posted, follow_redirects=False)

    assert refused.status_code == 409, refused.text
    assert conflict_note(refused.text, kind.field) == ("Введено в форме", "Изменено через API")
    assert "Пока вы редактировали, запись изменил кто-то другой" in refused.text
    assert stored(db_session, kind.model, row.id) == before  # nothing was written
    again = form_fields(refused.text, page)
    assert again[kind.field] == "Введено в форме"  # the user's value stays in the field
    assert again["version"] == str(before["version"])  # saving again is a choice made knowingly

    kept = browser.post(page, data={**again, "csrf_token": token}, follow_redirects=False)
    assert kept.status_code == 303, kept.text
    assert kept.headers["location"].startswith(kind.done.format(id=row.id))
    after = stored(db_session, kind.model, row.id)
    assert after is not None and after[kind.field] == "Введено в форме"
    assert after["version"] == before["version"] + 1


def test_a_form_not_changed_meanwhile_saves(
    world: Agreement, browser: TestClient, db_session: Session
) -> None:
    need = _need(world)
    token = login(browser, world.admin)
    page = f"/needs/{need.id}/edit"
    fields = form_fields(browser.get(page).text, page)
    saved = browser.post(
        page, data={**fields, "title": "Плиты 20 мм", "csrf_token": token}, follow_redirects=False
    )
    assert saved.status_code == 303
    assert stored(db_session, Need, need.id)["title"] == "Плиты 20 мм"  # type: ignore[index]


@pytest.mark.parametrize(
    ("lang", "notice", "draft"),
    [
        ("ru", "Пока вы редактировали, запись изменил кто-то другой", "Черновик"),
        ("kk", "Сіз өңдеп жатқанда жазбаны басқа біреу өзгертті", "Жоба"),
        ("en", "Someone changed this record while you were editing it", "Draft"),
    ],
)
def test_the_conflict_is_told_in_the_users_language_with_labels_of_chosen_values(
    lang: str,
    notice: str,
    draft: str,
    world: Agreement,
    browser: TestClient,
    api: TestClient,
    db_session: Session,
) -> None:
    need = _need(world)
    token = login(browser, world.admin)
    browser.cookies.set("lang", lang)
    page = f"/needs/{need.id}/edit"
    fields = form_fields(browser.get(page).text, page)
    headers = token_headers(db_session, world.admin)
    assert api.patch(
        f"/api/v1/needs/{need.id}", json={"status": "draft"}, headers=headers
    ).is_success

    refused = browser.post(page, data={**fields, "csrf_token": token}, follow_redirects=False)

    assert refused.status_code == 409
    assert notice in html.unescape(refused.text)
    typed, saved = conflict_note(refused.text, "status") or ("", "")
    assert saved == draft and typed != draft
    assert conflict_note(refused.text, "title") is None  # only what changed meanwhile
    assert stored(db_session, Need, need.id)["status"] is NeedStatus.DRAFT  # type: ignore[index]


def test_a_version_that_is_no_number_is_refused_at_the_field(
    world: Agreement, browser: TestClient, db_session: Session
) -> None:
    need = _need(world)
    token = login(browser, world.admin)
    page = f"/needs/{need.id}/edit"
    fields = form_fields(browser.get(page).text, page)
    bad = browser.post(
        page, data={**fields, "version": "٣", "title": "Другое", "csrf_token": token}
    )
    assert bad.status_code == 422
    assert stored(db_session, Need, need.id)["title"] == "Плиты футеровочные"  # type: ignore[index]


def test_the_status_and_link_forms_on_detail_pages_carry_the_version(
    world: Agreement, browser: TestClient, api: TestClient, db_session: Session
) -> None:
    deal = world.deal(confirmed=False)
    token = login(browser, world.admin)
    memo_form = form_fields(
        browser.get(f"/memoranda/{world.memo.id}").text, f"/memoranda/{world.memo.id}/status"
    )
    link_form = form_fields(browser.get(f"/deals/{deal.id}").text, f"/deals/{deal.id}/commitments")
    headers = token_headers(db_session, world.admin)
    api.patch(
        f"/api/v1/memoranda/{world.memo.id}", json={"title": "Новое название"}, headers=headers
    )
    api.patch(f"/api/v1/deals/{deal.id}", json={"subject": "Другой предмет"}, headers=headers)

    status = browser.post(
        f"/memoranda/{world.memo.id}/status",
        data={**memo_form, "status": "closed", "csrf_token": token},
        follow_redirects=False,
    )
    link = browser.post(
        f"/deals/{deal.id}/commitments",
        data={**link_form, "commitment_ids": str(world.turnover.id), "csrf_token": token},
        follow_redirects=False,
    )

    assert (status.status_code, link.status_code) == (409, 409)
    assert stored(db_session, Memorandum, world.memo.id)["status"].value == "published"  # type: ignore[index]
    db_session.refresh(deal)
    assert deal.commitments == []
