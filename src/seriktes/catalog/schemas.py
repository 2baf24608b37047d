"""Pydantic shapes of catalog data going out (API, pages)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Row

from seriktes.catalog.editing import NeedIn, OfferIn
from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus, Origin, line_amount
from seriktes.kit.db import MAX_ID
from seriktes.kit.values import NUMBERS, known_currency, plain_number, sane_day
from seriktes.registry.facts import UNITS
from seriktes.registry.names import region_name
from seriktes.registry.schemas import NulFree, OrganisationRef, RegionRef


class RegionSummary(BaseModel):
    """Counts of one top-level region: organisations, needs (by buyer), offers (by producer)."""

    kato: str
    name_ru: str
    name_kk: str
    organisations: int = 0
    needs: int = 0
    offers: int = 0
    far_abroad_needs: int = 0

    def name(self, lang: str) -> str:
        """Return the region's name in `lang` (`registry.names`)."""
        return region_name(self.kato, self.name_ru, self.name_kk, lang)


# Views are built with `model_construct`, without validation: their values come typed from the
# database and FastAPI does not validate a returned model again, which halves the cost of a
# list. tests/api/test_views.py checks that every view is a valid model.


class NeedOut(BaseModel):
    """A need as the API shows it."""

    id: int
    buyer: OrganisationRef
    external_id: str
    title: str
    description: str | None
    specification: str | None
    class_code: str | None
    enstru_code: str | None
    quantity: float | None
    unit_code: str | None
    unit_name: str | None = Field(description="Short Russian name of the unit")
    unit_price: float | None
    amount: float | None = Field(description="Quantity times unit price")
    currency: str
    delivery_region: RegionRef | None
    needed_by: date | None
    origin: Origin
    status: NeedStatus
    source: str
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes with every write; send it back as If-Match")

    @classmethod
    def of(cls, need: Need) -> NeedOut:
        """The API view of a need."""
        return cls.of_columns(
            need, OrganisationRef.of(need.buyer), RegionRef.of(need.delivery_region)
        )

    @classmethod
    def of_columns(
        cls, need: Need | Row[Any], buyer: OrganisationRef, delivery_region: RegionRef | None
    ) -> NeedOut:
        """The API view of a need from its columns (an entity or a Core row)."""
        return cls.model_construct(
            id=need.id,
            buyer=buyer,
            external_id=need.external_id,
            title=need.title,
            description=need.description,
            specification=need.specification,
            class_code=need.class_code,
            enstru_code=need.enstru_code,
            quantity=_number(need.quantity),
            unit_code=need.unit_code,
            unit_name=unit_name(need.unit_code),
            unit_price=_number(need.unit_price),
            amount=_number(line_amount(need.quantity, need.unit_price)),
            currency=need.currency,
            delivery_region=delivery_region,
            needed_by=need.needed_by,
            origin=need.origin,
            status=need.status,
            source=need.source,
            created_at=need.created_at,
            updated_at=need.updated_at,
            version=need.version,
        )


class OfferOut(BaseModel):
    """An offer as the API shows it."""

    id: int
    producer: OrganisationRef
    external_id: str
    title: str
    description: str | None
    class_code: str | None
    hs_code: str | None
    capacity_per_year: float | None
    unit_code: str | None
    unit_name: str | None = Field(description="Short Russian name of the unit")
    price: float | None
    currency: str
    certificates: list[str]
    status: OfferStatus
    source: str
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Changes with every write; send it back as If-Match")

    @classmethod
    def of(cls, offer: Offer) -> OfferOut:
        """The API view of an offer."""
        return cls.of_columns(offer, OrganisationRef.of(offer.producer))

    @classmethod
    def of_columns(cls, offer: Offer | Row[Any], producer: OrganisationRef) -> OfferOut:
        """The API view of an offer from its columns (an entity or a Core row)."""
        return cls.model_construct(
            id=offer.id,
            producer=producer,
            external_id=offer.external_id,
            title=offer.title,
            description=offer.description,
            class_code=offer.class_code,
            hs_code=offer.hs_code,
            capacity_per_year=_number(offer.capacity_per_year),
            unit_code=offer.unit_code,
            unit_name=unit_name(offer.unit_code),
            price=_number(offer.price),
            currency=offer.currency,
            certificates=list(offer.certificates or []),
            status=offer.status,
            source=offer.source,
            created_at=offer.created_at,
            updated_at=offer.updated_at,
            version=offer.version,
        )


_UNIT_NAMES = {unit.code: unit.short_ru for unit in UNITS}


def unit_name(code: str | None) -> str | None:
    """The short Russian name of a unit (units are reference facts, the same in every
    database), so that lists do not load a unit row per line."""
    return _UNIT_NAMES.get(code) if code else None


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


class NeedCreate(NulFree, NeedIn):
    """A new need as a client sends it."""

    buyer_id: int = Field(ge=1, le=MAX_ID)


class OfferCreate(NulFree, OfferIn):
    """A new offer as a client sends it."""

    producer_id: int = Field(ge=1, le=MAX_ID)


class _Changes(NulFree):
    """Fields shared by need and offer changes; absent means unchanged, null clears."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, min_length=1, max_length=500)
    description: str | None = Field(default=None, max_length=20_000)
    class_code: str | None = Field(default=None, description="KP VED code, e.g. 28.15.10")
    unit_code: str | None = Field(default=None, description="MKEI code or name, e.g. 796 or шт")
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")

    @field_validator("title", "currency", "origin", "status", "certificates", check_fields=False)
    @classmethod
    def _not_null(cls, value: object) -> object:
        # runs only for values sent: these fields may be changed but not cleared
        if value is None:
            raise ValueError("may be changed but not cleared")
        return value

    @field_validator(*NUMBERS, mode="before", check_fields=False)
    @classmethod
    def _plain(cls, value: object) -> object:
        return plain_number(value)

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        return None if value is None else known_currency(value)

    @field_validator("needed_by", check_fields=False)
    @classmethod
    def _day(cls, value: date | None) -> date | None:
        return sane_day(value)


class NeedChanges(_Changes):
    """Changes to a need (the buyer cannot be changed)."""

    enstru_code: str | None = None
    quantity: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=3)
    unit_price: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=2)
    delivery_region: str | None = Field(default=None, description="KATO code of delivery")
    needed_by: date | None = None
    origin: Origin | None = None
    status: NeedStatus | None = None


class OfferChanges(_Changes):
    """Changes to an offer (the producer cannot be changed)."""

    hs_code: str | None = None
    capacity_per_year: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=3)
    price: Decimal | None = Field(default=None, ge=0, max_digits=18, decimal_places=2)
    certificates: list[str] | None = Field(default=None, max_length=50)
    status: OfferStatus | None = None
