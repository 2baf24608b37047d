"""JSON API of the matches domain (/api/v1): a need's producers, an offer's buyers, search."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.concurrency import run_in_threadpool

from seriktes.catalog.queries import get_offer
from seriktes.catalog.schemas import OfferOut
from seriktes.http.auth import CurrentUser
from seriktes.http.deps import DbSession
from seriktes.http.params import errors
from seriktes.kit.db import MAX_ID
from seriktes.matches import queries
from seriktes.matches.schemas import (
    ClassOut,
    FitOut,
    NeedMatchesOut,
    OfferFitsOut,
    SearchHit,
    SearchOut,
)

router = APIRouter(prefix="/api/v1", tags=["matches"])
IncludeWeak = Annotated[
    bool,
    Query(
        description="Also list weak matches (often wrong); strong and possible ones only by default"
    ),
]


# The two most used routes are coroutines that read on the event loop: their work is a few
# reads by key (milliseconds), less than the two thread-pool hops a plain route costs (one
# for the route, one for checking its answer). A search that must first build or check its
# engine runs in the thread pool, so that it does not hold up the other requests.


@router.get("/needs/{need_id}/matches", responses=errors(404, 422))
async def need_matches(
    session: DbSession,
    user: CurrentUser,
    need_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    include_weak: IncludeWeak = False,
) -> NeedMatchesOut:
    """The producers ranked for a need, best first, each with its band, verdict and
    explanation; without a strong or possible one, where producers of its class are."""
    return queries.need_with_matches(session, user, need_id, include_weak)


@router.get("/offers/{offer_id}/fits", responses=errors(404, 422))
def offer_fits(
    session: DbSession,
    user: CurrentUser,
    offer_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    include_weak: IncludeWeak = False,
) -> OfferFitsOut:
    """The buyers' needs an offer was ranked for, best score first, each with its band."""
    found = queries.offer_fits(session, user, offer_id, limit, include_weak)
    offer = get_offer(session, user, offer_id)
    return OfferFitsOut(
        offer=OfferOut.of(offer),
        fits=[FitOut.of(m) for m in found],
        weak_fits=queries.weak_fit_count(session, user, offer_id),
    )


@router.get("/search", responses=errors(422))
async def search(
    session: DbSession,
    user: CurrentUser,
    q: Annotated[str, Query(min_length=1, max_length=500, pattern=r"^[^\x00]*$")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchOut:
    """Free text → the product classes it names and the published offers it describes."""
    if queries.search_is_quick(session):
        result = queries.search_views(session, user, q, limit)
    else:
        result = await run_in_threadpool(queries.search_views, session, user, q, limit)
    return SearchOut.model_construct(
        query=result.query,
        classes=[ClassOut.of(found) for found in result.classes],
        offers=[SearchHit.of(offer, score) for offer, score in result.offers],
        classes_available=result.classes_available,
    )
