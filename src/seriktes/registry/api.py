"""JSON API of the registry domain (/api/v1): regions and organisations.

Also the query parameters and error responses the other domains' API modules share.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Response
from sqlalchemy import select

from seriktes.catalog.queries import (
    ORG_SORTS,
    OrganisationFilters,
    get_organisation,
    list_organisations,
)
from seriktes.catalog.schemas import RegionSummary
from seriktes.catalog.service import region_overview
from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import ErrorItem, NotFound, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import MAX_PER_PAGE, PageRequest
from seriktes.registry.editing import update_organisation
from seriktes.registry.models import Region, SizeClass
from seriktes.registry.schemas import (
    ErrorOut,
    OrganisationChanges,
    OrganisationOut,
    PageOut,
    RegionOut,
)
from seriktes.web.auth import CurrentUser, RequiredUser, require_user, verify_csrf
from seriktes.web.deps import DbSession
from seriktes.web.privacy import may_read_contacts

router = APIRouter(prefix="/api/v1", tags=["registry"])

# Authentication first, so the public gets 401 rather than the CSRF refusal.
WRITE = [Depends(require_user), Depends(verify_csrf)]
Text = Query(max_length=200, pattern=r"^[^\x00]*$", description="Words to look for")
KatoQuery = Query(pattern=r"^[0-9]{2,9}$", description="KATO code of the top-level region")
PageNo = Query(ge=1, le=100_000)
PerPage = Query(ge=1, le=MAX_PER_PAGE)
OrgId = Annotated[int, Path(ge=1, le=MAX_ID, description="Organisation id")]
KatoPath = Annotated[str, Path(pattern=r"^[0-9]{2,9}$", description="KATO code, e.g. 63")]
_ERRORS = {
    401: "Not logged in and no API token",
    403: "Not allowed (or no CSRF token in a browser session)",
    404: "Not found or not visible to you",
    409: "Conflicts with stored data",
    422: "Invalid request",
}


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=40,
        description='The ETag of the version you read (e.g. "3"): a record changed since is '
        "a 409 naming the fields changed meanwhile; without it the change is made anyway",
    ),
]
_TAG = re.compile(r'^(?:W/)?"?([0-9]{1,9})"?$')


def expected_version(if_match: str | None) -> int | None:
    """The version an If-Match header names (None without one, or for `*`); a header that
    names no version is a 422 located at it."""
    if if_match is None or if_match.strip() == "*":
        return None
    found = _TAG.match(if_match.strip())
    if found is None:
        message = N_('If-Match must be the ETag of a version, e.g. "3"')
        raise ValidationFailed(message, [ErrorItem(("header", "If-Match"), message)])
    return int(found.group(1))


def tagged(response: Response, version: int) -> None:
    """Give an answer the ETag of the version it shows (a client sends it back in If-Match)."""
    response.headers["ETag"] = f'"{version}"'


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI descriptions of the error answers a route may give."""
    return {code: {"model": ErrorOut, "description": _ERRORS[code]} for code in codes}


def sort_query(keys: Iterable[str], default: str) -> Any:
    """A `sort` query parameter accepting `keys` ("-" first for descending)."""
    names = "|".join(sorted(keys))
    return Query(pattern=f"^-?({names})$", description=f"{names}; '-' descends; {default}")


class RegionDetail(RegionOut):
    """A region with the counts of the top-level region it belongs to."""

    oblast: RegionSummary | None


@router.get("/regions")
def regions(session: DbSession) -> list[RegionSummary]:
    """Top-level regions with their counts of organisations, needs and offers."""
    return region_overview(session)


@router.get("/regions/{kato}", responses=errors(404, 422))
def region(session: DbSession, kato: KatoPath) -> RegionDetail:
    """One region; a short code ("63") is padded with zeros."""
    found = session.scalar(select(Region).where(Region.kato == kato.ljust(9, "0")))
    if found is None:
        raise NotFound(N_("no region with KATO code %(kato)s"), params={"kato": kato})
    oblast = next((r for r in region_overview(session) if r.kato[:2] == found.kato[:2]), None)
    return RegionDetail(**RegionOut.of(found).model_dump(), oblast=oblast)


@router.get("/organisations", responses=errors(422))
def organisations(
    session: DbSession,
    user: CurrentUser,
    q: Annotated[str | None, Text] = None,
    region: Annotated[str | None, KatoQuery] = None,
    size_class: SizeClass | None = None,
    page: Annotated[int, PageNo] = 1,
    per_page: Annotated[int, PerPage] = 25,
    sort: Annotated[str | None, sort_query(ORG_SORTS, "name by default")] = None,
) -> PageOut[OrganisationOut]:
    """Organisations of the registry, filtered, sorted and paged (contacts for signed-in
    users only)."""
    filters = OrganisationFilters(q=q, region=region, size_class=size_class)
    found = list_organisations(session, filters, PageRequest(page, per_page, sort))
    contacts = may_read_contacts(user)
    return PageOut[OrganisationOut].of(found, lambda org: OrganisationOut.of(org, contacts))


@router.get("/organisations/{org_id}", responses=errors(404, 422))
def organisation(
    session: DbSession, user: CurrentUser, org_id: OrgId, response: Response
) -> OrganisationOut:
    """An organisation's profile (contacts for signed-in users only; its ETag is its version)."""
    org = get_organisation(session, org_id)
    tagged(response, org.version)
    return OrganisationOut.of(org, may_read_contacts(user))


@router.patch(
    "/organisations/{org_id}", dependencies=WRITE, responses=errors(401, 403, 404, 409, 422)
)
def change_organisation(
    session: DbSession,
    user: RequiredUser,
    org_id: OrgId,
    changes: OrganisationChanges,
    response: Response,
    if_match: IfMatch = None,
) -> OrganisationOut:
    """Change an organisation's profile (its members, its region's coordinator, admins);
    with If-Match, only when it is still the version you read."""
    version = expected_version(if_match)
    org = update_organisation(session, user, org_id, changes, version)
    tagged(response, org.version)
    return OrganisationOut.of(org)
