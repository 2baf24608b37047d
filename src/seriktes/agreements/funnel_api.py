"""JSON route of an event's funnel (/api/v1/events/{id}/funnel): it reaches the deals, so it
lives with the agreements, above the events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from seriktes.agreements import funnel
from seriktes.events.day_schemas import FunnelOut
from seriktes.http.auth import CurrentUser
from seriktes.http.deps import DbSession
from seriktes.http.params import errors
from seriktes.kit.db import MAX_ID

router = APIRouter(prefix="/api/v1", tags=["events"])

EventId = Annotated[int, Path(ge=1, le=MAX_ID, description="Event id")]


@router.get("/events/{event_id}/funnel", responses=errors(401, 403, 404, 422))
def event_funnel(session: DbSession, user: CurrentUser, event_id: EventId) -> FunnelOut:
    """The event's funnel: requests → accepted → scheduled → held → cooperation possible (or
    better) → deals → confirmed deals and their amount in KZT (organisers)."""
    return funnel.event_funnel(session, user, event_id)
