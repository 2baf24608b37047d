"""Builders of analytics test data: deals with deliveries, priced needs and offers, matches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from itertools import count

from sqlalchemy.orm import Session

from seriktes.agreements.models import Confirmation, Deal, DealStatus, Delivery
from seriktes.catalog.models import Need, Offer, Origin
from seriktes.matches.models import Match
from seriktes.registry.models import Organisation, SizeClass
from tests.webkit import make_need, make_offer, make_org

VKO, SKO, PAVLODAR = "630000000", "590000000", "550000000"
_serial = count(1)


def org(
    session: Session, kato: str, size: SizeClass | None, name: str | None = None
) -> Organisation:
    """An organisation of a region and a size class."""
    made = make_org(session, kato, name)
    made.size_class = size
    session.flush()
    return made


def deal(
    session: Session,
    buyer: Organisation,
    supplier: Organisation,
    signed_on: date,
    amount: int,
    class_code: str | None = "28.15.10",
    deliveries: Sequence[tuple[date, int | None]] = (),
    status: DealStatus = DealStatus.SIGNED,
    confirmation: Confirmation = Confirmation.CONFIRMED,
) -> Deal:
    """A KZT deal with its deliveries ((day, KZT value or None for an unvalued one)),
    confirmed unless told otherwise."""
    made = Deal(
        number=f"A-{next(_serial)}",
        signed_on=signed_on,
        buyer_id=buyer.id,
        supplier_id=supplier.id,
        subject="Поставка",
        class_code=class_code,
        amount=Decimal(amount),
        currency="KZT",
        rate_to_kzt=Decimal(1),
        amount_kzt=Decimal(amount),
        status=status,
        confirmation=confirmation,
        evidence=None if confirmation is not Confirmation.CONFIRMED else "договор",
    )
    session.add(made)
    session.flush()
    for day, value in deliveries:
        session.add(
            Delivery(
                deal_id=made.id,
                delivered_on=day,
                quantity=Decimal(1),
                amount_kzt=None if value is None else Decimal(value),
            )
        )
    session.flush()
    return made


def need(
    session: Session,
    buyer: Organisation,
    class_code: str,
    value: int,
    origin: Origin = Origin.FAR_ABROAD,
) -> Need:
    """An open need worth `value` KZT (quantity 10 × unit price)."""
    made = make_need(session, buyer, f"Потребность {class_code}", unit_price=Decimal(value) / 10)
    made.class_code, made.origin, made.quantity = class_code, origin, Decimal(10)
    session.flush()
    return made


def offer(
    session: Session, producer: Organisation, class_code: str, capacity: int, price: int | None
) -> Offer:
    """A published offer with a yearly capacity and a price."""
    made = make_offer(session, producer, f"Предложение {class_code}")
    made.class_code, made.capacity_per_year = class_code, Decimal(capacity)
    made.price = None if price is None else Decimal(price)
    session.flush()
    return made


def match(session: Session, need_row: Need, offer_row: Offer, rank: int, score: float) -> Match:
    """A stored match of a need with an offer."""
    made = Match(need_id=need_row.id, offer_id=offer_row.id, rank=rank, score=score)
    made.explanation = {}
    session.add(made)
    session.flush()
    return made


M = 1_000_000


def pair_world(session: Session) -> None:
    """ВКО buys from СКО in 2025 and 2026; СКО buys once from ВКО; a far-abroad need matched."""
    buyer = org(session, VKO, SizeClass.LARGE, "АО «Восток Медь»")
    north_buyer = org(session, SKO, SizeClass.LARGE, "АО «Кызылжар»")
    small = org(session, SKO, SizeClass.SMALL, "ТОО «Кызылжар РТИ»")
    large = org(session, SKO, SizeClass.LARGE, "АО «Есиль Маш»")
    east_maker = org(session, VKO, SizeClass.MEDIUM, "ТОО «Литьё»")
    deal(session, buyer, small, date(2025, 6, 1), 4 * M)
    deal(session, buyer, small, date(2026, 2, 10), 10 * M, "28.15.10", [(date(2026, 3, 5), 6 * M)])
    deal(session, buyer, large, date(2026, 4, 1), 5 * M, "22.19.40")  # nothing delivered yet
    deal(session, north_buyer, east_maker, date(2026, 5, 15), 2 * M, "24.42.11")
    bearing = need(session, buyer, "28.15.10", 8 * M)
    need(session, buyer, "25.99.29", 2 * M)  # far abroad, nobody matches it
    match(session, bearing, offer(session, small, "28.15.10", 100, 50_000), rank=1, score=0.9)
