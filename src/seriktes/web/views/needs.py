"""HTML pages: needs (list, detail with ranked producers, forms to add, change and delete),
and the form helpers the offers pages share."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.accounts.policy import can_create_for, can_edit_organisation, visible_offers
from seriktes.catalog.editing import NeedIn, create_need, delete_need, update_need
from seriktes.catalog.models import Need, NeedStatus, Origin
from seriktes.catalog.queries import (
    LineFilters,
    OrganisationFilters,
    get_need,
    get_organisation,
    list_needs,
    list_organisations,
)
from seriktes.kit.errors import Forbidden, ValidationFailed
from seriktes.kit.pagination import MAX_PER_PAGE, PageRequest
from seriktes.matches.models import Match
from seriktes.matches.queries import need_matches
from seriktes.registry.models import Organisation
from seriktes.registry.repository import top_level_regions, units
from seriktes.web.auth import CurrentUser, RequiredUser, verify_csrf
from seriktes.web.deps import DbSession, Language
from seriktes.web.i18n import N_
from seriktes.web.views.search import ORIGINS, Text, blank, choice, class_names, explain, show

router = APIRouter()


def match_counts(
    session: Session, user: User | None, column: Any, ids: Sequence[int]
) -> dict[int, int]:
    """How many stored matches (with offers `user` may read) each need or offer has."""
    if not ids:
        return {}
    stmt = (
        select(column, func.count())
        .select_from(Match)
        .join(Match.offer)
        .where(column.in_(list(ids)), visible_offers(user))
        .group_by(column)
    )
    return {int(key): int(n) for key, n in session.execute(stmt).all()}


def may_add(user: User | None) -> bool:
    """Whether `user` can add needs or offers for some organisation."""
    if user is None or not user.is_active:
        return False
    if user.role is Role.ADMIN:
        return True
    return (
        user.region_id is not None if user.role is Role.COORDINATOR else bool(user.organisation_id)
    )


def acting_for(session: Session, user: User) -> list[Organisation]:
    """The organisations `user` may add needs and offers for (at most 1,000)."""
    if user.role is Role.MEMBER:
        org = user.organisation
        return [org] if org is not None and can_create_for(user, org) else []
    if user.role is Role.COORDINATOR and user.region is None:
        return []
    region = user.region.kato if user.role is Role.COORDINATOR and user.region else None
    found: list[Organisation] = []
    for number in range(1, 6):
        page = list_organisations(
            session, OrganisationFilters(region=region), PageRequest(number, MAX_PER_PAGE)
        )
        found.extend(org for org in page.items if can_create_for(user, org))
        if number >= page.pages:
            break
    return found


# --- forms -------------------------------------------------------------------------------
ERROR_TEXTS = {
    "missing": N_("Required."),
    "int_type": N_("Required."),
    "string_type": N_("Required."),
    "string_too_short": N_("Required."),
    "string_too_long": N_("Too long."),
    "too_long": N_("Too many items."),
    "decimal_parsing": N_("Enter a number."),
    "decimal_type": N_("Enter a number."),
    "greater_than_equal": N_("Must not be negative."),
    "decimal_max_places": N_("Too many digits after the decimal point."),
    "decimal_max_digits": N_("The number is too large."),
    "decimal_whole_digits": N_("The number is too large."),
    "date_from_datetime_parsing": N_("Enter a date."),
    "date_parsing": N_("Enter a date."),
    "string_pattern_mismatch": N_("Use a three-letter code such as KZT."),
    "enum": N_("Choose one of the options."),
    "int_parsing": N_("Choose one of the options."),
}
FIELD_ERRORS = {
    "class_code": N_("Enter a KP VED code such as 28.15.10."),
    "enstru_code": N_("Enter an ENS TRU code such as 222929.900.000129."),
    "hs_code": N_("Enter an HS code of 4 to 10 digits."),
    "unit_code": N_("Unknown unit of measure."),
    "delivery_region": N_("Unknown region."),
}


async def form_data(request: Request) -> dict[str, str]:
    """The submitted form as text fields (files ignored)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


Form = Annotated[dict[str, str], Depends(form_data)]


def clean(form: Mapping[str, str], fields: Iterable[str], numbers: Iterable[str]) -> dict[str, Any]:
    """Form fields as a service takes them: blanks are None, «1 500,5» is 1500.5."""
    data: dict[str, Any] = {field: blank(form.get(field)) for field in fields}
    for field in numbers:
        if data.get(field) is not None:
            data[field] = re.sub(r"[\s\u00a0\u202f]", "", data[field]).replace(",", ".")
    return data


