"""Agreements tables: memoranda and their parties and sectors, commitments (KPIs with targets),
deals (contracts) and their deliveries, progress reports, and the audit log.

A commitment's progress is never stored: it is computed from the deals linked to it and
their deliveries, or from its progress reports (see `agreements.progress`).
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from seriktes.accounts.models import User
from seriktes.catalog.models import Need, Offer
from seriktes.events.models import Event, MeetingRequest
from seriktes.kit import clock
from seriktes.kit.db import Base, Timestamped, UTCDateTime
from seriktes.kit.versions import Versioned
from seriktes.registry.models import Organisation, Region, Unit, enum_column


class Sector(enum.StrEnum):
    """Sector of cooperation a memorandum (or one of its commitments) belongs to."""

    INDUSTRY = "industry"
    AGRICULTURE = "agriculture"
    TRADE = "trade"
    MINING = "mining"
    CONSTRUCTION_MATERIALS = "construction_materials"
    FOOD_PROCESSING = "food_processing"
    EDUCATION = "education"
    CULTURE = "culture"
    TOURISM = "tourism"
    INVESTMENT = "investment"
    HEALTH = "health"
    TRANSPORT = "transport"
    ENERGY = "energy"
    OTHER = "other"


class MemorandumStatus(enum.StrEnum):
    """Life cycle of a memorandum: only published, closed and withdrawn memoranda are public.

    A withdrawn memorandum (with the reason and the day) stays readable, with its
    commitments and audit log, but takes no new links and leaves the counts of open work.
    """

    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"

    @property
    def open(self) -> bool:
        """True while deals may still be linked to it (not closed, not withdrawn)."""
        return self not in (MemorandumStatus.CLOSED, MemorandumStatus.WITHDRAWN)


class PartyRole(enum.StrEnum):
    """The part a party plays in a memorandum."""

    HOST = "host"  # the host region (or its organisation) of the event it was signed at
    GUEST = "guest"  # the guest region (or its organisation)
    PARTY = "party"  # any other signatory


class KpiKind(enum.StrEnum):
    """What a commitment measures, and so where its progress comes from.

    turnover_kzt, contracts_count and supply_volume come from linked deals and their
    deliveries; investment_kzt, jobs and events_held from progress reports.
    """

    TURNOVER_KZT = "turnover_kzt"
    CONTRACTS_COUNT = "contracts_count"
    SUPPLY_VOLUME = "supply_volume"
    INVESTMENT_KZT = "investment_kzt"
    JOBS = "jobs"
    EVENTS_HELD = "events_held"

    @property
    def from_deals(self) -> bool:
        """True when deals and deliveries, not progress reports, give this KPI's value."""
        return self in DEAL_KPIS


DEAL_KPIS = frozenset({KpiKind.TURNOVER_KZT, KpiKind.CONTRACTS_COUNT, KpiKind.SUPPLY_VOLUME})


class DealStatus(enum.StrEnum):
    """Life cycle of a deal; cancelled deals count for nothing."""

    SIGNED = "signed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Confirmation(enum.StrEnum):
    """Whether a deal's figures may be counted (see `agreements.confirmation`).

    Only confirmed deals enter commitment progress, the turnover matrix and reports.
    """

    AWAITING = "awaiting"  # the other side (or a coordinator) has not confirmed it yet
    AWAITING_COORDINATOR = "awaiting_coordinator"  # both sides did; the amount needs more
    CONFIRMED = "confirmed"
    DISPUTED = "disputed"


