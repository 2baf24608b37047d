"""Needs and offers through the API: lists, filters, sorting, pages, details, drafts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus, Origin
from seriktes.registry.models import Organisation
from tests.api.conftest import SKO, VKO, World, changed
from tests.webkit import make_need, make_offer, make_org, region


def ids(response_json: dict[str, object]) -> list[int]:
    items = response_json["items"]
    assert isinstance(items, list)
    return [item["id"] for item in items]


def need(session: Session, buyer: Organisation, title: str, **values: object) -> Need:
    return changed(session, make_need(session, buyer, title), **values)


def offer(session: Session, producer: Organisation, title: str, **values: object) -> Offer:
    return changed(session, make_offer(session, producer, title), **values)


@pytest.fixture
def needs(world: World, db_session: Session) -> dict[str, Need]:
    """Five needs of two buyers: four published or closed, one draft."""
    s, owner, other = db_session, world.owner, world.other
    return {
        "bearing": need(s, owner, "Подшипник 6205-2RS", quantity=Decimal(40)),
        "liner": need(s, owner, "Футеровка мельницы МШЦ", class_code="28.92.61", quantity=2),
        "flour": need(
            s, other, "Мука пшеничная", class_code="10.61.21", origin=Origin.DOMESTIC, quantity=5
        ),
        "closed": need(s, other, "Болт М16", status=NeedStatus.CLOSED, quantity=Decimal(900)),
        "draft": need(s, owner, "Черновик: звёздочка", status=NeedStatus.DRAFT, quantity=1),
    }


def test_the_public_lists_published_and_closed_needs_newest_first(
    client: TestClient, needs: dict[str, Need]
) -> None:
    page = client.get("/api/v1/needs").json()
    expected = [needs[k].id for k in ("closed", "flour", "liner", "bearing")]
    assert ids(page) == expected
    assert (page["total"], page["page"], page["per_page"], page["pages"]) == (4, 1, 25, 1)


def test_needs_filters(client: TestClient, needs: dict[str, Need], world: World) -> None:
    def found(query: str) -> set[int]:
        response = client.get(f"/api/v1/needs?{query}")
        assert response.status_code == 200, response.text
        return set(ids(response.json()))

    assert found("q=ПОДШИПНИК") == {needs["bearing"].id}
    assert found("q=мельниц") == {needs["liner"].id}
    assert found(f"region={SKO}") == {needs["flour"].id, needs["closed"].id}
    assert found("region=63") == {needs["bearing"].id, needs["liner"].id}
    assert found("class_code=28.15") == {needs["bearing"].id, needs["closed"].id}
    assert found("class_code=28") == {needs["bearing"].id, needs["liner"].id, needs["closed"].id}
    assert found("origin=domestic") == {needs["flour"].id}
    assert found("status=closed") == {needs["closed"].id}
    assert found("status=draft") == set()
    assert found(f"organisation_id={world.other.id}") == {needs["flour"].id, needs["closed"].id}
    assert found(f"organisation_id={world.other.id}&origin=far_abroad") == {needs["closed"].id}


def test_needs_sort_and_pages(client: TestClient, needs: dict[str, Need]) -> None:
    by_quantity = client.get("/api/v1/needs?sort=-quantity").json()
    assert ids(by_quantity) == [needs[k].id for k in ("closed", "bearing", "flour", "liner")]
    by_title = client.get("/api/v1/needs?sort=title").json()
    assert [i["title"] for i in by_title["items"]] == [
        "Болт М16",
        "Мука пшеничная",
        "Подшипник 6205-2RS",
        "Футеровка мельницы МШЦ",
    ]
    first = client.get("/api/v1/needs?sort=title&per_page=3").json()
    second = client.get("/api/v1/needs?sort=title&per_page=3&page=2").json()
    assert ids(first) + ids(second) == ids(by_title)
    assert (second["total"], second["pages"], second["page"]) == (4, 2, 2)
    refused = client.get("/api/v1/needs?sort=buyer")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["query", "sort"]


def test_need_detail(client: TestClient, needs: dict[str, Need], db_session: Session) -> None:
    bearing = changed(
        db_session,
        needs["bearing"],
        unit_price=Decimal("1250.50"),
        needed_by=date(2027, 3, 1),
        delivery_region_id=region(db_session, SKO).id,
    )
    body = client.get(f"/api/v1/needs/{bearing.id}").json()
    assert body["title"] == "Подшипник 6205-2RS"
    assert body["buyer"]["name_ru"] == "ТОО «Восток Подшипник»"
    assert body["buyer"]["region"]["kato"] == VKO
    assert (body["quantity"], body["unit_code"], body["unit_name"]) == (40, "796", "шт")
    assert (body["unit_price"], body["amount"]) == (1250.5, 50020.0)
    assert (body["needed_by"], body["origin"], body["status"]) == (
        "2027-03-01",
        "far_abroad",
        "published",
    )
    assert body["delivery_region"]["kato"] == SKO
    missing = client.get("/api/v1/needs/987654")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": "NotFound",
        "code": "no need with id %(need_id)s",
        "detail": "no need with id 987654",
        "params": {"need_id": "987654"},
        "errors": [],
    }


def test_drafts_are_seen_by_their_organisation_and_staff_only(
    client: TestClient, needs: dict[str, Need], world: World
) -> None:
    draft = needs["draft"].id
    for actor, sees in [
        ("public", False),
        ("other_member", False),
        ("member", True),
        ("coordinator", True),
        ("other_coordinator", True),
        ("admin", True),
    ]:
        headers = world.headers(actor)
        detail = client.get(f"/api/v1/needs/{draft}", headers=headers)
        assert detail.status_code == (200 if sees else 404), actor
        listed = client.get("/api/v1/needs?status=draft", headers=headers).json()
        assert ids(listed) == ([draft] if sees else []), actor


def test_a_member_lists_own_drafts_but_not_other_organisations_drafts(
    client: TestClient, world: World, db_session: Session
) -> None:
    own = offer(db_session, world.owner, "Свой черновик", status=OfferStatus.DRAFT)
    foreign = offer(db_session, world.other, "Чужой черновик", status=OfferStatus.DRAFT)
    published = offer(db_session, world.other, "Опубликовано")
    member = world.headers("member")
    assert set(ids(client.get("/api/v1/offers", headers=member).json())) == {
        own.id,
        published.id,
    }
    assert client.get(f"/api/v1/offers/{foreign.id}", headers=member).status_code == 404
    assert client.get(f"/api/v1/offers/{own.id}", headers=member).json()["status"] == "draft"
    assert ids(client.get("/api/v1/offers").json()) == [published.id]


def test_offers_filters_sort_and_detail(
    client: TestClient, world: World, db_session: Session
) -> None:
    third = make_org(db_session, "750000000", "ТОО «Алматы Пласт»")
    bearing = offer(db_session, world.owner, "Подшипники 6205", price=Decimal(900))
    tube = offer(db_session, third, "Труба ПЭ 110", class_code="22.21.21", price=Decimal(5000))
    bolts = offer(
        db_session,
        world.other,
        "Болты М16",
        class_code="25.94.11",
        price=Decimal(30),
        certificates=["KZ 7 590 00002"],
    )
    offer(db_session, world.other, "Архив", status=OfferStatus.ARCHIVED)

    def found(query: str) -> list[int]:
        response = client.get(f"/api/v1/offers?{query}")
        assert response.status_code == 200, response.text
        return ids(response.json())

    assert found("") == [bolts.id, tube.id, bearing.id]
    assert found("sort=price") == [bolts.id, bearing.id, tube.id]
    assert found("sort=-title") == [tube.id, bearing.id, bolts.id]
    assert found("q=труба") == [tube.id]
    assert found("region=75") == [tube.id]
    assert found("class_code=25.94") == [bolts.id]
    assert found(f"organisation_id={world.owner.id}") == [bearing.id]
    assert found("status=archived") == []
    detail = client.get(f"/api/v1/offers/{bolts.id}").json()
    assert detail["producer"]["id"] == world.other.id
    assert (detail["price"], detail["capacity_per_year"]) == (30, 1000)
    assert detail["certificates"] == ["KZ 7 590 00002"]
    assert client.get("/api/v1/offers?origin=domestic").status_code == 200, "origin is ignored"


def test_bad_filters_are_422_in_the_error_shape(client: TestClient) -> None:
    for url, loc in [
        ("/api/v1/needs?status=open", ["query", "status"]),
        ("/api/v1/needs?origin=mars", ["query", "origin"]),
        ("/api/v1/needs?region=East", ["query", "region"]),
        ("/api/v1/offers?class_code=abc", ["query", "class_code"]),
        ("/api/v1/offers?per_page=1000", ["query", "per_page"]),
        ("/api/v1/needs/0", ["path", "need_id"]),
        ("/api/v1/offers/99999999999", ["path", "offer_id"]),
    ]:
        response = client.get(url)
        assert response.status_code == 422, url
        body = response.json()
        assert body["error"] == "ValidationFailed"
        assert [e["loc"] for e in body["errors"]] == [loc], url
        assert all(isinstance(e["msg"], str) and e["msg"] for e in body["errors"])
