"""Pydantic shapes of the agreements domain: what comes in (checked) and what goes out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from seriktes.agreements.models import (
    AuditEntry,
    Commitment,
    CommitmentMilestone,
    Confirmation,
    Deal,
    DealStatus,
    Delivery,
    KpiKind,
    Memorandum,
    MemorandumParty,
    MemorandumStatus,
    PartyRole,
    ProgressReport,
    Sector,
)
from seriktes.agreements.progress import RULES, Breakdown, Progress
from seriktes.agreements.rates import MAX_AMOUNT
from seriktes.kit.db import MAX_ID
from seriktes.registry.schemas import NulFree, OrganisationRef, RegionRef

FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2199, 12, 31)


def _day() -> Any:
    return Field(ge=FIRST_DAY, le=LAST_DAY)


def _money(default: Any = ...) -> Any:
    return Field(default=default, ge=0, max_digits=20, decimal_places=2)


def _amount(default: Any = ...) -> Any:
    return Field(default=default, gt=0, le=MAX_AMOUNT, max_digits=20, decimal_places=2)


def _quantity() -> Any:
    return Field(default=None, gt=0, max_digits=18, decimal_places=3)


def _id(description: str) -> Any:
    return Field(default=None, ge=1, le=MAX_ID, description=description)


class _In(NulFree):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- in ----------------------------------------------------------------------------------
class PartyIn(_In):
    """A signatory: a region (KATO code), an organisation (id), or both."""

    region: str | None = Field(default=None, pattern=r"^[0-9]{2,9}$", description="KATO code")
    organisation_id: int | None = _id("Organisation id")
    role: PartyRole = PartyRole.PARTY
    signatory: str | None = Field(default=None, max_length=300, description="Signatory's name")
    signatory_post: str | None = Field(default=None, max_length=300, description="Signatory's post")

    @model_validator(mode="after")
    def _someone(self) -> PartyIn:
        if self.region is None and self.organisation_id is None:
            raise ValueError("a party is a region, an organisation or both")
        return self


class MemorandumIn(_In):
    """A new memorandum with its parties and sectors."""

    number: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=3, max_length=500)
    summary: str | None = Field(default=None, max_length=20_000)
    signed_on: date = _day()
    place: str | None = Field(default=None, max_length=300)
    event_id: int | None = _id("The event it was signed at")
    status: MemorandumStatus = MemorandumStatus.DRAFT
    sectors: list[Sector] = Field(default_factory=list, max_length=len(Sector))
    parties: list[PartyIn] = Field(min_length=1, max_length=50)


class MemorandumChanges(_In):
    """Fields of a memorandum to change; absent means unchanged, parties are replaced."""

    number: str | None = Field(default=None, min_length=1, max_length=64)
    title: str | None = Field(default=None, min_length=3, max_length=500)
    summary: str | None = Field(default=None, max_length=20_000)
    signed_on: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    place: str | None = Field(default=None, max_length=300)
    event_id: int | None = _id("The event it was signed at")
    status: MemorandumStatus | None = None
    sectors: list[Sector] | None = Field(default=None, max_length=len(Sector))
    parties: list[PartyIn] | None = Field(default=None, min_length=1, max_length=50)


class WithdrawalIn(_In):
    """A memorandum's withdrawal: the reason, and the day (today unless told)."""

    reason: str = Field(min_length=3, max_length=5_000)
    withdrawn_on: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)


class MilestoneIn(_In):
    """A dated intermediate target of a commitment (cumulative, in the KPI's measure)."""

    due_on: date = _day()
    target: Decimal = Field(gt=0, max_digits=20, decimal_places=3)
    note: str | None = Field(default=None, max_length=500)


class MilestoneChanges(_In):
    """Fields of a milestone to change; absent means unchanged."""

    due_on: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    target: Decimal | None = Field(default=None, gt=0, max_digits=20, decimal_places=3)
    note: str | None = Field(default=None, max_length=500)


class CommitmentIn(_In):
    """A new commitment of a memorandum."""

    title: str = Field(min_length=3, max_length=500)
    kpi: KpiKind
    target: Decimal = Field(gt=0, max_digits=20, decimal_places=3)
    unit_code: str | None = Field(default=None, max_length=16, description="MKEI code or name")
    class_code: str | None = Field(default=None, max_length=16)
    sector: Sector | None = None
    start_on: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    deadline: date = _day()
    responsible_organisation_id: int | None = _id("Organisation answerable")
    responsible_region: str | None = Field(default=None, pattern=r"^[0-9]{2,9}$")
    responsible_person: str | None = Field(default=None, max_length=300)
    responsible_post: str | None = Field(default=None, max_length=300)
    responsible_contact: str | None = Field(default=None, max_length=300)
    position: int | None = Field(default=None, ge=0, le=10_000)


