"""Reading needs, offers and organisations for lists and detail pages, as a user may see them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload

from seriktes.accounts.models import User
from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus, Origin
from seriktes.catalog.policy import can_read_need, can_read_offer, visible_needs, visible_offers
from seriktes.kit.db import get_by_id
from seriktes.kit.errors import NotFound
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import Page, PageRequest, order_by, paginate
from seriktes.registry.kato import oblast_of
from seriktes.registry.models import Organisation, Region, SizeClass

NEED_SORTS = {
    "created": Need.id,
    "title": Need.title,
    "needed_by": Need.needed_by,
    "quantity": Need.quantity,
    "unit_price": Need.unit_price,
}
OFFER_SORTS = {
    "created": Offer.id,
    "title": Offer.title,
    "price": Offer.price,
    "capacity": Offer.capacity_per_year,
}
ORG_SORTS = {"name": Organisation.name_ru, "bin": Organisation.bin, "created": Organisation.id}


@dataclass(frozen=True)
class LineFilters:
    """Filters of the needs and offers lists; None means no filter."""

    q: str | None = None
    region: str | None = None  # KATO code of the organisation's top-level region
    class_code: str | None = None  # prefix: 28, 28.15 or 28.15.10
    origin: Origin | None = None  # needs only
    status: str | None = None
    organisation_id: int | None = None


def _text_filter(q: str, *columns: Any) -> Any:
    needle = q.strip().lower()
    return or_(*(func.lower(column).contains(needle, autoescape=True) for column in columns))


def _region_filter(kato: str) -> Any:
    prefix = oblast_of(kato.strip())
    return Organisation.region.has(Region.kato.startswith(prefix, autoescape=True))


def need_query(user: User | None, filters: LineFilters) -> Select[Any]:
    """The needs `user` may read that pass `filters`."""
    stmt = (
        select(Need)
        .join(Need.buyer)
        .where(visible_needs(user))
        .options(joinedload(Need.buyer), joinedload(Need.unit), joinedload(Need.delivery_region))
    )
    if filters.q:
        stmt = stmt.where(_text_filter(filters.q, Need.title, Need.description))
    if filters.region:
        stmt = stmt.where(_region_filter(filters.region))
    if filters.class_code:
        stmt = stmt.where(Need.class_code.startswith(filters.class_code.strip(), autoescape=True))
    if filters.origin:
        stmt = stmt.where(Need.origin == filters.origin)
    if filters.status:
        stmt = stmt.where(Need.status == NeedStatus(filters.status))
    if filters.organisation_id:
        stmt = stmt.where(Need.buyer_id == filters.organisation_id)
    return stmt


def offer_query(user: User | None, filters: LineFilters) -> Select[Any]:
    """The offers `user` may read that pass `filters`."""
    stmt = (
        select(Offer)
        .join(Offer.producer)
        .where(visible_offers(user))
        .options(joinedload(Offer.producer), joinedload(Offer.unit))
    )
    if filters.q:
        stmt = stmt.where(_text_filter(filters.q, Offer.title, Offer.description))
    if filters.region:
        stmt = stmt.where(_region_filter(filters.region))
    if filters.class_code:
        stmt = stmt.where(Offer.class_code.startswith(filters.class_code.strip(), autoescape=True))
    if filters.status:
        stmt = stmt.where(Offer.status == OfferStatus(filters.status))
    if filters.organisation_id:
        stmt = stmt.where(Offer.producer_id == filters.organisation_id)
    return stmt


def list_needs(
    session: Session, user: User | None, filters: LineFilters, page: PageRequest
) -> Page[Need]:
    """One page of the needs `user` may read."""
    stmt = order_by(need_query(user, filters), page.sort, NEED_SORTS, "-created", Need.id)
    return paginate(session, stmt, page)


def list_offers(
    session: Session, user: User | None, filters: LineFilters, page: PageRequest
) -> Page[Offer]:
    """One page of the offers `user` may read."""
    stmt = order_by(offer_query(user, filters), page.sort, OFFER_SORTS, "-created", Offer.id)
    return paginate(session, stmt, page)


# what a need's or an offer's page and API view show besides the row itself
NEED_WITH_PARTIES = (
    joinedload(Need.buyer).joinedload(Organisation.region),
    joinedload(Need.delivery_region),
)
OFFER_WITH_PRODUCER = (joinedload(Offer.producer).joinedload(Organisation.region),)


def get_need(session: Session, user: User | None, need_id: int) -> Need:
    """A need `user` may read; NotFound otherwise (a draft is not revealed to exist)."""
    need = get_by_id(session, Need, need_id, NEED_WITH_PARTIES)
    if need is None or not can_read_need(user, need):
        raise NotFound(N_("no need with id %(need_id)s"), params={"need_id": need_id})
    return need


def get_offer(session: Session, user: User | None, offer_id: int) -> Offer:
    """An offer `user` may read; NotFound otherwise."""
    offer = get_by_id(session, Offer, offer_id, OFFER_WITH_PRODUCER)
    if offer is None or not can_read_offer(user, offer):
        raise NotFound(N_("no offer with id %(offer_id)s"), params={"offer_id": offer_id})
    return offer


@dataclass(frozen=True)
class OrganisationFilters:
    """Filters of the organisations list."""

    q: str | None = None
    region: str | None = None
    size_class: SizeClass | None = None


def list_organisations(
    session: Session, filters: OrganisationFilters, page: PageRequest
) -> Page[Organisation]:
    """One page of organisations (public registry data)."""
    stmt = select(Organisation).options(joinedload(Organisation.region))
    if filters.q:
        stmt = stmt.where(
            or_(
                _text_filter(filters.q, Organisation.name_ru, Organisation.name_kk),
                Organisation.bin.startswith(filters.q.strip(), autoescape=True),
            )
        )
    if filters.region:
        stmt = stmt.where(_region_filter(filters.region))
    if filters.size_class:
        stmt = stmt.where(Organisation.size_class == filters.size_class)
    stmt = order_by(stmt, page.sort, ORG_SORTS, "name", Organisation.id)
    return paginate(session, stmt, page)


def get_organisation(session: Session, org_id: int) -> Organisation:
    """An organisation by id; NotFound otherwise."""
    org = get_by_id(session, Organisation, org_id)
    if org is None:
        raise NotFound(N_("no organisation with id %(org_id)s"), params={"org_id": org_id})
    return org
