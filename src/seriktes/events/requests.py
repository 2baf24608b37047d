"""Meeting requests: sent by hand or proposed from the matches, answered, expired.

A request blocks while it is open: accepted, or unanswered before its deadline. An open
request between two participants forbids a second one, and a participant may not have more
open requests than the meeting day has slots. Past its deadline an unanswered request is
expired and blocks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.catalog.models import Need, Offer
from seriktes.catalog.policy import can_read_need, can_read_offer
from seriktes.events import notices, repository
from seriktes.events.models import (
    Event,
    EventStatus,
    MeetingRequest,
    Participant,
    ParticipantStatus,
    RequestState,
)
from seriktes.events.policy import (
    acts_for_participant,
    can_manage_event,
    can_read_request,
    side_of,
)
from seriktes.events.schemas import TOPIC_LENGTH, RequestIn
from seriktes.events.service import (
    acting_participant,
    default_deadline,
    get_event,
    managed_event,
)
from seriktes.kit import clock
from seriktes.kit.db import get_by_id
from seriktes.kit.errors import Conflict, ErrorItem, Forbidden, NotFound, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.matches.models import Match


def state_of(request: MeetingRequest, now: datetime) -> RequestState:
    """The state as users see it: an unanswered request past its deadline is expired."""
    if request.state is RequestState.REQUESTED and request.deadline < now:
        return RequestState.EXPIRED
    return request.state


def needs_interpreter(request: MeetingRequest) -> bool:
    """True when the two sides share no language (unknown languages count as shared)."""
    first = set(request.requester.languages or [])
    second = set(request.recipient.languages or [])
    return bool(first and second and not first & second)


def visible_requests(session: Session, user: User | None, event_id: int) -> list[MeetingRequest]:
    """The requests of an event `user` may read: all for organisers, own ones for members."""
    event = get_event(session, user, event_id)
    if can_manage_event(user, event):
        return repository.requests(session, event_id)
    mine = [
        p.id for p in repository.participants(session, event_id) if acts_for_participant(user, p)
    ]
    return repository.requests(session, event_id, mine) if mine else []


def get_request(
    session: Session, user: User | None, event_id: int, request_id: int
) -> MeetingRequest:
    """A request `user` may read; NotFound otherwise."""
    get_event(session, user, event_id)
    request = get_by_id(session, MeetingRequest, request_id)
    if request is None or request.event_id != event_id or not can_read_request(user, request):
        raise NotFound(
            N_("no meeting request %(request_id)s in event %(event_id)s"),
            params={"request_id": request_id, "event_id": event_id},
        )
    return request


def expire_requests(session: Session, event_id: int, now: datetime | None = None) -> int:
    """Mark the unanswered requests past their deadline expired; return how many."""
    return repository.expire(session, event_id, now or clock.now())


def _check_pair(
    session: Session, event: Event, requester: Participant, recipient: Participant, now: datetime
) -> None:
    """Why these two may not meet, each refusal located at the field it concerns."""
    if requester.id == recipient.id:
        raise ValidationFailed(
            N_("a participant cannot meet itself"),
            [ErrorItem(("body", "recipient_id"), N_("same"))],
        )
    for participant, field in ((requester, "requester_id"), (recipient, "recipient_id")):
        if participant.status is not ParticipantStatus.ACTIVE:
            detail = N_("%(name_ru)s has cancelled its participation")
            params = {"name_ru": participant.organisation.name_ru}
            raise Conflict(detail, [ErrorItem(("body", field), detail, params)], params)
    if side_of(event, requester.organisation) == side_of(event, recipient.organisation):
        detail = N_("meetings are between the host region and the guest region")
        raise ValidationFailed(detail, [ErrorItem(("body", "recipient_id"), detail)])
    if repository.open_pair(session, requester.id, recipient.id, now) is not None:
        detail = N_("these two participants already have an open request")
        raise Conflict(detail, [ErrorItem(("body", "recipient_id"), detail)])
    counts = repository.open_counts(session, event.id, now)
    for participant, field in ((requester, "requester_id"), (recipient, "recipient_id")):
        if counts.get(participant.id, 0) >= event.n_slots:
            detail = N_(
                "%(name_ru)s already has %(n_slots)s open requests, one for every slot of the day"
            )
            full = {"name_ru": participant.organisation.name_ru, "n_slots": event.n_slots}
            raise Conflict(detail, [ErrorItem(("body", field), detail, full)], full)


def check_request(
    session: Session, event: Event, requester: Participant, recipient: Participant
) -> None:
    """Raise why `requester` may not ask `recipient` now (as sending would), else nothing."""
    _check_pair(session, event, requester, recipient, clock.now())


def askable(session: Session, event: Event, requester: Participant) -> list[Participant]:
    """Whom `requester` may still ask: active participants of the other side with no open
    or accepted request between the two (either way round), never itself."""
    now = clock.now()
    taken = {
        r.recipient_id if r.requester_id == requester.id else r.requester_id
        for r in repository.requests(session, event.id, [requester.id])
        if state_of(r, now) in (RequestState.REQUESTED, RequestState.ACCEPTED)
    }
    mine = side_of(event, requester.organisation)
    return [
        p
        for p in repository.participants(session, event.id)
        if p.id != requester.id
        and p.id not in taken
        and p.status is ParticipantStatus.ACTIVE
        and side_of(event, p.organisation) not in (mine, None)
    ]


def best_match(session: Session, first: Participant, second: Participant) -> Match | None:
    """The best stored strong or possible match between two participants' organisations,
    whichever buys: what a request between them is most likely about."""
    found = [
        *repository.ranked_matches(session, [first.organisation_id], [second.organisation_id]),
        *repository.ranked_matches(session, [second.organisation_id], [first.organisation_id]),
    ]
    return min(found, key=lambda m: (m.rank, -m.score, m.id), default=None)


def default_topic(
    session: Session, requester: Participant, recipient: Participant, data: RequestIn | None = None
) -> str | None:
    """A request's topic when none is typed: the need's or the offer's title it names, else
    the title of the need of the two sides' best match."""
    if data is not None and data.need_id:
        need = get_by_id(session, Need, data.need_id)
        if need is not None:
            return need.title[:TOPIC_LENGTH]
    if data is not None and data.offer_id:
        offer = get_by_id(session, Offer, data.offer_id)
        if offer is not None:
            return offer.title[:TOPIC_LENGTH]
    match = best_match(session, requester, recipient)
    return match.need.title[:TOPIC_LENGTH] if match is not None else None


