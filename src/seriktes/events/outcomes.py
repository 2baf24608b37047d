"""What came of a meeting: each side records, once the meeting's slot has ended (organisers at
any time), whether it was held (not held: the other side did not come) and its outcome — no
interest, cooperation possible, deal expected, contract signed — with a comment; each side's
record is its own and may be changed. A meeting whose outcome expects or signed a deal leads
to the deal form, pre-filled from the meeting (`deal_prefill`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.events import repository
from seriktes.events.checkin import day_date
from seriktes.events.day_schemas import OutcomeIn
from seriktes.events.models import (
    MeetingOutcome,
    MeetingRequest,
    MeetingStatus,
    Outcome,
    Participant,
)
from seriktes.events.policy import (
    HOST,
    can_read_request,
    may_record_before_the_end,
    may_record_outcome,
    side_of,
)
from seriktes.events.requests import get_request
from seriktes.events.service import get_event, slot_moment, slot_times
from seriktes.kit import clock
from seriktes.kit.db import get_by_id
from seriktes.kit.errors import Conflict, ErrorItem, Forbidden, NotFound, ValidationFailed
from seriktes.kit.i18n import N_

DEAL_OUTCOMES = (Outcome.DEAL_EXPECTED, Outcome.CONTRACT_SIGNED)
PLACED = (MeetingStatus.SCHEDULED, MeetingStatus.NO_SHOW)


def meeting_day(meeting: MeetingRequest) -> int:
    """The 0-based meeting day a meeting is on (the first day when it has no slot)."""
    return 0 if meeting.slot is None else meeting.event.day_of(meeting.slot)[0]


def meeting_end(meeting: MeetingRequest) -> datetime | None:
    """When a meeting's slot ends, if it has one."""
    event = meeting.event
    times = slot_times(event)
    if meeting.slot is None or meeting.slot >= len(times):
        return None
    return slot_moment(event, day_date(event, meeting_day(meeting)), times[meeting.slot][1])


def get_meeting(
    session: Session, user: User | None, event_id: int, meeting_id: int
) -> MeetingRequest:
    """A meeting (an accepted request) of the event that `user` may read; NotFound otherwise."""
    get_event(session, user, event_id)  # an unknown event is named as such
    try:
        return get_request(session, user, event_id, meeting_id)
    except NotFound:
        raise NotFound(
            N_("no meeting %(meeting_id)s in event %(event_id)s"),
            params={"meeting_id": meeting_id, "event_id": event_id},
        ) from None


def recordable_sides(user: User | None, meeting: MeetingRequest) -> list[Participant]:
    """The sides of a meeting whose outcome `user` may record."""
    return [p for p in (meeting.requester, meeting.recipient) if may_record_outcome(user, p)]


def may_record_now(user: User | None, meeting: MeetingRequest, now: datetime) -> bool:
    """Has the meeting been placed and (for a side) has its slot ended?"""
    if meeting.meeting_status not in PLACED:
        return False
    if may_record_before_the_end(user, meeting.event):
        return True
    end = meeting_end(meeting)
    return end is not None and end <= now


def record_outcome(
    session: Session, user: User, event_id: int, meeting_id: int, data: OutcomeIn
) -> MeetingOutcome:
    """Record (or change) one side's outcome of a meeting."""
    meeting = get_meeting(session, user, event_id, meeting_id)
    side = next(
        (p for p in (meeting.requester, meeting.recipient) if p.id == data.participant_id), None
    )
    if side is None:
        detail = N_("participant %(pid)s is not a side of meeting %(meeting_id)s")
        params = {"pid": data.participant_id, "meeting_id": meeting_id}
        raise ValidationFailed(
            detail, [ErrorItem(("body", "participant_id"), detail, params)], params
        )
    if not may_record_outcome(user, side):
        raise Forbidden(
            N_("only the side's own organisation and the event's organisers record its outcome")
        )
    if meeting.meeting_status not in PLACED:
        raise Conflict(N_("the meeting was never scheduled; there is no outcome to record"))
    if not may_record_now(user, meeting, clock.now()):
        raise Conflict(N_("the outcome of a meeting is recorded once its time is over"))
    found = repository.outcome_of(session, meeting.id, side.id)
    if found is None:
        found = MeetingOutcome(meeting=meeting, participant=side, held=data.held)
        session.add(found)
    found.held = data.held
    found.outcome = data.outcome
    found.comment = data.comment or None
    found.recorded_by_id = user.id
    session.flush()
    return found


