"""What write routes accept: creation defaults, partial changes, located validation errors."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.catalog.models import Need, Offer
from seriktes.registry.models import Organisation
from tests.api.conftest import SKO, World, stored
from tests.webkit import make_need, make_offer


def refused(response: Any, loc: list[object]) -> None:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "ValidationFailed"
    assert loc in [e["loc"] for e in body["errors"]], body


def test_a_created_need_resolves_units_regions_and_enstru_classes(
    client: TestClient, world: World
) -> None:
    response = client.post(
        "/api/v1/needs",
        json={
            "buyer_id": world.owner.id,
            "title": "  Подшипник 6205  ",
            "unit_code": "шт.",
            "quantity": "12.5",
            "unit_price": 1500,
            "enstru_code": "281523.170.354209",
            "delivery_region": "59",
            "needed_by": "2027-05-01",
            "origin": "far_abroad",
            "status": "published",
        },
        headers=world.headers("member"),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["title"], body["unit_code"], body["class_code"]) == (
        "Подшипник 6205",
        "796",
        "28.15.23",
    )
    assert (body["amount"], body["delivery_region"]["kato"], body["status"]) == (
        18750,
        SKO,
        "published",
    )
    assert body["external_id"].startswith("web:") and body["source"] == "web"
    assert body["buyer"]["id"] == world.owner.id


def test_creation_errors_are_located(client: TestClient, world: World) -> None:
    member = world.headers("member")
    base = {"buyer_id": world.owner.id, "title": "Болт"}
    refused(
        client.post("/api/v1/needs", json={**base, "unit_code": "вёдра"}, headers=member),
        [
            "body",
            "unit_code",
        ],
    )
    refused(
        client.post("/api/v1/needs", json={"buyer_id": world.owner.id}, headers=member),
        [
            "body",
            "title",
        ],
    )
    refused(
        client.post("/api/v1/needs", json={**base, "quantity": -1}, headers=member),
        [
            "body",
            "quantity",
        ],
    )
    refused(
        client.post("/api/v1/needs", json={**base, "class_code": "xx"}, headers=member),
        [
            "body",
            "class_code",
        ],
    )
    refused(
        client.post("/api/v1/needs", json={**base, "owner": 1}, headers=member),
        [
            "body",
            "owner",
        ],
    )
    missing = client.post("/api/v1/needs", json={**base, "buyer_id": 99999}, headers=member)
    assert (missing.status_code, missing.json()["error"]) == (404, "NotFound")


def test_patch_changes_only_what_is_sent(
    client: TestClient, world: World, db_session: Session
) -> None:
    need = make_need(db_session, world.owner, description="Старое описание")
    before = stored(db_session, Need, need.id)
    assert before is not None
    response = client.patch(
        f"/api/v1/needs/{need.id}", json={"description": None}, headers=world.headers("member")
    )
    assert response.status_code == 200, response.text
    after = stored(db_session, Need, need.id)
    assert after is not None
    changed = {key for key in before if before[key] != after[key]}
    bookkeeping = {"updated_at", "version", "field_versions"}  # every write moves these
    assert changed <= {"description", *bookkeeping} and "description" in changed
    assert after["version"] == before["version"] + 1
    assert after["field_versions"] == {"description": after["version"]}
    assert after["description"] is None and after["title"] == before["title"]


def test_patch_refuses_what_cannot_change_and_keeps_the_row(
    client: TestClient, world: World, db_session: Session
) -> None:
    need = make_need(db_session, world.owner)
    offer = make_offer(db_session, world.owner)
    member = world.headers("member")
    before = (stored(db_session, Need, need.id), stored(db_session, Offer, offer.id))
    url = f"/api/v1/needs/{need.id}"
    refused(
        client.patch(url, json={"buyer_id": world.other.id}, headers=member),
        [
            "body",
            "buyer_id",
        ],
    )
    refused(client.patch(url, json={"title": None}, headers=member), ["body", "title"])
    refused(client.patch(url, json={"status": "open"}, headers=member), ["body", "status"])
    refused(
        client.patch(url, json={"delivery_region": "99"}, headers=member),
        [
            "body",
            "delivery_region",
        ],
    )
    offer_url = f"/api/v1/offers/{offer.id}"
    refused(client.patch(offer_url, json={"hs_code": "12"}, headers=member), ["body", "hs_code"])
    refused(
        client.patch(offer_url, json={"certificates": None}, headers=member),
        [
            "body",
            "certificates",
        ],
    )
    after = (stored(db_session, Need, need.id), stored(db_session, Offer, offer.id))
    assert after == before


def test_organisation_profile_changes(
    client: TestClient, world: World, db_session: Session
) -> None:
    url = f"/api/v1/organisations/{world.owner.id}"
    coordinator = world.headers("coordinator")
    world.owner.website = "old.example.kz"
    response = client.patch(
        url,
        json={"email": "sales@vostok.kz", "website": "", "name_kk": "«Шығыс Мойынтірек» ЖШС"},
        headers=coordinator,
    )
    assert response.status_code == 200, response.text
    after = stored(db_session, Organisation, world.owner.id)
    assert after is not None
    assert (after["email"], after["website"], after["name_kk"]) == (
        "sales@vostok.kz",
        None,
        "«Шығыс Мойынтірек» ЖШС",
    )
    assert response.json()["email"] == "sales@vostok.kz"
    refused(
        client.patch(url, json={"email": "not-an-address"}, headers=coordinator),
        [
            "body",
            "email",
        ],
    )
    refused(client.patch(url, json={"bin": "123456789012"}, headers=coordinator), ["body", "bin"])
    refused(client.patch(url, json={"oked": "123456"}, headers=coordinator), ["body", "oked"])
    assert stored(db_session, Organisation, world.owner.id) == after
    missing = client.patch("/api/v1/organisations/99999", json={}, headers=coordinator)
    assert missing.status_code == 404


def test_texts_with_nul_characters_are_refused_on_every_backend(
    client: TestClient, world: World, db_session: Session
) -> None:
    need = make_need(db_session, world.owner)
    admin = world.headers("admin")
    before = stored(db_session, Need, need.id)
    for method, url, body, field in [
        ("POST", "/api/v1/needs", {"buyer_id": world.owner.id, "title": "a\x00b"}, "title"),
        (
            "POST",
            "/api/v1/offers",
            {"producer_id": world.owner.id, "title": "t", "certificates": ["KZ\x00"]},
            "certificates",
        ),
        ("PATCH", f"/api/v1/needs/{need.id}", {"description": "x\x00"}, "description"),
        ("PATCH", f"/api/v1/organisations/{world.owner.id}", {"address": "\x00"}, "address"),
    ]:
        refused(client.request(method, url, json=body, headers=admin), ["body", field])
    assert stored(db_session, Need, need.id) == before


def test_a_repeated_external_id_is_a_conflict(
    client: TestClient, world: World, db_session: Session
) -> None:
    body = {"buyer_id": world.owner.id, "title": "Болт", "external_id": "PLAN-7"}
    member = world.headers("member")
    assert client.post("/api/v1/needs", json=body, headers=member).status_code == 201
    again = client.post("/api/v1/needs", json={**body, "title": "Гайка"}, headers=member)
    assert again.status_code == 409
    assert again.json()["errors"][0]["loc"] == ["body", "external_id"]
    titles = client.get(
        f"/api/v1/needs?organisation_id={world.owner.id}&status=draft", headers=member
    ).json()["items"]
    assert [n["title"] for n in titles] == ["Болт"], "the session is still usable afterwards"


def test_ids_beyond_32_bits_are_refused_not_overflowed(client: TestClient, world: World) -> None:
    admin = world.headers("admin")
    too_big = 2**31
    refused(
        client.post("/api/v1/needs", json={"buyer_id": too_big, "title": "t"}, headers=admin),
        ["body", "buyer_id"],
    )
    refused(
        client.post("/api/v1/offers", json={"producer_id": too_big, "title": "t"}, headers=admin),
        ["body", "producer_id"],
    )
    refused(client.get(f"/api/v1/needs/{too_big}/matches"), ["path", "need_id"])
    refused(client.get(f"/api/v1/needs?organisation_id={too_big}"), ["query", "organisation_id"])
