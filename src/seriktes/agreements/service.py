"""Business rules of memoranda, commitments and progress reports, with the access rules
applied and every change written to the audit log. Deals live in `deals`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.agreements import audit, documents, repository
from seriktes.agreements.models import (
    AuditAction,
    AuditEntry,
    Commitment,
    CommitmentMilestone,
    KpiKind,
    Memorandum,
    MemorandumParty,
    MemorandumSector,
    MemorandumStatus,
    Sector,
    deal_commitments,
)
from seriktes.agreements.models import Deal as DealRow
from seriktes.agreements.policy import (
    can_manage_memorandum,
    can_read_audit,
    can_read_memorandum,
    visible_memoranda,
)
from seriktes.agreements.progress import Breakdown, Progress, breakdown, compute, history
from seriktes.agreements.schemas import (
    CommitmentChanges,
    CommitmentIn,
    MemorandumChanges,
    MemorandumIn,
    MilestoneChanges,
    MilestoneIn,
    PartyIn,
    WithdrawalIn,
)
from seriktes.catalog.parsing import parse_kpved
from seriktes.events.models import Event
from seriktes.kit import clock, versions
from seriktes.kit.db import get_by_id
from seriktes.kit.errors import (
    NO_PARAMS,
    Conflict,
    ErrorItem,
    Forbidden,
    NotFound,
    Params,
    ValidationFailed,
)
from seriktes.kit.i18n import N_
from seriktes.kit.importing import CellError
from seriktes.kit.pagination import Page, PageRequest, paginate
from seriktes.registry import repository as registry_repository
from seriktes.registry.models import Organisation, Region
from seriktes.registry.service import unit_by_spelling

MAX_UPLOAD = 10 * 1024 * 1024  # bytes of a signed document or of evidence
# columns by the names clients send and read them under
MEMO_ALIASES = {"document_filename": "document", "document_content_type": "document"}
COMMITMENT_ALIASES = {"responsible_region_id": "responsible_region"}


def invalid(
    loc: tuple[str | int, ...], message: str, params: Params = NO_PARAMS
) -> ValidationFailed:
    """A validation error located at `loc`: an English template (marked with `N_`) and its
    parameters."""
    return ValidationFailed(message, [ErrorItem(loc, message, params)], params)


# --- look-ups ----------------------------------------------------------------------------
def region_id_of(session: Session, kato: str | None, loc: tuple[str | int, ...]) -> int | None:
    """The id of the region of a KATO code; a located error when there is none."""
    if kato is None:
        return None
    region = registry_repository.region_by_kato(session, kato)
    if region is None:
        raise invalid(loc, N_("unknown KATO code %(kato)s"), params={"kato": repr(kato)})
    return region.id


def organisation(session: Session, org_id: int, loc: tuple[str | int, ...]) -> Organisation:
    """An organisation by id; a located error when there is none."""
    org = get_by_id(session, Organisation, org_id)
    if org is None:
        raise invalid(loc, N_("no organisation with id %(org_id)s"), params={"org_id": org_id})
    return org


def unit_code(session: Session, value: str | None, loc: tuple[str | int, ...]) -> str | None:
    """The MKEI code of a unit given by code or name."""
    if value is None:
        return None
    unit = unit_by_spelling(session, value)
    if unit is None:
        raise invalid(
            loc,
            N_("unknown unit of measure %(value)s; use an MKEI code or a name"),
            params={"value": repr(value)},
        )
    return unit.code


def class_code(value: str | None, loc: tuple[str | int, ...]) -> str | None:
    """A KP VED code in its dotted form."""
    try:
        return parse_kpved(value)
    except CellError as exc:
        raise invalid(loc, exc.template, exc.params) from None


# --- memoranda ---------------------------------------------------------------------------
def list_memoranda(
    session: Session,
    user: User | None,
    request: PageRequest,
    sector: Sector | None = None,
    region_id: int | None = None,
    text: str | None = None,
) -> Page[Memorandum]:
    """The memoranda `user` may read, newest first."""
    stmt = repository.memorandum_query(visible_memoranda(user), sector, region_id, text)
    return paginate(session, stmt, request)


def get_memorandum(session: Session, user: User | None, memorandum_id: int) -> Memorandum:
    """A memorandum `user` may read; NotFound otherwise (drafts are not revealed)."""
    memo = get_by_id(session, Memorandum, memorandum_id)
    if memo is None or not can_read_memorandum(user, memo):
        raise NotFound(
            N_("no memorandum with id %(memorandum_id)s"), params={"memorandum_id": memorandum_id}
        )
    return memo


WITHDRAWN = N_("the memorandum is withdrawn: it stays as it was and takes no changes")


def managed_memorandum(session: Session, user: User | None, memorandum_id: int) -> Memorandum:
    """A memorandum `user` manages; NotFound if unreadable, Forbidden if only readable,
    Conflict if withdrawn (a withdrawn memorandum is kept as it was)."""
    memo = get_memorandum(session, user, memorandum_id)
    if not can_manage_memorandum(user, memo):
        raise Forbidden(N_("only coordinators of a party region manage this memorandum"))
    if memo.status is MemorandumStatus.WITHDRAWN:
        raise Conflict(WITHDRAWN)
    return memo


def _party_values(session: Session, party: PartyIn, i: int) -> dict[str, Any]:
    region_id = region_id_of(session, party.region, ("body", "parties", i, "region"))
    org = (
        organisation(session, party.organisation_id, ("body", "parties", i, "organisation_id"))
        if party.organisation_id is not None
        else None
    )
    return {
        "role": party.role,
        "signatory": party.signatory,
        "signatory_post": party.signatory_post,
        "organisation": org,
        "region": session.get(Region, region_id) if region_id is not None else None,
    }


def _parties(session: Session, parties: list[PartyIn]) -> list[MemorandumParty]:
    return [MemorandumParty(**_party_values(session, p, i)) for i, p in enumerate(parties)]


def _check_event(session: Session, event_id: int | None) -> None:
    if event_id is not None and get_by_id(session, Event, event_id) is None:
        raise invalid(
            ("body", "event_id"), N_("no event with id %(event_id)s"), params={"event_id": event_id}
        )


def _check_number(session: Session, number: str, memo_id: int | None = None) -> None:
    taken = repository.memorandum_by_number(session, number)
    if taken is not None and taken.id != memo_id:
        detail, params = (
            N_("a memorandum with number %(number)s already exists"),
            {"number": repr(number)},
        )
        raise Conflict(detail, [ErrorItem(("body", "number"), detail, params)], params)


def create_memorandum(session: Session, user: User | None, data: MemorandumIn) -> Memorandum:
    """Create a memorandum; coordinators only for one their region is a party of."""
    _check_event(session, data.event_id)
    if data.status is MemorandumStatus.WITHDRAWN:
        raise invalid(("body", "status"), N_("a memorandum is withdrawn with a reason, later"))
    memo = Memorandum(
        **data.model_dump(exclude={"sectors", "parties"}),
        parties=_parties(session, data.parties),
        sector_rows=[MemorandumSector(sector=s) for s in dict.fromkeys(data.sectors)],
    )
    if not can_manage_memorandum(user, memo):
        raise Forbidden(N_("you may create memoranda only with your own region as a party"))
    _check_number(session, data.number)
    session.add(memo)
    audit.record(session, user, AuditAction.CREATE, memo, None)
    return memo


def update_memorandum(
    session: Session,
    user: User | None,
    memorandum_id: int,
    changes: MemorandumChanges,
    version: int | None = None,
) -> Memorandum:
    """Change the fields sent; parties and sectors, when sent, replace the old ones. With
    `version` (the one the client read), a memorandum changed since is refused."""
    memo = managed_memorandum(session, user, memorandum_id)
    versions.check(memo, version, N_("memorandum"), MEMO_ALIASES)
    values = changes.model_dump(exclude_unset=True)
    for name in ("number", "title", "signed_on", "status"):
        if name in values and values[name] is None:
            raise invalid(("body", name), N_("%(name)s may not be empty"), params={"name": name})
    if values.get("status") is MemorandumStatus.WITHDRAWN:
        raise invalid(("body", "status"), N_("a memorandum is withdrawn with a reason, later"))
    before = audit.snapshot(memo)
    if "number" in values:
        _check_number(session, values["number"], memo.id)
    if "event_id" in values:
        _check_event(session, values["event_id"])
    parties = values.pop("parties", None)
    sectors = values.pop("sectors", None)
    if parties is not None:
        memo.parties = _parties(session, changes.parties or [])
        _check_parties(user, memo)
        versions.touch(memo, "parties")
    if sectors is not None and set(changes.sectors or []) != set(memo.sectors):
        memo.sector_rows = [
            MemorandumSector(sector=s) for s in dict.fromkeys(changes.sectors or [])
        ]
        versions.touch(memo, "sectors")
    versions.assign(memo, values)
    audit.record(session, user, AuditAction.UPDATE, memo, before)
    return memo


def withdraw_memorandum(
    session: Session,
    user: User | None,
    memorandum_id: int,
    data: WithdrawalIn,
    version: int | None = None,
) -> Memorandum:
    """Withdraw a memorandum with the reason: it stays readable (with its commitments and
    audit log) but takes no changes and no new deal links. With `version`, a memorandum
    changed since is refused."""
    memo = managed_memorandum(session, user, memorandum_id)
    versions.check(memo, version, N_("memorandum"), MEMO_ALIASES)
    before = audit.snapshot(memo)
    memo.status = MemorandumStatus.WITHDRAWN
    memo.withdrawn_on = data.withdrawn_on or clock.today()
    memo.withdrawal_reason = data.reason
    audit.record(session, user, AuditAction.UPDATE, memo, before)
    return memo


# --- parties -----------------------------------------------------------------------------
def _party_of(memo: Memorandum, party_id: int) -> MemorandumParty:
    party = next((p for p in memo.parties if p.id == party_id), None)
    if party is None:
        raise NotFound(N_("no party with id %(party_id)s"), params={"party_id": party_id})
    return party


def _check_parties(user: User | None, memo: Memorandum) -> None:
    if not memo.parties:
        raise invalid(("body", "parties"), N_("a memorandum needs at least one party"))
    if not can_manage_memorandum(user, memo):
        raise Forbidden(N_("your own region must stay a party of the memorandum"))
    seen: set[tuple[int | None, int | None]] = set()
    for party in memo.parties:
        region, org = party.region, party.organisation  # ids are set only at the flush
        key = (region.id if region else None, org.id if org else None)
        if key in seen:
            raise invalid(("body", "parties"), N_("this party is already in the memorandum"))
        seen.add(key)


def _changed_parties(
    session: Session, user: User | None, memorandum_id: int, version: int | None
) -> tuple[Memorandum, dict[str, Any]]:
    memo = managed_memorandum(session, user, memorandum_id)
    versions.check(memo, version, N_("memorandum"), MEMO_ALIASES)
    return memo, audit.snapshot(memo)


def _checked(user: User | None, memo: Memorandum, undo: Callable[[], None]) -> None:
    """Check the parties as changed; when they are refused, undo the change in memory first
    (so that the session holds what it held before), then raise."""
    try:
        _check_parties(user, memo)
    except (Forbidden, ValidationFailed):
        undo()
        raise


def _parties_changed(session: Session, user: User | None, memo: Memorandum, before: Any) -> None:
    versions.touch(memo, "parties")  # the memorandum's version goes up with its parties
    audit.record(session, user, AuditAction.UPDATE, memo, before)


def add_party(
    session: Session,
    user: User | None,
    memorandum_id: int,
    data: PartyIn,
    version: int | None = None,
) -> MemorandumParty:
    """Add a party (a region, an organisation or both, with the signatory and the post)."""
    memo, before = _changed_parties(session, user, memorandum_id, version)
    (party,) = _parties(session, [data])
    memo.parties.append(party)
    _checked(user, memo, lambda: memo.parties.remove(party))
    _parties_changed(session, user, memo, before)
    return party


def update_party(
    session: Session,
    user: User | None,
    memorandum_id: int,
    party_id: int,
    data: PartyIn,
    version: int | None = None,
) -> MemorandumParty:
    """Change a party: who it is, its role, the signatory and the post."""
    memo, before = _changed_parties(session, user, memorandum_id, version)
    party = _party_of(memo, party_id)
    values = _party_values(session, data, 0)
    old = {name: getattr(party, name) for name in values}
    for name, value in values.items():
        setattr(party, name, value)

    def undo() -> None:
        for name, value in old.items():
            setattr(party, name, value)

    _checked(user, memo, undo)
    _parties_changed(session, user, memo, before)
    return party


def remove_party(
    session: Session,
    user: User | None,
    memorandum_id: int,
    party_id: int,
    version: int | None = None,
) -> Memorandum:
    """Remove a party; the last one, or the user's own region's last, stays."""
    memo, before = _changed_parties(session, user, memorandum_id, version)
    party = _party_of(memo, party_id)
    place = memo.parties.index(party)
    memo.parties.remove(party)
    _checked(user, memo, lambda: memo.parties.insert(place, party))
    _parties_changed(session, user, memo, before)
    return memo


def delete_memorandum(session: Session, user: User | None, memorandum_id: int) -> None:
    """Delete a memorandum with its commitments; deals stay, unlinked."""
    memo = managed_memorandum(session, user, memorandum_id)
    for commitment in memo.commitments:
        audit.record(session, user, AuditAction.DELETE, commitment, audit.snapshot(commitment))
    before = audit.snapshot(memo)
    audit.record(session, user, AuditAction.DELETE, memo, before)
    session.delete(memo)
    session.flush()


def set_document(
    session: Session,
    user: User | None,
    memorandum_id: int,
    filename: str,
    content_type: str | None,
    content: bytes,
) -> Memorandum:
    """Store the signed document of a memorandum (replacing an earlier one)."""
    memo = managed_memorandum(session, user, memorandum_id)
    if not content:
        raise invalid(("body", "file"), N_("the file is empty"))
    if len(content) > MAX_UPLOAD:
        raise invalid(
            ("body", "file"),
            N_("the file is larger than %(value)s MB"),
            params={"value": MAX_UPLOAD // 2**20},
        )
    kind = documents.kind_of(content)  # by the bytes: the sent type and name are not trusted
    if kind is None:
        raise invalid(
            ("body", "file"),
            N_("the document must be %(ACCEPTED)s"),
            params={"ACCEPTED": documents.ACCEPTED},
        )
    before = audit.snapshot(memo)
    memo.document = content
    memo.document_filename = documents.clean_name(filename, kind)
    memo.document_content_type = documents.CONTENT_TYPES[kind]
    audit.record(session, user, AuditAction.UPDATE, memo, before)
    return memo


def document(session: Session, user: User | None, memorandum_id: int) -> tuple[str, str, bytes]:
    """Cleaned file name, content type fixed by the document's kind, and bytes of a
    memorandum's signed document."""
    memo = get_memorandum(session, user, memorandum_id)
    if memo.document is None:
        raise NotFound(N_("this memorandum has no uploaded document"))
    kind = documents.kind_of(memo.document)  # documents stored before kinds were checked too
    name = documents.clean_name(memo.document_filename or "document", kind)
    return name, documents.content_type(memo.document), memo.document


