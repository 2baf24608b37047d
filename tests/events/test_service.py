"""Events, participants and site visits: who may do what, and the rules they follow."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.events import policy, service
from seriktes.events.models import EventStatus, SessionWish
from seriktes.events.schemas import EventChanges, RegistrationIn, VisitIn
from seriktes.kit.errors import Conflict, Forbidden, NotFound, ValidationFailed
from seriktes.kit.pagination import PageRequest
from tests.events.conftest import SKO, VKO, Day, event_in
from tests.webkit import make_org, make_user


def test_coordinators_of_either_region_organise_but_not_others(db_session: Session) -> None:
    guest = make_user(db_session, Role.COORDINATOR, kato=SKO)
    assert service.create_event(db_session, guest, event_in()).host_region.kato == VKO
    stranger = make_user(db_session, Role.COORDINATOR, kato="750000000")
    with pytest.raises(Forbidden):
        service.create_event(db_session, stranger, event_in())


def test_host_and_guest_must_differ() -> None:
    with pytest.raises(ValueError, match="differ"):
        event_in(guest_region=VKO)


def test_morning_may_not_run_into_the_afternoon() -> None:
    with pytest.raises(ValueError, match="morning session"):
        event_in(morning_slots=12, slot_minutes=30)


def test_drafts_are_hidden_from_the_public(day: Day) -> None:
    service.update_event(
        day.session, day.organiser, day.event.id, EventChanges(status=EventStatus.DRAFT)
    )
    assert service.list_events(day.session, None, PageRequest()).total == 0
    with pytest.raises(NotFound):
        service.get_event(day.session, None, day.event.id)
    member = make_user(day.session, Role.MEMBER, day.buyers[0].organisation)
    with pytest.raises(NotFound):
        service.get_event(day.session, member, day.event.id)
    assert service.get_event(day.session, day.organiser, day.event.id) is day.event


def test_slot_times_follow_sessions_and_pauses(day: Day) -> None:
    day.event.days[0].pause_after = [0]
    day.event.days[0].pause_minutes = 10
    times = service.slot_times(day.event)
    assert [t[0].strftime("%H:%M") for t in times] == [
        "10:00", "10:30", "10:50", "14:00", "14:20", "14:40"
    ]  # fmt: skip
    assert times[0][1].strftime("%H:%M") == "10:20"


def test_participants_come_from_the_two_regions_once(day: Day) -> None:
    with pytest.raises(ValidationFailed):
        day.join(make_org(day.session, "750000000"))
    with pytest.raises(Conflict):
        day.join(day.buyers[0].organisation)
    with pytest.raises(ValidationFailed):
        day.join(make_org(day.session, VKO), blocked_slots=[6])


def test_site_visit_capacity_is_enforced(day: Day) -> None:
    visit = service.add_visit(
        day.session,
        day.organiser,
        day.event.id,
        VisitIn(
            title="Завод «Кызылжар»", capacity=1, first_slot=3, slot_count=2, travel_minutes=20
        ),
    )
    service.sign_up(day.session, day.organiser, day.event.id, visit.id, day.buyers[0].id)
    with pytest.raises(Conflict, match="full"):
        service.sign_up(day.session, day.organiser, day.event.id, visit.id, day.buyers[1].id)
    assert service.visit_blocked_slots(day.event, visit) == {2, 3, 4, 5}


def test_members_sign_up_only_their_own_organisation(day: Day) -> None:
    visit = service.add_visit(
        day.session, day.organiser, day.event.id, VisitIn(title="Ферма", capacity=5, first_slot=0)
    )
    member = make_user(day.session, Role.MEMBER, day.buyers[0].organisation)
    with pytest.raises(Forbidden):
        service.sign_up(day.session, member, day.event.id, visit.id, day.buyers[1].id)
    service.sign_up(day.session, member, day.event.id, visit.id, day.buyers[0].id)
    views = service.visits(day.session, None, day.event.id)
    assert views[0].participant_ids == [day.buyers[0].id] and views[0].free == 4


def test_members_do_not_organise(day: Day) -> None:
    member = make_user(day.session, Role.MEMBER, day.buyers[0].organisation)
    with pytest.raises(Forbidden):
        service.add_visit(
            day.session, member, day.event.id, VisitIn(title="Ферма", capacity=5, first_slot=0)
        )
    with pytest.raises(Forbidden):
        service.update_event(day.session, member, day.event.id, EventChanges(tables=9))


def test_slot_moments_are_in_the_event_s_time_zone(day: Day) -> None:
    from datetime import UTC, datetime, time

    moment = service.slot_moment(day.event, day.event.first_day, time(10, 0))
    assert moment == datetime(2099, 5, 14, 5, 0, tzinfo=UTC)  # Kazakhstan is UTC+5


# --- members register their own organisation -------------------------------------------------
def test_a_member_registers_their_organisation_with_its_availability(day: Day) -> None:
    org = make_org(day.session, SKO, "ТОО «Новичок»")
    member = make_user(day.session, Role.MEMBER, org)
    assert policy.may_register(day.session, member, day.event)
    data = RegistrationIn(
        representatives="Омаров Е.",
        languages=["kk"],
        session_wish=SessionWish.MORNING,
        blocked_slots=[1],
    )
    joined = service.register_own(day.session, member, day.event.id, data)
    assert (joined.organisation_id, joined.representatives, joined.languages) == (
        org.id,
        "Омаров Е.",
        ["kk"],
    )
    assert (joined.session_wish, joined.blocked_slots, joined.priority) == (
        SessionWish.MORNING,
        [1],
        0,
    )
    assert policy.side_of(day.event, org) == policy.GUEST
    assert not policy.may_register(day.session, member, day.event)
    with pytest.raises(Conflict, match="already takes part"):
        service.register_own(day.session, member, day.event.id, RegistrationIn())


def test_registration_is_refused_with_a_reason(day: Day) -> None:
    before = len(service.participants(day.session, None, day.event.id))
    stranger = make_user(day.session, Role.MEMBER, make_org(day.session, "550000000"))
    assert not policy.may_register(day.session, stranger, day.event)
    with pytest.raises(Forbidden, match="neither the host nor the guest"):
        service.register_own(day.session, stranger, day.event.id, RegistrationIn())
    with pytest.raises(Forbidden, match="only members"):
        service.register_own(day.session, day.organiser, day.event.id, RegistrationIn())
    member = make_user(day.session, Role.MEMBER, make_org(day.session, VKO))
    with pytest.raises(ValidationFailed):
        service.register_own(day.session, member, day.event.id, RegistrationIn(blocked_slots=[6]))
    day.event.status = EventStatus.CLOSED
    assert not policy.may_register(day.session, member, day.event)
    with pytest.raises(Conflict, match="closed"):
        service.register_own(day.session, member, day.event.id, RegistrationIn())
    day.event.status = EventStatus.DRAFT
    with pytest.raises(NotFound):
        service.register_own(day.session, member, day.event.id, RegistrationIn())
    assert len(service.participants(day.session, day.organiser, day.event.id)) == before