class AuditAction(enum.StrEnum):
    """What a change did to a row."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    CONFIRM = "confirm"  # a deal confirmed by a side or a coordinator
    DISPUTE = "dispute"  # a deal disputed, with a reason


deal_commitments = Table(
    "deal_commitments",
    Base.metadata,
    Column(
        "deal_id",
        ForeignKey("deals.id", ondelete="CASCADE"),
        primary_key=True,
        doc="The deal that counts towards the commitment.",
    ),
    Column(
        "commitment_id",
        ForeignKey("commitments.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
        doc="The commitment it counts towards.",
    ),
)


class Memorandum(Versioned, Timestamped, Base):
    """A memorandum of cooperation signed between regions and/or organisations."""

    __tablename__ = "memoranda"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(
        String(64), unique=True, doc="Registration number, unique, e.g. «М-2026/01»."
    )
    title: Mapped[str] = mapped_column(String(500), doc="Title in the language it was signed in.")
    summary: Mapped[str | None] = mapped_column(Text, doc="What the parties agreed, in prose.")
    signed_on: Mapped[date] = mapped_column(Date, index=True, doc="Date of signing.")
    place: Mapped[str | None] = mapped_column(String(300), doc="Where it was signed (city, venue).")
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="SET NULL"),
        index=True,
        doc="The B2B event it was signed at, if any.",
    )
    status: Mapped[MemorandumStatus] = mapped_column(
        enum_column(MemorandumStatus),
        default=MemorandumStatus.DRAFT,
        doc=(
            "draft (coordinators only) → published (public) → closed (public, no new links); "
            "withdrawn (public, no new links, with the reason) from any of them."
        ),
    )
    withdrawn_on: Mapped[date | None] = mapped_column(
        Date, doc="Day it was withdrawn (None unless withdrawn)."
    )
    withdrawal_reason: Mapped[str | None] = mapped_column(
        Text, doc="Why it was withdrawn, in words (None unless withdrawn)."
    )
    document_filename: Mapped[str | None] = mapped_column(
        String(255), doc="File name of the signed document as uploaded."
    )
    document_content_type: Mapped[str | None] = mapped_column(
        String(100), doc="MIME type of the signed document."
    )
    document: Mapped[bytes | None] = deferred(
        mapped_column(LargeBinary, doc="The signed document's bytes (loaded only when asked).")
    )

    event: Mapped[Event | None] = relationship()
    parties: Mapped[list[MemorandumParty]] = relationship(
        back_populates="memorandum",
        cascade="all, delete-orphan",
        order_by="MemorandumParty.id",
    )
    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="memorandum",
        cascade="all, delete-orphan",
        order_by="Commitment.position, Commitment.id",
    )
    sector_rows: Mapped[list[MemorandumSector]] = relationship(
        cascade="all, delete-orphan", order_by="MemorandumSector.sector"
    )

    @property
    def sectors(self) -> list[Sector]:
        """The memorandum's sectors."""
        return [row.sector for row in self.sector_rows]

    def region_ids(self) -> set[int]:
        """Regions of the parties: their own region, or their organisation's."""
        ids: set[int] = set()
        for party in self.parties:
            if party.region_id is not None:
                ids.add(party.region_id)
            elif party.organisation is not None and party.organisation.region_id is not None:
                ids.add(party.organisation.region_id)
        return ids


class MemorandumSector(Base):
    """One sector of a memorandum."""

    __tablename__ = "memorandum_sectors"

    memorandum_id: Mapped[int] = mapped_column(
        ForeignKey("memoranda.id", ondelete="CASCADE"), primary_key=True, doc="The memorandum."
    )
    sector: Mapped[Sector] = mapped_column(
        enum_column(Sector, length=32), primary_key=True, doc="One of its sectors."
    )


