"""Check-in on the meeting day: tokens, arrivals by QR code and by tick, undo, the count, and
the participants late for their first meeting marked absent through the no-show path."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from seriktes.accounts.models import Role
from seriktes.events import checkin, requests, scheduling
from seriktes.events.models import (
    Checkin,
    CheckinMethod,
    MeetingRequest,
    MeetingStatus,
    ParticipantStatus,
)
from seriktes.events.schemas import RequestIn
from seriktes.kit import clock
from seriktes.kit.errors import Conflict, Forbidden, NotAuthenticated, NotFound, ValidationFailed
from tests.events.conftest import Day
from tests.webkit import make_user

# 14 May 2099 in Asia/Almaty (UTC+5): the first slot starts at 10:00 local, 05:00 UTC
BEFORE_THE_DAY = datetime(2099, 5, 14, 3, 0, tzinfo=UTC)
AT_NOON = datetime(2099, 5, 14, 7, 0, tzinfo=UTC)


def meet(day: Day, buyer: int, producer: int) -> MeetingRequest:
    """An accepted request of buyer → producer."""
    data = RequestIn(requester_id=day.buyers[buyer].id, recipient_id=day.producers[producer].id)
    request = requests.create_request(day.session, day.organiser, day.event.id, data)
    return requests.answer_request(day.session, day.organiser, day.event.id, request.id, True)


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


def count_checkins(day: Day) -> int:
    return int(day.session.scalar(select(func.count()).select_from(Checkin)) or 0)


def test_participants_get_a_stable_unguessable_token(day: Day) -> None:
    tokens = [p.checkin_token for p in day.buyers + day.producers]
    assert all(t is not None and len(t) >= 32 for t in tokens)
    assert len(set(tokens)) == len(tokens)
    first = day.buyers[0]
    assert checkin.ensure_token(day.session, first) == tokens[0]  # kept, not remade
    first.checkin_token = None  # a participant of before the check-in (the demo, old rows)
    made = checkin.ensure_token(day.session, first)
    assert made and made != tokens[0] and checkin.ensure_token(day.session, first) == made
    url = checkin.checkin_url("https://seriktes.kz/", first)
    assert url == f"https://seriktes.kz/events/{day.event.id}/checkin/{made}"
    code = checkin.checkin_code(first, "https://seriktes.kz")
    assert code is not None and code.svg.startswith("<svg") and "path" in code.svg
    assert code.data_uri.startswith("data:image/svg+xml")


def test_a_scan_records_the_arrival_once(day: Day) -> None:
    producer = day.producers[0]
    token = producer.checkin_token or ""
    done = checkin.check_in_by_token(day.session, day.organiser, day.event.id, token)
    assert (done.participant_id, done.method, done.day) == (producer.id, CheckinMethod.QR, 0)
    assert done.by_user_id == day.organiser.id
    again = checkin.check_in_by_token(day.session, day.organiser, day.event.id, token)
    assert again.id == done.id and count_checkins(day) == 1  # a double scan changes nothing
    ticked = checkin.check_in(day.session, day.organiser, day.event.id, producer.id)
    assert ticked.id == done.id and ticked.method is CheckinMethod.QR
    with pytest.raises(NotFound):
        checkin.check_in_by_token(day.session, day.organiser, day.event.id, "not-a-token")


def test_a_tick_is_recorded_and_undone_and_counted(day: Day) -> None:
    before = checkin.arrivals(day.session, day.organiser, day.event.id)
    assert (before.arrived, before.expected) == (0, 5)
    buyer = day.buyers[1]
    made = checkin.check_in(day.session, day.organiser, day.event.id, buyer.id)
    assert made.method is CheckinMethod.TICK
    after = checkin.arrivals(day.session, day.organiser, day.event.id)
    assert (after.arrived, after.expected) == (1, 5)
    assert [r.participant.id for r in after.rows if r.checkin] == [buyer.id]
    found = checkin.arrivals(day.session, day.organiser, day.event.id, search="покупатель 1")
    assert [r.participant.id for r in found.rows] == [buyer.id] and found.arrived == 1
    bin_found = checkin.arrivals(
        day.session, day.organiser, day.event.id, search=buyer.organisation.bin or "?"
    )
    assert [r.participant.id for r in bin_found.rows] == [buyer.id]
    assert checkin.undo(day.session, day.organiser, day.event.id, buyer.id) is True
    assert checkin.undo(day.session, day.organiser, day.event.id, buyer.id) is False
    assert checkin.arrivals(day.session, day.organiser, day.event.id).arrived == 0
    assert count_checkins(day) == 0


def test_only_organisers_record_arrivals(day: Day) -> None:
    member = make_user(day.session, Role.MEMBER, day.producers[0].organisation)
    stranger = make_user(day.session, Role.COORDINATOR, kato="550000000")
    pid = day.producers[0].id
    for user in (member, stranger):
        with pytest.raises(Forbidden):
            checkin.check_in(day.session, user, day.event.id, pid)
        with pytest.raises(Forbidden):
            checkin.arrivals(day.session, user, day.event.id)
        with pytest.raises(Forbidden):
            checkin.check_in_by_token(
                day.session, user, day.event.id, day.producers[0].checkin_token or ""
            )
    with pytest.raises(NotAuthenticated):
        checkin.arrivals(day.session, None, day.event.id)
    assert count_checkins(day) == 0


def test_a_day_the_event_does_not_have_is_refused(day: Day) -> None:
    with pytest.raises(ValidationFailed):
        checkin.check_in(day.session, day.organiser, day.event.id, day.buyers[0].id, day=1)
    assert checkin.meeting_days(day.event) == [d.meets_on for d in day.event.days]


def test_late_participants_are_marked_absent_and_free_their_slots(
    day: Day, monkeypatch: pytest.MonkeyPatch
) -> None:
    day.event.days[0].tables = 1
    day.event.days[0].morning_slots, day.event.days[0].afternoon_slots = 1, 1
    first, second, third = meet(day, 0, 0), meet(day, 1, 1), meet(day, 1, 2)
    scheduling.schedule_event(day.session, day.event.id, time_limit=3)
    waiting = next(r for r in (first, second, third) if r.meeting_status is None)
    placed = [r for r in (first, second, third) if r.meeting_status is MeetingStatus.SCHEDULED]
    morning = next(r for r in placed if r.slot == 0)
    # the morning meeting's side that the waiting request does not involve stays away
    absent = next(
        p
        for p in (morning.requester, morning.recipient)
        if p.id not in (waiting.requester_id, waiting.recipient_id)
    )
    at(monkeypatch, BEFORE_THE_DAY)
    assert checkin.arrivals(day.session, day.organiser, day.event.id).late == []
    with pytest.raises(Conflict):  # nobody is late before the first meeting starts
        checkin.mark_absent(day.session, day.organiser, day.event.id, [absent.id])
    at(monkeypatch, AT_NOON)
    others = {morning.requester_id, morning.recipient_id} - {absent.id}
    for pid in others:
        checkin.check_in(day.session, day.organiser, day.event.id, pid)
    late = checkin.arrivals(day.session, day.organiser, day.event.id).late
    assert [r.participant.id for r in late] == [absent.id]
    with pytest.raises(Conflict):  # one who arrived is not marked absent
        checkin.mark_absent(day.session, day.organiser, day.event.id, [absent.id, *others])
    assert absent.status is ParticipantStatus.ACTIVE
    done = checkin.mark_absent(day.session, day.organiser, day.event.id, [absent.id])
    assert done == [absent.id]
    assert absent.status is ParticipantStatus.NO_SHOW
    assert morning.meeting_status is MeetingStatus.NO_SHOW and morning.slot is None
    assert waiting.meeting_status is MeetingStatus.SCHEDULED and waiting.slot == 0
    after = checkin.arrivals(day.session, day.organiser, day.event.id)
    assert after.expected == 5 and after.arrived == len(others)
    # the freed morning slot went to the waiting meeting: its sides are now due at 10:00
    due = {waiting.requester_id, waiting.recipient_id} - others
    assert {r.participant.id for r in after.late} == due and absent.id not in due
    with pytest.raises(Conflict):  # marked absent: it no longer checks in
        checkin.check_in(day.session, day.organiser, day.event.id, absent.id)


def test_the_pdf_agenda_carries_the_check_in_code(day: Day) -> None:
    from seriktes.events import agenda
    from seriktes.kit import documents

    producer = day.producers[0]
    items = agenda.agenda_items(day.session, producer, "kk")
    code = checkin.checkin_code(producer)
    assert code is not None
    page = documents.render_html(
        "events/agenda.html",
        "kk",
        event=day.event,
        region="",
        organisation="ТОО",
        participant=producer,
        items=items,
        clock=str,
        checkin=code,
    )
    assert code.url in page and code.data_uri in page
    assert "Бұл кодты тіркеу үстелінде көрсетіңіз" in page
    with_code = agenda.agenda_pdf(day.event, producer, items, "kk")
    producer.checkin_token = None
    without = agenda.agenda_pdf(day.event, producer, items, "kk")
    assert with_code.startswith(b"%PDF") and len(with_code) > len(without)
