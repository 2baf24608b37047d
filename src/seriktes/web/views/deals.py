"""HTML pages of deals: list, detail with deliveries, its confirmation and the commitments it
counts towards; forms to record a deal, link it to commitments, add deliveries, and confirm
or dispute it (a side for itself, a coordinator of a party region with evidence)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from seriktes.accounts.models import User
from seriktes.agreements import confirmation, deals, repository, service
from seriktes.agreements.models import (
    Commitment,
    Confirmation,
    Deal,
)
from seriktes.agreements.policy import (
    can_confirm_as_coordinator,
    can_dispute_deal,
    can_record_deal,
    deal_side,
    visible_memoranda,
)
from seriktes.agreements.rates import RATES_TO_KZT
from seriktes.agreements.schemas import ConfirmIn, DealChanges, DealIn, DeliveryIn, DisputeIn
from seriktes.catalog.orgsearch import Found
from seriktes.events import outcomes
from seriktes.http.auth import CurrentUser, RequiredUser, verify_csrf
from seriktes.http.deps import DbSession, Language
from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import ErrorItem, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import PageRequest
from seriktes.web.forms import Form, clean, form_errors, form_ids, form_version, listed
from seriktes.web.listing import blank
from seriktes.web.orgpick import TYPE_ONE, pick
from seriktes.web.views.agreements import page

router = APIRouter()
CSRF = [Depends(verify_csrf)]
OptionalId = Query(ge=1, le=MAX_ID)

DEAL_STATUSES = {
    "signed": N_("In force"),
    "completed": N_("Completed"),
    "cancelled": N_("Cancelled"),
}
CONFIRMATIONS = {
    "awaiting": N_("Awaiting confirmation"),
    "awaiting_coordinator": N_("Awaiting a coordinator"),
    "confirmed": N_("Confirmed"),
    "disputed": N_("Disputed"),
}
DONE = {
    "created": N_("The deal is recorded."),
    "linked": N_("The commitments this deal counts towards are saved."),
    "delivery": N_("The delivery is recorded."),
    "confirmed": N_("Your confirmation is recorded."),
    "disputed": N_("Your dispute is recorded."),
}
DEAL_FIELDS = (
    "number",
    "signed_on",
    "subject",
    "class_code",
    "quantity",
    "unit_code",
    "amount",
    "currency",
    "need_id",
    "offer_id",
    "meeting_id",
    "memorandum_id",
)


def deal_page(request: Request, lang: str, name: str, **context: Any) -> HTMLResponse:
    """Render a deal page with its labels."""
    return page(
        request,
        lang,
        name,
        deal_statuses=DEAL_STATUSES,
        confirmations=CONFIRMATIONS,
        deal_done=DONE,
        **context,
    )


@router.get("/deals", response_class=HTMLResponse, name="deals")
def deals_list(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    commitment_id: Annotated[int | None, OptionalId] = None,
    memorandum_id: Annotated[int | None, OptionalId] = None,
    state: Annotated[Confirmation | None, Query(alias="confirmation")] = None,
    page_no: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """Deals you may read: all for coordinators, your organisation's for members; those
    awaiting confirmation with `?confirmation=awaiting`."""
    found = deals.list_deals(
        session, user, PageRequest(page_no, 50), None, memorandum_id, commitment_id, state
    )
    commitment = service.get_commitment(session, user, commitment_id) if commitment_id else None
    return deal_page(
        request, lang, "deals_list.html", found=found, commitment=commitment, state=state
    )


@router.get("/deals/new", response_class=HTMLResponse)
def deal_new(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    meeting: Annotated[int | None, OptionalId] = None,
) -> HTMLResponse:
    """The form of a new deal; a member's organisation is the buyer by default. From a
    meeting (`?meeting=ID`, one the user may read) its buyer, supplier, need, offer and the
    meeting itself are filled in."""
    mine = user.organisation.bin if user.organisation is not None else ""
    values = {"buyer_bin": mine, "currency": "KZT"}
    prefill = outcomes.deal_prefill(session, user, meeting) if meeting is not None else None
    if prefill is not None:
        values.update(prefill.values)
    return _deal_form(request, session, lang, user, values, {}, from_meeting=prefill)


def open_commitments(session: DbSession, user: User | None) -> list[Commitment]:
    """The commitments a deal may be linked to on a form: of memoranda the user reads that
    are not closed, measured by deals."""
    return repository.open_commitments(session, visible_memoranda(user))


def _deal_form(
    request: Request,
    session: DbSession,
    lang: str,
    user: User,
    values: dict[str, Any],
    errors: dict[str, str],
    choices: dict[str, list[Found]] | None = None,
    **context: Any,
) -> HTMLResponse:
    return deal_page(
        request,
        lang,
        "deals_form.html",
        status=422 if errors else 200,
        values=values,
        errors=errors,
        choices=choices or {},
        commitments=open_commitments(session, user),
        currencies=sorted(RATES_TO_KZT),
        **context,
    )


def _parties(
    session: DbSession, form: dict[str, str], choices: dict[str, list[Found]]
) -> tuple[int, int]:
    """The buyer and the supplier of the picker fields `buyer_bin`, `supplier_bin` (a BIN, a
    name or a product typed, or the id chosen in `buyer_id`, `supplier_id`); the matches to
    choose from go to `choices`, and both fields' errors are raised together."""
    picked = {field: pick(session, form, field, field.replace("_bin", "_id"))
              for field in ("buyer_bin", "supplier_bin")}  # fmt: skip
    choices.update({field: p.choices for field, p in picked.items() if p.choices})
    for field, p in picked.items():  # kept on the form shown again
        if p.organisation is not None:
            form[field.replace("_bin", "_id")] = str(p.organisation.id)
    errors = [
        ErrorItem(("form", field), p.error or TYPE_ONE)
        for field, p in picked.items()
        if p.organisation is None
    ]
    if errors:
        raise ValidationFailed(errors[0].template, errors)
    buyer, supplier = (picked[f].required(f) for f in ("buyer_bin", "supplier_bin"))
    return buyer.id, supplier.id


