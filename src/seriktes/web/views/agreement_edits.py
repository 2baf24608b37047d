"""HTML pages that change a memorandum, a commitment or a deal. Each form carries the version
of the record it was rendered with: a record changed meanwhile (through the API, another
form, a confirmation) is not overwritten but shown again with, per field changed, what the
user typed and what is saved now (409)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.agreements import deals, service
from seriktes.agreements.labels import KPIS, SECTORS
from seriktes.agreements.models import Commitment, Deal, Memorandum
from seriktes.agreements.rates import RATES_TO_KZT
from seriktes.agreements.schemas import CommitmentChanges, DealChanges, MemorandumChanges
from seriktes.events.repository import latest_events
from seriktes.http.auth import RequiredUser, verify_csrf
from seriktes.http.deps import DbSession, Language
from seriktes.kit.errors import ValidationFailed
from seriktes.kit.versions import StaleWrite
from seriktes.web.forms import (
    STALE,
    Conflicts,
    clean,
    conflicts,
    form_errors,
    form_version,
    plain,
)
from seriktes.web.views.agreements import MEMO_STATUSES, page
from seriktes.web.views.deals import DEAL_FIELDS, deal_page, open_commitments
from seriktes.web.views.memorandum_parts import commitment_data, commitment_form

router = APIRouter()
CSRF = [Depends(verify_csrf)]
Fields = dict[str, Any]


def _saved(
    render: Callable[[Fields, dict[str, str], Conflicts | None], HTMLResponse],
    save: Callable[[int | None], object],
    typed: Fields,
    stored: Callable[[], Fields],
    lang: str,
    choices: Mapping[str, Mapping[str, str]],
    done: str,
) -> HTMLResponse | RedirectResponse:
    """Save a form's changes; on a stale version show the form with both values (409), on
    invalid values with the errors (422); otherwise go to `done`."""
    try:
        save(form_version(typed))
    except StaleWrite as exc:
        stale = conflicts(exc, typed, stored(), lang, choices)
        answer = render({**typed, "version": str(exc.version)}, {"": STALE}, stale)
        answer.status_code = 409
        return answer
    except (ValidationError, ValidationFailed) as exc:
        return render(typed, form_errors(exc), None)
    return RedirectResponse(done, status_code=303)


async def _typed(request: Request, lists: tuple[str, ...] = ()) -> Fields:
    form = await request.form()
    typed: Fields = {k: v for k, v in form.items() if isinstance(v, str)}
    for name in lists:
        typed[name] = [v for v in form.getlist(name) if isinstance(v, str)]
    return typed


# --- memoranda ---------------------------------------------------------------------------
MEMO_FIELDS = ("number", "title", "summary", "signed_on", "place", "event_id", "status")


def memo_values(memo: Memorandum) -> Fields:
    """A memorandum as its form shows it."""
    return {
        "number": memo.number,
        "title": memo.title,
        "summary": memo.summary or "",
        "signed_on": memo.signed_on.isoformat(),
        "place": memo.place or "",
        "event_id": str(memo.event_id or ""),
        "status": memo.status.value,
        "sectors": [s.value for s in memo.sectors],
    }


def _memo_form(
    request: Request, session: Session, lang: str, memo: Memorandum
) -> Callable[[Fields, dict[str, str], Conflicts | None], HTMLResponse]:
    def render(values: Fields, errors: dict[str, str], stale: Conflicts | None) -> HTMLResponse:
        events = latest_events(session)
        status = 422 if errors else 200
        return page(
            request,
            lang,
            "agreements_form.html",
            status,
            memo=memo,
            values=values,
            errors=errors,
            conflicts=stale or {},
            events=events,
            regions=[],
        )

    return render


@router.get("/memoranda/{memo_id}/edit", response_class=HTMLResponse)
def memorandum_edit(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, memo_id: int
) -> HTMLResponse:
    """The form of a memorandum (its parties stay as they are)."""
    memo = service.managed_memorandum(session, user, memo_id)
    values = {**memo_values(memo), "version": str(memo.version)}
    return _memo_form(request, session, lang, memo)(values, {}, None)


@router.post("/memoranda/{memo_id}/edit", response_model=None, dependencies=CSRF)
async def memorandum_save(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, memo_id: int
) -> HTMLResponse | RedirectResponse:
    """Save a memorandum's fields and sectors."""
    memo = service.managed_memorandum(session, user, memo_id)
    typed = await _typed(request, ("sectors",))
    data = {**clean(typed, MEMO_FIELDS, ()), "sectors": typed["sectors"]}

    def save(version: int | None) -> object:
        changes = MemorandumChanges.model_validate(data)
        return service.update_memorandum(session, user, memo_id, changes, version)

    choices = {"status": MEMO_STATUSES, "sectors": SECTORS}
    render = _memo_form(request, session, lang, memo)
    return _saved(
        render, save, typed, lambda: memo_values(memo), lang, choices, f"/memoranda/{memo_id}"
    )


