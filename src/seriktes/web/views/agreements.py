"""HTML pages of memoranda: list, detail with commitments, progress bars, status in words and
the rule, the audit log; forms for coordinators (memorandum, commitment, document, status)
and for those who report progress. Deal pages live in `deals`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from seriktes.accounts.models import User
from seriktes.agreements import reports, service
from seriktes.agreements.labels import KPIS, ROLES, SECTORS
from seriktes.agreements.models import KpiKind, Memorandum, MemorandumStatus, Sector
from seriktes.agreements.policy import (
    can_create_memoranda,
    can_manage_memorandum,
    can_read_audit,
    can_read_organisation_audit,
    can_report_progress,
    may_read_deal_sums,
)
from seriktes.agreements.progress import AT_RISK_FACTOR, JUDGE_AFTER
from seriktes.agreements.schemas import (
    MemorandumChanges,
    MemorandumIn,
    ProgressReportIn,
)
from seriktes.events.repository import latest_events
from seriktes.http.auth import CurrentUser, RequiredUser, verify_csrf
from seriktes.http.deps import DbSession, Language
from seriktes.kit import clock
from seriktes.kit.errors import Forbidden, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import PageRequest
from seriktes.registry.repository import top_level_regions
from seriktes.web.forms import Form, FormWithFiles, clean, form_errors, form_version, listed
from seriktes.web.listing import blank, choice
from seriktes.web.views.pages import show

router = APIRouter()
CSRF = [Depends(verify_csrf)]

KPI_RULES = {
    "turnover_kzt": N_(
        "Sum over the confirmed linked deals that are not cancelled: what was delivered, in "
        "KZT, or the contract amount while nothing is delivered yet."
    ),
    "contracts_count": N_("Number of confirmed linked deals that are not cancelled."),
    "supply_volume": N_(
        "Quantity delivered under the confirmed linked deals, converted to the unit of the target."
    ),
    "investment_kzt": N_("Sum of the progress reports."),
    "jobs": N_("Sum of the progress reports."),
    "events_held": N_("Sum of the progress reports."),
}
STATUSES = {
    "achieved": N_("Achieved"),
    "on_track": N_("On track"),
    "at_risk": N_("At risk"),
    "overdue": N_("Overdue"),
}
MEMO_STATUSES = {"draft": N_("Draft"), "published": N_("Published"), "closed": N_("Closed")}
ALL_MEMO_STATUSES = {**MEMO_STATUSES, "withdrawn": N_("Withdrawn")}  # withdrawn: with a reason
PARTY_ROLES = {"host": N_("Host side"), "guest": N_("Guest side"), "party": N_("Party")}
BASES = {
    "target": N_("The target is reached."),
    "deadline": N_("The deadline has passed and the target is not reached."),
    "milestone": N_("Judged against the milestone of {day}: {value} of {target}."),
    "before_milestones": N_(
        "No milestone is due yet (the first: {day}, {target}); until then the commitment is "
        "on track."
    ),
    "too_early": N_(
        "Too early to judge: until {share} of the period has passed ({day}) a commitment "
        "without milestones is not marked at risk."
    ),
    "pace": N_(
        "Judged against a steady pace: {expected} expected today ({elapsed} of the period "
        "gone), {value} reached; below {factor} of it is at risk."
    ),
}
DONE = {
    "created": N_("The memorandum is created."),
    "commitment": N_("The commitment is added."),
    "report": N_("The progress report is saved."),
    "document": N_("The signed document is uploaded."),
    "status": N_("The status of the memorandum is changed."),
    "party": N_("The party is saved."),
    "removed": N_("The party is removed."),
    "withdrawn": N_("The memorandum is withdrawn."),
    "milestone": N_("The milestone is saved."),
    "milestone_removed": N_("The milestone is removed."),
    "saved": N_("The commitment is saved."),
}
LABELS = {
    "sectors": SECTORS,
    "kpis": KPIS,
    "kpi_rules": KPI_RULES,
    "progress_statuses": STATUSES,
    "memo_statuses": MEMO_STATUSES,
    "all_memo_statuses": ALL_MEMO_STATUSES,
    "roles": ROLES,
    "party_roles": PARTY_ROLES,
    "bases": BASES,
    "done_texts": DONE,
    "at_risk_factor": AT_RISK_FACTOR,
    "judge_after": JUDGE_AFTER,
}


def page(request: Request, lang: str, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render an agreements page with its labels."""
    return show(request, lang, name, status, **LABELS, **context)


