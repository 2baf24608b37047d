"""HTML pages: needs (list, detail with ranked producers, forms to add, change and delete)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.accounts.policy import can_edit_organisation
from seriktes.catalog.editing import NeedIn, create_need, delete_need, update_need
from seriktes.catalog.models import Need, NeedStatus, Origin
from seriktes.catalog.policy import can_add_lines
from seriktes.catalog.queries import (
    LineFilters,
    get_need,
    get_organisation,
    list_needs,
)
from seriktes.http.auth import CurrentUser, RequiredUser, verify_csrf
from seriktes.http.deps import DbSession, Language
from seriktes.kit.errors import Forbidden, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import MAX_PER_PAGE, PageRequest
from seriktes.matches.bands import split_weak
from seriktes.matches.models import Match
from seriktes.matches.queries import need_coverage, need_matches
from seriktes.registry.models import ClassifierSystem
from seriktes.registry.repository import has_codes, top_level_regions, units
from seriktes.web.forms import Conflicts, Form, chosen_owner, clean, form_errors, plain
from seriktes.web.listing import ORIGINS, STATUSES, Text, blank, choice, class_names
from seriktes.web.views.explanations import explain
from seriktes.web.views.feedback import need_feedback
from seriktes.web.views.lines import LineKind, acting_for, add_change_pages, match_counts
from seriktes.web.views.pages import show
from seriktes.web.views.verdicts import coverage_notice

router = APIRouter()


# --- needs -------------------------------------------------------------------------------
NEED_FIELDS = (
    "title",
    "description",
    "class_code",
    "enstru_code",
    "quantity",
    "unit_code",
    "unit_price",
    "currency",
    "delivery_region",
    "needed_by",
    "origin",
    "status",
)
NEED_NUMBERS = ("quantity", "unit_price")


@router.get("/needs", response_class=HTMLResponse, name="needs")
def needs_list(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    q: Text = None,
    region: Text = None,
    class_code: Annotated[str | None, Query(alias="class", max_length=20)] = None,
    origin: Text = None,
    status: Text = None,
    org: Annotated[int | None, Query()] = None,
    sort: Text = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
    deleted: bool = False,
) -> HTMLResponse:
    """Needs with search, filters, sortable columns and pages."""
    filters = LineFilters(
        q=blank(q),
        region=blank(region),
        class_code=blank(class_code),
        origin=Origin(o) if (o := choice(origin, ORIGINS, "origin")) else None,
        status=choice(status, [s.value for s in NeedStatus], "status"),
        organisation_id=org,
    )
    found = list_needs(session, user, filters, PageRequest(page, per_page, blank(sort)))
    ids = [need.id for need in found.items]
    return show(
        request,
        lang,
        "needs_list.html",
        found=found,
        filters=filters,
        sort=blank(sort) or "-created",
        regions=top_level_regions(session),
        organisation=get_organisation(session, org) if org else None,
        matches=match_counts(session, user, Match.need_id, ids),
        class_names=class_names(session, (n.class_code for n in found.items), lang),
        may_add=can_add_lines(user),
        deleted=deleted,
    )


@router.get("/needs/new", response_class=HTMLResponse)
def need_new(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    buyer: int | None = None,
) -> HTMLResponse:
    """The form of a new need."""
    values = {"buyer_id": str(buyer or ""), "currency": "KZT", "status": "published"}
    return _need_form(request, session, lang, user, None, values, {})


@router.post("/needs/new", response_model=None, dependencies=[Depends(verify_csrf)])
def need_create(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, form: Form
) -> HTMLResponse | RedirectResponse:
    """Add a need; show the form again with the errors next to the fields."""
    try:
        buyer = chosen_owner(session, user, form, "buyer_id")
        need = create_need(
            session, user, NeedIn.model_validate({**_need_data(form), "buyer_id": buyer})
        )
    except (ValidationError, ValidationFailed) as exc:
        return _need_form(request, session, lang, user, None, form, form_errors(exc))
    return RedirectResponse(f"/needs/{need.id}?saved=1", status_code=303)


@router.get("/needs/{need_id}", response_class=HTMLResponse, name="need")
def need_detail(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    need_id: int,
    saved: bool = False,
    include_weak: bool = False,
) -> HTMLResponse:
    """A need with all its fields and its ranked producers (strong and possible ones; weak
    ones with `include_weak`), each with its band and explanation; without a strong or
    possible one, where producers of the need's class are."""
    need = get_need(session, user, need_id)
    found = need_matches(session, user, need)
    shown, weak = split_weak(found)
    coverage = None
    if not shown:
        region = need.delivery_region or need.buyer.region
        text = " ".join(filter(None, [need.title, need.description]))
        stored = found[0].need_class if found else None
        coverage = need_coverage(
            session, region.kato if region else None, need.class_code or stored, text, guess=True
        )
    codes = [need.class_code, *(m.offer.class_code for m in found)]
    return show(
        request,
        lang,
        "needs_detail.html",
        need=need,
        matches=[(m, explain(m.explanation, lang, m.score)) for m in shown],
        weak=[(m, explain(m.explanation, lang, m.score)) for m in weak] if include_weak else [],
        weak_count=len(weak),
        include_weak=include_weak,
        coverage=coverage_notice(coverage, lang),
        class_names=class_names(session, codes, lang),
        classes_available=has_codes(session, ClassifierSystem.KPVED),
        can_edit=can_edit_organisation(user, need.buyer),
        saved=saved,
        **need_feedback(session, user, need, lang),
    )


