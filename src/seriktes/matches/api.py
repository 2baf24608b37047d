"""JSON API of the matches domain (/api/v1): a need's producers, an offer's buyers, search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from seriktes.catalog.queries import get_need, get_offer
from seriktes.catalog.schemas import NeedOut, OfferOut
from seriktes.kit.db import MAX_ID
from seriktes.matches import queries
from seriktes.matches.schemas import (
    ClassOut,
    FitOut,
    MatchOut,
    NeedMatchesOut,
    OfferFitsOut,
    SearchHit,
    SearchOut,
)
from seriktes.registry.api import errors
from seriktes.web.auth import CurrentUser
from seriktes.web.deps import DbSession

router = APIRouter(prefix="/api/v1", tags=["matches"])


@router.get("/needs/{need_id}/matches", responses=errors(404, 422))
def need_matches(
    session: DbSession,
    user: CurrentUser,
    need_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> NeedMatchesOut:
    """The producers ranked for a need, best first, each with its explanation."""
    found = queries.need_matches(session, user, need_id)
    need = get_need(session, user, need_id)
    return NeedMatchesOut(need=NeedOut.of(need), matches=[MatchOut.of(m) for m in found])


@router.get("/offers/{offer_id}/fits", responses=errors(404, 422))
def offer_fits(
    session: DbSession,
    user: CurrentUser,
    offer_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> OfferFitsOut:
    """The buyers' needs an offer was ranked for, best score first."""
    found = queries.offer_fits(session, user, offer_id, limit)
    offer = get_offer(session, user, offer_id)
    return OfferFitsOut(offer=OfferOut.of(offer), fits=[FitOut.of(m) for m in found])


@router.get("/search", responses=errors(422))
def search(
    session: DbSession,
    user: CurrentUser,
    q: Annotated[str, Query(min_length=1, max_length=500, pattern=r"^[^\x00]*$")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchOut:
    """Free text → the product classes it names and the published offers it describes."""
    result = queries.search(session, user, q, limit)
    return SearchOut(
        query=result.query,
        classes=[ClassOut.of(found) for found in result.classes],
        offers=[SearchHit.of(offer, score) for offer, score in result.offers],
    )
