"""Catalog tables: buyers' needs and producers' offers."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seriktes.kit.db import Base, Timestamped
from seriktes.kit.versions import Versioned
from seriktes.registry.models import Organisation, Region, Unit, enum_column


class Origin(enum.StrEnum):
    """Where the buyer sources the item today."""

    DOMESTIC = "domestic"
    EAEU = "eaeu"
    FAR_ABROAD = "far_abroad"
    UNKNOWN = "unknown"


class NeedStatus(enum.StrEnum):
    """Life cycle of a need."""

    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class ClassSource(enum.StrEnum):
    """Where a line's KP VED class comes from: the file, the classifier (derived), or a
    person who set or corrected it on the platform (manual; a corrected need's class is a
    labelled line the classifier learns from)."""

    FILE = "file"
    DERIVED = "derived"
    MANUAL = "manual"


class CertificateKind(enum.StrEnum):
    """The register a certificate comes from."""

    INDUSTRIAL = "industrial"  # registry of domestic producers: industrial certificate
    STKZ_ORIGIN = "stkz_origin"  # ST-KZ certificate of origin issued by a chamber
    STKZ_SERIAL = "stkz_serial"  # certificate of origin for serial production


class CertificateStatus(enum.StrEnum):
    """Whether a certificate is in force."""

    VALID = "valid"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class OfferStatus(enum.StrEnum):
    """Life cycle of an offer."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


def line_amount(quantity: Decimal | None, unit_price: Decimal | None) -> Decimal | None:
    """Planned value of a need's line: quantity times unit price, when both are known."""
    if quantity is None or unit_price is None:
        return None
    return quantity * unit_price


class Need(Versioned, Timestamped, Base):
    """A buyer's procurement line."""

    __tablename__ = "needs"
    __table_args__ = (UniqueConstraint("buyer_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    specification: Mapped[str | None] = mapped_column(Text)
    class_code: Mapped[str | None] = mapped_column(String(16), index=True)
    class_source: Mapped[ClassSource | None] = mapped_column(enum_column(ClassSource, 8))
    enstru_code: Mapped[str | None] = mapped_column(String(40))
    # six decimals: goszakup plans give quantities such as 190.444754 (t), kept exactly
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(18, 6))
    unit_code: Mapped[str | None] = mapped_column(ForeignKey("units.code"))
    unit_price: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3), default="KZT")
    delivery_region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    needed_by: Mapped[date | None] = mapped_column(Date)
    origin: Mapped[Origin] = mapped_column(enum_column(Origin), default=Origin.UNKNOWN)
    status: Mapped[NeedStatus] = mapped_column(
        enum_column(NeedStatus), default=NeedStatus.PUBLISHED
    )
    source: Mapped[str] = mapped_column(String(16), default="manual")

    buyer: Mapped[Organisation] = relationship()
    unit: Mapped[Unit | None] = relationship()
    delivery_region: Mapped[Region | None] = relationship()

    @property
    def amount(self) -> Decimal | None:
        """Planned value of the line: quantity times unit price."""
        return line_amount(self.quantity, self.unit_price)


class Offer(Versioned, Timestamped, Base):
    """A producer's product or service with its yearly capacity."""

    __tablename__ = "offers"
    __table_args__ = (UniqueConstraint("producer_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(128))
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    class_code: Mapped[str | None] = mapped_column(String(16), index=True)
    class_source: Mapped[ClassSource | None] = mapped_column(enum_column(ClassSource, 8))
    hs_code: Mapped[str | None] = mapped_column(String(10))
    capacity_per_year: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    unit_code: Mapped[str | None] = mapped_column(ForeignKey("units.code"))
    price: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str] = mapped_column(String(3), default="KZT")
    certificates: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[OfferStatus] = mapped_column(
        enum_column(OfferStatus), default=OfferStatus.PUBLISHED
    )
    source: Mapped[str] = mapped_column(String(16), default="manual")

    producer: Mapped[Organisation] = relationship()
    unit: Mapped[Unit | None] = relationship()


class Certificate(Timestamped, Base):
    """A domestic-producer certificate of an organisation, for one of its offers.

    A certificate that covers several products is one row per product (offer); an industrial
    certificate also vouches for its holder as a whole.
    """

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("kind", "number", "offer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CertificateKind] = mapped_column(enum_column(CertificateKind))
    number: Mapped[str] = mapped_column(String(64))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    offer_id: Mapped[int | None] = mapped_column(
        ForeignKey("offers.id", ondelete="CASCADE"), index=True
    )
    issued_on: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[CertificateStatus] = mapped_column(
        enum_column(CertificateStatus), default=CertificateStatus.VALID
    )
    local_content: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))  # percent (ДВЦ)
    chamber_code: Mapped[str | None] = mapped_column(String(8))
    chamber: Mapped[str | None] = mapped_column(String(255))

    organisation: Mapped[Organisation] = relationship()
    offer: Mapped[Offer | None] = relationship()

    def in_force(self, on: date) -> bool:
        """True when the certificate is valid and not past its end date on `on`."""
        return self.status is CertificateStatus.VALID and (
            self.valid_until is None or self.valid_until >= on
        )