def outcomes_of(
    session: Session, meetings: list[MeetingRequest]
) -> dict[tuple[int, int], MeetingOutcome]:
    """(meeting id, participant id) → the outcome that side recorded."""
    found = repository.outcomes(session, [m.id for m in meetings])
    return {(o.meeting_id, o.participant_id): o for o in found}


def meeting_outcomes(
    session: Session, user: User | None, event_id: int, meeting_id: int
) -> list[MeetingOutcome]:
    """Both sides' outcomes of a meeting `user` may read."""
    meeting = get_meeting(session, user, event_id, meeting_id)
    return repository.outcomes(session, [meeting.id])


def leads_to_deal(outcome: MeetingOutcome | None) -> bool:
    """Does this outcome call for recording a deal?"""
    return outcome is not None and outcome.held and outcome.outcome in DEAL_OUTCOMES


# --- from a meeting to a deal ------------------------------------------------------------
def buyer_and_supplier(meeting: MeetingRequest) -> tuple[Participant, Participant]:
    """Which side of a meeting buys: the owner of the meeting's need, else the side that
    does not own its offer, else the host region's side (the buyers of a B2B day)."""
    sides = (meeting.requester, meeting.recipient)
    a, b = sides
    if meeting.need is not None:
        if meeting.need.buyer_id == b.organisation_id:
            return b, a
        if meeting.need.buyer_id == a.organisation_id:
            return a, b
    if meeting.offer is not None:
        if meeting.offer.producer_id == a.organisation_id:
            return b, a
        if meeting.offer.producer_id == b.organisation_id:
            return a, b
    if (
        side_of(meeting.event, b.organisation) == HOST
        and side_of(meeting.event, a.organisation) != HOST
    ):
        return b, a
    return a, b


@dataclass(frozen=True)
class DealPrefill:
    """What the deal form starts with when a deal is recorded from a meeting."""

    meeting: MeetingRequest
    buyer: Participant
    supplier: Participant
    values: dict[str, Any]


def deal_prefill(session: Session, user: User | None, meeting_id: int) -> DealPrefill:
    """The deal form's values from a meeting `user` may read: buyer, supplier, their need and
    offer, the meeting, and the subject from the need or the offer."""
    meeting = get_by_id(session, MeetingRequest, meeting_id)
    if meeting is None or not can_read_request(user, meeting):
        raise NotFound(N_("no meeting with id %(meeting_id)s"), params={"meeting_id": meeting_id})
    get_event(session, user, meeting.event_id)
    buyer, supplier = buyer_and_supplier(meeting)
    need = meeting.need if meeting.need and meeting.need.buyer_id == buyer.organisation_id else None
    offer = meeting.offer
    if offer is not None and offer.producer_id != supplier.organisation_id:
        offer = None
    subject = need.title if need is not None else (offer.title if offer is not None else "")
    values: dict[str, Any] = {
        "buyer_id": str(buyer.organisation_id),
        "supplier_id": str(supplier.organisation_id),
        "buyer_bin": buyer.organisation.bin or "",
        "supplier_bin": supplier.organisation.bin or "",
        "need_id": str(need.id) if need is not None else "",
        "offer_id": str(offer.id) if offer is not None else "",
        "meeting_id": str(meeting.id),
        "subject": subject[:500],
        "class_code": (need.class_code if need is not None else None)
        or (offer.class_code if offer is not None else None)
        or "",
    }
    return DealPrefill(meeting, buyer, supplier, values)
