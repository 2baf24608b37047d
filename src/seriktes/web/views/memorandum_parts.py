"""HTML pages of a memorandum's parts that coordinators of its party regions manage: its
parties (regions and organisations, chosen through the organisation picker, with their
signatories' names and posts), its withdrawal with the reason, a new commitment with its
responsible organisation and person, a commitment's page (the status with the rule that
decided it in words, contracted, delivered and counted side by side, the history chart)
and its milestones. Every change goes through `agreements.service`, which writes the audit
log; forms carry the memorandum's version and a stale one is shown again (409)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.agreements import service
from seriktes.agreements.models import Commitment, Memorandum, MemorandumParty
from seriktes.agreements.policy import (
    can_manage_memorandum,
    can_report_progress,
    may_read_deal_sums,
)
from seriktes.agreements.progress import judge_after_day
from seriktes.agreements.schemas import (
    CommitmentIn,
    MilestoneChanges,
    MilestoneIn,
    PartyIn,
    WithdrawalIn,
)
from seriktes.catalog.orgsearch import Found
from seriktes.http.auth import CurrentUser, RequiredUser, verify_csrf
from seriktes.http.deps import DbSession, Language
from seriktes.kit import clock
from seriktes.kit.errors import ErrorItem, NotFound, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.versions import StaleWrite
from seriktes.registry.models import Organisation
from seriktes.registry.repository import top_level_regions, units
from seriktes.web.forms import STALE, Form, clean, form_errors, form_version, plain
from seriktes.web.orgpick import pick
from seriktes.web.progress_chart import history_chart
from seriktes.web.views.agreements import DONE, page
from seriktes.web.views.deals import CONFIRMATIONS

router = APIRouter()
CSRF = [Depends(verify_csrf)]
Fields = dict[str, Any]
CHOOSE_PARTY = N_("Choose a region, an organisation or both.")


# --- parties -----------------------------------------------------------------------------
def party_values(party: MemorandumParty) -> Fields:
    """A party as its form shows it."""
    org = party.organisation
    return {
        "region": party.region.kato if party.region else "",
        "organisation": (org.name_ru if org else ""),
        "organisation_id": str(org.id) if org else "",
        "role": party.role.value,
        "signatory": party.signatory or "",
        "signatory_post": party.signatory_post or "",
    }


def _party_form(
    request: Request,
    session: Session,
    lang: str,
    memo: Memorandum,
    party: MemorandumParty | None,
    values: Fields,
    errors: dict[str, Any],
    choices: list[Found] | None = None,
    status: int | None = None,
) -> HTMLResponse:
    return page(
        request,
        lang,
        "memorandum_party_form.html",
        status or (422 if errors else 200),
        memo=memo,
        party=party,
        values=values,
        errors=errors,
        choices=choices or [],
        regions=top_level_regions(session),
    )


def _party_in(session: Session, typed: Fields, choices: list[Found]) -> PartyIn:
    """The party of a form: a region, the organisation of the picker (an id chosen, or the
    text typed: a BIN or words, whose matches come back to choose from), or both."""
    org_id = None
    if typed.get("organisation", "").strip():
        picked = pick(session, typed, "organisation")
        choices.extend(picked.choices)
        org_id = picked.required("organisation").id
        typed["organisation_id"] = str(org_id)
    region = clean(typed, ("region",), ())["region"]
    if region is None and org_id is None:
        raise ValidationFailed(CHOOSE_PARTY, [ErrorItem(("form", "region"), CHOOSE_PARTY)])
    data = clean(typed, ("role", "signatory", "signatory_post"), ())
    values = {k: v for k, v in data.items() if v is not None}
    return PartyIn.model_validate({**values, "region": region, "organisation_id": org_id})


@router.get("/memoranda/{memo_id}/parties/new", response_class=HTMLResponse)
def party_new(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, memo_id: int
) -> HTMLResponse:
    """The form of a new party."""
    memo = service.managed_memorandum(session, user, memo_id)
    values = {"role": "party", "version": str(memo.version)}
    return _party_form(request, session, lang, memo, None, values, {})


@router.get("/memoranda/{memo_id}/parties/{party_id}/edit", response_class=HTMLResponse)
def party_edit(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    memo_id: int,
    party_id: int,
) -> HTMLResponse:
    """The form of a party."""
    memo = service.managed_memorandum(session, user, memo_id)
    party = _party(memo, party_id)
    values = {**party_values(party), "version": str(memo.version)}
    return _party_form(request, session, lang, memo, party, values, {})


def _party(memo: Memorandum, party_id: int) -> MemorandumParty:
    found = next((p for p in memo.parties if p.id == party_id), None)
    if found is None:
        raise NotFound(N_("no party with id %(party_id)s"), params={"party_id": party_id})
    return found


def _save_party(
    request: Request,
    session: Session,
    lang: str,
    user: Any,
    memo_id: int,
    party_id: int | None,
    typed: Fields,
) -> HTMLResponse | RedirectResponse:
    memo = service.managed_memorandum(session, user, memo_id)
    party = _party(memo, party_id) if party_id is not None else None
    choices: list[Found] = []
    try:
        data = _party_in(session, typed, choices)
        version = form_version(typed)
        if party_id is None:
            service.add_party(session, user, memo_id, data, version)
        else:
            service.update_party(session, user, memo_id, party_id, data, version)
    except StaleWrite as exc:
        values = {**typed, "version": str(exc.version)}
        return _party_form(request, session, lang, memo, party, values, {"": STALE}, status=409)
    except (ValidationError, ValidationFailed) as exc:
        errors = form_errors(exc)
        if "organisation_id" in errors:
            errors["organisation"] = errors.pop("organisation_id")
        return _party_form(request, session, lang, memo, party, typed, errors, choices)
    return RedirectResponse(f"/memoranda/{memo_id}?done=party#parties", status_code=303)


@router.post("/memoranda/{memo_id}/parties/new", response_model=None, dependencies=CSRF)
def party_create(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    memo_id: int,
    form: Form,
) -> HTMLResponse | RedirectResponse:
    """Add a party; the form comes back with the errors, or the organisations to choose."""
    return _save_party(request, session, lang, user, memo_id, None, dict(form))


@router.post("/memoranda/{memo_id}/parties/{party_id}/edit", response_model=None, dependencies=CSRF)
def party_save(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    memo_id: int,
    party_id: int,
    form: Form,
) -> HTMLResponse | RedirectResponse:
    """Save a party."""
    return _save_party(request, session, lang, user, memo_id, party_id, dict(form))


@router.post("/memoranda/{memo_id}/parties/{party_id}/remove", dependencies=CSRF)
def party_remove(
    session: DbSession, user: RequiredUser, memo_id: int, party_id: int, form: Form
) -> RedirectResponse:
    """Remove a party (the last one, and the user's own region, stay)."""
    service.remove_party(session, user, memo_id, party_id, form_version(form))
    return RedirectResponse(f"/memoranda/{memo_id}?done=removed#parties", status_code=303)


# --- withdrawal --------------------------------------------------------------------------
@router.post("/memoranda/{memo_id}/withdraw", dependencies=CSRF)
def memorandum_withdraw(
    session: DbSession, user: RequiredUser, memo_id: int, form: Form
) -> RedirectResponse:
    """Withdraw the memorandum with the reason typed; it stays readable."""
    try:
        data = WithdrawalIn.model_validate({"reason": form.get("reason", "")})
    except ValidationError:
        message = N_("Say why the memorandum is withdrawn (at least 3 characters).")
        raise ValidationFailed(message, [ErrorItem(("form", "reason"), message)]) from None
    service.withdraw_memorandum(session, user, memo_id, data, form_version(form))
    return RedirectResponse(f"/memoranda/{memo_id}?done=withdrawn", status_code=303)


# --- commitments -------------------------------------------------------------------------
COMMITMENT_FIELDS = (
    "title",
    "kpi",
    "target",
    "unit_code",
    "start_on",
    "deadline",
    "sector",
    "responsible_region",
    "responsible_person",
    "responsible_post",
    "responsible_contact",
)


def responsible_organisation(
    session: Session, typed: Fields, choices: dict[str, Any]
) -> int | None:
    """The responsible organisation of a commitment form's picker: None when its text is
    blank; an id chosen, or found by the BIN or the words typed (several matches go to
    `choices` and are a located error)."""
    if not typed.get("responsible_organisation", "").strip():
        typed["responsible_organisation_id"] = ""
        return None
    picked = pick(session, typed, "responsible_organisation")
    if picked.choices:
        choices["responsible_organisation"] = picked.choices
    org: Organisation = picked.required("responsible_organisation")
    typed["responsible_organisation_id"] = str(org.id)
    return org.id


def commitment_data(session: Session, typed: Fields, choices: dict[str, Any]) -> Fields:
    """A commitment form's fields as the service takes them (blanks are None)."""
    data = clean(typed, COMMITMENT_FIELDS, ("target",))
    data["responsible_organisation_id"] = responsible_organisation(session, typed, choices)
    return data


def commitment_form(
    request: Request,
    session: Session,
    lang: str,
    memo: Memorandum,
    commitment: Commitment | None,
    values: Fields,
    errors: dict[str, Any],
    choices: dict[str, Any] | None = None,
    conflicts: dict[str, Any] | None = None,
    status: int | None = None,
) -> HTMLResponse:
    """The commitment form (new when `commitment` is None)."""
    return page(
        request,
        lang,
        "commitments_form.html",
        status or (422 if errors else 200),
        memo=memo,
        commitment=commitment,
        values=values,
        errors=errors,
        conflicts=conflicts or {},
        choices=choices or {},
        units=units(session),
        regions=top_level_regions(session),
    )


@router.get("/memoranda/{memo_id}/commitments/new", response_class=HTMLResponse)
def commitment_new(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, memo_id: int
) -> HTMLResponse:
    """The form of a new commitment."""
    memo = service.managed_memorandum(session, user, memo_id)
    values = {"kpi": "turnover_kzt", "start_on": memo.signed_on.isoformat()}
    return commitment_form(request, session, lang, memo, None, values, {})


@router.post("/memoranda/{memo_id}/commitments/new", response_model=None, dependencies=CSRF)
def commitment_create(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    memo_id: int,
    form: Form,
) -> HTMLResponse | RedirectResponse:
    """Add a commitment; the form comes back with the errors next to the fields."""
    memo = service.managed_memorandum(session, user, memo_id)
    typed = dict(form)
    choices: dict[str, Any] = {}
    try:
        data = commitment_data(session, typed, choices)
        values = {k: v for k, v in data.items() if v is not None}
        created = service.create_commitment(
            session, user, memo_id, CommitmentIn.model_validate(values)
        )
    except (ValidationError, ValidationFailed) as exc:
        errors = form_errors(exc)
        if "responsible_organisation_id" in errors:
            errors["responsible_organisation"] = errors.pop("responsible_organisation_id")
        return commitment_form(request, session, lang, memo, None, typed, errors, choices)
    return RedirectResponse(f"/commitments/{created.id}?done=commitment", status_code=303)


@router.get("/commitments/{commitment_id}", response_class=HTMLResponse, name="commitment")
def commitment_detail(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    commitment_id: int,
    done: str | None = None,
) -> HTMLResponse:
    """A commitment: who answers for it, its status and the rule that decided it, what was
    contracted, delivered and counted, its history against the target and the milestones."""
    commitment = service.get_commitment(session, user, commitment_id)
    return _commitment_page(request, lang, user, commitment, done=done)


def _commitment_page(
    request: Request,
    lang: str,
    user: User | None,
    commitment: Commitment,
    done: str | None = None,
    adding: Fields | None = None,
    errors: dict[str, str] | None = None,
    editing: int | None = None,
) -> HTMLResponse:
    """The commitment's page; with `errors`, the new milestone's form (or, with `editing`,
    that milestone's row) shows them next to its fields and keeps what was typed
    (`adding`)."""
    today = clock.today()
    progress = service.progress_of(commitment, today)
    sums = may_read_deal_sums(user, commitment) or not commitment.kpi.from_deals
    memo = commitment.memorandum
    chart = history_chart(commitment, service.history_of(commitment, today), lang) if sums else None
    return page(
        request,
        lang,
        "commitment_detail.html",
        status=422 if errors else 200,
        commitment=commitment,
        memo=memo,
        progress=progress,
        split=service.split_of(commitment, today) if sums else None,
        sums=sums,
        chart=chart,
        manager=can_manage_memorandum(user, memo) and memo.status.open,
        reporter=can_report_progress(user, commitment),
        judge_from=judge_after_day(commitment.start_on, commitment.deadline),
        today=today,
        done=done if done in DONE else None,
        plain=plain,
        confirmations=CONFIRMATIONS,
        adding=adding or {},
        errors=errors or {},
        editing=editing,
    )


# --- milestones --------------------------------------------------------------------------
def _milestone_data(form: Fields) -> Fields:
    data = clean(form, ("due_on", "target", "note"), ("target",))
    return {k: v for k, v in data.items() if v is not None}


@router.post("/commitments/{commitment_id}/milestones/new", response_model=None, dependencies=CSRF)
def milestone_create(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    commitment_id: int,
    form: Form,
) -> HTMLResponse | RedirectResponse:
    """Add a milestone to a commitment; a refusal comes back on the commitment's page, next
    to the fields of the milestone's form, with what was typed."""
    try:
        data = MilestoneIn.model_validate(_milestone_data(form))
        service.add_milestone(session, user, commitment_id, data)
    except (ValidationError, ValidationFailed) as exc:
        commitment = service.get_commitment(session, user, commitment_id)
        return _commitment_page(request, lang, user, commitment, None, dict(form), form_errors(exc))
    return RedirectResponse(
        f"/commitments/{commitment_id}?done=milestone#milestones", status_code=303
    )


@router.post("/milestones/{milestone_id}/edit", response_model=None, dependencies=CSRF)
def milestone_save(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    milestone_id: int,
    form: Form,
) -> HTMLResponse | RedirectResponse:
    """Change a milestone's day, target or note; a refusal comes back on the commitment's
    page, in that milestone's row, with what was typed."""
    values = _milestone_data(form)
    values.setdefault("note", None)
    try:
        changes = MilestoneChanges.model_validate(values)
        milestone = service.update_milestone(session, user, milestone_id, changes)
    except (ValidationError, ValidationFailed) as exc:
        commitment = service.milestone_commitment(session, user, milestone_id)
        errors = form_errors(exc)
        return _commitment_page(
            request, lang, user, commitment, None, dict(form), errors, milestone_id
        )
    return RedirectResponse(
        f"/commitments/{milestone.commitment_id}?done=milestone#milestones", status_code=303
    )


@router.post("/milestones/{milestone_id}/remove", dependencies=CSRF)
def milestone_remove(session: DbSession, user: RequiredUser, milestone_id: int) -> RedirectResponse:
    """Remove a milestone."""
    commitment = service.delete_milestone(session, user, milestone_id)
    return RedirectResponse(
        f"/commitments/{commitment.id}?done=milestone_removed#milestones", status_code=303
    )