# --- commitments -------------------------------------------------------------------------
def commitment_values(commitment: Commitment) -> Fields:
    """A commitment as its form shows it."""
    org = commitment.responsible_organisation
    region = commitment.responsible_region
    return {
        "title": commitment.title,
        "kpi": commitment.kpi.value,
        "target": plain(commitment.target),
        "unit_code": commitment.unit_code or "",
        "start_on": commitment.start_on.isoformat(),
        "deadline": commitment.deadline.isoformat(),
        "sector": commitment.sector.value if commitment.sector else "",
        "responsible_organisation": org.name_ru if org else "",
        "responsible_organisation_id": str(org.id) if org else "",
        "responsible_region": region.kato if region else "",
        "responsible_person": commitment.responsible_person or "",
        "responsible_post": commitment.responsible_post or "",
        "responsible_contact": commitment.responsible_contact or "",
    }


def _managed_commitment(session: Session, user: User, commitment_id: int) -> Commitment:
    return service.managed_commitment(session, user, commitment_id)


def _commitment_form(
    request: Request,
    session: Session,
    lang: str,
    commitment: Commitment,
    choices: dict[str, Any] | None = None,
) -> Callable[[Fields, dict[str, str], Conflicts | None], HTMLResponse]:
    def render(values: Fields, errors: dict[str, str], stale: Conflicts | None) -> HTMLResponse:
        if "responsible_organisation_id" in errors:
            errors["responsible_organisation"] = errors.pop("responsible_organisation_id")
        return commitment_form(
            request,
            session,
            lang,
            commitment.memorandum,
            commitment,
            values,
            errors,
            choices,
            stale,
        )

    return render


@router.get("/commitments/{commitment_id}/edit", response_class=HTMLResponse)
def commitment_edit(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, commitment_id: int
) -> HTMLResponse:
    """The form of a commitment."""
    commitment = _managed_commitment(session, user, commitment_id)
    values = {**commitment_values(commitment), "version": str(commitment.version)}
    return _commitment_form(request, session, lang, commitment)(values, {}, None)


@router.post("/commitments/{commitment_id}/edit", response_model=None, dependencies=CSRF)
async def commitment_save(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, commitment_id: int
) -> HTMLResponse | RedirectResponse:
    """Save a commitment's fields, its responsible organisation (the picker) and person."""
    commitment = _managed_commitment(session, user, commitment_id)
    typed = await _typed(request)
    choices: dict[str, Any] = {}

    def save(version: int | None) -> object:
        data = commitment_data(session, typed, choices)
        changes = CommitmentChanges.model_validate(data)
        return service.update_commitment(session, user, commitment_id, changes, version)

    labels = {"kpi": KPIS, "sector": SECTORS}
    render = _commitment_form(request, session, lang, commitment, choices)
    done = f"/commitments/{commitment_id}?done=saved"
    return _saved(render, save, typed, lambda: commitment_values(commitment), lang, labels, done)


# --- deals -------------------------------------------------------------------------------
def deal_values(deal: Deal) -> Fields:
    """A deal as its form shows it."""
    links = {name: str(getattr(deal, name) or "") for name in deals.LINKS}
    return {
        "number": deal.number,
        "signed_on": deal.signed_on.isoformat(),
        "subject": deal.subject,
        "class_code": deal.class_code or "",
        "quantity": plain(deal.quantity),
        "unit_code": deal.unit_code or "",
        "amount": plain(deal.amount),
        "currency": deal.currency,
        **links,
    }


def _deal_form(
    request: Request, session: Session, lang: str, user: User, deal: Deal
) -> Callable[[Fields, dict[str, str], Conflicts | None], HTMLResponse]:
    def render(values: Fields, errors: dict[str, str], stale: Conflicts | None) -> HTMLResponse:
        return deal_page(
            request,
            lang,
            "deals_form.html",
            status=422 if errors else 200,
            deal=deal,
            values=values,
            errors=errors,
            conflicts=stale or {},
            commitments=open_commitments(session, user),
            currencies=currencies(),
        )

    return render


def currencies() -> list[str]:
    """The currencies a deal may be in."""
    return sorted(RATES_TO_KZT)


@router.get("/deals/{deal_id}/edit", response_class=HTMLResponse)
def deal_edit(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, deal_id: int
) -> HTMLResponse:
    """The form of a deal (its buyer and supplier stay)."""
    deal = deals.editable_deal(session, user, deal_id)
    values = {**deal_values(deal), "version": str(deal.version)}
    return _deal_form(request, session, lang, user, deal)(values, {}, None)


@router.post("/deals/{deal_id}/edit", response_model=None, dependencies=CSRF)
async def deal_save(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, deal_id: int
) -> HTMLResponse | RedirectResponse:
    """Save a deal's fields (the commitments it counts towards are linked on its page)."""
    deal = deals.editable_deal(session, user, deal_id)
    typed = await _typed(request)

    def save(version: int | None) -> object:
        changes = DealChanges.model_validate(clean(typed, DEAL_FIELDS, ("amount", "quantity")))
        return deals.update_deal(session, user, deal_id, changes, version)

    render = _deal_form(request, session, lang, user, deal)
    return _saved(render, save, typed, lambda: deal_values(deal), lang, {}, f"/deals/{deal_id}")