@router.post("/deals/new", response_model=None, dependencies=CSRF)
async def deal_create(
    request: Request, session: DbSession, lang: Language, user: RequiredUser
) -> HTMLResponse | RedirectResponse:
    """Record a deal; show the form again with the errors next to the fields."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    data = {
        k: v for k, v in clean(fields, DEAL_FIELDS, ("amount", "quantity")).items() if v is not None
    }
    ids: list[int] = []
    choices: dict[str, list[Found]] = {}
    try:
        ids = form_ids(form.getlist("commitment_ids"), "commitment_ids")
        data["buyer_id"], data["supplier_id"] = _parties(session, fields, choices)
        data["commitment_ids"] = ids
        deal = deals.create_deal(session, user, DealIn.model_validate(data))
    except (ValidationError, ValidationFailed) as exc:
        values = {**fields, "commitment_ids": ids}
        errors = form_errors(exc)
        return _deal_form(request, session, lang, user, values, errors, choices)
    return RedirectResponse(f"/deals/{deal.id}?done=created", status_code=303)


@router.get("/deals/{deal_id}", response_class=HTMLResponse, name="deal")
def deal_detail(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    deal_id: int,
    done: str | None = None,
) -> HTMLResponse:
    """A deal: parties, amounts, links, deliveries, the commitments it counts towards."""
    deal = deals.get_deal(session, user, deal_id)
    editable = can_record_deal(user, deal.buyer, deal.supplier)
    linked = [(c, service.progress_of(c)) for c in deal.commitments]
    choices = open_commitments(session, user) if editable else []
    return deal_page(
        request,
        lang,
        "deals_detail.html",
        deal=deal,
        editable=editable,
        linked=linked,
        choices=choices,
        done=done if done in DONE else None,
        **_confirmation_forms(user, deal),
    )


def _confirmation_forms(user: User | None, deal: Deal) -> dict[str, bool]:
    """Which of the confirm and dispute forms `user` is shown on a deal's page."""
    side = deal_side(user, deal)
    disputed = deal.confirmation is Confirmation.DISPUTED
    own_dispute = disputed and deal.disputed_by is not None
    own_dispute = own_dispute and deal_side(deal.disputed_by, deal) == side
    side_may = side is not None and not getattr(deal, f"{side}_confirmed")
    return {
        "may_confirm_side": side_may and (not disputed or own_dispute),
        "may_confirm_coordinator": side is None
        and can_confirm_as_coordinator(user, deal)
        and not deal.evidence,
        "may_dispute": can_dispute_deal(user, deal) and not disputed,
    }


@router.post("/deals/{deal_id}/confirm", dependencies=CSRF)
def deal_confirm(
    session: DbSession, user: RequiredUser, deal_id: int, form: Form
) -> RedirectResponse:
    """Confirm a deal for your organisation's side, or as a coordinator with evidence."""
    evidence = blank(form.get("evidence"))
    try:
        data = ConfirmIn(evidence=evidence)
    except ValidationError as exc:
        raise _form_failed(exc) from None
    confirmation.confirm(session, user, deal_id, data)
    return RedirectResponse(f"/deals/{deal_id}?done=confirmed#confirmation", status_code=303)


@router.post("/deals/{deal_id}/dispute", dependencies=CSRF)
def deal_dispute(
    session: DbSession, user: RequiredUser, deal_id: int, form: Form
) -> RedirectResponse:
    """Dispute a deal with a reason."""
    try:
        data = DisputeIn(reason=blank(form.get("reason")) or "")
    except ValidationError as exc:
        raise _form_failed(exc) from None
    confirmation.dispute(session, user, deal_id, data)
    return RedirectResponse(f"/deals/{deal_id}?done=disputed#confirmation", status_code=303)


def _form_failed(exc: ValidationError) -> ValidationFailed:
    errors = form_errors(exc)
    return listed(errors)


@router.post("/deals/{deal_id}/commitments", dependencies=CSRF)
async def deal_link(
    request: Request, session: DbSession, user: RequiredUser, deal_id: int
) -> RedirectResponse:
    """Replace the commitments a deal counts towards."""
    form = await request.form()
    ids = form_ids(form.getlist("commitment_ids"), "commitment_ids")
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    deals.update_deal(session, user, deal_id, DealChanges(commitment_ids=ids), form_version(fields))
    return RedirectResponse(f"/deals/{deal_id}?done=linked", status_code=303)


@router.post("/deals/{deal_id}/deliveries/new", dependencies=CSRF)
def delivery_create(
    session: DbSession, user: RequiredUser, deal_id: int, form: Form
) -> RedirectResponse:
    """Record a delivery under a deal."""
    names = ("delivered_on", "quantity", "unit_code", "amount_kzt", "note")
    data = {
        k: v for k, v in clean(form, names, ("quantity", "amount_kzt")).items() if v is not None
    }
    try:
        delivery_in = DeliveryIn.model_validate(data)
    except ValidationError as exc:
        errors = form_errors(exc)
        raise listed(errors) from None
    deals.add_delivery(session, user, deal_id, delivery_in)
    return RedirectResponse(f"/deals/{deal_id}?done=delivery#deliveries", status_code=303)
