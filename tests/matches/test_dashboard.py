"""Region-pair dashboard figures, counted in SQL, on a small hand-made data set."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import false
from sqlalchemy.orm import Session

from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus, Origin
from seriktes.kit.errors import ValidationFailed
from seriktes.matches.dashboard import (
    Visibility,
    best_matches,
    country_regions,
    pair_dashboard,
    parse_pair,
)
from seriktes.matches.models import Match
from seriktes.registry.models import ClassifierCode, ClassifierSystem, Organisation
from tests.webkit import make_need, make_offer, make_org

EAST, NORTH, KARAGANDA = "630000000", "590000000", "350000000"


@dataclass
class PairSite:
    """What `seed_pair` created, by role."""

    east_buyers: list[Organisation]
    east_producer: Organisation
    north_buyer: Organisation
    north_producers: list[Organisation]
    other_producer: Organisation
    needs: dict[str, Need]
    offers: dict[str, Offer]


def _match(session: Session, need: Need, offer: Offer, score: float, rank: int = 1) -> None:
    session.add(
        Match(
            need_id=need.id,
            offer_id=offer.id,
            rank=rank,
            score=score,
            class_level=6,
            need_class=need.class_code,
            explanation={},
        )
    )


def seed_pair(session: Session) -> PairSite:
    """ВКО buyers with far-abroad needs, СКО and Karaganda producers, and stored matches.

    Public view of ВКО ← СКО: 6 open needs, 5 of them far abroad worth 13,010,000 KZT;
    2 have a match from an СКО producer (5,010,000 KZT); 4 stored matches.
    СКО ← ВКО: 1 far-abroad need worth 300,000 KZT, matched by the ВКО producer.
    """
    east_buyers = [make_org(session, EAST, "АО «Восток Медь»"), make_org(session, EAST)]
    east_producer = make_org(session, EAST, "ТОО «Усть-Каменогорск Литьё»")
    north_buyer = make_org(session, NORTH, "АО «Кызылжар Энерго»")
    north_producers = [make_org(session, NORTH, "ТОО «Кызылжар РТИ»"), make_org(session, NORTH)]
    other_producer = make_org(session, KARAGANDA)
    first, second = east_buyers

    def need(
        buyer: Organisation,
        title: str,
        price: int | None,
        quantity: Decimal = Decimal(10),
        class_code: str = "28.15.10",
        origin: Origin = Origin.FAR_ABROAD,
        status: NeedStatus = NeedStatus.PUBLISHED,
    ) -> Need:
        made = make_need(session, buyer, title, status, unit_price=price and Decimal(price))
        made.quantity, made.class_code, made.origin = quantity, class_code, origin
        return made

    needs = {
        "bearing": need(first, "Подшипник 6205-2RS", 1_000),  # 10 × 1,000
        "belt": need(
            first,
            "Лента конвейерная 1000 мм",
            2_500_000,
            quantity=Decimal(2),
            class_code="22.19.40",
        ),
        "belt_k": need(
            second, "Лента конвейерная 800 мм", 250_000, quantity=Decimal(4), class_code="22.19.40"
        ),
        "unpriced": need(second, "Подшипник без цены", None),
        "domestic": need(second, "Цемент М400", 5_000, origin=Origin.DOMESTIC),
        "draft": need(first, "Секретный черновик", 9_000, status=NeedStatus.DRAFT),
        "closed": need(first, "Закрытая закупка", 9_000, status=NeedStatus.CLOSED),
        "liner": need(
            second, "Футеровка мельницы", 7_000_000, quantity=Decimal(1), class_code="25.99.29"
        ),
        "north": need(north_buyer, "Подшипник 6310", 100_000, quantity=Decimal(3)),
    }
    offers = {
        "n1": make_offer(session, north_producers[0], "Подшипники и ленты"),
        "n2": make_offer(session, north_producers[1], "Ленты конвейерные"),
        "n_draft": make_offer(session, north_producers[0], "Черновик", status=OfferStatus.DRAFT),
        "n_old": make_offer(session, north_producers[1], "Архив", status=OfferStatus.ARCHIVED),
        "east": make_offer(session, east_producer, "Литьё и подшипники"),
        "karaganda": make_offer(session, other_producer, "Ленты из Караганды"),
    }
    for need_key, offer_key, score, rank in [
        ("bearing", "n1", 0.9, 1),
        ("bearing", "n2", 0.6, 2),
        ("belt", "n2", 0.5, 1),
        ("belt_k", "karaganda", 0.7, 1),
        ("unpriced", "east", 0.8, 1),
        ("domestic", "n1", 0.4, 1),
        ("draft", "n1", 0.9, 1),
        ("closed", "n1", 0.9, 1),
        ("liner", "n_draft", 0.95, 1),
        ("north", "east", 0.8, 1),
    ]:
        _match(session, needs[need_key], offers[offer_key], score, rank)
    session.add(
        ClassifierCode(
            system=ClassifierSystem.KPVED,
            code="22.19.40",
            parent_code="22.19",
            level=6,
            name_ru="Ленты конвейерные",
            name_kk="Конвейер таспалары",
        )
    )
    session.flush()
    return PairSite(
        east_buyers, east_producer, north_buyer, north_producers, other_producer, needs, offers
    )


def test_pair_figures_count_open_needs_and_partner_matches(db_session: Session) -> None:
    seed_pair(db_session)
    data = pair_dashboard(db_session, EAST, NORTH)
    east, north = data.a, data.b
    assert (east.region.kato, north.region.kato) == (EAST, NORTH)
    assert (east.region.organisations, east.region.needs, east.region.offers) == (3, 6, 1)
    assert (north.region.organisations, north.region.needs, north.region.offers) == (3, 1, 2)
    assert east.region.far_abroad_needs == 5
    assert east.far_value == Decimal(13_010_000)
    assert (east.matched_needs, east.matched_value) == (2, Decimal(5_010_000))
    assert east.share == pytest.approx(0.4)
    assert east.matches == 4, (
        "bearing ×2, belt, domestic; not the draft, closed or draft-offer ones"
    )
    assert (north.far_value, north.matched_needs, north.matched_value) == (
        Decimal(300_000),
        1,
        Decimal(300_000),
    )
    assert north.matches == 1


def test_directions_list_classes_buyers_and_best_matches(db_session: Session) -> None:
    site = seed_pair(db_session)
    east_from_north, north_from_east = pair_dashboard(db_session, EAST, NORTH).directions
    assert east_from_north.buyers.region.kato == EAST
    assert east_from_north.producers.region.kato == NORTH
    classes = [
        (c.code, c.needs, c.matched_needs, c.far_value, c.matched_value)
        for c in east_from_north.classes
    ]
    assert classes == [
        ("22.19.40", 2, 1, Decimal(6_000_000), Decimal(5_000_000)),
        ("28.15.10", 2, 1, Decimal(10_000), Decimal(10_000)),
        ("25.99.29", 1, 0, Decimal(7_000_000), Decimal(0)),
    ]
    belts, _bearings, liners = east_from_north.classes
    assert belts.label("kk") == "22.19.40 Конвейер таспалары"
    assert belts.label("ru") == "22.19.40 Ленты конвейерные"
    assert liners.label("ru") == "25.99.29", "no name in the registry: the code alone"
    assert liners.example == "Футеровка мельницы", "a need of the class tells what it is"
    buyers = [(b.id, b.needs, b.far_value, b.matched_value) for b in east_from_north.top_buyers]
    first, second = site.east_buyers
    assert buyers == [
        (second.id, 3, Decimal(8_000_000), Decimal(0)),
        (first.id, 2, Decimal(5_010_000), Decimal(5_010_000)),
    ]
    best = [(m.need_id, m.producer.id, m.score) for m in east_from_north.best]
    assert best == [
        (site.needs["bearing"].id, site.north_producers[0].id, 0.9),
        (site.needs["belt"].id, site.north_producers[1].id, 0.5),
        (site.needs["domestic"].id, site.north_producers[0].id, 0.4),
    ]
    assert [m.need_title for m in north_from_east.best] == ["Подшипник 6310"]
    assert north_from_east.top_buyers[0].name("ru") == "АО «Кызылжар Энерго»"


def test_minimum_score_keeps_only_strong_matches(db_session: Session) -> None:
    site = seed_pair(db_session)
    data = pair_dashboard(db_session, EAST, NORTH, min_score=0.55)
    assert (data.a.matched_needs, data.a.matched_value, data.a.matches) == (1, Decimal(10_000), 2)
    assert [m.need_id for m in data.directions[0].best] == [site.needs["bearing"].id]
    assert data.b.matched_needs == 1, "0.8 passes"


def test_another_pair_and_the_order_of_the_regions(db_session: Session) -> None:
    seed_pair(db_session)
    data = pair_dashboard(db_session, KARAGANDA, EAST)
    assert data.a.region.kato == KARAGANDA
    east = data.b
    assert (east.matched_needs, east.matched_value) == (1, Decimal(1_000_000))
    assert east.matches == 1
    assert data.a.matched_needs == 0 and data.a.far_value == 0


def test_reader_conditions_are_applied(db_session: Session) -> None:
    site = seed_pair(db_session)
    hidden = site.east_buyers[0].id
    seen = Visibility(needs=Need.buyer_id != hidden)
    data = pair_dashboard(db_session, EAST, NORTH, seen=seen)
    assert data.a.region.needs == 4
    assert (data.a.matched_needs, data.a.matches) == (0, 1)
    nothing = pair_dashboard(db_session, EAST, NORTH, seen=Visibility(offers=false()))
    assert (nothing.a.region.offers, nothing.a.matches, nothing.a.matched_needs) == (0, 0, 0)
    assert best_matches(db_session, EAST, NORTH, Visibility(offers=false())) == []


def test_country_table_has_every_top_level_region(db_session: Session) -> None:
    seed_pair(db_session)
    rows = country_regions(db_session)
    assert len(rows) == 20
    assert rows[0].name_ru == "область Абай", "«область Абай» sorts under А"
    names = [row.name_ru for row in rows]
    assert names[3:6] == ["Алматинская область", "г.Алматы", "г.Астана"], "cities by name"
    east = next(row for row in rows if row.kato == EAST)
    assert (east.organisations, east.needs, east.offers, east.far_abroad_needs) == (3, 6, 1, 5)
    assert east.short("ru") == "ВКО" and east.short("kk") == "ШҚО"


def test_pairs_are_parsed_and_checked(db_session: Session) -> None:
    assert parse_pair("63:59") == (EAST, NORTH)
    assert parse_pair(" 630000000 : 590000000 ") == (EAST, NORTH)
    for bad in ("63", "63:59:11", "ab:59", "6300000001:59"):
        with pytest.raises(ValidationFailed, match="two KATO codes"):
            parse_pair(bad)
    with pytest.raises(ValidationFailed, match="unknown top-level region"):
        pair_dashboard(db_session, "120000000", NORTH)


def test_weak_matches_make_no_need_matched_and_add_no_potential(db_session: Session) -> None:
    site = seed_pair(db_session)
    liner = Match(need_id=site.needs["liner"].id, offer_id=site.offers["n1"].id, rank=2,
                  score=0.8, class_level=4, explanation={"band": "weak"})  # fmt: skip
    db_session.add(liner)
    db_session.flush()
    data = pair_dashboard(db_session, EAST, NORTH)
    assert (data.a.matched_needs, data.a.matched_value, data.a.matches) == (
        2,
        Decimal(5_010_000),
        4,
    ), "as without the weak match"
    assert site.needs["liner"].id not in [m.need_id for m in data.directions[0].best]
    liner.explanation = {"band": "possible"}
    db_session.flush()
    data = pair_dashboard(db_session, EAST, NORTH)
    assert (data.a.matched_needs, data.a.matched_value, data.a.matches) == (
        3,
        Decimal(12_010_000),
        5,
    )
