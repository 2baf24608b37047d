"""The start page's queries of events: requests waiting for an organisation's answer, its
meetings ahead, a region's open events and their waiting requests (both backends)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import true

from seriktes.accounts.models import Role
from seriktes.events import repository, requests, service
from seriktes.events.models import Event, EventStatus, MeetingStatus, RequestState
from seriktes.events.schemas import EventChanges, RequestIn
from seriktes.kit import clock
from tests.events.conftest import VKO, Day, event_in
from tests.webkit import make_user

PAVLODAR = "550000000"


def _ask(day: Day, producer: int, buyer: int) -> int:
    member_of = day.producers[producer].organisation
    member = make_user(day.session, Role.MEMBER, member_of)
    data = RequestIn(requester_id=day.producers[producer].id, recipient_id=day.buyers[buyer].id)
    return requests.create_request(day.session, member, day.event.id, data).id


def test_requests_wait_for_the_recipient_until_their_deadline(day: Day) -> None:
    first, second = _ask(day, 0, 0), _ask(day, 1, 0)
    _ask(day, 2, 1)
    buyer = day.buyers[0].organisation_id
    now = clock.now()
    assert [r.id for r in repository.waiting_for(day.session, buyer, now)] == [first, second]
    producer = day.producers[0].organisation_id
    assert repository.waiting_for(day.session, producer, now) == []  # it asked, it waits
    later = now + timedelta(days=400 * 365)  # past every deadline
    assert repository.waiting_for(day.session, buyer, later) == []
    counts = repository.waiting_counts(day.session, [day.event.id], now)
    n, oldest = counts[day.event.id]
    assert n == 3 and oldest.tzinfo is not None and oldest <= clock.now()


def test_meetings_ahead_are_the_scheduled_ones_in_order(day: Day) -> None:
    ids = [_ask(day, n, 0) for n in range(3)]
    found = repository.requests(day.session, day.event.id)
    for request, slot in zip(found, (4, 1, 2), strict=True):
        request.state = RequestState.ACCEPTED
        request.slot = slot
        request.meeting_status = MeetingStatus.SCHEDULED
    found[2].meeting_status = MeetingStatus.CANCELLED
    day.session.flush()
    buyer = day.buyers[0].organisation_id
    ahead = repository.meetings_ahead(day.session, buyer, date(2026, 1, 1))
    assert [m.id for m in ahead] == [ids[1], ids[0]]
    assert repository.meetings_ahead(day.session, buyer, date(2100, 1, 1)) == []


def test_open_events_of_a_region(day: Day) -> None:
    today = date(2099, 5, 15)  # the event's last day: still open
    assert [e.id for e in repository.open_events(day.session, true(), today, VKO[:2])] == [
        day.event.id
    ]
    assert repository.open_events(day.session, true(), today, PAVLODAR[:2]) == []
    assert repository.open_events(day.session, true(), today + timedelta(days=1)) == []
    drafts = service.create_event(day.session, day.organiser, event_in(status=EventStatus.DRAFT))
    published_only = repository.open_events(day.session, Event.status != EventStatus.DRAFT, today)
    assert drafts.id not in {e.id for e in published_only}
    service.update_event(
        day.session, day.organiser, day.event.id, EventChanges(status=EventStatus.CLOSED)
    )
    assert day.event.id not in {e.id for e in repository.open_events(day.session, true(), today)}