class MemorandumParty(Base):
    """A signatory of a memorandum: a region (its akimat), an organisation, or both."""

    __tablename__ = "memorandum_parties"

    id: Mapped[int] = mapped_column(primary_key=True)
    memorandum_id: Mapped[int] = mapped_column(
        ForeignKey("memoranda.id", ondelete="CASCADE"), index=True, doc="The memorandum."
    )
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id"), index=True, doc="The region the party represents, if any."
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True, doc="The organisation that signed, if any."
    )
    role: Mapped[PartyRole] = mapped_column(
        enum_column(PartyRole), default=PartyRole.PARTY, doc="host, guest or another party."
    )
    signatory: Mapped[str | None] = mapped_column(
        String(300), doc="Who signed for the party: the person's name."
    )
    signatory_post: Mapped[str | None] = mapped_column(
        String(300), doc="The signatory's post, e.g. «аким области», «директор»."
    )

    memorandum: Mapped[Memorandum] = relationship(back_populates="parties")
    region: Mapped[Region | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class Commitment(Versioned, Timestamped, Base):
    """A measurable promise of a memorandum: a KPI, a target and a deadline."""

    __tablename__ = "commitments"

    id: Mapped[int] = mapped_column(primary_key=True)
    memorandum_id: Mapped[int] = mapped_column(
        ForeignKey("memoranda.id", ondelete="CASCADE"), index=True, doc="The memorandum."
    )
    position: Mapped[int] = mapped_column(
        Integer, default=0, doc="Order within the memorandum (1, 2, …)."
    )
    title: Mapped[str] = mapped_column(String(500), doc="What is promised, in words.")
    kpi: Mapped[KpiKind] = mapped_column(
        enum_column(KpiKind, length=32), doc="What is measured (`KpiKind`)."
    )
    sector: Mapped[Sector | None] = mapped_column(
        enum_column(Sector, length=32), doc="Sector of this commitment, when narrower."
    )
    target: Mapped[Decimal] = mapped_column(
        Numeric(20, 3), doc="Target value: KZT, a count, or a quantity in `unit_code`."
    )
    unit_code: Mapped[str | None] = mapped_column(
        ForeignKey("units.code"), doc="Unit of the target; required for supply_volume."
    )
    class_code: Mapped[str | None] = mapped_column(
        String(16), doc="KP VED class (prefix) the supplies should be of, for information."
    )
    start_on: Mapped[date] = mapped_column(
        Date, doc="Date progress is measured from (usually the signing date)."
    )
    deadline: Mapped[date] = mapped_column(Date, index=True, doc="Date the target is due.")
    responsible_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True, doc="Organisation answerable for it."
    )
    responsible_region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id"), index=True, doc="Region (akimat) answerable for it."
    )
    responsible_person: Mapped[str | None] = mapped_column(
        String(300), doc="The person answerable for it: name."
    )
    responsible_post: Mapped[str | None] = mapped_column(
        String(300), doc="The answerable person's post."
    )
    responsible_contact: Mapped[str | None] = mapped_column(
        String(300), doc="How to reach the answerable person (phone, e-mail)."
    )

    memorandum: Mapped[Memorandum] = relationship(back_populates="commitments")
    unit: Mapped[Unit | None] = relationship()
    responsible_organisation: Mapped[Organisation | None] = relationship()
    responsible_region: Mapped[Region | None] = relationship()
    deals: Mapped[list[Deal]] = relationship(
        secondary=deal_commitments, back_populates="commitments", order_by="Deal.signed_on"
    )
    reports: Mapped[list[ProgressReport]] = relationship(
        back_populates="commitment",
        cascade="all, delete-orphan",
        order_by="ProgressReport.reported_on",
    )
    milestones: Mapped[list[CommitmentMilestone]] = relationship(
        back_populates="commitment",
        cascade="all, delete-orphan",
        order_by="CommitmentMilestone.due_on, CommitmentMilestone.id",
    )