# --- commitments -------------------------------------------------------------------------
@dataclass(frozen=True)
class Tracked:
    """A commitment with its progress on a day."""

    commitment: Commitment
    progress: Progress
    day: date | None = None

    @property
    def split(self) -> Breakdown | None:
        """Contracted, delivered and counted, for a deal KPI."""
        return breakdown(self.commitment, self.day or clock.today())


def commitments(
    session: Session, user: User | None, memorandum_id: int, on: date | None = None
) -> list[Tracked]:
    """A memorandum's commitments with their computed progress."""
    get_memorandum(session, user, memorandum_id)
    day = on or clock.today()
    return [
        Tracked(c, compute(c, day), day) for c in repository.commitments_of(session, memorandum_id)
    ]


def get_commitment(session: Session, user: User | None, commitment_id: int) -> Commitment:
    """A commitment of a memorandum `user` may read."""
    commitment = get_by_id(session, Commitment, commitment_id)
    if commitment is None or not can_read_memorandum(user, commitment.memorandum):
        raise NotFound(
            N_("no commitment with id %(commitment_id)s"), params={"commitment_id": commitment_id}
        )
    return commitment


def progress_of(commitment: Commitment, on: date | None = None) -> Progress:
    """The commitment's progress today (or on a given day)."""
    return compute(commitment, on or clock.today())