@router.get("/memoranda", response_class=HTMLResponse, name="memoranda")
def memoranda_list(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    sector: str | None = None,
    region: str | None = None,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """Memoranda: published ones for everyone, drafts for coordinators."""
    chosen = choice(sector, SECTORS, "sector")
    regions = top_level_regions(session)
    region = choice(region, [r.kato for r in regions], "region")
    region_id = next((r.id for r in regions if r.kato == region), None)
    found = service.list_memoranda(
        session,
        user,
        PageRequest(page_no, 50),
        Sector(chosen) if chosen else None,
        region_id,
    )
    progress = {m.id: service.commitments(session, user, m.id) for m in found.items}
    return page(
        request,
        lang,
        "agreements_list.html",
        found=found,
        progress=progress,
        regions=regions,
        sector=chosen,
        region=region,
        may_create=can_create_memoranda(user),
        may_audit=can_read_organisation_audit(user),
    )


# /memoranda/new comes before /memoranda/{memo_id}, which would take «new» for an id.
@router.get("/memoranda/new", response_class=HTMLResponse)
def memorandum_new(
    request: Request, session: DbSession, lang: Language, user: RequiredUser
) -> HTMLResponse:
    """The form of a new memorandum."""
    if not can_create_memoranda(user):
        raise Forbidden(N_("only coordinators and administrators create memoranda"))
    mine = user.region.kato if user.region is not None else "630000000"
    values = {"host_region": mine, "status": "draft", "signed_on": clock.today().isoformat()}
    return _memo_form(request, session, lang, values, {})


def _memo_form(
    request: Request,
    session: DbSession,
    lang: str,
    values: dict[str, Any],
    errors: dict[str, str],
) -> HTMLResponse:
    events = latest_events(session)
    return page(
        request,
        lang,
        "agreements_form.html",
        status=422 if errors else 200,
        values=values,
        errors=errors,
        regions=top_level_regions(session),
        events=events,
    )


MEMO_FIELDS = ("number", "title", "summary", "signed_on", "place", "event_id", "status")


@router.post("/memoranda/new", response_model=None, dependencies=CSRF)
def memorandum_create(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, form: FormWithFiles
) -> HTMLResponse | RedirectResponse:
    """Create a memorandum; show the form again with the errors next to the fields."""
    if not can_create_memoranda(user):
        raise Forbidden(N_("only coordinators and administrators create memoranda"))
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    data = {k: v for k, v in clean(fields, MEMO_FIELDS, ()).items() if v is not None}
    data["sectors"] = [s for s in form.getlist("sectors") if isinstance(s, str)]
    parties = []
    for role in ("host", "guest"):
        kato = blank(fields.get(f"{role}_region"))
        if kato:
            signatory = {
                name: value
                for name in ("signatory", "signatory_post")
                if (value := blank(fields.get(f"{role}_{name}"))) is not None
            }
            parties.append({"region": kato, "role": role, **signatory})
    data["parties"] = parties
    try:
        memo = service.create_memorandum(session, user, MemorandumIn.model_validate(data))
    except (ValidationError, ValidationFailed) as exc:
        values = {**fields, "sectors": data["sectors"]}
        return _memo_form(request, session, lang, values, form_errors(exc))
    return RedirectResponse(f"/memoranda/{memo.id}?done=created", status_code=303)


@router.get("/memoranda/{memo_id}", response_class=HTMLResponse, name="memorandum")
def memorandum_detail(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    memo_id: int,
    done: str | None = None,
) -> HTMLResponse:
    """A memorandum: parties, sectors, the document, commitments with progress and status."""
    memo = service.get_memorandum(session, user, memo_id)
    tracked = service.commitments(session, user, memo_id)
    ended = memo.status is MemorandumStatus.WITHDRAWN
    reporters = {
        t.commitment.id for t in tracked if not ended and can_report_progress(user, t.commitment)
    }
    return page(
        request,
        lang,
        "agreements_detail.html",
        memo=memo,
        tracked=tracked,
        manager=can_manage_memorandum(user, memo) and not ended,
        reporters=reporters,
        sums={t.commitment.id for t in tracked if may_read_deal_sums(user, t.commitment)},
        audit=can_read_audit(user),
        today=clock.today(),
        done=done if done in DONE else None,
        kpi_choices=[k.value for k in KpiKind],
    )


def _managed(session: DbSession, user: User, memo_id: int) -> Memorandum:
    return service.managed_memorandum(session, user, memo_id)


@router.post("/memoranda/{memo_id}/status", dependencies=CSRF)
def memorandum_status(
    session: DbSession, user: RequiredUser, memo_id: int, form: Form
) -> RedirectResponse:
    """Publish, close or return a memorandum to draft."""
    status = choice(form.get("status"), MEMO_STATUSES, "status") or "draft"
    changes = MemorandumChanges(status=MemorandumStatus(status))
    service.update_memorandum(session, user, memo_id, changes, form_version(form))
    return RedirectResponse(f"/memoranda/{memo_id}?done=status", status_code=303)


@router.post("/memoranda/{memo_id}/document", dependencies=CSRF)
def memorandum_document(
    session: DbSession, user: RequiredUser, memo_id: int, form: FormWithFiles
) -> RedirectResponse:
    """Upload the signed document."""
    _managed(session, user, memo_id)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ValidationFailed(N_("choose a file"))
    content = upload.file.read(service.MAX_UPLOAD + 1)
    service.set_document(
        session, user, memo_id, upload.filename or "document", upload.content_type, content
    )
    return RedirectResponse(f"/memoranda/{memo_id}?done=document", status_code=303)


def _located(exc: ValidationError) -> ValidationFailed:
    errors = form_errors(exc)
    return listed(errors)


@router.post("/commitments/{commitment_id}/reports/new", dependencies=CSRF)
def report_create(
    session: DbSession, user: RequiredUser, commitment_id: int, form: FormWithFiles
) -> RedirectResponse:
    """Report progress on a commitment, with evidence (text, a link or a file)."""
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    names = ("reported_on", "value", "evidence_text", "evidence_url")
    data = {k: v for k, v in clean(fields, names, ("value",)).items() if v is not None}
    try:
        report_in = ProgressReportIn.model_validate(data)
    except ValidationError as exc:
        raise _located(exc) from None
    upload = form.get("file")
    evidence = None
    if isinstance(upload, UploadFile) and upload.filename:
        content = upload.file.read(service.MAX_UPLOAD + 1)
        evidence = (upload.filename, upload.content_type, content)
    report = reports.add_report(session, user, commitment_id, report_in, evidence)
    memo_id = report.commitment.memorandum_id
    return RedirectResponse(f"/memoranda/{memo_id}?done=report#commitments", status_code=303)