def create_request(session: Session, user: User, event_id: int, data: RequestIn) -> MeetingRequest:
    """Send a request for the requester, whom `user` must act for."""
    event = get_event(session, user, event_id)
    requester = acting_participant(session, user, event_id, data.requester_id, "requester_id")
    recipient = get_by_id(session, Participant, data.recipient_id)
    if recipient is None or recipient.event_id != event_id:
        detail = N_("no participant %(recipient_id)s in event %(event_id)s")
        params = {"recipient_id": data.recipient_id, "event_id": event_id}
        raise NotFound(detail, [ErrorItem(("body", "recipient_id"), detail, params)], params)
    if event.status is EventStatus.CLOSED:
        raise Conflict(N_("the event is closed: requests are over"))
    now = clock.now()
    deadline = default_deadline(event, now)
    if deadline <= now:
        raise Conflict(N_("the meeting day has begun; requests are closed"))
    _check_pair(session, event, requester, recipient, now)
    _check_lines(session, user, data, requester, recipient)
    topic = (data.topic or "").strip() or default_topic(session, requester, recipient, data)
    request = MeetingRequest(
        event_id=event.id,
        requester_id=requester.id,
        recipient_id=recipient.id,
        need_id=data.need_id,
        offer_id=data.offer_id,
        topic=topic,
        note=(data.note or "").strip() or None,
        deadline=deadline,
    )
    session.add(request)
    session.flush()
    notices.request_sent(session, request)
    return request


def _check_lines(
    session: Session,
    user: User,
    data: RequestIn,
    requester: Participant,
    recipient: Participant,
) -> None:
    """A need or offer named in a request belongs to one of its two organisations and is one
    `user` may read (another organisation's draft would show its title on the agenda)."""
    sides = {requester.organisation_id, recipient.organisation_id}
    need = get_by_id(session, Need, data.need_id) if data.need_id else None
    offer = get_by_id(session, Offer, data.offer_id) if data.offer_id else None
    if data.need_id and (
        need is None or need.buyer_id not in sides or not can_read_need(user, need)
    ):
        raise ValidationFailed(N_("the need is not one of these organisations'"),
                               [ErrorItem(("body", "need_id"), N_("not theirs"))])  # fmt: skip
    if data.offer_id and (
        offer is None or offer.producer_id not in sides or not can_read_offer(user, offer)
    ):
        raise ValidationFailed(N_("the offer is not one of these organisations'"),
                               [ErrorItem(("body", "offer_id"), N_("not theirs"))])  # fmt: skip


def answer_request(
    session: Session, user: User, event_id: int, request_id: int, accept: bool
) -> MeetingRequest:
    """Accept or decline a request; only for its recipient (or the organisers)."""
    request = get_request(session, user, event_id, request_id)
    if not acts_for_participant(user, request.recipient):
        raise Forbidden(N_("only the organisation asked may answer this request"))
    now = clock.now()
    if state_of(request, now) is RequestState.EXPIRED and request.state is RequestState.REQUESTED:
        request.state = RequestState.EXPIRED
        session.flush()
        raise Conflict(N_("the request expired before it was answered"))
    if request.state is not RequestState.REQUESTED:
        raise Conflict(
            N_("the request is already %(value)s"), params={"value": request.state.value}
        )
    request.state = RequestState.ACCEPTED if accept else RequestState.DECLINED
    request.answered_at = now
    session.flush()
    notices.request_answered(session, request, accept)
    return request


@dataclass(frozen=True)
class Proposal:
    """What proposing from the matches did."""

    created: list[MeetingRequest]
    skipped: int


