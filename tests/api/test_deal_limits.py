"""Deals through the API: amounts must be above 0 and within the stated maximum, a link to a
row that does not exist is a located 422 (never a 500 from the database), and another
organisation's draft need or offer cannot be named by a deal or a meeting request."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.catalog.models import NeedStatus, OfferStatus
from seriktes.events.schemas import ParticipantIn
from seriktes.events.service import add_participant
from tests.api.agreementkit import Scene, make_scene
from tests.api.conftest import World
from tests.api.eventkit import PAVLODAR
from tests.api.eventkit import make_scene as make_event_scene
from tests.webkit import make_need, make_offer, make_org, make_user, token_headers


@pytest.fixture
def scene(world: World, db_session: Session) -> Scene:
    """The agreements API scene."""
    return make_scene(world, db_session)


def new_deal(scene: Scene, **fields: Any) -> dict[str, Any]:
    return {
        "number": "LIM-1",
        "signed_on": "2026-06-01",
        "buyer_id": scene.deal.buyer_id,
        "supplier_id": scene.supplier_id,
        "subject": "Прокат",
        "amount": "1000",
        **fields,
    }


def located(response: Any) -> list[tuple[Any, ...]]:
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "ValidationFailed"
    return [tuple(e["loc"]) for e in response.json()["errors"]]


@pytest.mark.parametrize(
    "fields",
    [
        {"amount": "0"},
        {"amount": "-5"},
        {"amount": "1000000000000001"},  # above the stated maximum of 10^15
        {"amount": "100000000000000", "currency": "USD"},  # 10^14 USD: above 10^15 KZT
        {"amount": "1000000000000000", "rate_to_kzt": "999999999999"},  # beyond any precision
    ],
)
def test_amounts_out_of_bounds_are_refused_on_the_amount(
    client: TestClient, world: World, scene: Scene, fields: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/deals", json=new_deal(scene, **fields), headers=world.headers("member")
    )
    assert ("body", "amount") in located(response)
    patched = client.patch(
        f"/api/v1/deals/{scene.deal.id}", json=fields, headers=world.headers("member")
    )
    assert ("body", "amount") in located(patched)


@pytest.mark.parametrize("field", ["need_id", "offer_id", "meeting_id", "memorandum_id"])
def test_a_link_to_nothing_is_a_located_422(
    client: TestClient, world: World, scene: Scene, field: str
) -> None:
    url = f"/api/v1/deals/{scene.deal.id}"
    kept = client.get(url, headers=world.headers("member")).json()[field]
    response = client.patch(url, json={field: 2_000_000_000}, headers=world.headers("member"))
    assert located(response) == [("body", field)]
    created = client.post(
        "/api/v1/deals",
        json=new_deal(scene, **{field: 2_000_000_000}),
        headers=world.headers("member"),
    )
    assert located(created) == [("body", field)]
    assert client.get(url, headers=world.headers("member")).json()[field] == kept


def test_a_deal_cannot_name_another_organisations_draft(
    client: TestClient, world: World, scene: Scene, db_session: Session
) -> None:
    supplier = db_session.get(type(world.owner), scene.supplier_id)
    assert supplier is not None
    draft = make_offer(db_session, supplier, "Неопубликованный прокат", status=OfferStatus.DRAFT)
    body = new_deal(scene, offer_id=draft.id)
    response = client.post("/api/v1/deals", json=body, headers=world.headers("member"))
    assert located(response) == [("body", "offer_id")]
    assert "Неопубликованный" not in response.text
    theirs = token_headers(db_session, make_user(db_session, Role.MEMBER, supplier))
    mine = client.post("/api/v1/deals", json=body, headers=theirs)  # the supplier's own draft
    assert mine.status_code == 201, mine.text
    assert mine.json()["offer_id"] == draft.id


def test_a_meeting_request_cannot_name_another_organisations_draft(
    client: TestClient, world: World, db_session: Session
) -> None:
    event_scene = make_event_scene(world, db_session)
    organiser = make_user(db_session, Role.ADMIN)
    other = make_org(db_session, PAVLODAR, "ТОО «Павлодар Трубы»")
    guest = add_participant(
        db_session, organiser, event_scene.event.id, ParticipantIn(organisation_id=other.id)
    )
    draft_offer = make_offer(db_session, other, "Секретная труба", status=OfferStatus.DRAFT)
    draft_need = make_need(db_session, other, "Секретная закупка", status=NeedStatus.DRAFT)
    url = f"/api/v1/events/{event_scene.event.id}/requests"
    ask = {"requester_id": event_scene.owner.id, "recipient_id": guest.id}
    headers = world.headers("member")
    for field, line in (("offer_id", draft_offer), ("need_id", draft_need)):
        response = client.post(url, json={**ask, field: line.id}, headers=headers)
        assert located(response) == [("body", field)]
    published = make_offer(db_session, other, "Труба стальная")
    sent = client.post(url, json={**ask, "offer_id": published.id}, headers=headers)
    assert sent.status_code == 201, sent.text