def _need_data(form: Mapping[str, str]) -> dict[str, Any]:
    data = clean(form, NEED_FIELDS, NEED_NUMBERS)
    data["currency"] = data["currency"] or "KZT"
    return {k: v for k, v in data.items() if v is not None or k not in ("origin", "status")}


def _need_values(need: Need) -> dict[str, str]:
    region = need.delivery_region
    return {
        "title": need.title,
        "description": need.description or "",
        "class_code": need.class_code or "",
        "enstru_code": need.enstru_code or "",
        "quantity": plain(need.quantity),
        "unit_code": need.unit_code or "",
        "unit_price": plain(need.unit_price),
        "currency": need.currency,
        "delivery_region": region.kato if region else "",
        "needed_by": need.needed_by.isoformat() if need.needed_by else "",
        "origin": need.origin.value,
        "status": need.status.value,
    }


def _need_form(
    request: Request,
    session: Session,
    lang: str,
    user: User,
    need: Need | None,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    conflicts: Conflicts | None = None,
) -> HTMLResponse:
    buyers = acting_for(session, user) if need is None else [need.buyer]
    if not buyers:
        raise Forbidden(N_("your account may not add needs for any organisation"))
    regions = top_level_regions(session)
    if need and need.delivery_region and need.delivery_region not in regions:
        regions.append(need.delivery_region)
    return show(
        request,
        lang,
        "needs_form.html",
        status=422 if errors else 200,
        need=need,
        buyers=buyers,
        values=values,
        errors=errors,
        conflicts=conflicts or {},
        units=units(session),
        regions=regions,
        need_statuses=[s.value for s in NeedStatus],
    )


def _need_choices(session: Session, lang: str) -> dict[str, dict[str, str]]:
    """Labels of the values chosen in a need's form, for its conflicts."""
    return {
        "status": STATUSES,
        "origin": ORIGINS,
        "unit_code": {u.code: u.symbol(lang) for u in units(session)},
        "delivery_region": {r.kato: r.name(lang) for r in top_level_regions(session)},
    }


NEEDS = LineKind(
    name="need",
    get=get_need,
    owner=lambda need: need.buyer,
    update=update_need,
    delete=delete_need,
    data=_need_data,
    values=_need_values,
    form=_need_form,
    match_column=Match.need_id,
    choices=_need_choices,
)
add_change_pages(router, NEEDS)
