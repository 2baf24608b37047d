"""The demo B2B day: participants of both regions, answered requests, visits, a schedule."""

from __future__ import annotations

from sqlalchemy.orm import Session

from seriktes.demo.event import DEMO_EVENT_TITLE, GUEST, HOST, load_demo_event
from seriktes.demo.loader import load_demo
from seriktes.events import repository, scheduling
from seriktes.events.models import Event, MeetingStatus, RequestState
from seriktes.events.scheduler import check


def test_the_demo_event_is_scheduled_from_answered_requests(db_session: Session) -> None:
    load_demo(db_session)
    made = load_demo_event(db_session, time_limit=2)
    assert made is not None
    event = db_session.query(Event).filter_by(title=DEMO_EVENT_TITLE).one()
    people = repository.participants(db_session, event.id)
    regions = {p.organisation.region.kato for p in people if p.organisation.region}
    assert regions == {HOST, GUEST}
    found = repository.requests(db_session, event.id)
    states = {r.state for r in found}
    assert {RequestState.ACCEPTED, RequestState.DECLINED, RequestState.EXPIRED} <= states
    accepted = [r for r in found if r.state is RequestState.ACCEPTED]
    assert len(accepted) > len(found) / 2
    assert all(r.proposed and r.need_id and r.offer_id for r in found)
    scheduled = [r for r in found if r.meeting_status is MeetingStatus.SCHEDULED]
    assert len(scheduled) == made["meetings scheduled"] and len(scheduled) >= 0.9 * len(accepted)
    built = scheduling.problem_for_event(db_session, event.id)
    slots = {i: r.slot for i, r in enumerate(built.requests) if r.slot is not None}
    assert check(built.problem, slots, require_all=False).valid
    assert repository.signups(db_session, event.id)
    assert load_demo_event(db_session) is None
