"""Optimistic locking through the JSON API: a record's GET carries its version (the ETag and
`version`); a PATCH with If-Match of an older version is a 409 in the app's error shape naming
the fields changed meanwhile, and writes nothing; without If-Match it is made as before.
Needs, offers, organisations, memoranda, commitments and deals, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from seriktes.agreements.models import Commitment, Deal, Memorandum
from seriktes.catalog.models import Need, Offer
from seriktes.registry.models import Organisation
from tests.agreements.kit import Agreement, make_agreement
from tests.api.conftest import stored
from tests.webkit import build_app, make_need, make_offer, token_headers


@dataclass(frozen=True)
class Kind:
    """A kind of versioned record: how to make one, its JSON resource, two changes."""

    model: type[Any]
    make: Callable[[Agreement], Any]
    url: str
    meanwhile: dict[str, Any]  # what another client changes first
    mine: dict[str, Any]  # what the stale client sends afterwards
    changed: list[str]  # the fields the 409 names


KINDS = {
    "need": Kind(
        Need,
        lambda w: make_need(w.session, w.buyer),
        "/api/v1/needs/{id}",
        {"title": "Подшипник 6206", "quantity": "12"},
        {"description": "Срочно"},
        ["quantity", "title"],
    ),
    "offer": Kind(
        Offer,
        lambda w: make_offer(w.session, w.supplier),
        "/api/v1/offers/{id}",
        {"price": "1500"},
        {"title": "Подшипники"},
        ["price"],
    ),
    "organisation": Kind(
        Organisation,
        lambda w: w.buyer,
        "/api/v1/organisations/{id}",
        {"phone": "+7 7232 000000", "oked": "24.10"},
        {"address": "Усть-Каменогорск"},
        ["oked", "phone"],
    ),
    "memorandum": Kind(
        Memorandum,
        lambda w: w.memo,
        "/api/v1/memoranda/{id}",
        {"sectors": ["mining"]},
        {"title": "О сотрудничестве"},
        ["sectors"],
    ),
    "commitment": Kind(
        Commitment,
        lambda w: w.turnover,
        "/api/v1/commitments/{id}",
        {"target": "200000000"},
        {"title": "Товарооборот"},
        ["target"],
    ),
    "deal": Kind(
        Deal,
        lambda w: w.deal(confirmed=False),
        "/api/v1/deals/{id}",
        {"amount": "70000000"},
        {"subject": "Плиты"},
        ["amount", "amount_kzt"],
    ),
}


@pytest.fixture
def agreement(db_session: Session) -> Agreement:
    """An administrator, a ВКО buyer, an СКО supplier and their memorandum."""
    return make_agreement(db_session)


@pytest.mark.parametrize("name", KINDS)
def test_a_stale_patch_is_a_409_naming_the_fields_changed_meanwhile(
    name: str, client: TestClient, agreement: Agreement, db_session: Session
) -> None:
    kind = KINDS[name]
    row = kind.make(agreement)
    url = kind.url.format(id=row.id)
    headers = token_headers(db_session, agreement.admin)
    read = client.get(url, headers=headers)
    tag = read.headers["ETag"]
    assert tag == f'"{read.json()["version"]}"'

    first = client.patch(url, json=kind.meanwhile, headers={**headers, "If-Match": tag})
    assert first.status_code == 200, first.text
    assert first.headers["ETag"] == f'"{int(read.json()["version"]) + 1}"'
    assert first.json()["version"] == int(read.json()["version"]) + 1
    before = stored(db_session, kind.model, row.id)

    stale = client.patch(url, json=kind.mine, headers={**headers, "If-Match": tag})

    assert stale.status_code == 409, stale.text
    body = stale.json()
    assert body["error"] == "Conflict" and set(body) == {
        "error",
        "code",
        "detail",
        "params",
        "errors",
    }
    named = sorted(item["loc"][-1] for item in body["errors"])
    assert [item["loc"][0] for item in body["errors"]] == ["body"] * len(named)
    assert set(kind.changed) <= set(named)
    assert not set(kind.mine) & set(named)  # what only the stale client changes is not named
    assert stored(db_session, kind.model, row.id) == before  # nothing was written


@pytest.mark.parametrize("name", KINDS)
def test_a_patch_without_if_match_is_made_as_before(
    name: str, client: TestClient, agreement: Agreement, db_session: Session
) -> None:
    kind = KINDS[name]
    row = kind.make(agreement)
    url = kind.url.format(id=row.id)
    headers = token_headers(db_session, agreement.admin)
    assert client.patch(url, json=kind.meanwhile, headers=headers).status_code == 200
    answer = client.patch(url, json=kind.mine, headers=headers)
    assert answer.status_code == 200, answer.text
    after = stored(db_session, kind.model, row.id)
    assert after is not None
    field, value = next(iter(kind.mine.items()))
    assert after[field] == value


def test_if_match_that_names_no_version_is_a_422_at_the_header(
    client: TestClient, agreement: Agreement, db_session: Session
) -> None:
    need = make_need(db_session, agreement.buyer)
    headers = {**token_headers(db_session, agreement.admin), "If-Match": "yesterday"}
    answer = client.patch(f"/api/v1/needs/{need.id}", json={"title": "X"}, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["header", "If-Match"]
    assert stored(db_session, Need, need.id)["title"] != "X"  # type: ignore[index]


def test_if_match_star_and_weak_tags_are_understood(
    client: TestClient, agreement: Agreement, db_session: Session
) -> None:
    need = make_need(db_session, agreement.buyer)
    url, headers = f"/api/v1/needs/{need.id}", token_headers(db_session, agreement.admin)
    assert client.patch(url, json={"title": "A"}, headers={**headers, "If-Match": "*"}).is_success
    weak = {**headers, "If-Match": 'W/"2"'}
    assert client.patch(url, json={"title": "B"}, headers=weak).is_success
    assert client.patch(url, json={"title": "C"}, headers=weak).status_code == 409


def test_lists_show_each_records_version(
    client: TestClient, agreement: Agreement, db_session: Session
) -> None:
    need = make_need(db_session, agreement.buyer)
    need.quantity = Decimal(11)
    db_session.flush()
    found = client.get("/api/v1/needs", params={"organisation_id": agreement.buyer.id}).json()
    assert [(item["id"], item["version"]) for item in found["items"]] == [(need.id, 2)]


def test_a_concurrent_write_found_at_flush_is_a_409_not_an_error_page(
    db_session: Session,
) -> None:
    app = build_app(db_session)

    @app.get("/api/v1/test-race")
    def race() -> None:
        raise StaleDataError("UPDATE statement on table 'needs' expected to update 1 row(s)")

    with TestClient(app) as client:
        answer = client.get("/api/v1/test-race")
    assert answer.status_code == 409
    assert answer.json()["error"] == "Conflict" and "same moment" in answer.json()["detail"]
