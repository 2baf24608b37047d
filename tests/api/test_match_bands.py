"""Bands through the API: each match carries its band and verdict, weak matches are left out
unless asked for, and a need without a strong or possible match says where producers of its
class are."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.catalog.models import Need, Offer, OfferStatus
from seriktes.matches.models import Match
from seriktes.matches.service import build_matcher, match_needs, parse_partners
from tests.api.conftest import SKO, VKO, World, changed
from tests.webkit import make_need, make_offer, make_org

PAVLODAR, KARAGANDA = "550000000", "350000000"
PIPES = "24.20.13"  # steel pipes; the plastic pipe's producer gave it the same class


@dataclass
class Pipes:
    """A steel pipe need of the owner (ВКО) and offers of the partner region (СКО)."""

    need: Need
    steel: Offer
    plastic: Offer  # the same product in another material: weak


@pytest.fixture
def pipes(world: World, db_session: Session) -> Pipes:
    s = db_session
    need = changed(s, make_need(s, world.owner, "Труба стальная электросварная 57х3,5"),
                   class_code=PIPES)  # fmt: skip
    steel = changed(s, make_offer(s, world.other, "Труба стальная электросварная 57х3,5 мм"),
                    class_code=PIPES)  # fmt: skip
    plastic_maker = make_org(s, SKO, "ТОО «Полимер Север»")
    plastic = changed(s, make_offer(s, plastic_maker, "Труба полипропиленовая 57 мм"),
                      class_code=PIPES)  # fmt: skip
    match_needs(s, build_matcher(s, parse_partners([f"{VKO}:{SKO}"])), [need.id])
    return Pipes(need, steel, plastic)


def test_matches_carry_their_band_and_the_weak_ones_are_asked_for(
    client: TestClient, pipes: Pipes
) -> None:
    url = f"/api/v1/needs/{pipes.need.id}/matches"
    body = client.get(url).json()
    assert [m["offer"]["id"] for m in body["matches"]] == [pipes.steel.id]
    best = body["matches"][0]
    assert (best["band"], best["verdict"]) == ("strong", "the product agrees")
    assert body["weak_matches"] == 1 and body["coverage"] is None

    every = client.get(url, params={"include_weak": "true"}).json()
    assert [m["offer"]["id"] for m in every["matches"]] == [pipes.steel.id, pipes.plastic.id]
    weak = every["matches"][1]
    assert weak["band"] == "weak"
    assert weak["verdict"] == "material: steel vs polypropylene"
    assert weak["score"] < best["score"]
    assert client.get(url, params={"include_weak": "maybe"}).status_code == 422


def test_an_offer_fits_only_where_it_is_not_weak_unless_asked(
    client: TestClient, pipes: Pipes
) -> None:
    url = f"/api/v1/offers/{pipes.plastic.id}/fits"
    body = client.get(url).json()
    assert (body["fits"], body["weak_fits"]) == ([], 1)
    every = client.get(url, params={"include_weak": "true"}).json()
    assert [(f["need"]["id"], f["band"]) for f in every["fits"]] == [(pipes.need.id, "weak")]
    steel = client.get(f"/api/v1/offers/{pipes.steel.id}/fits").json()
    assert [(f["band"], f["verdict"]) for f in steel["fits"]] == [("strong", "the product agrees")]


def test_rows_stored_before_bands_are_banded_by_score(
    client: TestClient, pipes: Pipes, db_session: Session
) -> None:
    for offer, score in ((pipes.steel, 0.5), (pipes.plastic, 0.3)):
        row = db_session.query(Match).filter_by(need_id=pipes.need.id, offer_id=offer.id).one()
        row.explanation = {k: v for k, v in row.explanation.items() if k not in ("band", "verdict")}
        row.score = score
    db_session.flush()
    every = client.get(f"/api/v1/needs/{pipes.need.id}/matches?include_weak=1").json()
    assert [(m["band"], m["verdict"]) for m in every["matches"]] == [
        ("possible", ""),
        ("weak", ""),
    ]


def test_a_need_without_producers_of_its_class_nearby_names_the_nearest_regions(
    client: TestClient, world: World, db_session: Session
) -> None:
    s = db_session
    need = make_need(s, world.owner, "Подшипник 6205-2RS закрытый")  # class 28.15.10
    far = make_offer(s, make_org(s, KARAGANDA), "Подшипник 6205 ZZ")
    changed(s, make_offer(s, make_org(s, PAVLODAR), "Ремонт подшипниковых узлов"),
            class_code="28.15.22")  # fmt: skip  # work, not goods: refused, but of the class
    changed(s, make_offer(s, world.other, "Подшипник 6205"), class_code="28.15.10",
            status=OfferStatus.DRAFT)  # fmt: skip  # a draft in the partner region does not count
    changed(s, far, status=OfferStatus.DRAFT)
    match_needs(s, build_matcher(s, parse_partners([f"{VKO}:{SKO}"])), [need.id])
    changed(s, far, status=OfferStatus.PUBLISHED)  # published after the need was matched: no match

    body = client.get(f"/api/v1/needs/{need.id}/matches").json()
    assert body["matches"] == [] and body["weak_matches"] == 0
    coverage = body["coverage"]
    assert coverage["class_code"] == "28.15"
    assert coverage["partner_regions"] == [VKO, SKO]
    assert coverage["offers_in_partner_regions"] == 0
    nearest = [(r["kato"], r["name_ru"], r["offers"]) for r in coverage["nearest"]]
    assert nearest == [
        (PAVLODAR, "Павлодарская область", 1),
        (KARAGANDA, "Карагандинская область", 1),
    ]
    assert 400 < coverage["nearest"][0]["km"] < coverage["nearest"][1]["km"] < 800


def test_coverage_says_when_the_class_is_near_or_nowhere(
    client: TestClient, world: World, db_session: Session
) -> None:
    s = db_session
    need = make_need(s, world.owner, "Подшипник 6205-2RS закрытый")
    url = f"/api/v1/needs/{need.id}/matches"
    nowhere = client.get(url).json()["coverage"]
    assert (nowhere["offers_in_partner_regions"], nowhere["nearest"]) == (0, [])
    changed(
        s, make_offer(s, world.other, "Шестерня"), class_code="28.15.24", status=OfferStatus.DRAFT
    )
    make_offer(s, world.other, "Ремонт подшипников")  # class 28.15.10, in the partner region
    near = client.get(url).json()["coverage"]
    assert (near["offers_in_partner_regions"], near["nearest"]) == (1, [])
    changed(s, need, class_code=None)
    unknown = client.get(url).json()
    assert unknown["coverage"] is None, "no class given nor guessed (no classifier loaded)"


def test_the_openapi_schema_describes_bands_and_coverage(client: TestClient) -> None:
    schema = client.app.openapi()  # type: ignore[attr-defined]
    match = schema["components"]["schemas"]["MatchOut"]
    assert match["properties"]["band"]["enum"] == ["strong", "possible", "weak"]
    assert {"band", "verdict"} <= set(match["required"])
    answer = schema["components"]["schemas"]["NeedMatchesOut"]["properties"]
    assert {"coverage", "weak_matches"} <= set(answer)
    route = schema["paths"]["/api/v1/needs/{need_id}/matches"]["get"]
    assert "include_weak" in [p["name"] for p in route["parameters"]]
