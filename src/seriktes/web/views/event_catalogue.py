"""The catalogue of an event's participants (`/events/{id}/participants`): profiles, matches
with the reader's organisation, filters kept in the links, pages, and a meeting request in
one click (a plain form: works without JavaScript)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from seriktes.events import catalogue
from seriktes.http.auth import CurrentUser
from seriktes.http.deps import DbSession, Language
from seriktes.kit.i18n import N_
from seriktes.registry.repository import class_names
from seriktes.web.views.events import event_page

router = APIRouter()

ROLES = {"buyer": N_("Buys"), "producer": N_("Sells")}
LANGUAGE_NAMES = {"ru": N_("Russian"), "kk": N_("Kazakh"), "en": N_("English")}


@router.get("/events/{event_id}/participants", response_class=HTMLResponse)
def event_catalogue(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    event_id: int,
    region: Annotated[str | None, Query(max_length=9, pattern=r"^[0-9]*$")] = None,
    class_code: Annotated[str | None, Query(max_length=16, pattern=r"^[0-9.]*$")] = None,
    role: Annotated[str | None, Query(max_length=10)] = None,
    language: Annotated[str | None, Query(max_length=2)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """The participants' catalogue: what each buys and sells, certificates, languages,
    representatives (signed-in readers), matches with your organisation best first; a
    request in one click for participants of the event."""
    filters = catalogue.CatalogueFilters(
        region=region or None,
        class_code=class_code or None,
        role=role if role in ROLES else None,
        language=language if language in LANGUAGE_NAMES else None,
    )
    found = catalogue.catalogue(session, user, event_id, filters, page)
    divisions = class_names(session, found.divisions)
    return event_page(
        request,
        lang,
        "events_catalogue.html",
        found.event,
        cat=found,
        filters=filters,
        roles=ROLES,
        language_names=LANGUAGE_NAMES,
        division_names=divisions,
        band=catalogue.band,
    )
