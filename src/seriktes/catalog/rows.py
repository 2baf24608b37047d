"""Needs and offers read as Core rows and shown as API views, for the hottest JSON routes.

Building ORM entities (identity map, instance state, relationship loaders) costs several times
more than the query behind a need's matches or a search page; these routes select plain
columns in named bundles (`row.offer.title`, `row.producer.bin`, `row.producer_region.kato`)
and build the views from them. Everything else reads entities.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Select
from sqlalchemy.orm import Bundle, aliased

from seriktes.catalog.models import Need, Offer
from seriktes.catalog.schemas import NeedOut, OfferOut
from seriktes.registry.models import Organisation, Region
from seriktes.registry.schemas import OrganisationRef, RegionRef

_producer = aliased(Organisation, name="producer")
_producer_region = aliased(Region, name="producer_region")
_buyer = aliased(Organisation, name="buyer")
_buyer_region = aliased(Region, name="buyer_region")
_delivery_region = aliased(Region, name="delivery_region")


def _organisation(name: str, org: Any) -> Bundle[Any]:
    return Bundle(name, org.id, org.bin, org.name_ru, org.name_kk)


def _region(name: str, region: Any) -> Bundle[Any]:
    return Bundle(name, region.kato, region.name_ru, region.name_kk)


# what to select for an offer's view, and for a need's
OFFER_VIEW: tuple[Bundle[Any], ...] = (
    Bundle("offer", *Offer.__table__.c),
    _organisation("producer", _producer),
    _region("producer_region", _producer_region),
)
NEED_VIEW: tuple[Bundle[Any], ...] = (
    Bundle("need", *Need.__table__.c),
    _organisation("buyer", _buyer),
    _region("buyer_region", _buyer_region),
    _region("delivery_region", _delivery_region),
)


def join_offer_view(stmt: Select[Any]) -> Select[Any]:
    """`stmt`, which reads offers, joined to what `OFFER_VIEW` selects besides them."""
    return stmt.join(_producer, _producer.id == Offer.producer_id).outerjoin(
        _producer_region, _producer_region.id == _producer.region_id
    )


def join_need_view(stmt: Select[Any]) -> Select[Any]:
    """`stmt`, which reads needs, joined to what `NEED_VIEW` selects besides them."""
    return (
        stmt.join(_buyer, _buyer.id == Need.buyer_id)
        .outerjoin(_buyer_region, _buyer_region.id == _buyer.region_id)
        .outerjoin(_delivery_region, _delivery_region.id == Need.delivery_region_id)
    )


def offer_view(row: Row[Any]) -> OfferOut:
    """The API view of the offer in a row that selected `OFFER_VIEW`."""
    producer = OrganisationRef.of_columns(row.producer, RegionRef.of(row.producer_region))
    return OfferOut.of_columns(row.offer, producer)


def need_view(row: Row[Any]) -> NeedOut:
    """The API view of the need in a row that selected `NEED_VIEW`."""
    buyer = OrganisationRef.of_columns(row.buyer, RegionRef.of(row.buyer_region))
    return NeedOut.of_columns(row.need, buyer, RegionRef.of(row.delivery_region))
