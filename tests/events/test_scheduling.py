"""From accepted requests to a stored schedule, rescheduling, agendas and the table plan."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from icalendar import Calendar

from seriktes.accounts.models import Role
from seriktes.events import agenda, requests, scheduling, service
from seriktes.events.conflicts import shown_conflicts
from seriktes.events.models import (
    EventStatus,
    MeetingDay,
    MeetingRequest,
    MeetingStatus,
    ParticipantStatus,
    SessionWish,
)
from seriktes.events.scheduler import check
from seriktes.events.schemas import ParticipantChanges, RequestIn, VisitIn
from seriktes.kit.errors import Conflict, Forbidden, ValidationFailed
from tests.events.conftest import SKO, Day
from tests.webkit import make_user


def meet(day: Day, buyer: int, producer: int) -> MeetingRequest:
    """An accepted request of buyer → producer."""
    data = RequestIn(requester_id=day.buyers[buyer].id, recipient_id=day.producers[producer].id)
    request = requests.create_request(day.session, day.organiser, day.event.id, data)
    return requests.answer_request(day.session, day.organiser, day.event.id, request.id, True)


def test_problem_carries_availability_visits_and_priority(day: Day) -> None:
    day.buyers[0].session_wish = SessionWish.MORNING
    day.buyers[0].priority = 2
    day.producers[0].blocked_slots = [0]
    visit = service.add_visit(
        day.session, day.organiser, day.event.id, VisitIn(title="Ферма", capacity=3, first_slot=4)
    )
    service.sign_up(day.session, day.organiser, day.event.id, visit.id, day.producers[1].id)
    meet(day, 0, 0)
    meet(day, 1, 1)
    declined = requests.create_request(
        day.session,
        day.organiser,
        day.event.id,
        RequestIn(requester_id=day.buyers[1].id, recipient_id=day.producers[2].id),
    )
    requests.answer_request(day.session, day.organiser, day.event.id, declined.id, False)
    built = scheduling.problem_for_event(day.session, day.event.id)
    index = built.index
    assert len(built.problem.meetings) == 2
    assert built.problem.forbidden[index[day.buyers[0].id]] == {3, 4, 5}
    assert built.problem.forbidden[index[day.producers[0].id]] == {0}
    assert built.problem.forbidden[index[day.producers[1].id]] == {4}
    assert [m.weight for m in built.problem.meetings] == [3, 1]


def test_the_schedule_is_stored_and_valid(day: Day) -> None:
    made = [meet(day, b, p) for b in range(2) for p in range(3)]
    built, schedule = scheduling.schedule_event(day.session, day.event.id, time_limit=5)
    assert schedule.unscheduled == []
    assert check(built.problem, schedule.slots, require_all=True).valid
    assert all(r.meeting_status is MeetingStatus.SCHEDULED for r in made)
    taken = {(r.slot, r.table_no) for r in made}
    assert len(taken) == 6 and all(t is not None and t < 2 for _, t in taken)
    grid = scheduling.grid(day.session, None, day.event.id)
    assert len(grid.cells) == 6 and grid.waiting == []
    assert day.event.schedule_info["scheduled"] == 6


def test_more_meetings_than_tables_leaves_some_waiting(day: Day) -> None:
    day.event.days[0].tables = 1
    day.event.days[0].morning_slots, day.event.days[0].afternoon_slots = 1, 1
    made = [meet(day, 0, 0), meet(day, 1, 1), meet(day, 1, 2)]
    scheduling.schedule_event(day.session, day.event.id, time_limit=3)
    assert sum(r.meeting_status is MeetingStatus.SCHEDULED for r in made) == 2
    grid = scheduling.grid(day.session, day.organiser, day.event.id)
    assert len(grid.waiting) == 1
    assert day.event.schedule_info["unscheduled"] == [grid.waiting[0].id]


def test_a_cancellation_frees_slots_for_waiting_requests_without_moving_others(day: Day) -> None:
    day.event.days[0].tables = 1
    day.event.days[0].morning_slots, day.event.days[0].afternoon_slots = 1, 1
    first, second, third = meet(day, 0, 0), meet(day, 1, 1), meet(day, 1, 2)
    scheduling.schedule_event(day.session, day.event.id, time_limit=3)
    waiting = next(r for r in (first, second, third) if r.meeting_status is None)
    kept = {r.id: r.slot for r in (first, second, third) if r.meeting_status is not None}
    leaving = (
        day.producers[0]
        if waiting is not first
        else next(r for r in (second, third) if r.meeting_status is not None).recipient
    )
    gone = next(r for r in (first, second, third) if r.recipient_id == leaving.id)
    scheduling.cancel_participant(day.session, day.organiser, day.event.id, leaving.id)
    assert leaving.status is ParticipantStatus.CANCELLED
    assert gone.meeting_status is MeetingStatus.CANCELLED and gone.slot is None
    assert waiting.meeting_status is MeetingStatus.SCHEDULED
    assert waiting.slot == kept[gone.id]
    others = [r for r in (first, second, third) if r not in (gone, waiting)]
    assert all(r.slot == kept[r.id] for r in others)
    with pytest.raises(Conflict):
        scheduling.cancel_participant(day.session, day.organiser, day.event.id, leaving.id)


def test_several_participants_leave_in_one_rescheduling(day: Day) -> None:
    day.event.days[0].tables = 1
    day.event.days[0].morning_slots, day.event.days[0].afternoon_slots = 1, 1
    placed = [meet(day, 0, 0), meet(day, 1, 1)]
    scheduling.schedule_event(day.session, day.event.id, time_limit=3)
    assert all(r.meeting_status is MeetingStatus.SCHEDULED for r in placed)
    freed = {r.slot for r in placed}
    waiting = [meet(day, 0, 2), meet(day, 1, 2)]  # accepted later: no slot yet
    leaving = [day.producers[0].id, day.producers[1].id]
    info = scheduling.cancel_participants(
        day.session, day.organiser, day.event.id, leaving, no_show=True
    )
    assert info["cancelled_participants"] == sorted(leaving)
    assert all(day.producers[i].status is ParticipantStatus.NO_SHOW for i in (0, 1))
    assert all(r.meeting_status is MeetingStatus.NO_SHOW and r.slot is None for r in placed)
    assert all(r.meeting_status is MeetingStatus.SCHEDULED for r in waiting)
    assert {r.slot for r in waiting} == freed
    with pytest.raises(Conflict):  # refused as a whole: one of them has left already
        scheduling.cancel_participants(
            day.session, day.organiser, day.event.id, [day.producers[2].id, leaving[0]]
        )
    assert day.producers[2].status is ParticipantStatus.ACTIVE


def test_agenda_pdf_in_russian_and_kazakh_and_ics(day: Day) -> None:
    day.producers[0].languages = ["kk"]
    meet(day, 0, 0)
    meet(day, 0, 1)
    visit = service.add_visit(
        day.session,
        day.organiser,
        day.event.id,
        VisitIn(title="Ферма «Береке»", capacity=3, first_slot=5),
    )
    service.sign_up(day.session, day.organiser, day.event.id, visit.id, day.buyers[0].id)
    scheduling.schedule_event(day.session, day.event.id, time_limit=3)
    items = agenda.agenda_items(day.session, day.buyers[0])
    assert [i.kind for i in items] == ["meeting", "meeting", "visit"]
    assert [i.interpreter for i in items if i.kind == "meeting"].count(True) == 1
    for lang in ("ru", "kk"):
        pdf = agenda.agenda_pdf(day.event, day.buyers[0], items, lang)
        assert pdf.startswith(b"%PDF")
    calendar = Calendar.from_ical(agenda.agenda_ics(day.event, day.buyers[0], items))
    entries = calendar.walk("VEVENT")
    assert len(entries) == 3
    assert {str(e["summary"]) for e in entries} >= {"Выезд: Ферма «Береке»"}
    starts = sorted(e.decoded("dtstart") for e in entries)
    assert starts[0].utcoffset().total_seconds() == 0
    plan = agenda.table_plan_pdf(scheduling.grid(day.session, day.organiser, day.event.id))
    assert plan.startswith(b"%PDF")


def test_requests_accepted_later_take_free_slots_without_moving_others(day: Day) -> None:
    early = [meet(day, 0, 0), meet(day, 0, 1), meet(day, 1, 2)]
    scheduling.schedule_event(day.session, day.event.id, time_limit=3)
    where = [(r.slot, r.table_no) for r in early]
    later = [meet(day, 1, 0), meet(day, 1, 1), meet(day, 0, 2)]
    assert all(r.meeting_status is None for r in later)
    info = scheduling.place_waiting(day.session, day.organiser, day.event.id)
    assert all(r.meeting_status is MeetingStatus.SCHEDULED for r in later)
    assert [(r.slot, r.table_no) for r in early] == where
    assert info["scheduled"] == 6 and info["unscheduled"] == []
    grid = scheduling.grid(day.session, None, day.event.id)
    assert len(grid.cells) == 6 and grid.waiting == []


def test_kazakh_agendas_use_kazakh_names(day: Day) -> None:
    day.producers[0].organisation.name_kk = "«Өндіруші 0» ЖШС"
    day.buyers[0].organisation.name_kk = "«Сатып алушы 0» АҚ"
    meet(day, 0, 0)
    scheduling.schedule_event(day.session, day.event.id, time_limit=3)
    kazakh = agenda.agenda_items(day.session, day.buyers[0], "kk")
    russian = agenda.agenda_items(day.session, day.buyers[0])
    assert [i.with_organisation for i in kazakh] == ["«Өндіруші 0» ЖШС"]
    assert [i.with_organisation for i in russian] == ["ТОО «Производитель 0»"]


def test_conflicts_name_the_organisations_and_requests(day: Day) -> None:
    made = [meet(day, 0, 0), meet(day, 0, 1)]
    day.buyers[0].blocked_slots = [1, 2, 3, 4, 5]
    scheduling.schedule_event(day.session, day.event.id, time_limit=2)
    conflicts = " ".join(day.event.schedule_info["conflicts"])
    assert day.buyers[0].organisation.name_ru in conflicts
    assert any(f"request {r.id}" in conflicts for r in made)


# --- availability changed under a stored schedule ---------------------------------------------
def scheduled(day: Day) -> MeetingRequest:
    """An accepted meeting of buyer 0 and producer 0, on the stored schedule."""
    request = meet(day, 0, 0)
    scheduling.schedule_event(day.session, day.event.id, time_limit=3)
    assert request.meeting_status is MeetingStatus.SCHEDULED and request.slot is not None
    return request


def test_a_member_changes_their_own_availability_but_not_the_priority(day: Day) -> None:
    member = make_user(day.session, Role.MEMBER, day.buyers[0].organisation)
    mine = day.buyers[0]
    changes = ParticipantChanges(
        representatives="Ахметов А.", languages=["kk", "ru"], session_wish=SessionWish.AFTERNOON,
        blocked_slots=[5],
    )  # fmt: skip
    done = scheduling.change_availability(day.session, member, day.event.id, mine.id, changes)
    assert done.unscheduled == []
    assert (mine.representatives, mine.languages, mine.session_wish, mine.blocked_slots) == (
        "Ахметов А.", ["ru", "kk"], SessionWish.AFTERNOON, [5]
    )  # fmt: skip
    for refused in (
        ParticipantChanges(priority=3),
        ParticipantChanges(blocked_slots=[], unschedule_conflicts=True),
    ):
        with pytest.raises(Forbidden):
            scheduling.change_availability(day.session, member, day.event.id, mine.id, refused)
    other = day.buyers[1]
    with pytest.raises(Forbidden):
        scheduling.change_availability(
            day.session, member, day.event.id, other.id, ParticipantChanges(blocked_slots=[0])
        )
    assert (mine.priority, mine.blocked_slots, other.blocked_slots) == (0, [5], [])
    day.event.status = EventStatus.CLOSED
    with pytest.raises(Conflict, match="closed"):
        scheduling.change_availability(
            day.session, member, day.event.id, mine.id, ParticipantChanges(blocked_slots=[0])
        )
    assert mine.blocked_slots == [5]


def test_organisers_of_either_region_change_any_participant_and_others_none(day: Day) -> None:
    guest = make_user(day.session, Role.COORDINATOR, kato=SKO)
    target = day.buyers[1]
    scheduling.change_availability(
        day.session, guest, day.event.id, target.id, ParticipantChanges(priority=3)
    )
    assert target.priority == 3
    stranger = make_user(day.session, Role.COORDINATOR, kato="550000000")  # Павлодар
    with pytest.raises(Forbidden):
        scheduling.change_availability(
            day.session, stranger, day.event.id, target.id, ParticipantChanges(priority=1)
        )
    with pytest.raises(ValidationFailed):  # the day has 6 slots
        scheduling.change_availability(
            day.session, guest, day.event.id, target.id, ParticipantChanges(blocked_slots=[6])
        )
    assert (target.priority, target.blocked_slots) == (3, [])


def test_blocking_a_meeting_s_slot_is_refused_naming_the_meeting(day: Day) -> None:
    request = scheduled(day)
    slot, table = request.slot, request.table_no
    member = make_user(day.session, Role.MEMBER, day.producers[0].organisation)
    changes = ParticipantChanges(blocked_slots=[slot])
    with pytest.raises(Conflict) as refused:
        scheduling.change_availability(
            day.session, member, day.event.id, day.producers[0].id, changes
        )
    assert f"request {request.id}: slot {slot + 1}" in refused.value.detail
    assert "Покупатель 0" in refused.value.errors[0].msg
    assert day.producers[0].blocked_slots == []
    assert (request.slot, request.table_no, request.meeting_status) == (
        slot, table, MeetingStatus.SCHEDULED
    )  # fmt: skip


def test_a_session_wish_against_a_meeting_is_refused_too(day: Day) -> None:
    request = scheduled(day)
    morning = request.slot is not None and request.slot < day.event.days[0].morning_slots
    other_session = SessionWish.AFTERNOON if morning else SessionWish.MORNING
    with pytest.raises(Conflict):
        scheduling.change_availability(
            day.session, day.organiser, day.event.id, day.buyers[0].id,
            ParticipantChanges(session_wish=other_session),
        )  # fmt: skip
    assert day.buyers[0].session_wish is SessionWish.ANY
    assert request.meeting_status is MeetingStatus.SCHEDULED


def test_organisers_send_conflicting_meetings_back_to_waiting(day: Day) -> None:
    request = scheduled(day)
    kept = meet(day, 1, 1)
    scheduling.place_waiting(day.session, day.organiser, day.event.id)
    kept_at = (kept.slot, kept.table_no)
    lost = request.slot
    done = scheduling.change_availability(
        day.session, day.organiser, day.event.id, day.buyers[0].id,
        ParticipantChanges(blocked_slots=[lost], unschedule_conflicts=True),
    )  # fmt: skip
    assert [r.id for r in done.unscheduled] == [request.id]
    assert (request.slot, request.meeting_status) == (None, None)
    assert (kept.slot, kept.table_no) == kept_at
    grid = scheduling.grid(day.session, day.organiser, day.event.id)
    assert [r.id for r in grid.waiting] == [request.id]
    scheduling.place_waiting(day.session, day.organiser, day.event.id)
    assert request.meeting_status is MeetingStatus.SCHEDULED and request.slot != lost


def test_a_cancelled_participant_s_availability_does_not_change(day: Day) -> None:
    scheduling.cancel_participant(day.session, day.organiser, day.event.id, day.buyers[1].id)
    with pytest.raises(Conflict):
        scheduling.change_availability(
            day.session, day.organiser, day.event.id, day.buyers[1].id,
            ParticipantChanges(blocked_slots=[0]),
        )  # fmt: skip


# --- the iCalendar agenda in the three languages ---------------------------------------------
def _calendar(day: Day, lang: str) -> tuple[Calendar, list[Any]]:
    items = agenda.agenda_items(day.session, day.buyers[0], lang)
    calendar = Calendar.from_ical(agenda.agenda_ics(day.event, day.buyers[0], items, lang))
    entries = sorted(calendar.walk("VEVENT"), key=lambda e: str(e["summary"]))
    return calendar, entries


def _day_with_a_meeting_and_a_visit(day: Day) -> MeetingRequest:
    day.producers[0].languages = ["kk"]
    day.producers[0].representatives = "Серіков Б."
    day.producers[0].organisation.name_kk = "«Өндіруші 0» ЖШС"
    day.buyers[0].organisation.name_kk = "«Сатып алушы 0» АҚ"
    request = meet(day, 0, 0)
    visit = service.add_visit(
        day.session, day.organiser, day.event.id,
        VisitIn(title="Ферма «Береке»", capacity=3, first_slot=5),
    )  # fmt: skip
    service.sign_up(day.session, day.organiser, day.event.id, visit.id, day.buyers[0].id)
    scheduling.schedule_event(day.session, day.event.id, time_limit=3)
    assert request.table_no is not None
    return request


def test_the_ics_agenda_speaks_kazakh(day: Day) -> None:
    request = _day_with_a_meeting_and_a_visit(day)
    calendar, (meeting, visit) = _calendar(day, "kk")
    assert str(meeting["summary"]) == "B2B кездесуі: «Өндіруші 0» ЖШС"
    assert str(meeting["location"]) == f"Усть-Каменогорск, Дом дружбы, үстел {request.table_no + 1}"
    assert str(meeting["description"]).split("\n") == ["Өкілдер: Серіков Б.", "Аудармашы керек"]
    assert str(visit["summary"]) == "Сапар: Ферма «Береке»"
    assert str(calendar["x-wr-calname"]) == f"{day.event.title}: «Сатып алушы 0» АҚ"


def test_the_ics_agenda_speaks_english(day: Day) -> None:
    request = _day_with_a_meeting_and_a_visit(day)
    calendar, (meeting, visit) = _calendar(day, "en")
    assert str(calendar["x-wr-calname"]) == f"{day.event.title}: АО «Покупатель 0»"
    assert str(meeting["summary"]) == "B2B meeting: ТОО «Производитель 0»"
    assert str(meeting["location"]).endswith(f", table {request.table_no + 1}")
    assert str(meeting["description"]).split("\n") == [
        "Representatives: Серіков Б.",
        "Interpreter needed",
    ]
    assert str(visit["summary"]) == "Site visit: Ферма «Береке»"
    russian = " ".join(str(e["summary"]) for e in _calendar(day, "ru")[1])
    assert "Встреча B2B" in russian and "Выезд: Ферма «Береке»" in russian


def test_meeting_targets_reach_the_stored_schedule_with_their_reasons(day: Day) -> None:
    day.buyers[0].max_meetings = 1
    made = [meet(day, 0, p) for p in range(3)]
    scheduling.schedule_event(day.session, day.event.id, time_limit=3)
    assert sum(r.meeting_status is MeetingStatus.SCHEDULED for r in made) == 1
    grid = scheduling.grid(day.session, day.organiser, day.event.id)
    assert len(grid.waiting) == 2
    texts = shown_conflicts(day.session, day.event, "ru")
    assert len(texts) == 2 and all(day.buyers[0].organisation.name_ru in t for t in texts)


def test_a_day_with_fewer_tables_is_filled_and_no_more(day: Day) -> None:
    """Two days, the second with one table: the engine keeps to each slot's tables."""
    first = day.event.days[0]
    day.event.days.append(
        MeetingDay(
            position=1,
            meets_on=first.meets_on + timedelta(days=1),
            morning_start=first.morning_start,
            afternoon_start=first.afternoon_start,
            morning_slots=1,
            afternoon_slots=0,
            tables=1,
            pause_after=[],
            pause_minutes=0,
        )
    )
    first.morning_slots, first.afternoon_slots, first.tables = 1, 0, 1
    day.session.flush()
    made = [meet(day, b, p) for b in range(2) for p in range(2)]
    built, schedule = scheduling.schedule_event(day.session, day.event.id, time_limit=3)
    assert built.problem.day_starts == [0, 1] and built.problem.slot_tables == [1, 1]
    assert check(built.problem, schedule.slots, require_all=False).valid
    placed = [r for r in made if r.meeting_status is MeetingStatus.SCHEDULED]
    assert len(placed) == 2 and sorted(r.slot for r in placed) == [0, 1]
