"""A need's ranked producers, an offer's buyers and free-text search through the API."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus
from seriktes.matches.models import Match
from seriktes.matches.service import build_matcher, match_needs, parse_partners
from seriktes.registry.models import ClassifierCode, ClassifierSystem
from tests.api.conftest import SKO, VKO, World, changed
from tests.webkit import make_need, make_offer, make_org, make_user, region, token_headers

FACTORS = ["text", "class", "unit", "capacity", "region", "certificate", "import_substitution"]
CLASSES = [
    ("28.15", 4, "Подшипники, зубчатые передачи"),
    ("28.15.10", 6, "Подшипники шариковые и роликовые"),
    ("10.61", 4, "Продукция мукомольной промышленности"),
    ("10.61.21", 6, "Мука пшеничная"),
    ("25.94.11", 6, "Болты, винты, гайки из черных металлов"),
]


@dataclass
class Market:
    """A bearing need of the owner (ВКО) and offers of producers elsewhere."""

    need: Need
    partner: Offer  # СКО, the partner region
    far: Offer  # Алматы
    flour: Offer
    hidden: Offer  # a draft offer of a fourth organisation


@pytest.fixture
def market(world: World, db_session: Session) -> Market:
    s = db_session
    s.add_all(
        ClassifierCode(system=ClassifierSystem.KPVED, code=code, level=level, name_ru=name)
        for code, level, name in CLASSES
    )
    almaty = make_org(s, "750000000", "ТОО «Алматы Подшипник»")
    hidden_org = make_org(s, "750000000", "ТОО «Скрытый»")
    market = Market(
        need=make_need(s, world.owner, "Подшипник 6205-2RS закрытый"),
        partner=make_offer(s, world.other, "Подшипники шариковые 6205-2RS"),
        far=make_offer(s, almaty, "Подшипник 6205 ZZ"),
        flour=changed(s, make_offer(s, world.other, "Мука пшеничная"), class_code="10.61.21"),
        hidden=make_offer(s, hidden_org, "Подшипник 6205-2RS"),
    )
    match_needs(s, build_matcher(s, parse_partners(["63:59"])), [market.need.id])
    changed(s, market.hidden, status=OfferStatus.DRAFT)
    return market


def test_a_need_lists_its_producers_with_explanations(
    client: TestClient, market: Market, world: World
) -> None:
    response = client.get(f"/api/v1/needs/{market.need.id}/matches")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["need"]["id"] == market.need.id
    matches = body["matches"]
    offers = [m["offer"]["id"] for m in matches]
    assert offers == [market.partner.id, market.far.id], "the draft offer is not shown"
    assert [m["rank"] for m in matches] == [1, 3], "stored ranks; the draft offer was 2nd"
    assert matches[0]["score"] > matches[1]["score"]
    best = matches[0]
    assert best["offer"]["producer"]["region"]["kato"] == "590000000"
    assert best["need_class"] == "28.15.10" and best["class_level"] == 6
    explanation = best["explanation"]
    assert [f["name"] for f in explanation["factors"]] == FACTORS
    assert "подшипник" in explanation["matched_terms"]
    region = next(f for f in explanation["factors"] if f["name"] == "region")
    assert region["note"] == "partner region"
    assert region["contribution"] == pytest.approx(region["value"] * region["weight"], abs=1e-4)
    staff = client.get(
        f"/api/v1/needs/{market.need.id}/matches", headers=world.headers("admin")
    ).json()
    assert [(m["rank"], m["offer"]["id"]) for m in staff["matches"]] == [
        (1, market.partner.id),
        (2, market.hidden.id),
        (3, market.far.id),
    ]


def test_the_matches_answer_shows_the_need_and_offers_as_their_own_routes_do(
    client: TestClient, market: Market, world: World, db_session: Session
) -> None:
    # the matches route reads plain columns, the need and offer routes read entities
    changed(
        db_session,
        market.need,
        quantity=Decimal("12.5"),
        unit_price=Decimal("1000.10"),
        delivery_region=region(db_session, SKO),
    )
    changed(db_session, market.partner, price=Decimal("99.99"), certificates=["ST-KZ 1"])
    body = client.get(f"/api/v1/needs/{market.need.id}/matches").json()
    assert body["need"] == client.get(f"/api/v1/needs/{market.need.id}").json()
    assert body["need"]["amount"] == pytest.approx(12501.25)
    assert body["need"]["delivery_region"]["kato"] == SKO
    for match in body["matches"]:
        assert match["offer"] == client.get(f"/api/v1/offers/{match['offer']['id']}").json()
    hits = client.get("/api/v1/search", params={"q": "подшипник"}).json()["offers"]
    for hit in hits:
        assert hit["offer"] == client.get(f"/api/v1/offers/{hit['offer']['id']}").json()


def test_members_see_their_own_draft_producers_and_no_one_elses(
    client: TestClient, market: Market, world: World, db_session: Session
) -> None:
    # statements are kept per draft access: one member's must not serve another
    url = f"/api/v1/needs/{market.need.id}/matches"
    hidden_member = make_user(db_session, Role.MEMBER, market.hidden.producer)
    for turn in range(2):
        own = client.get(url, headers=token_headers(db_session, hidden_member)).json()
        assert [m["offer"]["id"] for m in own["matches"]] == [
            market.partner.id,
            market.hidden.id,
            market.far.id,
        ], turn
        other = client.get(url, headers=world.headers("other_member")).json()
        assert market.hidden.id not in [m["offer"]["id"] for m in other["matches"]], turn


def test_matches_of_an_unreadable_need_are_404(
    client: TestClient, market: Market, world: World, db_session: Session
) -> None:
    changed(db_session, market.need, status=NeedStatus.DRAFT)
    url = f"/api/v1/needs/{market.need.id}/matches"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=world.headers("other_member")).status_code == 404
    assert client.get(url, headers=world.headers("member")).status_code == 200
    assert client.get("/api/v1/needs/424242/matches").json()["error"] == "NotFound"


def test_a_need_whose_producers_are_all_hidden_is_shown_without_them(
    client: TestClient, market: Market, db_session: Session
) -> None:
    for offer in (market.partner, market.far):
        changed(db_session, offer, status=OfferStatus.DRAFT)
    body = client.get(f"/api/v1/needs/{market.need.id}/matches").json()
    assert (body["need"]["id"], body["need"]["title"]) == (market.need.id, market.need.title)
    assert body["need"]["buyer"]["name_ru"] == "ТОО «Восток Подшипник»"
    assert body["matches"] == []


def test_an_offer_lists_the_buyers_it_fits(
    client: TestClient, market: Market, world: World, db_session: Session
) -> None:
    response = client.get(f"/api/v1/offers/{market.partner.id}/fits")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["offer"]["id"] == market.partner.id
    assert [f["need"]["id"] for f in body["fits"]] == [market.need.id]
    fit = body["fits"][0]
    assert (fit["rank"], fit["need"]["buyer"]["name_ru"]) == (1, "ТОО «Восток Подшипник»")
    assert [f["name"] for f in fit["explanation"]["factors"]] == FACTORS
    assert client.get(f"/api/v1/offers/{market.flour.id}/fits").json()["fits"] == []
    changed(db_session, market.need, status=NeedStatus.DRAFT)
    assert client.get(f"/api/v1/offers/{market.partner.id}/fits").json()["fits"] == []
    own = client.get(f"/api/v1/offers/{market.partner.id}/fits", headers=world.headers("member"))
    assert [f["need"]["id"] for f in own.json()["fits"]] == [market.need.id]
    assert client.get(f"/api/v1/offers/{market.hidden.id}/fits").status_code == 404


def test_deleting_a_need_deletes_its_matches(
    client: TestClient, market: Market, world: World, db_session: Session
) -> None:
    def stored_matches() -> int:
        db_session.flush()
        query = select(func.count(Match.id)).where(Match.need_id == market.need.id)
        return int(db_session.scalar(query) or 0)

    assert stored_matches() == 3
    url = f"/api/v1/needs/{market.need.id}"
    assert client.delete(url, headers=world.headers("admin")).status_code == 204
    assert stored_matches() == 0
    assert client.get(f"{url}/matches").status_code == 404


def test_search_finds_classes_and_published_offers(client: TestClient, market: Market) -> None:
    response = client.get("/api/v1/search", params={"q": "подшипник 6205-2RS"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["query"] == "подшипник 6205-2RS"
    assert body["classes"][0]["code"] == "28.15.10" and body["classes_available"]
    assert body["classes"][0]["name"] == "Подшипники шариковые и роликовые"
    found = [hit["offer"]["id"] for hit in body["offers"]]
    assert found[0] == market.partner.id
    assert set(found) == {market.partner.id, market.far.id}, "no flour, no draft"
    scores = [hit["score"] for hit in body["offers"]]
    assert scores == sorted(scores, reverse=True)
    one = client.get("/api/v1/search", params={"q": "подшипник", "limit": 1}).json()
    assert len(one["offers"]) == 1
    flour = client.get("/api/v1/search", params={"q": "мука"}).json()
    assert [hit["offer"]["id"] for hit in flour["offers"]] == [market.flour.id]


def test_search_refuses_an_empty_query_and_answers_blanks_with_nothing(
    client: TestClient, market: Market
) -> None:
    empty = client.get("/api/v1/search?q=")
    assert (empty.status_code, empty.json()["errors"][0]["loc"]) == (422, ["query", "q"])
    assert client.get("/api/v1/search").status_code == 422
    blank = client.get("/api/v1/search", params={"q": "   "}).json()
    assert blank == {"query": "", "classes": [], "offers": [], "classes_available": True}


def test_search_says_when_no_classifier_is_loaded(
    client: TestClient, world: World, db_session: Session
) -> None:
    make_offer(db_session, world.other, "Подшипник 6205-2RS")
    body = client.get("/api/v1/search", params={"q": "подшипник"}).json()
    assert (body["classes"], body["classes_available"]) == ([], False)
    assert len(body["offers"]) == 1


def test_search_sees_an_offer_added_after_the_first_search(
    client: TestClient, market: Market, world: World, db_session: Session
) -> None:
    assert client.get("/api/v1/search", params={"q": "звёздочка"}).json()["offers"] == []
    created = client.post(
        "/api/v1/offers",
        json={"producer_id": world.owner.id, "title": "Звёздочка цепная", "status": "published"},
        headers=world.headers("member"),
    )
    assert created.status_code == 201
    found = client.get("/api/v1/search", params={"q": "звёздочка"}).json()["offers"]
    assert [hit["offer"]["id"] for hit in found] == [created.json()["id"]]
    assert found[0]["offer"]["producer"]["region"]["kato"] == VKO
