"""Several meeting days: slots numbered across days, availability per day, a schedule over
two days stored and read back, days added and removed under a schedule."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.events import agenda, requests, scheduling, service
from seriktes.events.models import MeetingRequest, MeetingStatus, SessionWish
from seriktes.events.schemas import (
    EventChanges,
    MeetingDayIn,
    ParticipantChanges,
    RequestIn,
    VisitIn,
)
from seriktes.kit.errors import Conflict, Forbidden, ValidationFailed
from tests.events.conftest import SKO, VKO, Day, event_in
from tests.webkit import make_org, make_user

FIRST, SECOND = date(2099, 5, 14), date(2099, 5, 15)


def two_days(**second: object) -> list[dict[str, object]]:
    """Day one: 2 + 1 slots, 1 table; day two from 9:00: 1 + 2 slots, 2 tables."""
    return [
        {"meets_on": FIRST, "morning_slots": 2, "afternoon_slots": 1, "tables": 1},
        {
            "meets_on": SECOND,
            "morning_start": time(9, 0),
            "morning_slots": 1,
            "afternoon_slots": 2,
            "tables": 2,
            **second,
        },
    ]


@pytest.fixture
def days(db_session: Session) -> Day:
    """A two-day event with two buyers and three producers."""
    organiser = make_user(db_session, Role.COORDINATOR, kato=VKO)
    data = event_in(days=two_days())
    result = Day(db_session, organiser, service.create_event(db_session, organiser, data))
    for n in range(2):
        result.buyers.append(result.join(make_org(db_session, VKO, f"АО «Покупатель {n}»")))
    for n in range(3):
        org = make_org(db_session, SKO, f"ТОО «Производитель {n}»")
        result.producers.append(result.join(org, languages=["ru", "kk"]))
    return result


def meet(day: Day, buyer: int, producer: int, topic: str | None = None) -> MeetingRequest:
    """An accepted request of buyer → producer."""
    data = RequestIn(requester_id=day.buyers[buyer].id, recipient_id=day.producers[producer].id)
    request = requests.create_request(day.session, day.organiser, day.event.id, data)
    request.topic = topic
    return requests.answer_request(day.session, day.organiser, day.event.id, request.id, True)


def test_slots_are_numbered_across_the_days(days: Day) -> None:
    event = days.event
    assert [d.meets_on for d in event.days] == [FIRST, SECOND]
    assert (event.n_slots, event.day_starts, event.slot_tables) == (6, [0, 3], [1, 1, 1, 2, 2, 2])
    assert [event.day_of(s) for s in (0, 2, 3, 5)] == [(0, 0), (0, 2), (1, 0), (1, 2)]
    assert event.date_of(2) == FIRST and event.date_of(3) == SECOND
    starts = [t[0].strftime("%H:%M") for t in service.slot_times(event)]
    assert starts == ["10:00", "10:20", "14:00", "09:00", "14:00", "14:20"]
    begins, _ = service.slot_span(event, 3)
    assert begins.astimezone(ZoneInfo(event.timezone)).date() == SECOND


def test_the_days_are_checked_in_date_order() -> None:
    swapped = event_in(days=list(reversed(two_days())))
    assert swapped.days is not None and [d.meets_on for d in swapped.days] == [FIRST, SECOND]
    with pytest.raises(ValueError, match="same date"):
        event_in(days=two_days(meets_on=FIRST))
    with pytest.raises(ValueError, match="between the first and last day"):
        event_in(days=two_days(meets_on=date(2099, 5, 20)))


def test_a_session_wish_rules_out_the_other_session_of_every_day(days: Day) -> None:
    morning = scheduling.unavailable_slots(days.event, SessionWish.MORNING, [])
    afternoon = scheduling.unavailable_slots(days.event, SessionWish.AFTERNOON, [4])
    assert morning == {2, 4, 5}
    assert afternoon == {0, 1, 3, 4}


def test_the_problem_carries_days_tables_and_meeting_targets(days: Day) -> None:
    days.producers[0].min_meetings, days.producers[0].max_meetings = 1, 2
    meet(days, 0, 0)
    built = scheduling.problem_for_event(days.session, days.event.id)
    problem = built.problem
    assert (problem.n_slots, problem.day_starts, problem.slot_tables) == (
        6,
        [0, 3],
        [1, 1, 1, 2, 2, 2],
    )
    index = built.index[days.producers[0].id]
    assert problem.min_meetings[index] == 1 and problem.max_meetings[index] == 2
    assert problem.min_meetings[built.index[days.buyers[0].id]] is None


def test_a_two_day_schedule_is_stored_and_read_back(days: Day) -> None:
    days.event.days[0].tables = 2
    days.buyers[0].blocked_slots = [0, 1]  # the first buyer comes late on the first day
    made = [meet(days, b, p, topic=f"Тема {b}{p}") for b in range(2) for p in range(3)]
    scheduling.schedule_event(days.session, days.event.id, time_limit=3)
    days.session.expire_all()
    placed = [r for r in made if r.meeting_status is MeetingStatus.SCHEDULED]
    assert len(placed) == 6  # each buyer meets three producers over the two days
    slots = {r.slot for r in placed}
    assert any(s is not None and s < 3 for s in slots) and any(s and s >= 3 for s in slots)
    grid = scheduling.grid(days.session, None, days.event.id)
    assert [(d.day.meets_on, d.first, len(d.rows)) for d in grid.days] == [
        (FIRST, 0, 3),
        (SECOND, 3, 3),
    ]
    assert [len(row) for row in grid.rows] == [2, 2, 2, 2, 2, 2]
    assert sorted(c.request.id for c in grid.cells) == sorted(r.id for r in placed)
    zone = ZoneInfo(days.event.timezone)
    for item in agenda.agenda_items(days.session, days.buyers[0]):
        on = FIRST if item.slot < 3 else SECOND
        assert item.day == (0 if on == FIRST else 1)
        assert item.starts.astimezone(zone).date() == on


def test_no_slot_holds_more_meetings_than_its_day_s_tables(days: Day) -> None:
    made = [meet(days, b, p) for b in range(2) for p in range(3)]
    scheduling.schedule_event(days.session, days.event.id, time_limit=3)
    per_slot: dict[int, set[int]] = {}
    for r in made:
        if r.meeting_status is MeetingStatus.SCHEDULED:
            assert r.slot is not None and r.table_no is not None
            assert r.table_no < days.event.tables_of(r.slot)
            assert r.table_no not in per_slot.setdefault(r.slot, set())
            per_slot[r.slot].add(r.table_no)
    grid = scheduling.grid(days.session, days.organiser, days.event.id)
    assert len(grid.cells) + len(grid.waiting) == 6


def test_a_visit_on_the_second_day_blocks_slots_of_that_day_only(days: Day) -> None:
    visit = service.add_visit(
        days.session, days.organiser, days.event.id,
        VisitIn(title="Элеватор", capacity=3, first_slot=3, travel_minutes=20),
    )  # fmt: skip
    assert service.visit_blocked_slots(days.event, visit) == {3, 4}  # not slot 2 of day one
    with pytest.raises(ValidationFailed):
        service.add_visit(
            days.session, days.organiser, days.event.id,
            VisitIn(title="Через ночь", capacity=3, first_slot=2, slot_count=2),
        )  # fmt: skip


def test_a_day_added_before_moves_the_slots_of_the_days_after_it(days: Day) -> None:
    request = meet(days, 0, 0)
    request.slot, request.table_no, request.meeting_status = 4, 1, MeetingStatus.SCHEDULED
    days.buyers[1].blocked_slots = [1, 5]
    visit = service.add_visit(
        days.session, days.organiser, days.event.id, VisitIn(title="ТЭЦ", capacity=2, first_slot=3)
    )
    stored = [MeetingDayIn(id=d.id, **_fields(d)) for d in days.event.days]
    earlier = MeetingDayIn(meets_on=date(2099, 5, 13), morning_slots=1, afternoon_slots=1)
    changes = EventChanges(days=[earlier, *stored])
    days.event.starts_on = date(2099, 5, 13)
    service.update_event(days.session, days.organiser, days.event.id, changes)
    assert [d.meets_on for d in days.event.days] == [date(2099, 5, 13), FIRST, SECOND]
    assert (request.slot, request.table_no) == (6, 1)
    assert days.buyers[1].blocked_slots == [3, 7]
    assert visit.first_slot == 5


def test_a_day_with_meetings_is_not_removed_and_one_without_is(days: Day) -> None:
    request = meet(days, 0, 0)
    request.slot, request.table_no, request.meeting_status = 4, 0, MeetingStatus.SCHEDULED
    first, second = (MeetingDayIn(id=d.id, **_fields(d)) for d in days.event.days)
    with pytest.raises(Conflict) as refused:
        service.update_event(
            days.session, days.organiser, days.event.id, EventChanges(days=[first])
        )
    assert refused.value.params["date"] == "15.05.2099" and len(days.event.days) == 2
    service.update_event(days.session, days.organiser, days.event.id, EventChanges(days=[second]))
    assert [d.meets_on for d in days.event.days] == [SECOND]
    assert (request.slot, days.event.n_slots) == (1, 3)


def test_meeting_targets_are_checked(days: Day) -> None:
    with pytest.raises(ValueError, match="least number"):
        ParticipantChanges(min_meetings=3, max_meetings=2)
    days.producers[0].max_meetings = 2
    with pytest.raises(ValidationFailed, match="exceeds"):
        scheduling.change_availability(
            days.session, days.organiser, days.event.id, days.producers[0].id,
            ParticipantChanges(min_meetings=3),
        )  # fmt: skip
    member = make_user(days.session, Role.MEMBER, days.producers[0].organisation)
    with pytest.raises(Forbidden):
        scheduling.change_availability(
            days.session, member, days.event.id, days.producers[0].id,
            ParticipantChanges(min_meetings=1),
        )  # fmt: skip


def _fields(day: object) -> dict[str, object]:
    names = ("meets_on", "morning_start", "afternoon_start", "morning_slots", "afternoon_slots",
             "tables", "pause_after", "pause_minutes")  # fmt: skip
    return {name: getattr(day, name) for name in names}
