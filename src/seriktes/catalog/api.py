"""JSON API of the catalog domain (/api/v1): needs and offers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Path, Query, Response
from pydantic import ValidationError

from seriktes.catalog import editing
from seriktes.catalog.models import NeedStatus, OfferStatus, Origin
from seriktes.catalog.queries import (
    NEED_SORTS,
    OFFER_SORTS,
    LineFilters,
    get_need,
    get_offer,
    list_needs,
    list_offers,
)
from seriktes.catalog.schemas import (
    NeedChanges,
    NeedCreate,
    NeedOut,
    OfferChanges,
    OfferCreate,
    OfferOut,
)
from seriktes.http.auth import CurrentUser, RequiredUser
from seriktes.http.deps import DbSession
from seriktes.http.params import (
    WRITE,
    IfMatch,
    KatoQuery,
    PageNo,
    PerPage,
    Text,
    errors,
    expected_version,
    sort_query,
    tagged,
)
from seriktes.http.schemas import PageOut
from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import ErrorItem, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import PageRequest

router = APIRouter(prefix="/api/v1", tags=["catalog"])

T = TypeVar("T")
NeedId = Annotated[int, Path(ge=1, le=MAX_ID, description="Need id")]
OfferId = Annotated[int, Path(ge=1, le=MAX_ID, description="Offer id")]
ClassCode = Annotated[
    str | None, Query(pattern=r"^[0-9]{2}(\.[0-9]{1,3}){0,3}$", description="KP VED prefix")
]
OrgFilter = Annotated[int | None, Query(ge=1, le=MAX_ID, description="Owner organisation id")]
RegionFilter = Annotated[str | None, KatoQuery]
Words = Annotated[str | None, Text]
PageNumber = Annotated[int, PageNo]
PageSize = Annotated[int, PerPage]
WRITE_ERRORS = errors(401, 403, 404, 422)
CHANGE_ERRORS = errors(401, 403, 404, 409, 422)
CREATE_ERRORS = errors(401, 403, 404, 409, 422)


def checked(change: Callable[[], T]) -> T:
    """Run a change; a merged record that fails validation is a 422 located in the body."""
    try:
        return change()
    except ValidationError as exc:
        items = [ErrorItem(("body", *e["loc"]), e["msg"]) for e in exc.errors()]
        raise ValidationFailed(N_("the changed record is invalid"), items) from None


@router.get("/needs", responses=errors(422))
def needs(
    session: DbSession,
    user: CurrentUser,
    q: Words = None,
    region: RegionFilter = None,
    class_code: ClassCode = None,
    origin: Origin | None = None,
    status: NeedStatus | None = None,
    organisation_id: OrgFilter = None,
    page: PageNumber = 1,
    per_page: PageSize = 25,
    sort: Annotated[str | None, sort_query(NEED_SORTS, "-created by default")] = None,
) -> PageOut[NeedOut]:
    """Needs you may read (published ones, and drafts of your organisation), paged."""
    state = status.value if status else None
    filters = LineFilters(q, region, class_code, origin, state, organisation_id)
    found = list_needs(session, user, filters, PageRequest(page, per_page, sort))
    return PageOut[NeedOut].of(found, NeedOut.of)


@router.get("/needs/{need_id}", responses=errors(404, 422))
def need(session: DbSession, user: CurrentUser, need_id: NeedId, response: Response) -> NeedOut:
    """A need (a draft only to those who may read it; 404 otherwise); its ETag is its
    version."""
    found = get_need(session, user, need_id)
    tagged(response, found.version)
    return NeedOut.of(found)


@router.post("/needs", status_code=201, dependencies=WRITE, responses=CREATE_ERRORS)
def create_need(session: DbSession, user: RequiredUser, data: NeedCreate) -> NeedOut:
    """Add a need for an organisation you act for (a draft unless status says otherwise)."""
    return NeedOut.of(editing.create_need(session, user, data))


@router.patch("/needs/{need_id}", dependencies=WRITE, responses=CHANGE_ERRORS)
def change_need(
    session: DbSession,
    user: RequiredUser,
    need_id: NeedId,
    changes: NeedChanges,
    response: Response,
    if_match: IfMatch = None,
) -> NeedOut:
    """Change the fields sent (absent fields stay; null clears an optional field); with
    If-Match, only when the need is still the version you read (409 otherwise)."""
    values, version = changes.model_dump(exclude_unset=True), expected_version(if_match)
    found = checked(lambda: editing.update_need(session, user, need_id, values, version))
    tagged(response, found.version)
    return NeedOut.of(found)


@router.delete("/needs/{need_id}", status_code=204, dependencies=WRITE, responses=WRITE_ERRORS)
def delete_need(session: DbSession, user: RequiredUser, need_id: NeedId) -> Response:
    """Delete a need and its matches."""
    editing.delete_need(session, user, need_id)
    return Response(status_code=204)


@router.get("/offers", responses=errors(422))
def offers(
    session: DbSession,
    user: CurrentUser,
    q: Words = None,
    region: RegionFilter = None,
    class_code: ClassCode = None,
    status: OfferStatus | None = None,
    organisation_id: OrgFilter = None,
    page: PageNumber = 1,
    per_page: PageSize = 25,
    sort: Annotated[str | None, sort_query(OFFER_SORTS, "-created by default")] = None,
) -> PageOut[OfferOut]:
    """Offers you may read (published ones, and drafts of your organisation), paged."""
    state = status.value if status else None
    filters = LineFilters(q, region, class_code, None, state, organisation_id)
    found = list_offers(session, user, filters, PageRequest(page, per_page, sort))
    return PageOut[OfferOut].of(found, OfferOut.of)


@router.get("/offers/{offer_id}", responses=errors(404, 422))
def offer(session: DbSession, user: CurrentUser, offer_id: OfferId, response: Response) -> OfferOut:
    """An offer (a draft only to those who may read it; 404 otherwise); its ETag is its
    version."""
    found = get_offer(session, user, offer_id)
    tagged(response, found.version)
    return OfferOut.of(found)


@router.post("/offers", status_code=201, dependencies=WRITE, responses=CREATE_ERRORS)
def create_offer(session: DbSession, user: RequiredUser, data: OfferCreate) -> OfferOut:
    """Add an offer for an organisation you act for (a draft unless status says otherwise)."""
    return OfferOut.of(editing.create_offer(session, user, data))


@router.patch("/offers/{offer_id}", dependencies=WRITE, responses=CHANGE_ERRORS)
def change_offer(
    session: DbSession,
    user: RequiredUser,
    offer_id: OfferId,
    changes: OfferChanges,
    response: Response,
    if_match: IfMatch = None,
) -> OfferOut:
    """Change the fields sent (absent fields stay; null clears an optional field); with
    If-Match, only when the offer is still the version you read (409 otherwise)."""
    values, version = changes.model_dump(exclude_unset=True), expected_version(if_match)
    found = checked(lambda: editing.update_offer(session, user, offer_id, values, version))
    tagged(response, found.version)
    return OfferOut.of(found)


@router.delete("/offers/{offer_id}", status_code=204, dependencies=WRITE, responses=WRITE_ERRORS)
def delete_offer(session: DbSession, user: RequiredUser, offer_id: OfferId) -> Response:
    """Delete an offer and its matches."""
    editing.delete_offer(session, user, offer_id)
    return Response(status_code=204)