class CommitmentChanges(_In):
    """Fields of a commitment to change; absent means unchanged."""

    title: str | None = Field(default=None, min_length=3, max_length=500)
    kpi: KpiKind | None = None
    target: Decimal | None = Field(default=None, gt=0, max_digits=20, decimal_places=3)
    unit_code: str | None = Field(default=None, max_length=16)
    class_code: str | None = Field(default=None, max_length=16)
    sector: Sector | None = None
    start_on: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    deadline: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    responsible_organisation_id: int | None = _id("Organisation answerable")
    responsible_region: str | None = Field(default=None, pattern=r"^[0-9]{2,9}$")
    responsible_person: str | None = Field(default=None, max_length=300)
    responsible_post: str | None = Field(default=None, max_length=300)
    responsible_contact: str | None = Field(default=None, max_length=300)
    position: int | None = Field(default=None, ge=0, le=10_000)


class DealIn(_In):
    """A new deal between a buyer and a supplier."""

    number: str = Field(min_length=1, max_length=64)
    signed_on: date = _day()
    buyer_id: int = Field(ge=1, le=MAX_ID)
    supplier_id: int = Field(ge=1, le=MAX_ID)
    subject: str = Field(min_length=1, max_length=500)
    class_code: str | None = Field(default=None, max_length=16, description="KP VED code")
    quantity: Decimal | None = _quantity()
    unit_code: str | None = Field(default=None, max_length=16)
    amount: Decimal = _amount()
    currency: str = Field(default="KZT", pattern=r"^[A-Z]{3}$")
    rate_to_kzt: Decimal | None = Field(default=None, gt=0, max_digits=18, decimal_places=6)
    status: DealStatus = DealStatus.SIGNED
    need_id: int | None = _id("The need it answers")
    offer_id: int | None = _id("The offer it buys")
    meeting_id: int | None = _id("The meeting request it came from")
    memorandum_id: int | None = _id("The memorandum it executes")
    commitment_ids: list[int] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _two_sides(self) -> DealIn:
        if self.buyer_id == self.supplier_id:
            raise ValueError("the buyer and the supplier must differ")
        return self


class DealChanges(_In):
    """Fields of a deal to change; absent means unchanged; commitment_ids replaces the links."""

    number: str | None = Field(default=None, min_length=1, max_length=64)
    signed_on: date | None = Field(default=None, ge=FIRST_DAY, le=LAST_DAY)
    subject: str | None = Field(default=None, min_length=1, max_length=500)
    class_code: str | None = Field(default=None, max_length=16)
    quantity: Decimal | None = _quantity()
    unit_code: str | None = Field(default=None, max_length=16)
    amount: Decimal | None = _amount(None)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    rate_to_kzt: Decimal | None = Field(default=None, gt=0, max_digits=18, decimal_places=6)
    status: DealStatus | None = None
    need_id: int | None = _id("The need it answers")
    offer_id: int | None = _id("The offer it buys")
    meeting_id: int | None = _id("The meeting request it came from")
    memorandum_id: int | None = _id("The memorandum it executes")
    commitment_ids: list[int] | None = Field(default=None, max_length=100)


class ConfirmIn(_In):
    """A confirmation: a side's needs nothing; a coordinator's names the contract."""

    evidence: str | None = Field(
        default=None,
        min_length=1,
        max_length=500,
        description="Contract number or document (required from coordinators)",
    )


class DisputeIn(_In):
    """A dispute of a deal, with the reason."""

    reason: str = Field(min_length=3, max_length=1000)


class DeliveryIn(_In):
    """A delivery under a deal."""

    delivered_on: date = _day()
    quantity: Decimal | None = _quantity()
    unit_code: str | None = Field(default=None, max_length=16)
    amount_kzt: Decimal | None = _money(None)
    note: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _something(self) -> DeliveryIn:
        if self.quantity is None and self.amount_kzt is None:
            raise ValueError("a delivery needs a quantity, an amount or both")
        return self


class ProgressReportIn(_In):
    """Progress on a commitment whose KPI deals cannot show (an increment since the last)."""

    reported_on: date = _day()
    value: Decimal = Field(gt=0, max_digits=20, decimal_places=3)
    evidence_text: str | None = Field(default=None, max_length=20_000)
    evidence_url: str | None = Field(default=None, max_length=500, pattern=r"^https?://\S+$")


# --- out ---------------------------------------------------------------------------------
class PartyOut(BaseModel):
    """A signatory."""

    id: int
    role: PartyRole
    region: RegionRef | None
    organisation: OrganisationRef | None
    signatory: str | None
    signatory_post: str | None

    @classmethod
    def of(cls, party: MemorandumParty) -> PartyOut:
        """Build from a row."""
        org = party.organisation
        return cls(
            id=party.id,
            role=party.role,
            region=RegionRef.of(party.region),
            organisation=OrganisationRef.of(org) if org is not None else None,
            signatory=party.signatory,
            signatory_post=party.signatory_post,
        )