def split_of(commitment: Commitment, on: date | None = None) -> Breakdown | None:
    """Contracted, delivered and counted side by side (deal KPIs) today or on a day."""
    return breakdown(commitment, on or clock.today())


def history_of(commitment: Commitment, on: date | None = None) -> list[tuple[date, Any]]:
    """The counted value on each day it changed, up to today (or a day)."""
    return history(commitment, on or clock.today())


def _commitment_values(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    resolved = dict(values)
    if "unit_code" in resolved:
        resolved["unit_code"] = unit_code(session, resolved["unit_code"], ("body", "unit_code"))
    if "class_code" in resolved:
        resolved["class_code"] = class_code(resolved["class_code"], ("body", "class_code"))
    if "responsible_region" in resolved:
        kato = resolved.pop("responsible_region")
        loc = ("body", "responsible_region")
        resolved["responsible_region_id"] = region_id_of(session, kato, loc)
    if resolved.get("responsible_organisation_id") is not None:
        loc = ("body", "responsible_organisation_id")
        organisation(session, resolved["responsible_organisation_id"], loc)
    return resolved


def _check_commitment(commitment: Commitment) -> None:
    if commitment.kpi is KpiKind.SUPPLY_VOLUME and commitment.unit_code is None:
        raise invalid(("body", "unit_code"), N_("a supply volume needs a unit"))
    if commitment.deadline <= commitment.start_on:
        raise invalid(("body", "deadline"), N_("the deadline must come after the start"))
    for milestone in commitment.milestones:
        _check_milestone(commitment, milestone.due_on, milestone.target, milestone.id)


def _check_milestone(
    commitment: Commitment, due_on: date, target: Any, milestone_id: int | None
) -> None:
    if not commitment.start_on < due_on < commitment.deadline:
        raise invalid(
            ("body", "due_on"),
            N_("a milestone falls between the start (%(start)s) and the deadline (%(deadline)s)"),
            params={"start": commitment.start_on, "deadline": commitment.deadline},
        )
    if target > commitment.target:
        raise invalid(("body", "target"), N_("a milestone's target may not exceed the final one"))
    for other in commitment.milestones:
        if other.id != milestone_id and other.due_on == due_on:
            raise invalid(("body", "due_on"), N_("the commitment already has a milestone then"))


def create_commitment(
    session: Session, user: User | None, memorandum_id: int, data: CommitmentIn
) -> Commitment:
    """Add a commitment to a memorandum; it starts on the signing day unless told."""
    memo = managed_memorandum(session, user, memorandum_id)
    values = _commitment_values(session, data.model_dump())
    values["start_on"] = values["start_on"] or memo.signed_on
    if values["position"] is None:
        values["position"] = max((c.position for c in memo.commitments), default=0) + 1
    commitment = Commitment(memorandum=memo, **values)
    _check_commitment(commitment)
    session.add(commitment)
    audit.record(session, user, AuditAction.CREATE, commitment, None)
    return commitment


def update_commitment(
    session: Session,
    user: User | None,
    commitment_id: int,
    changes: CommitmentChanges,
    version: int | None = None,
) -> Commitment:
    """Change the fields sent. With `version` (the one the client read), a commitment
    changed since is refused."""
    commitment = get_commitment(session, user, commitment_id)
    if not can_manage_memorandum(user, commitment.memorandum):
        raise Forbidden(N_("only coordinators of a party region change its commitments"))
    managed_memorandum(session, user, commitment.memorandum_id)
    versions.check(commitment, version, N_("commitment"), COMMITMENT_ALIASES)
    values = changes.model_dump(exclude_unset=True)
    for name in ("title", "kpi", "target", "deadline", "start_on", "position"):
        if name in values and values[name] is None:
            raise invalid(("body", name), N_("%(name)s may not be empty"), params={"name": name})
    before = audit.snapshot(commitment)
    versions.assign(commitment, _commitment_values(session, values))
    _check_commitment(commitment)
    audit.record(session, user, AuditAction.UPDATE, commitment, before)
    return commitment


def managed_commitment(session: Session, user: User | None, commitment_id: int) -> Commitment:
    """A commitment of a memorandum `user` manages (and that is not withdrawn)."""
    commitment = get_commitment(session, user, commitment_id)
    managed_memorandum(session, user, commitment.memorandum_id)
    return commitment


# --- milestones --------------------------------------------------------------------------
def _milestone(session: Session, user: User | None, milestone_id: int) -> CommitmentMilestone:
    milestone = get_by_id(session, CommitmentMilestone, milestone_id)
    if milestone is None or not can_read_memorandum(user, milestone.commitment.memorandum):
        raise NotFound(
            N_("no milestone with id %(milestone_id)s"), params={"milestone_id": milestone_id}
        )
    managed_memorandum(session, user, milestone.commitment.memorandum_id)
    return milestone


def milestone_commitment(session: Session, user: User | None, milestone_id: int) -> Commitment:
    """The commitment of a milestone `user` manages; NotFound or Forbidden otherwise."""
    return _milestone(session, user, milestone_id).commitment


def add_milestone(
    session: Session, user: User | None, commitment_id: int, data: MilestoneIn
) -> CommitmentMilestone:
    """Add a dated intermediate target: between the start and the deadline, not above the
    final target, one a day."""
    commitment = managed_commitment(session, user, commitment_id)
    _check_milestone(commitment, data.due_on, data.target, None)
    milestone = CommitmentMilestone(commitment=commitment, **data.model_dump())
    session.add(milestone)
    audit.record(session, user, AuditAction.CREATE, milestone, None)
    return milestone


def update_milestone(
    session: Session, user: User | None, milestone_id: int, changes: MilestoneChanges
) -> CommitmentMilestone:
    """Change a milestone's day, target or note."""
    milestone = _milestone(session, user, milestone_id)
    values = changes.model_dump(exclude_unset=True)
    for name in ("due_on", "target"):
        if name in values and values[name] is None:
            raise invalid(("body", name), N_("%(name)s may not be empty"), params={"name": name})
    due_on = values.get("due_on", milestone.due_on)
    target = values.get("target", milestone.target)
    _check_milestone(milestone.commitment, due_on, target, milestone.id)
    before = audit.snapshot(milestone)
    versions.assign(milestone, values)
    audit.record(session, user, AuditAction.UPDATE, milestone, before)
    return milestone


def delete_milestone(session: Session, user: User | None, milestone_id: int) -> Commitment:
    """Remove a milestone; returns its commitment."""
    milestone = _milestone(session, user, milestone_id)
    commitment = milestone.commitment
    audit.record(session, user, AuditAction.DELETE, milestone, audit.snapshot(milestone))
    commitment.milestones.remove(milestone)
    session.flush()
    return commitment


def delete_commitment(session: Session, user: User | None, commitment_id: int) -> None:
    """Delete a commitment (its deals stay, unlinked from it)."""
    commitment = get_commitment(session, user, commitment_id)
    if not can_manage_memorandum(user, commitment.memorandum):
        raise Forbidden(N_("only coordinators of a party region delete its commitments"))
    managed_memorandum(session, user, commitment.memorandum_id)
    audit.record(session, user, AuditAction.DELETE, commitment, audit.snapshot(commitment))
    session.delete(commitment)
    session.flush()


# --- audit -------------------------------------------------------------------------------
def audit_log(
    session: Session, user: User | None, memorandum_id: int, request: PageRequest
) -> Page[AuditEntry]:
    """Changes to a memorandum, its commitments and reports, and the deals linked to it."""
    get_memorandum(session, user, memorandum_id)
    if not can_read_audit(user):
        raise Forbidden(N_("the audit log is for coordinators and administrators"))
    linked = (
        select(deal_commitments.c.deal_id)
        .join(Commitment, Commitment.id == deal_commitments.c.commitment_id)
        .where(Commitment.memorandum_id == memorandum_id)
    )
    direct = select(DealRow.id).where(DealRow.memorandum_id == memorandum_id)
    stmt = repository.audit_query().where(
        or_(
            AuditEntry.memorandum_id == memorandum_id,
            (AuditEntry.entity_kind == "deal") & AuditEntry.entity_id.in_(linked),
            (AuditEntry.entity_kind == "deal") & AuditEntry.entity_id.in_(direct),
        )
    )
    return paginate(session, stmt, request)


def entity_log(
    session: Session, user: User | None, kind: str, entity_id: int, request: PageRequest
) -> Page[AuditEntry]:
    """Changes to one row (coordinators and administrators)."""
    if not can_read_audit(user):
        raise Forbidden(N_("the audit log is for coordinators and administrators"))
    return paginate(session, repository.audit_query(None, kind, entity_id), request)
