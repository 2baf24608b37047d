"""All queries of the events domain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update
from sqlalchemy.orm import Session, aliased, joinedload

from seriktes.catalog.models import Need, NeedStatus, Offer
from seriktes.events.models import (
    Checkin,
    Event,
    EventStatus,
    MeetingDay,
    MeetingOutcome,
    MeetingRequest,
    MeetingStatus,
    Outcome,
    Participant,
    ParticipantStatus,
    RequestState,
    SiteVisit,
    VisitSignup,
)
from seriktes.matches.bands import shown_condition
from seriktes.matches.models import Match
from seriktes.registry.kato import oblast_sql
from seriktes.registry.models import Organisation, Region


def event_query(condition: ColumnElement[bool]) -> Select[Any]:
    """Events passing `condition`, newest meeting day first, with their regions."""
    return (
        select(Event)
        .where(condition)
        .options(joinedload(Event.host_region), joinedload(Event.guest_region))
        .order_by(first_day().desc(), Event.id.desc())
    )


def first_day() -> ColumnElement[Any]:
    """The date of an event's first meeting day, as a correlated subquery."""
    return (
        select(func.min(MeetingDay.meets_on))
        .where(MeetingDay.event_id == Event.id)
        .correlate(Event)
        .scalar_subquery()
    )


def last_day() -> ColumnElement[Any]:
    """The date of an event's last meeting day, as a correlated subquery."""
    return (
        select(func.max(MeetingDay.meets_on))
        .where(MeetingDay.event_id == Event.id)
        .correlate(Event)
        .scalar_subquery()
    )


def scheduled_slots(session: Session, event_id: int) -> list[MeetingRequest]:
    """The requests of an event that hold a slot (scheduled or not any more)."""
    stmt = select(MeetingRequest).where(
        MeetingRequest.event_id == event_id, MeetingRequest.slot.is_not(None)
    )
    return list(session.scalars(stmt.order_by(MeetingRequest.id)))


def checkins(session: Session, event_id: int) -> list[Checkin]:
    """The check-ins of an event's participants."""
    stmt = (
        select(Checkin)
        .join(Participant, Checkin.participant_id == Participant.id)
        .where(Participant.event_id == event_id)
    )
    return list(session.scalars(stmt.order_by(Checkin.id)))


def participants(session: Session, event_id: int) -> list[Participant]:
    """Every participant of an event with its organisation and region, in id order."""
    stmt = (
        select(Participant)
        .where(Participant.event_id == event_id)
        .options(joinedload(Participant.organisation).joinedload(Organisation.region))
        .order_by(Participant.id)
    )
    return list(session.scalars(stmt))


def participant_of(session: Session, event_id: int, organisation_id: int) -> Participant | None:
    """The participant of an organisation in an event, if it takes part."""
    stmt = select(Participant).where(
        Participant.event_id == event_id, Participant.organisation_id == organisation_id
    )
    return session.scalars(stmt.limit(1)).first()


def requests(
    session: Session, event_id: int, participant_ids: Sequence[int] | None = None
) -> list[MeetingRequest]:
    """The requests of an event (only those involving `participant_ids` when given)."""
    stmt = (
        select(MeetingRequest)
        .where(MeetingRequest.event_id == event_id)
        .options(
            joinedload(MeetingRequest.requester).joinedload(Participant.organisation),
            joinedload(MeetingRequest.recipient).joinedload(Participant.organisation),
            joinedload(MeetingRequest.need),
            joinedload(MeetingRequest.offer),
        )
        .order_by(MeetingRequest.id)
    )
    if participant_ids is not None:
        ids = list(participant_ids)
        stmt = stmt.where(
            or_(MeetingRequest.requester_id.in_(ids), MeetingRequest.recipient_id.in_(ids))
        )
    return list(session.scalars(stmt))


def open_condition(now: datetime) -> ColumnElement[bool]:
    """Requests that still block: accepted ones, and unanswered ones before their deadline."""
    return or_(
        MeetingRequest.state == RequestState.ACCEPTED,
        and_(MeetingRequest.state == RequestState.REQUESTED, MeetingRequest.deadline >= now),
    )


