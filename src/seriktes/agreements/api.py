"""JSON API of the agreements domain (/api/v1/memoranda, commitments, deals, deliveries,
progress reports, the audit log)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Path, Query, Response, UploadFile
from pydantic import BaseModel

from seriktes.agreements import auditlog, confirmation, deals, documents, reports, service
from seriktes.agreements.audit_schemas import ReadableAuditEntryOut
from seriktes.agreements.auditlog import Readable
from seriktes.agreements.models import AuditEntry, Confirmation, Sector
from seriktes.agreements.policy import may_read_deal_sums
from seriktes.agreements.progress import AT_RISK_FACTOR, RULES, STATUS_RULE
from seriktes.agreements.rates import RATES_TO_KZT
from seriktes.agreements.schemas import (
    CommitmentChanges,
    CommitmentIn,
    CommitmentOut,
    ConfirmIn,
    DealChanges,
    DealIn,
    DealOut,
    DeliveryIn,
    DeliveryOut,
    DisputeIn,
    MemorandumChanges,
    MemorandumIn,
    MemorandumOut,
    MilestoneChanges,
    MilestoneIn,
    MilestoneOut,
    PartyIn,
    PartyOut,
    ProgressReportIn,
    ProgressReportOut,
    WithdrawalIn,
)
from seriktes.http.auth import CurrentUser, RequiredUser
from seriktes.http.deps import DbSession, Language
from seriktes.http.params import (
    WRITE,
    IfMatch,
    KatoQuery,
    PageNo,
    PerPage,
    Text,
    errors,
    expected_version,
    tagged,
)
from seriktes.http.schemas import PageOut
from seriktes.kit.db import MAX_ID
from seriktes.kit.pagination import Page, PageRequest

router = APIRouter(prefix="/api/v1", tags=["agreements"])

MemoId = Annotated[int, Path(ge=1, le=MAX_ID, description="Memorandum id")]
CommitmentId = Annotated[int, Path(ge=1, le=MAX_ID, description="Commitment id")]
DealId = Annotated[int, Path(ge=1, le=MAX_ID, description="Deal id")]
DeliveryId = Annotated[int, Path(ge=1, le=MAX_ID, description="Delivery id")]
ReportId = Annotated[int, Path(ge=1, le=MAX_ID, description="Progress report id")]
PartyId = Annotated[int, Path(ge=1, le=MAX_ID, description="Party id")]
MilestoneId = Annotated[int, Path(ge=1, le=MAX_ID, description="Milestone id")]
OptionalId = Query(ge=1, le=MAX_ID)
READ_ERRORS = errors(404, 422)
WRITE_ERRORS = errors(401, 403, 404, 409, 422)


class RulesOut(BaseModel):
    """How progress and status are computed, and the reference currency rates."""

    status: str
    at_risk_factor: str
    kpis: dict[str, str]
    rates_to_kzt: dict[str, str]
    confirmation: str


@router.get("/agreements/rules")
def rules() -> RulesOut:
    """The stated rules: progress of each KPI, the status rule, the reference rates."""
    return RulesOut(
        status=STATUS_RULE,
        at_risk_factor=str(AT_RISK_FACTOR),
        kpis={k.value: v for k, v in RULES.items()},
        rates_to_kzt={k: str(v) for k, v in RATES_TO_KZT.items()},
        confirmation=confirmation.RULE,
    )


# --- memoranda ---------------------------------------------------------------------------
@router.get("/memoranda", responses=errors(422))
def memoranda(
    session: DbSession,
    user: CurrentUser,
    sector: Sector | None = None,
    region: Annotated[str | None, KatoQuery] = None,
    q: Annotated[str | None, Text] = None,
    page: Annotated[int, PageNo] = 1,
    per_page: Annotated[int, PerPage] = 25,
) -> PageOut[MemorandumOut]:
    """Memoranda you may read (published ones for everyone), newest first."""
    region_id = service.region_id_of(session, region, ("query", "region"))
    found = service.list_memoranda(session, user, PageRequest(page, per_page), sector, region_id, q)
    return PageOut[MemorandumOut].of(found, MemorandumOut.of)


@router.get("/memoranda/{memo_id}", responses=READ_ERRORS)
def memorandum(
    session: DbSession, user: CurrentUser, memo_id: MemoId, response: Response
) -> MemorandumOut:
    """A memorandum with its parties and sectors; its ETag is its version."""
    memo = service.get_memorandum(session, user, memo_id)
    tagged(response, memo.version)
    return MemorandumOut.of(memo)


@router.post("/memoranda", status_code=201, dependencies=WRITE, responses=WRITE_ERRORS)
def create_memorandum(session: DbSession, user: RequiredUser, data: MemorandumIn) -> MemorandumOut:
    """Create a memorandum (coordinators of a party region, administrators)."""
    return MemorandumOut.of(service.create_memorandum(session, user, data))


@router.patch("/memoranda/{memo_id}", dependencies=WRITE, responses=WRITE_ERRORS)
def change_memorandum(
    session: DbSession,
    user: RequiredUser,
    memo_id: MemoId,
    changes: MemorandumChanges,
    response: Response,
    if_match: IfMatch = None,
) -> MemorandumOut:
    """Change a memorandum (publish it with `{"status": "published"}`); with If-Match, only
    when it is still the version you read (409 otherwise)."""
    version = expected_version(if_match)
    memo = service.update_memorandum(session, user, memo_id, changes, version)
    tagged(response, memo.version)
    return MemorandumOut.of(memo)


@router.post("/memoranda/{memo_id}/withdrawal", dependencies=WRITE, responses=WRITE_ERRORS)
def withdraw_memorandum(
    session: DbSession,
    user: RequiredUser,
    memo_id: MemoId,
    data: WithdrawalIn,
    response: Response,
    if_match: IfMatch = None,
) -> MemorandumOut:
    """Withdraw a memorandum with the reason: it stays readable, takes no changes and no
    new deal links."""
    memo = service.withdraw_memorandum(session, user, memo_id, data, expected_version(if_match))
    tagged(response, memo.version)
    return MemorandumOut.of(memo)


@router.post(
    "/memoranda/{memo_id}/parties", status_code=201, dependencies=WRITE, responses=WRITE_ERRORS
)
def add_party(
    session: DbSession,
    user: RequiredUser,
    memo_id: MemoId,
    data: PartyIn,
    if_match: IfMatch = None,
) -> PartyOut:
    """Add a party (a region by KATO code, an organisation by id, or both) with its
    signatory's name and post."""
    return PartyOut.of(service.add_party(session, user, memo_id, data, expected_version(if_match)))