class ProgressOut(BaseModel):
    """A computed progress (see `rule`); `value` and `percent` are None for readers who may
    not see what linked deals add up to."""

    value: Decimal | None
    target: Decimal
    expected: Decimal
    percent: int | None
    status: str
    basis: str = Field(
        description="The part of the status rule that decided: target, deadline, milestone, "
        "before_milestones, too_early or pace"
    )
    milestone_due_on: date | None = Field(description="The milestone judged against, if any")
    contracted: Decimal | None = Field(description="Deal KPIs: what the counted deals contract")
    delivered: Decimal | None = Field(description="Deal KPIs: what was delivered under them")
    rule: str

    @classmethod
    def of(
        cls,
        progress: Progress,
        kpi: KpiKind,
        sums: bool = True,
        split: Breakdown | None = None,
    ) -> ProgressOut:
        """Build from a computation; without `sums`, a deal-based value is left out."""
        shown = sums or not kpi.from_deals
        return cls(
            value=progress.value if shown else None,
            target=progress.target,
            expected=progress.expected.quantize(Decimal("0.001")),
            percent=progress.percent if shown else None,
            status=progress.status.value,
            basis=progress.basis.value,
            milestone_due_on=progress.milestone.due_on if progress.milestone else None,
            contracted=split.contracted if split is not None and shown else None,
            delivered=split.delivered if split is not None and shown else None,
            rule=RULES[kpi],
        )


class MilestoneOut(BaseModel):
    """A dated intermediate target."""

    id: int
    commitment_id: int
    due_on: date
    target: Decimal
    note: str | None

    @classmethod
    def of(cls, milestone: CommitmentMilestone) -> MilestoneOut:
        """Build from a row."""
        return cls(
            id=milestone.id,
            commitment_id=milestone.commitment_id,
            due_on=milestone.due_on,
            target=milestone.target,
            note=milestone.note,
        )


class CommitmentOut(BaseModel):
    """A commitment and its progress today."""

    id: int
    memorandum_id: int
    position: int
    title: str
    kpi: KpiKind
    sector: Sector | None
    target: Decimal
    unit_code: str | None
    class_code: str | None
    start_on: date
    deadline: date
    responsible_organisation: OrganisationRef | None
    responsible_region: RegionRef | None
    responsible_person: str | None
    responsible_post: str | None
    responsible_contact: str | None
    milestones: list[MilestoneOut]
    deal_ids: list[int]
    progress: ProgressOut
    version: int = Field(description="Changes with every write; send it back as If-Match")

    @classmethod
    def of(
        cls,
        commitment: Commitment,
        progress: Progress,
        sums: bool = True,
        split: Breakdown | None = None,
    ) -> CommitmentOut:
        """Build from a row and its computed progress; without `sums` (readers who may not
        read every deal), no linked deals and no value computed from them."""
        org = commitment.responsible_organisation
        return cls(
            id=commitment.id,
            memorandum_id=commitment.memorandum_id,
            position=commitment.position,
            title=commitment.title,
            kpi=commitment.kpi,
            sector=commitment.sector,
            target=commitment.target,
            unit_code=commitment.unit_code,
            class_code=commitment.class_code,
            start_on=commitment.start_on,
            deadline=commitment.deadline,
            responsible_organisation=OrganisationRef.of(org) if org is not None else None,
            responsible_region=RegionRef.of(commitment.responsible_region),
            responsible_person=commitment.responsible_person,
            responsible_post=commitment.responsible_post,
            responsible_contact=commitment.responsible_contact,
            milestones=[MilestoneOut.of(m) for m in commitment.milestones],
            deal_ids=[d.id for d in commitment.deals] if sums else [],
            progress=ProgressOut.of(progress, commitment.kpi, sums, split),
            version=commitment.version,
        )


class MemorandumOut(BaseModel):
    """A memorandum with its parties and sectors."""

    id: int
    number: str
    title: str
    summary: str | None
    signed_on: date
    place: str | None
    event_id: int | None
    status: MemorandumStatus
    withdrawn_on: date | None
    withdrawal_reason: str | None
    sectors: list[Sector]
    parties: list[PartyOut]
    document_filename: str | None
    commitment_count: int
    version: int = Field(description="Changes with every write; send it back as If-Match")

    @classmethod
    def of(cls, memo: Memorandum) -> MemorandumOut:
        """Build from a row."""
        return cls(
            id=memo.id,
            number=memo.number,
            title=memo.title,
            summary=memo.summary,
            signed_on=memo.signed_on,
            place=memo.place,
            event_id=memo.event_id,
            status=memo.status,
            withdrawn_on=memo.withdrawn_on,
            withdrawal_reason=memo.withdrawal_reason,
            sectors=memo.sectors,
            parties=[PartyOut.of(p) for p in memo.parties],
            document_filename=memo.document_filename,
            commitment_count=len(memo.commitments),
            version=memo.version,
        )