def open_pair(session: Session, first: int, second: int, now: datetime) -> MeetingRequest | None:
    """An open request between two participants, either way round."""
    stmt = select(MeetingRequest).where(
        open_condition(now),
        or_(
            and_(MeetingRequest.requester_id == first, MeetingRequest.recipient_id == second),
            and_(MeetingRequest.requester_id == second, MeetingRequest.recipient_id == first),
        ),
    )
    return session.scalars(stmt.limit(1)).first()


def open_counts(session: Session, event_id: int, now: datetime) -> dict[int, int]:
    """Participant id → number of open requests it is a side of."""
    counts: dict[int, int] = {}
    for column in (MeetingRequest.requester_id, MeetingRequest.recipient_id):
        stmt = (
            select(column, func.count())
            .where(MeetingRequest.event_id == event_id, open_condition(now))
            .group_by(column)
        )
        for key, n in session.execute(stmt):
            counts[int(key)] = counts.get(int(key), 0) + int(n)
    return counts


def expire(session: Session, event_id: int, now: datetime) -> int:
    """Mark the unanswered requests past their deadline expired; return how many."""
    stmt = (
        update(MeetingRequest)
        .where(
            MeetingRequest.event_id == event_id,
            MeetingRequest.state == RequestState.REQUESTED,
            MeetingRequest.deadline < now,
        )
        .values(state=RequestState.EXPIRED)
        .execution_options(synchronize_session="fetch")
    )
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]


def visits(session: Session, event_id: int) -> list[SiteVisit]:
    """The site visits of an event in the order they happen."""
    stmt = (
        select(SiteVisit)
        .where(SiteVisit.event_id == event_id)
        .options(joinedload(SiteVisit.organisation))
        .order_by(SiteVisit.first_slot, SiteVisit.id)
    )
    return list(session.scalars(stmt))


def signups(session: Session, event_id: int) -> list[VisitSignup]:
    """Every sign-up for the event's site visits."""
    stmt = (
        select(VisitSignup)
        .join(VisitSignup.visit)
        .where(SiteVisit.event_id == event_id)
        .options(joinedload(VisitSignup.visit))
        .order_by(VisitSignup.id)
    )
    return list(session.scalars(stmt))


def signup_count(session: Session, visit_id: int) -> int:
    """How many participants signed up for a visit."""
    stmt = select(func.count()).where(VisitSignup.visit_id == visit_id)
    return int(session.scalar(stmt) or 0)


def ranked_matches(
    session: Session, buyer_ids: Sequence[int], producer_ids: Sequence[int]
) -> list[Match]:
    """Stored strong or possible matches of the buyers' published needs to the producers'
    offers, best first (a weak match is no reason to propose a meeting)."""
    if not buyer_ids or not producer_ids:
        return []
    stmt = (
        select(Match)
        .join(Match.need)
        .join(Match.offer)
        .where(
            Need.buyer_id.in_(list(buyer_ids)),
            Need.status == NeedStatus.PUBLISHED,
            Offer.producer_id.in_(list(producer_ids)),
            shown_condition(),
        )
        .options(joinedload(Match.need), joinedload(Match.offer))
        .order_by(Match.rank, Match.score.desc(), Match.id)
    )
    return list(session.scalars(stmt))


def latest_events(session: Session, limit: int = 50) -> list[Event]:
    """The events with the latest meeting days first, at most `limit` of them."""
    stmt = select(Event).order_by(first_day().desc(), Event.id.desc()).limit(limit)
    return list(session.scalars(stmt))


