"""JSON API of the directory (/api/v1): regions with their counts of organisations, needs
and offers, and organisations' profiles, listed, read and changed. The regions and
organisations are the registry's records; the listings with their counts are the catalog's.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field, StringConstraints

from seriktes.accounts.editing import update_organisation
from seriktes.accounts.policy import may_read_contacts
from seriktes.catalog.orgsearch import MAX_LIMIT, Found, find_organisations
from seriktes.catalog.queries import (
    ORG_SORTS,
    OrganisationFilters,
    get_organisation,
    list_organisations,
)
from seriktes.catalog.schemas import RegionSummary
from seriktes.catalog.service import region_overview
from seriktes.http.auth import CurrentUser, RequiredUser
from seriktes.http.deps import DbSession
from seriktes.http.params import (
    WRITE,
    IfMatch,
    KatoPath,
    KatoQuery,
    OrgId,
    PageNo,
    PerPage,
    Text,
    errors,
    expected_version,
    sort_query,
    tagged,
)
from seriktes.http.schemas import PageOut
from seriktes.kit.errors import NotFound
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import PageRequest
from seriktes.registry.kato import oblast_of
from seriktes.registry.models import SizeClass
from seriktes.registry.repository import region_by_kato
from seriktes.registry.schemas import OrganisationChanges, OrganisationOut, RegionOut, RegionRef

router = APIRouter(prefix="/api/v1", tags=["registry"])


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
    found = region_by_kato(session, kato)
    if found is None:
        raise NotFound(N_("no region with KATO code %(kato)s"), params={"kato": kato})
    oblast = next(
        (r for r in region_overview(session) if oblast_of(r.kato) == oblast_of(found.kato)), None
    )
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


class OrganisationFound(BaseModel):
    """An organisation a look-up found, and why."""

    id: int
    name_ru: str
    name_kk: str | None
    bin: str | None = Field(description="None for a producer known only by name and address")
    region: RegionRef | None
    matched: Literal["bin", "name", "product"] = Field(
        description="What matched: the BIN (whole or its beginning), the name, or a product"
    )
    product: str | None = Field(
        description="The published offer or need whose title or KP VED class matched"
    )

    @classmethod
    def of(cls, found: Found) -> OrganisationFound:
        """The view of one organisation found."""
        org = found.organisation
        return cls.model_construct(
            id=org.id,
            name_ru=org.name_ru,
            name_kk=org.name_kk,
            bin=org.bin,
            region=RegionRef.of(org.region),
            matched=found.why,
            product=found.product,
        )


# before /organisations/{org_id}, which would take «lookup» for an id
@router.get("/organisations/lookup", responses=errors(422))
def organisation_lookup(
    session: DbSession,
    q: Annotated[
        str,
        Query(
            max_length=200,
            pattern=r"^[^\x00]*$",
            description="A name or its words in any order (Russian or Kazakh; case and ё/е "
            "do not matter; each word the beginning of a word of the name), a BIN or its "
            "first digits, or a product the organisation sells or buys",
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many")] = 10,
    region: Annotated[
        list[Annotated[str, StringConstraints(pattern=r"^[0-9]{2,9}$")]] | None,
        Query(
            description="Only organisations of these top-level regions (KATO codes; repeat)",
        ),
    ] = None,
) -> list[OrganisationFound]:
    """Find organisations for a picker, best first: the exact BIN, a BIN's beginning, the
    name beginning with the words, the words anywhere in the name, then a product (public
    data: no contacts)."""
    oblasts = [oblast_of(kato) for kato in region or []]
    return [OrganisationFound.of(f) for f in find_organisations(session, q, limit, oblasts)]


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