class DeliveryOut(BaseModel):
    """A delivery."""

    id: int
    deal_id: int
    delivered_on: date
    quantity: Decimal | None
    unit_code: str | None
    amount_kzt: Decimal | None
    note: str | None

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryOut:
        """Build from a row."""
        return cls(
            id=delivery.id,
            deal_id=delivery.deal_id,
            delivered_on=delivery.delivered_on,
            quantity=delivery.quantity,
            unit_code=delivery.unit_code,
            amount_kzt=delivery.amount_kzt,
            note=delivery.note,
        )


class ConfirmationOut(BaseModel):
    """Whether a deal counts, and who confirmed or disputed it."""

    state: Confirmation
    counts: bool
    buyer_confirmed: bool
    supplier_confirmed: bool
    confirmed_by_coordinator: bool
    evidence: str | None
    confirmed_at: datetime | None
    dispute_reason: str | None

    @classmethod
    def of(cls, deal: Deal) -> ConfirmationOut:
        """Build from a row."""
        return cls(
            state=deal.confirmation,
            counts=deal.confirmation is Confirmation.CONFIRMED,
            buyer_confirmed=deal.buyer_confirmed,
            supplier_confirmed=deal.supplier_confirmed,
            confirmed_by_coordinator=bool(deal.evidence),
            evidence=deal.evidence,
            confirmed_at=deal.confirmed_at,
            dispute_reason=deal.dispute_reason,
        )


class DealOut(BaseModel):
    """A deal with its links and deliveries."""

    id: int
    number: str
    signed_on: date
    buyer: OrganisationRef
    supplier: OrganisationRef
    subject: str
    class_code: str | None
    quantity: Decimal | None
    unit_code: str | None
    amount: Decimal
    currency: str
    rate_to_kzt: Decimal
    amount_kzt: Decimal
    status: DealStatus
    need_id: int | None
    offer_id: int | None
    meeting_id: int | None
    memorandum_id: int | None
    commitment_ids: list[int]
    deliveries: list[DeliveryOut]
    confirmation: ConfirmationOut
    version: int = Field(description="Changes with every write; send it back as If-Match")

    @classmethod
    def of(cls, deal: Deal) -> DealOut:
        """Build from a row."""
        return cls(
            id=deal.id,
            number=deal.number,
            signed_on=deal.signed_on,
            buyer=OrganisationRef.of(deal.buyer),
            supplier=OrganisationRef.of(deal.supplier),
            subject=deal.subject,
            class_code=deal.class_code,
            quantity=deal.quantity,
            unit_code=deal.unit_code,
            amount=deal.amount,
            currency=deal.currency,
            rate_to_kzt=deal.rate_to_kzt,
            amount_kzt=deal.amount_kzt,
            status=deal.status,
            need_id=deal.need_id,
            offer_id=deal.offer_id,
            meeting_id=deal.meeting_id,
            memorandum_id=deal.memorandum_id,
            commitment_ids=[c.id for c in deal.commitments],
            deliveries=[DeliveryOut.of(d) for d in deal.deliveries],
            confirmation=ConfirmationOut.of(deal),
            version=deal.version,
        )


class ProgressReportOut(BaseModel):
    """A progress report."""

    id: int
    commitment_id: int
    reported_on: date
    value: Decimal
    evidence_text: str | None
    evidence_url: str | None
    evidence_filename: str | None
    author_id: int | None

    @classmethod
    def of(cls, report: ProgressReport) -> ProgressReportOut:
        """Build from a row."""
        return cls(
            id=report.id,
            commitment_id=report.commitment_id,
            reported_on=report.reported_on,
            value=report.value,
            evidence_text=report.evidence_text,
            evidence_url=report.evidence_url,
            evidence_filename=report.evidence_filename,
            author_id=report.author_id,
        )


class AuditEntryOut(BaseModel):
    """One change: who, when, what before and after."""

    id: int
    entity_kind: str
    entity_id: int
    memorandum_id: int | None
    action: str
    user_id: int | None
    user_email: str | None
    at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        """Build from a row."""
        return cls(
            id=entry.id,
            entity_kind=entry.entity_kind,
            entity_id=entry.entity_id,
            memorandum_id=entry.memorandum_id,
            action=entry.action.value,
            user_id=entry.user_id,
            user_email=entry.user.email if entry.user is not None else None,
            at=entry.at,
            before=entry.before,
            after=entry.after,
        )
