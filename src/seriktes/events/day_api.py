"""JSON routes of the meeting days (/api/v1/events/{id}/arrivals…, …/meetings/{id}/outcomes):
arrivals recorded by a scanned code or a tick, undone, counted, absentees marked; each side's
outcome of a meeting."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from seriktes.events import checkin, outcomes
from seriktes.events.day_schemas import (
    AbsentIn,
    ArrivalOut,
    ArrivalsOut,
    CheckinIn,
    OutcomeIn,
    OutcomeOut,
    ScanIn,
)
from seriktes.http.auth import CurrentUser, RequiredUser
from seriktes.http.deps import DbSession
from seriktes.http.params import WRITE, errors
from seriktes.kit.db import MAX_ID

router = APIRouter(prefix="/api/v1", tags=["events"])

EventId = Annotated[int, Path(ge=1, le=MAX_ID, description="Event id")]
MeetingId = Annotated[int, Path(ge=1, le=MAX_ID, description="Meeting (request) id")]
Day = Annotated[int, Query(ge=0, le=30, description="Meeting day, 0-based")]
Search = Annotated[str, Query(max_length=100, description="A part of the name or the BIN")]
READ_ERRORS = errors(401, 403, 404, 422)
WRITE_ERRORS = errors(401, 403, 404, 409, 422)


def _row(found: checkin.Arrivals, participant_id: int) -> ArrivalOut:
    return ArrivalOut.of(next(r for r in found.rows if r.participant.id == participant_id))


@router.get("/events/{event_id}/arrivals", responses=READ_ERRORS)
def arrivals(
    session: DbSession, user: CurrentUser, event_id: EventId, day: Day = 0, q: Search = ""
) -> ArrivalsOut:
    """Who arrived on a meeting day, and how many of those expected (organisers)."""
    return ArrivalsOut.of(checkin.arrivals(session, user, event_id, day, q))


@router.post("/events/{event_id}/arrivals", dependencies=WRITE, responses=WRITE_ERRORS)
def check_in(
    session: DbSession, user: RequiredUser, event_id: EventId, data: CheckinIn
) -> ArrivalOut:
    """Record a participant's arrival by a tick (organisers); a second one changes nothing."""
    checkin.check_in(session, user, event_id, data.participant_id, data.day)
    return _row(checkin.arrivals(session, user, event_id, data.day), data.participant_id)


@router.post("/events/{event_id}/arrivals/scan", dependencies=WRITE, responses=WRITE_ERRORS)
def scan(session: DbSession, user: RequiredUser, event_id: EventId, data: ScanIn) -> ArrivalOut:
    """Record the arrival of the participant whose agenda's check-in code was scanned."""
    done = checkin.check_in_by_token(session, user, event_id, data.token, data.day)
    return _row(checkin.arrivals(session, user, event_id, data.day), done.participant_id)


@router.post("/events/{event_id}/arrivals/undo", dependencies=WRITE, responses=WRITE_ERRORS)
def undo(session: DbSession, user: RequiredUser, event_id: EventId, data: CheckinIn) -> ArrivalOut:
    """Take back a participant's arrival (organisers)."""
    checkin.undo(session, user, event_id, data.participant_id, data.day)
    return _row(checkin.arrivals(session, user, event_id, data.day), data.participant_id)


@router.post("/events/{event_id}/arrivals/absent", dependencies=WRITE, responses=WRITE_ERRORS)
def absent(
    session: DbSession, user: RequiredUser, event_id: EventId, data: AbsentIn
) -> ArrivalsOut:
    """Mark participants not arrived by the start of their first meeting absent, in one
    action: their meetings become no-shows and their slots go to waiting requests."""
    checkin.mark_absent(session, user, event_id, data.participant_ids, data.day)
    return ArrivalsOut.of(checkin.arrivals(session, user, event_id, data.day))


@router.get("/events/{event_id}/meetings/{meeting_id}/outcomes", responses=READ_ERRORS)
def meeting_outcomes(
    session: DbSession, user: CurrentUser, event_id: EventId, meeting_id: MeetingId
) -> list[OutcomeOut]:
    """Both sides' outcomes of a meeting (its two organisations and the organisers)."""
    return [
        OutcomeOut.of(o) for o in outcomes.meeting_outcomes(session, user, event_id, meeting_id)
    ]


@router.post(
    "/events/{event_id}/meetings/{meeting_id}/outcomes",
    dependencies=WRITE,
    responses=WRITE_ERRORS,
)
def record_outcome(
    session: DbSession,
    user: RequiredUser,
    event_id: EventId,
    meeting_id: MeetingId,
    data: OutcomeIn,
) -> OutcomeOut:
    """Record or change a side's outcome of a meeting once its time is over (members of that
    side's organisation; organisers at any time)."""
    return OutcomeOut.of(outcomes.record_outcome(session, user, event_id, meeting_id, data))
