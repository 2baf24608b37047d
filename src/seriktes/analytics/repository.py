"""Queries of the analytics: plain rows read from deals, deliveries, needs, offers, matches.

Regions are top-level: an organisation belongs to the oblast (or city of republican
significance) whose KATO code starts with the same two digits as its region's code.
Organisations without a region are left out of every regional figure. Only confirmed deals
count (`COUNTED`): a deal awaiting confirmation or disputed is in no figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, and_, func, select, true, type_coerce
from sqlalchemy.orm import Session, aliased, selectinload

from seriktes.agreements.models import (
    Commitment,
    Confirmation,
    Deal,
    DealStatus,
    Delivery,
    Memorandum,
    MemorandumParty,
    MemorandumStatus,
)
from seriktes.analytics.compute import DealRow, DeliveryRow, Supply
from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus
from seriktes.matches.bands import shown_condition
from seriktes.matches.models import Match
from seriktes.registry.kato import oblast_kato, oblast_of, oblast_sql
from seriktes.registry.models import Organisation, Region, SizeClass

MONEY = Numeric(20, 2)
BuyerOrg = aliased(Organisation, name="buyer_org")
BuyerRegion = aliased(Region, name="buyer_region")
SupplierOrg = aliased(Organisation, name="supplier_org")
SupplierRegion = aliased(Region, name="supplier_region")
COUNTED = and_(Deal.confirmation == Confirmation.CONFIRMED, Deal.status != DealStatus.CANCELLED)


def _in_regions(regions: Iterable[str] | None) -> Any:
    """Both parties of a deal in `regions` (top-level KATO codes); no condition for None."""
    if regions is None:
        return true()
    prefixes = sorted({oblast_of(kato) for kato in regions})
    return and_(
        oblast_sql(BuyerRegion.kato).in_(prefixes), oblast_sql(SupplierRegion.kato).in_(prefixes)
    )


def _deal_parties(stmt: Any) -> Any:
    """Join a statement over deals to the buyer's and the supplier's regions."""
    return (
        stmt.join(BuyerOrg, Deal.buyer_id == BuyerOrg.id)
        .join(BuyerRegion, BuyerOrg.region_id == BuyerRegion.id)
        .join(SupplierOrg, Deal.supplier_id == SupplierOrg.id)
        .join(SupplierRegion, SupplierOrg.region_id == SupplierRegion.id)
    )


def deal_rows(
    session: Session, regions: Iterable[str] | None = None, until: date | None = None
) -> list[DealRow]:
    """Every confirmed deal that is not cancelled, with its parties' top-level regions and
    KZT amount."""
    stmt = _deal_parties(
        select(Deal.id, Deal.signed_on, SupplierRegion.kato, BuyerRegion.kato)
        .add_columns(Deal.class_code, Deal.amount_kzt)
        .select_from(Deal)
    ).where(COUNTED, _in_regions(regions))
    if until is not None:
        stmt = stmt.where(Deal.signed_on <= until)
    return [
        DealRow(deal_id, on, oblast_kato(supplier), oblast_kato(buyer), code, amount)
        for deal_id, on, supplier, buyer, code, amount in session.execute(stmt.order_by(Deal.id))
    ]


def delivery_rows(
    session: Session, regions: Iterable[str] | None = None, until: date | None = None
) -> list[DeliveryRow]:
    """Every delivery with a KZT value of a confirmed deal that is not cancelled: deal, day,
    value."""
    stmt = _deal_parties(
        select(Delivery.deal_id, Delivery.delivered_on, Delivery.amount_kzt)
        .select_from(Delivery)
        .join(Deal, Delivery.deal_id == Deal.id)
    ).where(
        COUNTED,
        Delivery.amount_kzt.is_not(None),
        _in_regions(regions),
    )
    if until is not None:
        stmt = stmt.where(Delivery.delivered_on <= until)
    return [
        DeliveryRow(deal_id, on, amount)
        for deal_id, on, amount in session.execute(stmt.order_by(Delivery.id))
    ]


def recorded_span(session: Session) -> tuple[date | None, date | None]:
    """The first and last dates of the whole database's counted deals (signing) and their
    valued deliveries: what the data cover, in every region."""
    signed = session.execute(
        select(func.min(Deal.signed_on), func.max(Deal.signed_on)).where(COUNTED)
    ).one()
    delivered = session.execute(
        select(func.min(Delivery.delivered_on), func.max(Delivery.delivered_on))
        .join(Deal, Delivery.deal_id == Deal.id)
        .where(COUNTED, Delivery.amount_kzt.is_not(None))
    ).one()
    days = [_day(day) for day in (*signed, *delivered) if day is not None]
    return (min(days), max(days)) if days else (None, None)


def _day(value: Any) -> date:
    """A date from an aggregate (SQLite answers MIN/MAX of dates as text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def need_values(session: Session, region: str) -> list[tuple[str | None, Decimal, int]]:
    """Open needs of the region's buyers per class code: KZT value (quantity × unit price;
    unpriced lines and other currencies add nothing) and number of needs."""
    value = func.coalesce(Need.quantity * Need.unit_price, 0)
    stmt = (
        select(Need.class_code, type_coerce(func.sum(value), MONEY), func.count(Need.id))
        .join(BuyerOrg, Need.buyer_id == BuyerOrg.id)
        .join(BuyerRegion, BuyerOrg.region_id == BuyerRegion.id)
        .where(
            Need.status == NeedStatus.PUBLISHED,
            Need.currency == "KZT",
            oblast_sql(BuyerRegion.kato) == oblast_of(region),
        )
        .group_by(Need.class_code)
    )
    return [(code, total or Decimal(0), int(n)) for code, total, n in session.execute(stmt)]


def offer_values(session: Session, region: str) -> list[tuple[str | None, Decimal, int]]:
    """Published offers of the region's producers per class code: KZT value of a year's
    capacity (capacity per year × price; offers without either add nothing) and count."""
    value = func.coalesce(Offer.capacity_per_year * Offer.price, 0)
    stmt = (
        select(Offer.class_code, type_coerce(func.sum(value), MONEY), func.count(Offer.id))
        .join(SupplierOrg, Offer.producer_id == SupplierOrg.id)
        .join(SupplierRegion, SupplierOrg.region_id == SupplierRegion.id)
        .where(
            Offer.status == OfferStatus.PUBLISHED,
            Offer.currency == "KZT",
            oblast_sql(SupplierRegion.kato) == oblast_of(region),
        )
        .group_by(Offer.class_code)
    )
    return [(code, total or Decimal(0), int(n)) for code, total, n in session.execute(stmt)]


def _large_buyers(stmt: Any, regions: Iterable[str] | None) -> Any:
    stmt = stmt.where(BuyerOrg.size_class == SizeClass.LARGE)
    if regions is not None:
        stmt = stmt.where(
            oblast_sql(BuyerRegion.kato).in_(sorted({oblast_of(kato) for kato in regions}))
        )
    return stmt


def matched_supplies(session: Session, regions: Iterable[str] | None = None) -> list[Supply]:
    """Open, priced KZT needs of large buyers with a strong or possible stored match: each
    need's value goes to the producer of its best-ranked such match with a published offer."""
    best = (
        select(Match.need_id, func.min(Match.rank).label("rank"))
        .join(Offer, Match.offer_id == Offer.id)
        .where(Offer.status == OfferStatus.PUBLISHED, shown_condition())
        .group_by(Match.need_id)
        .subquery("best")
    )
    stmt = (
        select(Need.id, Need.buyer_id, BuyerRegion.kato, SupplierOrg.size_class)
        .add_columns(Need.quantity * Need.unit_price)
        .select_from(Need)
        .join(best, best.c.need_id == Need.id)
        .join(Match, and_(Match.need_id == Need.id, Match.rank == best.c.rank))
        .join(Offer, Match.offer_id == Offer.id)
        .join(SupplierOrg, Offer.producer_id == SupplierOrg.id)
        .join(BuyerOrg, Need.buyer_id == BuyerOrg.id)
        .join(BuyerRegion, BuyerOrg.region_id == BuyerRegion.id)
        .where(
            Need.status == NeedStatus.PUBLISHED,
            Offer.status == OfferStatus.PUBLISHED,
            Need.currency == "KZT",
            Need.quantity.is_not(None),
            Need.unit_price.is_not(None),
        )
        .order_by(Need.id, Match.id)
    )
    seen: set[int] = set()
    found = []
    for need_id, buyer, kato, size, value in session.execute(_large_buyers(stmt, regions)):
        if need_id not in seen:  # two matches may share the best rank: the first one counts
            seen.add(need_id)
            found.append(Supply(buyer, oblast_kato(kato), _size(size), Decimal(value)))
    return found


def contracted_supplies(
    session: Session, regions: Iterable[str] | None = None, year: int | None = None
) -> list[Supply]:
    """Confirmed deals (not cancelled) of large buyers: their KZT amount by supplier size."""
    stmt = (
        select(Deal.buyer_id, BuyerRegion.kato, SupplierOrg.size_class, Deal.amount_kzt)
        .select_from(Deal)
        .join(BuyerOrg, Deal.buyer_id == BuyerOrg.id)
        .join(BuyerRegion, BuyerOrg.region_id == BuyerRegion.id)
        .join(SupplierOrg, Deal.supplier_id == SupplierOrg.id)
        .where(COUNTED)
    )
    if year is not None:
        stmt = stmt.where(Deal.signed_on.between(date(year, 1, 1), date(year, 12, 31)))
    return [
        Supply(buyer, oblast_kato(kato), _size(size), amount)
        for buyer, kato, size, amount in session.execute(_large_buyers(stmt, regions))
    ]


def _size(size: SizeClass | str | None) -> str | None:
    return None if size is None else str(getattr(size, "value", size))


def organisation_names(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str | None]]:
    """Organisation id → (Russian name, Kazakh name)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    stmt = select(Organisation.id, Organisation.name_ru, Organisation.name_kk).where(
        Organisation.id.in_(wanted)
    )
    return {org_id: (ru, kk) for org_id, ru, kk in session.execute(stmt)}


def memoranda(session: Session) -> list[Memorandum]:
    """Published and closed memoranda (drafts are not signed facts yet, withdrawn ones bind
    no one any more) with their parties, sectors and commitments, and what the commitments'
    progress is computed from."""
    commitments = selectinload(Memorandum.commitments)
    stmt = (
        select(Memorandum)
        .where(Memorandum.status.in_((MemorandumStatus.PUBLISHED, MemorandumStatus.CLOSED)))
        .options(
            selectinload(Memorandum.parties).selectinload(MemorandumParty.organisation),
            selectinload(Memorandum.parties).selectinload(MemorandumParty.region),
            selectinload(Memorandum.sector_rows),
            commitments.selectinload(Commitment.deals).selectinload(Deal.deliveries),
            commitments.selectinload(Commitment.reports),
        )
        .order_by(Memorandum.signed_on, Memorandum.id)
    )
    return list(session.scalars(stmt))


def region_katos(session: Session) -> dict[int, str]:
    """Region id → top-level KATO code of every region."""
    return {rid: oblast_kato(kato) for rid, kato in session.execute(select(Region.id, Region.kato))}