@router.put("/memoranda/{memo_id}/parties/{party_id}", dependencies=WRITE, responses=WRITE_ERRORS)
def change_party(
    session: DbSession,
    user: RequiredUser,
    memo_id: MemoId,
    party_id: PartyId,
    data: PartyIn,
    if_match: IfMatch = None,
) -> PartyOut:
    """Replace a party's region, organisation, role, signatory and post."""
    version = expected_version(if_match)
    return PartyOut.of(service.update_party(session, user, memo_id, party_id, data, version))


@router.delete(
    "/memoranda/{memo_id}/parties/{party_id}",
    status_code=204,
    dependencies=WRITE,
    responses=WRITE_ERRORS,
)
def remove_party(
    session: DbSession,
    user: RequiredUser,
    memo_id: MemoId,
    party_id: PartyId,
    if_match: IfMatch = None,
) -> Response:
    """Remove a party (your own region stays, and so does the last party)."""
    service.remove_party(session, user, memo_id, party_id, expected_version(if_match))
    return Response(status_code=204)


@router.delete("/memoranda/{memo_id}", status_code=204, dependencies=WRITE, responses=WRITE_ERRORS)
def delete_memorandum(session: DbSession, user: RequiredUser, memo_id: MemoId) -> Response:
    """Delete a memorandum and its commitments; its deals stay, unlinked."""
    service.delete_memorandum(session, user, memo_id)
    return Response(status_code=204)