def form_errors(exc: ValidationError | ValidationFailed) -> dict[str, str]:
    """Field → message id of what is wrong with it ("" holds errors of no field)."""
    errors: dict[str, str] = {}
    if isinstance(exc, ValidationFailed):
        for item in exc.errors or []:
            field = str(item.loc[-1]) if item.loc else ""
            errors.setdefault(field, FIELD_ERRORS.get(field, item.msg))
        return errors or {"": exc.detail}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        kind = str(error["type"])
        text = FIELD_ERRORS.get(field) if kind == "value_error" else ERROR_TEXTS.get(kind)
        errors.setdefault(field, text or str(error["msg"]))
    return errors


def chosen_owner(session: Session, user: User, value: str | None) -> str | None:
    """The buyer or producer chosen in a form, None when none was; 403 when the user may not
    act for it (checked before anything else)."""
    chosen = blank(value)
    if chosen is None or not chosen.isdigit():
        return None
    if not can_create_for(user, get_organisation(session, int(chosen))):
        raise Forbidden("you may not add data for this organisation")
    return chosen


def plain(value: Decimal | float | None) -> str:
    """A number for an input field: 1500.5, no grouping."""
    return "" if value is None else f"{Decimal(str(value)).normalize():f}"


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
        may_add=may_add(user),
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
    buyer = chosen_owner(session, user, form.get("buyer_id"))
    try:
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
) -> HTMLResponse:
    """A need with all its fields and its ranked producers, each with its explanation."""
    need = get_need(session, user, need_id)
    found = need_matches(session, user, need_id)
    codes = [need.class_code, *(m.offer.class_code for m in found)]
    return show(
        request,
        lang,
        "needs_detail.html",
        need=need,
        matches=[(m, explain(m.explanation, lang)) for m in found],
        class_names=class_names(session, codes, lang),
        can_edit=can_edit_organisation(user, need.buyer),
        saved=saved,
    )


@router.get("/needs/{need_id}/edit", response_class=HTMLResponse)
def need_edit(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, need_id: int
) -> HTMLResponse:
    """The form of an existing need."""
    need = _editable_need(session, user, need_id)
    return _need_form(request, session, lang, user, need, _need_values(need), {})


@router.post("/needs/{need_id}/edit", response_model=None, dependencies=[Depends(verify_csrf)])
def need_save(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    need_id: int,
    form: Form,
) -> HTMLResponse | RedirectResponse:
    """Save the changes of a need."""
    need = _editable_need(session, user, need_id)
    try:
        update_need(session, user, need_id, _need_data(form))
    except (ValidationError, ValidationFailed) as exc:
        return _need_form(request, session, lang, user, need, form, form_errors(exc))
    return RedirectResponse(f"/needs/{need_id}?saved=1", status_code=303)


@router.get("/needs/{need_id}/delete", response_class=HTMLResponse)
def need_delete_confirm(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, need_id: int
) -> HTMLResponse:
    """Ask before deleting a need."""
    need = _editable_need(session, user, need_id)
    count = match_counts(session, user, Match.need_id, [need.id]).get(need.id, 0)
    return show(request, lang, "needs_delete.html", need=need, match_count=count)


@router.post("/needs/{need_id}/delete", dependencies=[Depends(verify_csrf)])
def need_delete(session: DbSession, user: RequiredUser, need_id: int) -> RedirectResponse:
    """Delete a need and its matches."""
    delete_need(session, user, need_id)
    return RedirectResponse("/needs?deleted=1", status_code=303)


def _need_data(form: Mapping[str, str]) -> dict[str, Any]:
    data = clean(form, NEED_FIELDS, NEED_NUMBERS)
    data["currency"] = data["currency"] or "KZT"
    return {k: v for k, v in data.items() if v is not None or k not in ("origin", "status")}


def _editable_need(session: Session, user: User, need_id: int) -> Need:
    need = get_need(session, user, need_id)
    if not can_edit_organisation(user, need.buyer):
        raise Forbidden("you may not change this need")
    return need


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
) -> HTMLResponse:
    buyers = acting_for(session, user) if need is None else [need.buyer]
    if not buyers:
        raise Forbidden("your account may not add needs for any organisation")
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
        units=units(session),
        regions=regions,
        need_statuses=[s.value for s in NeedStatus],
    )
