"""HTML pages: organisations (list, profile with needs, offers and matches)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.accounts.policy import can_create_for, may_read_contacts
from seriktes.catalog.certificates import held_certificates, numbers_in_force
from seriktes.catalog.models import Need, Offer
from seriktes.catalog.policy import visible_needs, visible_offers
from seriktes.catalog.queries import (
    LineFilters,
    OrganisationFilters,
    get_organisation,
    list_needs,
    list_offers,
    list_organisations,
)
from seriktes.catalog.repository import lines_per_owner
from seriktes.http.auth import CurrentUser
from seriktes.http.deps import DbSession, Language
from seriktes.kit import clock
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import MAX_PER_PAGE, PageRequest
from seriktes.matches.bands import split_weak
from seriktes.matches.models import Match
from seriktes.matches.queries import need_matches, offer_fits
from seriktes.registry.models import SizeClass
from seriktes.registry.repository import top_level_regions
from seriktes.web.listing import SIZES, Text, blank, choice, class_names
from seriktes.web.views.explanations import explain
from seriktes.web.views.pages import show

router = APIRouter()
FIRST_PAGE = 10


@router.get("/organisations", response_class=HTMLResponse, name="organisations")
def organisations_list(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    q: Text = None,
    region: Text = None,
    size: Text = None,
    sort: Text = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
) -> HTMLResponse:
    """Organisations with search, region and size filters, sortable columns and pages."""
    chosen = choice(size, SIZES, "size")
    filters = OrganisationFilters(
        q=blank(q), region=blank(region), size_class=SizeClass(chosen) if chosen else None
    )
    found = list_organisations(session, filters, PageRequest(page, per_page, blank(sort)))
    ids = [org.id for org in found.items]
    return show(
        request,
        lang,
        "organisations_list.html",
        found=found,
        filters=filters,
        sort=blank(sort) or "name",
        regions=top_level_regions(session),
        need_counts=lines_per_owner(session, Need.buyer_id, visible_needs(user), ids),
        offer_counts=lines_per_owner(session, Offer.producer_id, visible_offers(user), ids),
        held=numbers_in_force(session, list(ids), clock.today()),
    )


CERTIFICATE_KINDS = {
    "industrial": N_("Industrial certificate"),
    "stkz_origin": N_("ST-KZ certificate of origin"),
    "stkz_serial": N_("ST-KZ certificate for serial production"),
}
CERTIFICATE_STATUSES = {
    "valid": N_("valid"),
    "expired": N_("expired"),
    "suspended": N_("suspended"),
    "revoked": N_("revoked"),
}


@router.get("/organisations/{org_id}", response_class=HTMLResponse, name="organisation")
def organisation_detail(
    request: Request, session: DbSession, lang: Language, user: CurrentUser, org_id: int
) -> HTMLResponse:
    """Profile (contacts for signed-in users), the first needs and offers, the best
    producers for its needs and the needs its offers fit."""
    org = get_organisation(session, org_id)
    mine = LineFilters(organisation_id=org.id)
    needs = list_needs(session, user, mine, PageRequest(1, FIRST_PAGE))
    offers = list_offers(session, user, mine, PageRequest(1, FIRST_PAGE))
    codes = [n.class_code for n in needs.items] + [o.class_code for o in offers.items]
    return show(
        request,
        lang,
        "organisations_detail.html",
        org=org,
        needs=needs,
        offers=offers,
        best=_best_producers(session, user, needs.items, lang),
        fits=_fitting_needs(session, user, offers.items, lang),
        class_names=class_names(session, codes, lang),
        can_add=can_create_for(user, org),
        contacts=may_read_contacts(user),
        certificates=held_certificates(session, org.id, clock.today()),
        certificate_kinds=CERTIFICATE_KINDS,
        certificate_statuses=CERTIFICATE_STATUSES,
    )


def _best_producers(
    session: Session, user: User | None, needs: Sequence[Need], lang: str
) -> list[tuple[Need, Match, Any, int]]:
    """For each need: its best strong or possible match, that match's explanation and how
    many there are."""
    rows = []
    for need in needs:
        found, _weak = split_weak(need_matches(session, user, need))
        if found:
            rows.append(
                (need, found[0], explain(found[0].explanation, lang, found[0].score), len(found))
            )
    return rows


def _fitting_needs(
    session: Session, user: User | None, offers: Sequence[Offer], lang: str
) -> list[tuple[Match, Any]]:
    """The needs the offers are a strong or possible match for (three per offer at most),
    best first."""
    found = [m for offer in offers for m in offer_fits(session, user, offer.id, limit=3)]
    found.sort(key=lambda m: -m.score)
    return [(m, explain(m.explanation, lang, m.score)) for m in found[:FIRST_PAGE]]
