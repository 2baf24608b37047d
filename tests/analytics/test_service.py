"""The analytics service on SQLite and PostgreSQL: turnover, complementarity, SMEs, memoranda,
region look-up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from seriktes.agreements.models import DealStatus, KpiKind
from seriktes.analytics import service
from seriktes.analytics.compute import Measure, Period
from seriktes.catalog.models import Origin
from seriktes.kit.errors import ValidationFailed
from seriktes.registry.models import SizeClass
from tests.agreements.kit import Agreement, commitment_in, make_agreement
from tests.analytics.builders import PAVLODAR, SKO, VKO, deal, match, need, offer, org

M = 1_000_000


def test_turnover_counts_deliveries_or_the_contract_and_skips_cancelled(
    db_session: Session,
) -> None:
    buyer, supplier = org(db_session, VKO, SizeClass.LARGE), org(db_session, SKO, SizeClass.SMALL)
    other = org(db_session, PAVLODAR, SizeClass.MEDIUM)
    deal(
        db_session,
        buyer,
        supplier,
        date(2026, 1, 20),
        10 * M,
        "28.15.10",
        [(date(2026, 2, 1), 4 * M), (date(2026, 5, 1), 5 * M), (date(2026, 6, 1), None)],
    )
    deal(db_session, buyer, supplier, date(2026, 3, 3), 2 * M, "01.11.11")  # nothing delivered
    deal(db_session, buyer, supplier, date(2026, 3, 4), 99 * M, status=DealStatus.CANCELLED)
    deal(db_session, supplier, buyer, date(2027, 1, 5), 3 * M, "24.42.11")
    deal(db_session, other, buyer, date(2026, 4, 1), 7 * M)

    matrix = service.turnover(db_session, Period.QUARTER, "section")
    assert matrix.totals()[SKO, VKO] == Decimal(11 * M)  # 4 + 5 delivered, 2 contracted
    assert matrix.series(SKO, VKO) == {"2026-Q1": Decimal(6 * M), "2026-Q2": Decimal(5 * M)}
    assert matrix.by_group(SKO, VKO) == {"C": Decimal(9 * M), "A": Decimal(2 * M)}
    assert matrix.totals()[VKO, SKO] == Decimal(3 * M)
    assert matrix.totals()[VKO, PAVLODAR] == Decimal(7 * M)

    delivered = service.turnover(db_session, Period.YEAR, measure=Measure.DELIVERED)
    assert delivered.totals() == {(SKO, VKO): Decimal(9 * M)}
    contracted = service.turnover(db_session, Period.YEAR, "division", Measure.CONTRACTED)
    assert contracted.series(SKO, VKO) == {"2026": Decimal(12 * M)}
    assert contracted.by_group(SKO, VKO) == {"28": Decimal(10 * M), "01": Decimal(2 * M)}

    pair = service.turnover(db_session, Period.YEAR, regions=[VKO, SKO])
    assert set(pair.totals()) == {(SKO, VKO), (VKO, SKO)}


def test_unknown_product_level_is_refused(db_session: Session) -> None:
    with pytest.raises(ValidationFailed, match="product level"):
        service.turnover(db_session, Period.YEAR, "class")


def test_complementarity_of_needs_with_capacity_value_of_offers(db_session: Session) -> None:
    buyer, producer = org(db_session, VKO, SizeClass.LARGE), org(db_session, SKO, SizeClass.SMALL)
    need(db_session, buyer, "28.15.10", 50 * M)
    need(db_session, buyer, "22.19.40", 30 * M, origin=Origin.DOMESTIC)
    need(db_session, buyer, "25.99.29", 20 * M)
    offer(db_session, producer, "28.14.13", capacity=200, price=10_000)  # 2 M a year
    offer(db_session, producer, "22.19.40", capacity=100, price=20_000)  # 2 M
    offer(db_session, producer, "10.51.11", capacity=600, price=10_000)  # 6 M
    offer(db_session, producer, "10.51.12", capacity=100, price=None)  # no value

    found = service.complementarity_of(db_session, VKO, SKO)
    # needs 28: .5, 22: .3, 25: .2; offers 28: .2, 22: .2, 10: .6 → TCI = 40
    assert found.basis == "capacity_value"
    assert found.result.index == pytest.approx(40.0)
    assert found.need_value["28"] == Decimal(50 * M)
    assert found.offer_value["10"] == Decimal(6 * M)
    sections = service.complementarity_of(db_session, VKO, SKO, "section")
    assert sections.result.index == pytest.approx(100.0)  # 10, 22, 25, 28: all section C


def test_complementarity_counts_offers_when_none_is_priced(db_session: Session) -> None:
    buyer, producer = org(db_session, VKO, SizeClass.LARGE), org(db_session, SKO, SizeClass.SMALL)
    need(db_session, buyer, "28.15.10", 10 * M)
    offer(db_session, producer, "28.15.10", capacity=5, price=None)
    offer(db_session, producer, "10.51.11", capacity=5, price=None)
    found = service.complementarity_of(db_session, VKO, SKO)
    assert found.basis == "offer_count"
    assert found.result.index == pytest.approx(50.0)
    assert service.complementarity_of(db_session, SKO, VKO).result.index is None


def test_sme_shares_of_matched_and_contracted_value(db_session: Session) -> None:
    large = org(db_session, VKO, SizeClass.LARGE, "АО «Большой Комбинат»")
    medium_buyer = org(db_session, VKO, SizeClass.MEDIUM)
    small = org(db_session, SKO, SizeClass.SMALL)
    big_maker = org(db_session, SKO, SizeClass.LARGE)
    unknown = org(db_session, SKO, None)
    small_offer = offer(db_session, small, "28.15.10", 10, 100)
    big_offer = offer(db_session, big_maker, "28.15.10", 10, 100)
    first = need(db_session, large, "28.15.10", 6 * M)
    second = need(db_session, large, "28.15.10", 4 * M)
    match(db_session, first, small_offer, rank=1, score=0.9)
    match(db_session, first, big_offer, rank=2, score=0.8)  # not the best: not counted
    match(db_session, second, big_offer, rank=1, score=0.7)
    not_large = need(db_session, medium_buyer, "28.15.10", 50 * M)
    match(db_session, not_large, small_offer, rank=1, score=0.9)
    deal(db_session, large, small, date(2026, 2, 1), 3 * M)
    deal(db_session, large, big_maker, date(2026, 2, 1), 1 * M)
    deal(db_session, large, unknown, date(2026, 2, 2), 4 * M)
    deal(db_session, large, small, date(2025, 2, 1), 50 * M)  # another year

    found = service.sme_figures(db_session, [VKO, SKO], 2026)
    assert found.matched_buyers[large.id].total == Decimal(10 * M)
    assert found.matched_buyers[large.id].share == pytest.approx(0.6)
    assert medium_buyer.id not in found.matched_buyers
    contracted = found.contracted_buyers[large.id]
    assert contracted.total == Decimal(8 * M) and contracted.unknown == Decimal(4 * M)
    assert contracted.share == pytest.approx(3 / 8)
    assert found.contracted_regions[VKO].share == pytest.approx(3 / 8)
    assert found.names[large.id][0] == "АО «Большой Комбинат»"
    assert found.buyer_ids() == [large.id]
    every_year = service.sme_figures(db_session)
    assert every_year.contracted_buyers[large.id].total == Decimal(58 * M)


@pytest.fixture
def agreement(db_session: Session) -> Agreement:
    """The agreements tests' ВКО ↔ СКО memorandum (industry, trade) with three commitments."""
    return make_agreement(db_session)