# --- the start page ----------------------------------------------------------------------
def waiting_for(session: Session, organisation_id: int, now: datetime) -> list[MeetingRequest]:
    """Requests made to an organisation's participants that still wait for its answer
    (unanswered, before their deadline), the nearest deadline first, with their events and
    the requesting organisations."""
    recipient = aliased(Participant)
    stmt = (
        select(MeetingRequest)
        .join(recipient, MeetingRequest.recipient_id == recipient.id)
        .where(
            recipient.organisation_id == organisation_id,
            MeetingRequest.state == RequestState.REQUESTED,
            MeetingRequest.deadline >= now,
        )
        .options(
            joinedload(MeetingRequest.event),
            joinedload(MeetingRequest.requester).joinedload(Participant.organisation),
            joinedload(MeetingRequest.recipient).joinedload(Participant.event),
            joinedload(MeetingRequest.need),
            joinedload(MeetingRequest.offer),
        )
        .order_by(MeetingRequest.deadline, MeetingRequest.id)
    )
    return list(session.scalars(stmt))


def meetings_ahead(
    session: Session, organisation_id: int, today: date, limit: int = 20
) -> list[MeetingRequest]:
    """An organisation's scheduled meetings (it asked or was asked) of events whose last
    meeting day is `today` or later, in the order of their events' first meeting days and
    their slots, at most `limit` (the caller drops those of days already past)."""
    mine = select(Participant.id).where(Participant.organisation_id == organisation_id)
    stmt = (
        select(MeetingRequest)
        .join(MeetingRequest.event)
        .where(
            MeetingRequest.meeting_status == MeetingStatus.SCHEDULED,
            MeetingRequest.slot.is_not(None),
            last_day() >= today,
            or_(MeetingRequest.requester_id.in_(mine), MeetingRequest.recipient_id.in_(mine)),
        )
        .options(
            joinedload(MeetingRequest.event),
            joinedload(MeetingRequest.requester).joinedload(Participant.organisation),
            joinedload(MeetingRequest.recipient).joinedload(Participant.organisation),
        )
        .order_by(first_day(), MeetingRequest.slot, MeetingRequest.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def open_events(
    session: Session, seen: ColumnElement[bool], today: date, oblast: str | None = None
) -> list[Event]:
    """Events that pass `seen`, are not closed and end `today` or later (upcoming or
    ongoing), of a top-level region (host or guest; two KATO digits) or of all when
    `oblast` is None, the soonest first."""
    host, guest = aliased(Region), aliased(Region)
    stmt = (
        select(Event)
        .join(host, Event.host_region_id == host.id)
        .join(guest, Event.guest_region_id == guest.id)
        .where(seen, Event.status != EventStatus.CLOSED, Event.ends_on >= today)
        .options(joinedload(Event.host_region), joinedload(Event.guest_region))
        .order_by(Event.starts_on, Event.id)
    )
    if oblast is not None:
        stmt = stmt.where(or_(oblast_sql(host.kato) == oblast, oblast_sql(guest.kato) == oblast))
    return list(session.scalars(stmt))


def waiting_counts(
    session: Session, event_ids: Sequence[int], now: datetime
) -> dict[int, tuple[int, datetime]]:
    """Per event: how many requests wait for an answer (unanswered, before their deadline)
    and when the oldest of them was sent."""
    if not event_ids:
        return {}
    stmt = (
        select(MeetingRequest.event_id, func.count(), func.min(MeetingRequest.created_at))
        .where(
            MeetingRequest.event_id.in_(list(event_ids)),
            MeetingRequest.state == RequestState.REQUESTED,
            MeetingRequest.deadline >= now,
        )
        .group_by(MeetingRequest.event_id)
    )
    # min() keeps the column's type: the oldest time is read back aware, in UTC
    return {int(event_id): (int(n), oldest) for event_id, n, oldest in session.execute(stmt)}


def participations(session: Session, organisation_id: int) -> list[Participant]:
    """An organisation's active participations in events that are not drafts, by meeting day."""
    stmt = (
        select(Participant)
        .join(Event, Participant.event_id == Event.id)
        .where(
            Participant.organisation_id == organisation_id,
            Participant.status == ParticipantStatus.ACTIVE,
            Event.status != EventStatus.DRAFT,
        )
        .order_by(first_day(), Participant.id)
    )
    return list(session.scalars(stmt))


def requests_expiring(session: Session, now: datetime, until: datetime) -> list[MeetingRequest]:
    """Unanswered requests whose deadline falls between `now` and `until`."""
    stmt = select(MeetingRequest).where(
        MeetingRequest.state == RequestState.REQUESTED,
        MeetingRequest.deadline > now,
        MeetingRequest.deadline <= until,
    )
    return list(session.scalars(stmt.order_by(MeetingRequest.id)))


# --- check-in and outcomes ---------------------------------------------------------------
def participant_by_token(session: Session, token: str) -> Participant | None:
    """The participant whose check-in token is `token`."""
    stmt = select(Participant).where(Participant.checkin_token == token)
    return session.scalars(stmt.limit(1)).first()


def checkin_of(session: Session, participant_id: int, day: int) -> Checkin | None:
    """A participant's arrival on a meeting day, if recorded."""
    stmt = select(Checkin).where(Checkin.participant_id == participant_id, Checkin.day == day)
    return session.scalars(stmt.limit(1)).first()


def day_checkins(session: Session, event_id: int, day: int) -> dict[int, Checkin]:
    """Participant id → its arrival on a meeting day of the event."""
    stmt = (
        select(Checkin)
        .join(Participant, Checkin.participant_id == Participant.id)
        .where(Participant.event_id == event_id, Checkin.day == day)
    )
    return {c.participant_id: c for c in session.scalars(stmt)}


def outcomes(session: Session, meeting_ids: Sequence[int]) -> list[MeetingOutcome]:
    """The outcomes recorded for these meetings, by either side."""
    if not meeting_ids:
        return []
    stmt = select(MeetingOutcome).where(MeetingOutcome.meeting_id.in_(list(meeting_ids)))
    return list(session.scalars(stmt.order_by(MeetingOutcome.id)))


def outcome_of(session: Session, meeting_id: int, participant_id: int) -> MeetingOutcome | None:
    """One side's outcome of a meeting, if recorded."""
    stmt = select(MeetingOutcome).where(
        MeetingOutcome.meeting_id == meeting_id, MeetingOutcome.participant_id == participant_id
    )
    return session.scalars(stmt.limit(1)).first()


def funnel_counts(session: Session, event_id: int) -> dict[str, int]:
    """An event's meeting funnel up to the outcomes: requests, accepted, scheduled (meetings
    given a slot: scheduled, or marked a no-show since), held (a side recorded it held) and
    cooperation possible or better (a side's outcome)."""
    mine = MeetingRequest.event_id == event_id
    placed = MeetingRequest.meeting_status.in_([MeetingStatus.SCHEDULED, MeetingStatus.NO_SHOW])
    accepted = MeetingRequest.state == RequestState.ACCEPTED
    joined = select(func.count(func.distinct(MeetingOutcome.meeting_id))).join(
        MeetingRequest, MeetingOutcome.meeting_id == MeetingRequest.id
    )
    better = [Outcome.COOPERATION_POSSIBLE, Outcome.DEAL_EXPECTED, Outcome.CONTRACT_SIGNED]
    return {
        "requests": int(session.scalar(select(func.count()).where(mine)) or 0),
        "accepted": int(session.scalar(select(func.count()).where(mine, accepted)) or 0),
        "scheduled": int(session.scalar(select(func.count()).where(mine, placed)) or 0),
        "held": int(session.scalar(joined.where(mine, MeetingOutcome.held.is_(True))) or 0),
        "cooperation": int(
            session.scalar(
                joined.where(
                    mine, MeetingOutcome.held.is_(True), MeetingOutcome.outcome.in_(better)
                )
            )
            or 0
        ),
    }


def meeting_ids(session: Session, event_id: int) -> list[int]:
    """The ids of an event's requests (a deal's meeting is one of them)."""
    stmt = select(MeetingRequest.id).where(MeetingRequest.event_id == event_id)
    return [int(i) for i in session.scalars(stmt)]