def propose_requests(
    session: Session, user: User | None, event_id: int, per_need: int = 2
) -> Proposal:
    """For each buyer's published need, request meetings with its best-ranked producers among
    the event's participants of the other region (stored matches, best rank first).

    `user` None is the system (the demo loader); otherwise an organiser of the event."""
    event = (
        get_by_id(session, Event, event_id)
        if user is None
        else managed_event(session, user, event_id)
    )
    if event is None:
        raise NotFound(N_("no event with id %(event_id)s"), params={"event_id": event_id})
    now = clock.now()
    expire_requests(session, event_id, now)
    active = [
        p for p in repository.participants(session, event_id)
        if p.status is ParticipantStatus.ACTIVE
    ]  # fmt: skip
    by_org = {p.organisation_id: p for p in active}
    counts = repository.open_counts(session, event_id, now)
    still_open = [
        r for r in repository.requests(session, event_id)
        if state_of(r, now) in (RequestState.REQUESTED, RequestState.ACCEPTED)
    ]  # fmt: skip
    taken = {frozenset((r.requester_id, r.recipient_id)) for r in still_open}
    per_need_count: dict[int, int] = {}
    for r in still_open:
        if r.need_id is not None:
            per_need_count[r.need_id] = per_need_count.get(r.need_id, 0) + 1
    created: list[MeetingRequest] = []
    skipped = 0
    deadline = default_deadline(event, now)
    for match in _candidate_matches(session, event, active):
        buyer, producer = by_org[match.need.buyer_id], by_org[match.offer.producer_id]
        pair = frozenset((buyer.id, producer.id))
        if per_need_count.get(match.need_id, 0) >= per_need or pair in taken:
            continue
        if max(counts.get(buyer.id, 0), counts.get(producer.id, 0)) >= event.n_slots:
            skipped += 1
            continue
        request = MeetingRequest(
            event_id=event.id,
            requester_id=buyer.id,
            recipient_id=producer.id,
            need_id=match.need_id,
            offer_id=match.offer_id,
            match_id=match.id,
            proposed=True,
            topic=match.need.title[:TOPIC_LENGTH],
            deadline=deadline,
        )
        session.add(request)
        created.append(request)
        taken.add(pair)
        per_need_count[match.need_id] = per_need_count.get(match.need_id, 0) + 1
        for side in (buyer.id, producer.id):
            counts[side] = counts.get(side, 0) + 1
    session.flush()
    if user is not None:  # an organiser proposed them: the producers are asked (not the demo)
        for request in created:
            notices.request_sent(session, request)
    return Proposal(created, skipped)


def _candidate_matches(session: Session, event: Event, active: list[Participant]) -> list[Match]:
    """Matches of one side's needs to the other side's offers, anchor buyers first."""
    found = []
    for buyers_side in ("host", "guest"):
        buyers = [p for p in active if side_of(event, p.organisation) == buyers_side]
        producers = [p for p in active if side_of(event, p.organisation) not in (buyers_side, None)]
        found.extend(
            repository.ranked_matches(
                session, [p.organisation_id for p in buyers], [p.organisation_id for p in producers]
            )
        )
    priority = {p.organisation_id: p.priority for p in active}
    found.sort(key=lambda m: (-priority.get(m.need.buyer_id, 0), m.rank, m.need_id, m.id))
    return found


@dataclass(frozen=True)
class RequestFilters:
    """Filters of the requests list; None means no filter. `direction` is seen from the
    participants `mine`: "incoming" (they were asked) or "outgoing" (they asked)."""

    state: RequestState | None = None
    direction: str | None = None
    participant_id: int | None = None
    q: str | None = None


def own_participants(user: User | None, found: list[MeetingRequest]) -> set[int]:
    """The participants of the user's organisation among the sides of `found`: those the
    filters' direction is seen from."""
    if user is None or user.organisation_id is None:
        return set()
    return {
        p.id
        for r in found
        for p in (r.requester, r.recipient)
        if p.organisation_id == user.organisation_id
    }


def _folded(text: str | None) -> str:
    return (text or "").lower().replace("ё", "е")


def filter_requests(
    found: list[MeetingRequest], filters: RequestFilters, mine: set[int], now: datetime
) -> list[MeetingRequest]:
    """The requests of `found` that pass `filters` (the state as users see it, expiry
    applied; the text among topics, messages and the titles of the lines named)."""
    words = _folded(filters.q).split()
    kept = []
    for r in found:
        if filters.state is not None and state_of(r, now) is not filters.state:
            continue
        if filters.direction == "incoming" and r.recipient_id not in mine:
            continue
        if filters.direction == "outgoing" and r.requester_id not in mine:
            continue
        if filters.participant_id and filters.participant_id not in (
            r.requester_id,
            r.recipient_id,
        ):
            continue
        text = " ".join(
            _folded(t)
            for t in (r.topic, r.note, r.need.title if r.need else None,
                      r.offer.title if r.offer else None)
        )  # fmt: skip
        if any(word not in text for word in words):
            continue
        kept.append(r)
    return kept
