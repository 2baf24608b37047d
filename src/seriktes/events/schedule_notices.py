"""Participants told of a stored schedule, in its transaction: the schedule published (the
first solve) or changed (a solve again), with their new agenda as .ics attached, to every
participant whose agenda changed; after a reschedule or placing waiting meetings, a meeting
cancelled or moved to both of its sides and the schedule changed to those given new meetings.

`tell_participants()` makes it listen to `schedule_changes` (the app and the worker call it
once at start-up)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from seriktes.events import repository
from seriktes.events.agenda import agenda_ics, agenda_items
from seriktes.events.models import (
    Event,
    MeetingRequest,
    MeetingStatus,
    Participant,
    ParticipantStatus,
)
from seriktes.events.notices import local_time, org_name
from seriktes.events.schedule_changes import ScheduleStored, Seat, listen, seats
from seriktes.events.service import slot_span, slot_times
from seriktes.kit.db import get_by_id
from seriktes.notifications.kinds import Kind
from seriktes.notifications.mail import Attachment
from seriktes.notifications.service import AttachmentsFor, notify

SCHEDULED = MeetingStatus.SCHEDULED.value


def tell_participants() -> None:
    """Tell participants of every schedule this process stores."""
    listen(on_schedule_stored)


def on_schedule_stored(session: Session, stored: ScheduleStored) -> None:
    """Notify the participants a run changed (see the module docstring)."""
    event = get_by_id(session, Event, stored.event_id)
    if event is None:
        return
    after = seats(session, event.id)
    requests = {r.id: r for r in repository.requests(session, event.id)}
    run = str((event.schedule_info or {}).get("solved_at", ""))
    changed: set[int] = set()  # participants whose agenda changed
    gained: set[int] = set()  # participants given a meeting they did not have
    for request_id, seat in after.items():
        old: Seat = stored.before.get(request_id, (None, None, None))
        if old == seat:
            continue
        request = requests[request_id]
        sides = {request.requester_id, request.recipient_id}
        changed |= sides
        if seat[2] == SCHEDULED and old[2] != SCHEDULED:
            gained |= sides
        elif stored.run != "solve" and old[2] == SCHEDULED:
            _meeting_notice(session, event, request, old, seat, run)
    first = stored.run == "solve" and not any(s[2] for s in stored.before.values())
    kind = Kind.SCHEDULE_PUBLISHED if first else Kind.SCHEDULE_CHANGED
    told = changed if stored.run == "solve" else gained
    for participant in repository.participants(session, event.id):
        if participant.id in told and participant.status is ParticipantStatus.ACTIVE:
            _agenda_notice(session, event, participant, kind, run)


def _agenda_notice(
    session: Session, event: Event, participant: Participant, kind: Kind, run: str
) -> None:
    count = sum(1 for item in agenda_items(session, participant) if item.kind == "meeting")
    params = {"event": event.title, "other": org_name(participant.organisation), "count": count}
    notify(
        session,
        kind,
        [participant.organisation],
        params,
        f"/events/{event.id}/schedule",
        f"schedule.{event.id}.{run}.p{participant.id}",
        subject=("event", event.id),
        attachments=_agenda_file(session, event, participant),
    )


def _agenda_file(session: Session, event: Event, participant: Participant) -> AttachmentsFor:
    """The participant's agenda as .ics, in the reader's language."""

    def files(lang: str) -> list[Attachment]:
        items = agenda_items(session, participant, lang)
        data = agenda_ics(event, participant, items, lang)
        return [Attachment(f"agenda-{event.id}.ics", "text/calendar", data)]

    return files


def _meeting_notice(
    session: Session, event: Event, request: MeetingRequest, old: Seat, seat: Seat, run: str
) -> None:
    """A scheduled meeting cancelled (or sent back to waiting) or moved: both sides."""
    moved = seat[2] == SCHEDULED and seat[0] is not None
    kind = Kind.MEETING_MOVED if moved else Kind.MEETING_CANCELLED
    times = slot_times(event)
    slot = seat[0] if moved else old[0]
    at = ""
    if slot is not None and slot < len(times):
        at = local_time(event, slot_span(event, slot, times=times)[0])
    for this, other in ((request.requester, request.recipient),
                        (request.recipient, request.requester)):  # fmt: skip
        if this.status is not ParticipantStatus.ACTIVE:
            continue
        params = {
            "org": org_name(other.organisation),
            "other": org_name(this.organisation),
            "event": event.title,
            "at": at,
            "table": (seat[1] or 0) + 1,
        }
        notify(
            session,
            kind,
            [this.organisation],
            params,
            f"/events/{event.id}/schedule",
            f"meeting.{request.id}.{kind.value}.{run}",
            subject=("meeting_request", request.id),
        )
