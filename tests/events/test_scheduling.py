"""From accepted requests to a stored schedule, rescheduling, agendas and the table plan."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from seriktes.events import agenda, requests, scheduling, service
from seriktes.events.models import MeetingRequest, MeetingStatus, ParticipantStatus, SessionWish
from seriktes.events.scheduler import check
from seriktes.events.schemas import RequestIn, VisitIn
from seriktes.kit.errors import Conflict
from tests.events.conftest import Day


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
    day.event.tables = 1
    day.event.morning_slots, day.event.afternoon_slots = 1, 1
    made = [meet(day, 0, 0), meet(day, 1, 1), meet(day, 1, 2)]
    scheduling.schedule_event(day.session, day.event.id, time_limit=3)
    assert sum(r.meeting_status is MeetingStatus.SCHEDULED for r in made) == 2
    grid = scheduling.grid(day.session, day.organiser, day.event.id)
    assert len(grid.waiting) == 1
    assert day.event.schedule_info["unscheduled"] == [grid.waiting[0].id]


def test_a_cancellation_frees_slots_for_waiting_requests_without_moving_others(day: Day) -> None:
    day.event.tables = 1
    day.event.morning_slots, day.event.afternoon_slots = 1, 1
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