def test_memoranda_execution_uses_the_agreements_statuses(
    db_session: Session, agreement: Agreement
) -> None:
    from seriktes.agreements import service as agreements

    contracts = agreements.create_commitment(
        db_session,
        agreement.admin,
        agreement.memo.id,
        commitment_in(KpiKind.CONTRACTS_COUNT, "1", sector="agriculture"),
    )
    agreement.deal("150000000", commitment_ids=[agreement.turnover.id, contracts.id])
    db_session.expire_all()
    on = date(2026, 7, 2)
    found = service.memoranda_execution(db_session, [VKO, SKO], on)
    pair = found.by_pair[(SKO, VKO)]
    # turnover achieved (150 M ≥ 100 M), contracts 1 ≥ 1 achieved, supply and jobs at risk
    assert pair.statuses == {"achieved": 2, "at_risk": 2}
    assert pair.share == pytest.approx(0.5)
    assert found.by_sector["agriculture"].statuses == {"achieved": 1}
    assert found.by_sector["industry"].total == 3 and found.by_sector["trade"].total == 3
    [memo] = found.memoranda
    assert memo.number == "М-2026/01" and memo.regions == (SKO, VKO)
    assert [line.status for line in memo.commitments].count("achieved") == 2
    assert service.memoranda_execution(db_session, [PAVLODAR], on).memoranda == []


@pytest.mark.parametrize(
    ("text", "kato"),
    [
        ("630000000", VKO),
        ("63", VKO),
        ("631010000", VKO),
        ("ВКО", VKO),
        ("вко", VKO),
        ("ШҚО", VKO),
        ("СКО", SKO),
        ("СҚО", SKO),
        ("Северо-Казахстанская область", SKO),
        ("Павлодарская", PAVLODAR),
    ],
)
def test_regions_by_code_or_name(db_session: Session, text: str, kato: str) -> None:
    assert service.resolve_region(db_session, text).kato == kato


@pytest.mark.parametrize("text", ["Марс", "990000000", "", "0"])
def test_unknown_regions_are_refused(db_session: Session, text: str) -> None:
    with pytest.raises(ValidationFailed, match="unknown region"):
        service.resolve_region(db_session, text)