class CommitmentMilestone(Timestamped, Base):
    """A dated intermediate target of a commitment: by `due_on`, the value should be at
    least `target` (cumulative, in the commitment's measure). With milestones, the status
    is judged against the latest one due (see `agreements.progress`)."""

    __tablename__ = "commitment_milestones"
    __table_args__ = (UniqueConstraint("commitment_id", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True, doc="The commitment."
    )
    due_on: Mapped[date] = mapped_column(Date, doc="Day the intermediate target is due.")
    target: Mapped[Decimal] = mapped_column(
        Numeric(20, 3), doc="Value to reach by then (cumulative), in the KPI's measure."
    )
    note: Mapped[str | None] = mapped_column(String(500), doc="What the milestone stands for.")

    commitment: Mapped[Commitment] = relationship(back_populates="milestones")


class Deal(Versioned, Timestamped, Base):
    """A contract between a buyer and a supplier, with where it came from."""

    __tablename__ = "deals"
    __table_args__ = (UniqueConstraint("buyer_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(
        String(64), doc="Contract number, unique per buyer (the import's upsert key)."
    )
    signed_on: Mapped[date] = mapped_column(Date, index=True, doc="Date the contract was signed.")
    buyer_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id"), index=True, doc="The buying organisation."
    )
    supplier_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id"), index=True, doc="The supplying organisation."
    )
    subject: Mapped[str] = mapped_column(String(500), doc="What is bought, in words.")
    class_code: Mapped[str | None] = mapped_column(
        String(16), index=True, doc="KP VED class of the goods or services."
    )
    quantity: Mapped[Decimal | None] = mapped_column(
        Numeric(18, 3), doc="Contracted quantity, in `unit_code`."
    )
    unit_code: Mapped[str | None] = mapped_column(
        ForeignKey("units.code"), doc="Unit of the contracted quantity."
    )
    amount: Mapped[Decimal] = mapped_column(
        Numeric(20, 2), doc="Contract amount in `currency`, VAT included."
    )
    currency: Mapped[str] = mapped_column(String(3), default="KZT", doc="ISO 4217 code.")
    rate_to_kzt: Mapped[Decimal] = mapped_column(
        Numeric(18, 6),
        default=Decimal(1),
        doc="KZT per unit of `currency` used: given, or from `agreements.rates`.",
    )
    amount_kzt: Mapped[Decimal] = mapped_column(
        Numeric(20, 2), doc="Contract amount in KZT: amount × rate_to_kzt."
    )
    status: Mapped[DealStatus] = mapped_column(
        enum_column(DealStatus), default=DealStatus.SIGNED, doc="signed, completed or cancelled."
    )
    need_id: Mapped[int | None] = mapped_column(
        ForeignKey("needs.id", ondelete="SET NULL"), index=True, doc="The need it answers."
    )
    offer_id: Mapped[int | None] = mapped_column(
        ForeignKey("offers.id", ondelete="SET NULL"), index=True, doc="The offer it buys."
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_requests.id", ondelete="SET NULL"),
        index=True,
        doc="The B2B meeting (an accepted meeting request) it came from.",
    )
    memorandum_id: Mapped[int | None] = mapped_column(
        ForeignKey("memoranda.id", ondelete="SET NULL"),
        index=True,
        doc="The memorandum it executes.",
    )
    source: Mapped[str] = mapped_column(String(16), default="manual", doc="manual, import or demo.")
    confirmation: Mapped[Confirmation] = mapped_column(
        enum_column(Confirmation, length=24),
        default=Confirmation.AWAITING,
        index=True,
        doc="awaiting, awaiting_coordinator, confirmed or disputed; only confirmed deals count.",
    )
    buyer_confirmed: Mapped[bool] = mapped_column(
        Boolean, default=False, doc="The buyer's side confirmed the deal as it stands."
    )
    supplier_confirmed: Mapped[bool] = mapped_column(
        Boolean, default=False, doc="The supplier's side confirmed the deal as it stands."
    )
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"),
        doc="The coordinator or administrator who confirmed it with evidence, if one did.",
    )
    evidence: Mapped[str | None] = mapped_column(
        String(500), doc="Contract number or document a coordinator confirmed it by."
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, doc="When it became confirmed (None while it is not)."
    )
    dispute_reason: Mapped[str | None] = mapped_column(
        String(1000), doc="Why a side or a coordinator disputed it (None unless disputed)."
    )
    disputed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), doc="Who disputed it."
    )

    buyer: Mapped[Organisation] = relationship(foreign_keys=[buyer_id])
    supplier: Mapped[Organisation] = relationship(foreign_keys=[supplier_id])
    unit: Mapped[Unit | None] = relationship()
    need: Mapped[Need | None] = relationship()
    offer: Mapped[Offer | None] = relationship()
    meeting: Mapped[MeetingRequest | None] = relationship()
    memorandum: Mapped[Memorandum | None] = relationship()
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    disputed_by: Mapped[User | None] = relationship(foreign_keys=[disputed_by_id])
    commitments: Mapped[list[Commitment]] = relationship(
        secondary=deal_commitments, back_populates="deals", order_by="Commitment.id"
    )
    deliveries: Mapped[list[Delivery]] = relationship(
        back_populates="deal", cascade="all, delete-orphan", order_by="Delivery.delivered_on"
    )


