"""HTML pages: offers (list, detail with the buyers whose needs they fit, forms)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.accounts.policy import can_edit_organisation
from seriktes.catalog.editing import OfferIn, create_offer, delete_offer, update_offer
from seriktes.catalog.models import Offer, OfferStatus
from seriktes.catalog.policy import can_add_lines
from seriktes.catalog.queries import LineFilters, get_offer, get_organisation, list_offers
from seriktes.http.auth import CurrentUser, RequiredUser, verify_csrf
from seriktes.http.deps import DbSession, Language
from seriktes.kit.errors import Forbidden, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import MAX_PER_PAGE, PageRequest
from seriktes.matches.models import Match
from seriktes.matches.queries import offer_fits, weak_fit_count
from seriktes.registry.repository import top_level_regions, units
from seriktes.web.forms import Conflicts, Form, chosen_owner, clean, form_errors, plain
from seriktes.web.listing import STATUSES, Text, blank, choice, class_names
from seriktes.web.views.explanations import explain
from seriktes.web.views.feedback import offer_class_form
from seriktes.web.views.lines import LineKind, acting_for, add_change_pages, match_counts
from seriktes.web.views.pages import show

router = APIRouter()

OFFER_FIELDS = (
    "title",
    "description",
    "class_code",
    "hs_code",
    "capacity_per_year",
    "unit_code",
    "price",
    "currency",
    "status",
)
OFFER_NUMBERS = ("capacity_per_year", "price")


@router.get("/offers", response_class=HTMLResponse, name="offers")
def offers_list(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    q: Text = None,
    region: Text = None,
    class_code: Annotated[str | None, Query(alias="class", max_length=20)] = None,
    status: Text = None,
    org: Annotated[int | None, Query()] = None,
    sort: Text = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
    deleted: bool = False,
) -> HTMLResponse:
    """Offers with search, filters, sortable columns and pages."""
    filters = LineFilters(
        q=blank(q),
        region=blank(region),
        class_code=blank(class_code),
        status=choice(status, [s.value for s in OfferStatus], "status"),
        organisation_id=org,
    )
    found = list_offers(session, user, filters, PageRequest(page, per_page, blank(sort)))
    return show(
        request,
        lang,
        "offers_list.html",
        found=found,
        filters=filters,
        sort=blank(sort) or "-created",
        regions=top_level_regions(session),
        organisation=get_organisation(session, org) if org else None,
        fits=match_counts(session, user, Match.offer_id, [o.id for o in found.items]),
        class_names=class_names(session, (o.class_code for o in found.items), lang),
        may_add=can_add_lines(user),
        deleted=deleted,
    )


@router.get("/offers/new", response_class=HTMLResponse)
def offer_new(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    producer: int | None = None,
) -> HTMLResponse:
    """The form of a new offer."""
    values = {"producer_id": str(producer or ""), "currency": "KZT", "status": "published"}
    return _offer_form(request, session, lang, user, None, values, {})


@router.post("/offers/new", response_model=None, dependencies=[Depends(verify_csrf)])
def offer_create(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, form: Form
) -> HTMLResponse | RedirectResponse:
    """Add an offer; show the form again with the errors next to the fields."""
    try:
        producer = chosen_owner(session, user, form, "producer_id")
        data = {**_offer_data(form), "producer_id": producer}
        offer = create_offer(session, user, OfferIn.model_validate(data))
    except (ValidationError, ValidationFailed) as exc:
        return _offer_form(request, session, lang, user, None, form, form_errors(exc))
    return RedirectResponse(f"/offers/{offer.id}?saved=1", status_code=303)


@router.get("/offers/{offer_id}", response_class=HTMLResponse, name="offer")
def offer_detail(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    offer_id: int,
    saved: bool = False,
    include_weak: bool = False,
) -> HTMLResponse:
    """An offer with all its fields and the needs (and buyers) it fits, best first: those it
    is a strong or possible match for, weak ones too with `include_weak`."""
    offer = get_offer(session, user, offer_id)
    fits = offer_fits(session, user, offer_id, include_weak=include_weak)
    return show(
        request,
        lang,
        "offers_detail.html",
        offer=offer,
        fits=[(m, explain(m.explanation, lang, m.score)) for m in fits],
        weak_count=weak_fit_count(session, user, offer_id),
        include_weak=include_weak,
        class_names=class_names(session, [offer.class_code], lang),
        can_edit=can_edit_organisation(user, offer.producer),
        class_form=offer_class_form(session, user, offer),
        saved=saved,
    )


def _offer_data(form: Mapping[str, str]) -> dict[str, object]:
    data = clean(form, OFFER_FIELDS, OFFER_NUMBERS)
    data["currency"] = data["currency"] or "KZT"
    lines = re.split(r"[\n;]+", form.get("certificates") or "")
    data["certificates"] = [line.strip() for line in lines if line.strip()]
    return {k: v for k, v in data.items() if v is not None or k != "status"}


def _offer_values(offer: Offer) -> dict[str, str]:
    return {
        "title": offer.title,
        "description": offer.description or "",
        "class_code": offer.class_code or "",
        "hs_code": offer.hs_code or "",
        "capacity_per_year": plain(offer.capacity_per_year),
        "unit_code": offer.unit_code or "",
        "price": plain(offer.price),
        "currency": offer.currency,
        "certificates": "\n".join(offer.certificates or []),
        "status": offer.status.value,
    }


def _offer_form(
    request: Request,
    session: Session,
    lang: str,
    user: User,
    offer: Offer | None,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    conflicts: Conflicts | None = None,
) -> HTMLResponse:
    producers = acting_for(session, user) if offer is None else [offer.producer]
    if not producers:
        raise Forbidden(N_("your account may not add offers for any organisation"))
    return show(
        request,
        lang,
        "offers_form.html",
        status=422 if errors else 200,
        offer=offer,
        producers=producers,
        values=values,
        errors=errors,
        conflicts=conflicts or {},
        units=units(session),
        regions=top_level_regions(session),
        offer_statuses=[s.value for s in OfferStatus],
    )


def _offer_choices(session: Session, lang: str) -> dict[str, dict[str, str]]:
    """Labels of the values chosen in a offer's form, for its conflicts."""
    return {
        "status": STATUSES,
        "unit_code": {u.code: u.symbol(lang) for u in units(session)},
    }


OFFERS = LineKind(
    name="offer",
    get=get_offer,
    owner=lambda offer: offer.producer,
    update=update_offer,
    delete=delete_offer,
    data=_offer_data,
    values=_offer_values,
    form=_offer_form,
    match_column=Match.offer_id,
    choices=_offer_choices,
)
add_change_pages(router, OFFERS)