@router.put("/memoranda/{memo_id}/document", dependencies=WRITE, responses=WRITE_ERRORS)
def upload_document(
    session: DbSession, user: RequiredUser, memo_id: MemoId, file: Annotated[UploadFile, File()]
) -> MemorandumOut:
    """Upload the signed document (PDF or a scan, up to 10 MB)."""
    content = file.file.read(service.MAX_UPLOAD + 1)
    memo = service.set_document(
        session, user, memo_id, file.filename or "document", file.content_type, content
    )
    return MemorandumOut.of(memo)


@router.get("/memoranda/{memo_id}/document", responses=READ_ERRORS)
def download_document(session: DbSession, user: CurrentUser, memo_id: MemoId) -> Response:
    """The signed document, as an attachment with the content type of its kind."""
    name, content_type, content = service.document(session, user, memo_id)
    return _attachment(name, content_type, content)


def _attachment(name: str, content_type: str, content: bytes) -> Response:
    """A file to download, never shown or run by the browser on this site's origin."""
    headers = {
        "Content-Disposition": documents.disposition(name),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    return Response(content, media_type=content_type, headers=headers)


@router.get("/memoranda/{memo_id}/audit", responses=errors(401, 403, 404, 422))
def memorandum_audit(
    session: DbSession,
    user: CurrentUser,
    memo_id: MemoId,
    lang: Language,
    page: Annotated[int, PageNo] = 1,
    per_page: Annotated[int, PerPage] = 50,
) -> PageOut[ReadableAuditEntryOut]:
    """Every change to the memorandum, its commitments and reports, and its deals, each
    with its reading in the request's language (`?lang=ru|kk|en`)."""
    found = service.audit_log(session, user, memo_id, PageRequest(page, per_page))
    return PageOut[ReadableAuditEntryOut].of(
        _read(session, found, lang), ReadableAuditEntryOut.read
    )


# --- commitments and progress reports ----------------------------------------------------
@router.get("/memoranda/{memo_id}/commitments", responses=READ_ERRORS)
def commitments(session: DbSession, user: CurrentUser, memo_id: MemoId) -> list[CommitmentOut]:
    """A memorandum's commitments with their progress computed today (what linked deals add
    up to for coordinators, administrators and the parties to all of them)."""
    return [
        CommitmentOut.of(t.commitment, t.progress, may_read_deal_sums(user, t.commitment), t.split)
        for t in service.commitments(session, user, memo_id)
    ]


@router.post(
    "/memoranda/{memo_id}/commitments",
    status_code=201,
    dependencies=WRITE,
    responses=WRITE_ERRORS,
)
def create_commitment(
    session: DbSession, user: RequiredUser, memo_id: MemoId, data: CommitmentIn
) -> CommitmentOut:
    """Add a commitment (coordinators of a party region, administrators)."""
    commitment = service.create_commitment(session, user, memo_id, data)
    return CommitmentOut.of(commitment, service.progress_of(commitment))


@router.get("/commitments/{commitment_id}", responses=READ_ERRORS)
def commitment(
    session: DbSession, user: CurrentUser, commitment_id: CommitmentId, response: Response
) -> CommitmentOut:
    """A commitment with its progress computed today (what linked deals add up to for
    coordinators, administrators and the parties to all of them); its ETag is its version."""
    found = service.get_commitment(session, user, commitment_id)
    tagged(response, found.version)
    sums = may_read_deal_sums(user, found)
    return CommitmentOut.of(found, service.progress_of(found), sums, service.split_of(found))


@router.patch("/commitments/{commitment_id}", dependencies=WRITE, responses=WRITE_ERRORS)
def change_commitment(
    session: DbSession,
    user: RequiredUser,
    commitment_id: CommitmentId,
    changes: CommitmentChanges,
    response: Response,
    if_match: IfMatch = None,
) -> CommitmentOut:
    """Change a commitment's target, deadline, responsible, …; with If-Match, only when it
    is still the version you read (409 otherwise)."""
    version = expected_version(if_match)
    found = service.update_commitment(session, user, commitment_id, changes, version)
    tagged(response, found.version)
    return CommitmentOut.of(found, service.progress_of(found))


@router.delete(
    "/commitments/{commitment_id}", status_code=204, dependencies=WRITE, responses=WRITE_ERRORS
)
def delete_commitment(
    session: DbSession, user: RequiredUser, commitment_id: CommitmentId
) -> Response:
    """Delete a commitment; its deals stay."""
    service.delete_commitment(session, user, commitment_id)
    return Response(status_code=204)


@router.post(
    "/commitments/{commitment_id}/milestones",
    status_code=201,
    dependencies=WRITE,
    responses=WRITE_ERRORS,
)
def add_milestone(
    session: DbSession, user: RequiredUser, commitment_id: CommitmentId, data: MilestoneIn
) -> MilestoneOut:
    """Add a dated intermediate target (between the start and the deadline, cumulative)."""
    return MilestoneOut.of(service.add_milestone(session, user, commitment_id, data))


@router.patch("/milestones/{milestone_id}", dependencies=WRITE, responses=WRITE_ERRORS)
def change_milestone(
    session: DbSession, user: RequiredUser, milestone_id: MilestoneId, changes: MilestoneChanges
) -> MilestoneOut:
    """Change a milestone's day, target or note."""
    return MilestoneOut.of(service.update_milestone(session, user, milestone_id, changes))


@router.delete(
    "/milestones/{milestone_id}", status_code=204, dependencies=WRITE, responses=WRITE_ERRORS
)
def delete_milestone(session: DbSession, user: RequiredUser, milestone_id: MilestoneId) -> Response:
    """Remove a milestone."""
    service.delete_milestone(session, user, milestone_id)
    return Response(status_code=204)


@router.get("/commitments/{commitment_id}/reports", responses=READ_ERRORS)
def progress_reports(
    session: DbSession, user: CurrentUser, commitment_id: CommitmentId
) -> list[ProgressReportOut]:
    """A commitment's progress reports, oldest first."""
    return [ProgressReportOut.of(r) for r in reports.reports(session, user, commitment_id)]


@router.post(
    "/commitments/{commitment_id}/reports",
    status_code=201,
    dependencies=WRITE,
    responses=WRITE_ERRORS,
)
def add_report(
    session: DbSession, user: RequiredUser, commitment_id: CommitmentId, data: ProgressReportIn
) -> ProgressReportOut:
    """Report progress on investment, jobs or events held (with evidence)."""
    return ProgressReportOut.of(reports.add_report(session, user, commitment_id, data))


@router.get("/progress-reports/{report_id}/evidence", responses=READ_ERRORS)
def download_evidence(session: DbSession, user: CurrentUser, report_id: ReportId) -> Response:
    """The evidence file of a progress report, as an attachment (its type by its bytes)."""
    name, _sent_type, content = reports.evidence(session, user, report_id)
    kind = documents.kind_of(content)
    return _attachment(documents.clean_name(name, kind), documents.content_type(content), content)


@router.delete(
    "/progress-reports/{report_id}", status_code=204, dependencies=WRITE, responses=WRITE_ERRORS
)
def delete_report(session: DbSession, user: RequiredUser, report_id: ReportId) -> Response:
    """Withdraw a progress report."""
    reports.delete_report(session, user, report_id)
    return Response(status_code=204)


# --- deals and deliveries ----------------------------------------------------------------
@router.get("/deals", responses=errors(422))
def deal_list(
    session: DbSession,
    user: CurrentUser,
    organisation_id: Annotated[int | None, OptionalId] = None,
    memorandum_id: Annotated[int | None, OptionalId] = None,
    commitment_id: Annotated[int | None, OptionalId] = None,
    confirmation: Confirmation | None = None,
    page: Annotated[int, PageNo] = 1,
    per_page: Annotated[int, PerPage] = 25,
) -> PageOut[DealOut]:
    """Deals you may read: all for coordinators, your organisation's for members; filter by
    `confirmation` (e.g. `awaiting`: the deals a side has still to confirm)."""
    found = deals.list_deals(
        session,
        user,
        PageRequest(page, per_page),
        organisation_id,
        memorandum_id,
        commitment_id,
        confirmation,
    )
    return PageOut[DealOut].of(found, DealOut.of)


@router.get("/deals/{deal_id}", responses=READ_ERRORS)
def deal(session: DbSession, user: CurrentUser, deal_id: DealId, response: Response) -> DealOut:
    """A deal with its deliveries and links; its ETag is its version."""
    found = deals.get_deal(session, user, deal_id)
    tagged(response, found.version)
    return DealOut.of(found)


@router.post("/deals", status_code=201, dependencies=WRITE, responses=WRITE_ERRORS)
def create_deal(session: DbSession, user: RequiredUser, data: DealIn) -> DealOut:
    """Record a deal of your organisation (or of your region's, for coordinators)."""
    return DealOut.of(deals.create_deal(session, user, data))


@router.patch("/deals/{deal_id}", dependencies=WRITE, responses=WRITE_ERRORS)
def change_deal(
    session: DbSession,
    user: RequiredUser,
    deal_id: DealId,
    changes: DealChanges,
    response: Response,
    if_match: IfMatch = None,
) -> DealOut:
    """Change a deal; `commitment_ids` replaces the commitments it counts towards; with
    If-Match, only when it is still the version you read (409 otherwise)."""
    version = expected_version(if_match)
    found = deals.update_deal(session, user, deal_id, changes, version)
    tagged(response, found.version)
    return DealOut.of(found)


@router.delete("/deals/{deal_id}", status_code=204, dependencies=WRITE, responses=WRITE_ERRORS)
def delete_deal(session: DbSession, user: RequiredUser, deal_id: DealId) -> Response:
    """Delete a deal with its deliveries."""
    deals.delete_deal(session, user, deal_id)
    return Response(status_code=204)


@router.post("/deals/{deal_id}/confirm", dependencies=WRITE, responses=WRITE_ERRORS)
def confirm_deal(
    session: DbSession, user: RequiredUser, deal_id: DealId, data: ConfirmIn
) -> DealOut:
    """Confirm a deal: a member for their organisation's side; a coordinator of a party region
    of its memorandum (or an administrator) with `evidence`, the contract number or document."""
    return DealOut.of(confirmation.confirm(session, user, deal_id, data))


@router.post("/deals/{deal_id}/dispute", dependencies=WRITE, responses=WRITE_ERRORS)
def dispute_deal(
    session: DbSession, user: RequiredUser, deal_id: DealId, data: DisputeIn
) -> DealOut:
    """Dispute a deal with a reason: it counts for nothing until it is changed or a
    coordinator confirms it."""
    return DealOut.of(confirmation.dispute(session, user, deal_id, data))


@router.post(
    "/deals/{deal_id}/deliveries", status_code=201, dependencies=WRITE, responses=WRITE_ERRORS
)
def add_delivery(
    session: DbSession, user: RequiredUser, deal_id: DealId, data: DeliveryIn
) -> DeliveryOut:
    """Record a delivery under a deal."""
    return DeliveryOut.of(deals.add_delivery(session, user, deal_id, data))


@router.delete(
    "/deliveries/{delivery_id}", status_code=204, dependencies=WRITE, responses=WRITE_ERRORS
)
def delete_delivery(session: DbSession, user: RequiredUser, delivery_id: DeliveryId) -> Response:
    """Withdraw a delivery."""
    deals.delete_delivery(session, user, delivery_id)
    return Response(status_code=204)


@router.get("/deals/{deal_id}/audit", responses=errors(401, 403, 404, 422))
def deal_audit(
    session: DbSession,
    user: CurrentUser,
    deal_id: DealId,
    lang: Language,
    page: Annotated[int, PageNo] = 1,
    per_page: Annotated[int, PerPage] = 50,
) -> PageOut[ReadableAuditEntryOut]:
    """Every change to a deal (coordinators and administrators), each with its reading."""
    deals.get_deal(session, user, deal_id)
    found = service.entity_log(session, user, "deal", deal_id, PageRequest(page, per_page))
    return PageOut[ReadableAuditEntryOut].of(
        _read(session, found, lang), ReadableAuditEntryOut.read
    )


def _read(session: DbSession, found: Page[AuditEntry], lang: str) -> Page[Readable]:
    """A page of entries as read in `lang` (what they point at loaded once)."""
    readable = auditlog.read(session, found.items, lang)
    return Page(readable, found.total, found.page, found.per_page)