class Delivery(Timestamped, Base):
    """A delivery under a deal: what arrived when, and for how much."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(
        ForeignKey("deals.id", ondelete="CASCADE"), index=True, doc="The deal."
    )
    delivered_on: Mapped[date] = mapped_column(Date, index=True, doc="Date of delivery.")
    quantity: Mapped[Decimal | None] = mapped_column(
        Numeric(18, 3), doc="Quantity delivered, in `unit_code`."
    )
    unit_code: Mapped[str | None] = mapped_column(
        ForeignKey("units.code"), doc="Unit of the delivered quantity."
    )
    amount_kzt: Mapped[Decimal | None] = mapped_column(
        Numeric(20, 2), doc="Value of the delivery in KZT."
    )
    note: Mapped[str | None] = mapped_column(String(500), doc="Waybill number or remark.")

    deal: Mapped[Deal] = relationship(back_populates="deliveries")
    unit: Mapped[Unit | None] = relationship()


class ProgressReport(Timestamped, Base):
    """A dated report of progress on a commitment whose KPI deals cannot show.

    `value` is what was achieved since the previous report (an increment); the
    commitment's value is the sum of its reports.
    """

    __tablename__ = "progress_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True, doc="The commitment."
    )
    reported_on: Mapped[date] = mapped_column(Date, doc="Date the progress was achieved.")
    value: Mapped[Decimal] = mapped_column(
        Numeric(20, 3), doc="Achieved since the previous report, in the KPI's measure."
    )
    evidence_text: Mapped[str | None] = mapped_column(Text, doc="What proves it, in words.")
    evidence_url: Mapped[str | None] = mapped_column(String(500), doc="Link to the evidence.")
    evidence_filename: Mapped[str | None] = mapped_column(
        String(255), doc="File name of uploaded evidence."
    )
    evidence_content_type: Mapped[str | None] = mapped_column(
        String(100), doc="MIME type of uploaded evidence."
    )
    evidence: Mapped[bytes | None] = deferred(
        mapped_column(LargeBinary, doc="Uploaded evidence bytes (loaded only when asked).")
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), doc="Who reported it."
    )

    commitment: Mapped[Commitment] = relationship(back_populates="reports")
    author: Mapped[User | None] = relationship()


class AuditEntry(Base):
    """One change to a memorandum, commitment, deal (or their parts): who, when, before, after.

    Entries keep no foreign keys to what they describe, so they outlive deletions.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_entity", "entity_kind", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_kind: Mapped[str] = mapped_column(
        String(32), doc="memorandum, commitment, milestone, deal, delivery, progress_report."
    )
    entity_id: Mapped[int] = mapped_column(Integer, doc="Id of the changed row.")
    memorandum_id: Mapped[int | None] = mapped_column(
        Integer, index=True, doc="Memorandum the row belongs to (for its audit page)."
    )
    action: Mapped[AuditAction] = mapped_column(
        enum_column(AuditAction), doc="create/update/delete."
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), doc="Who changed it (None: CLI or import)."
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True, doc="When.")
    before: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, doc="Field values before the change (None for create)."
    )
    after: Mapped[dict[str, Any] | None] = mapped_column(
        JSON, doc="Field values after the change (None for delete)."
    )

    user: Mapped[User | None] = relationship()
