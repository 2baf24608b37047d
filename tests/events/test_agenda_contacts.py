"""Agendas people use: the topic, the other side's contact person and phone (for the
meeting's sides and organisers only), the table or an online meeting's link."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.events import agenda, requests, scheduling
from seriktes.events.models import MeetingRequest, MeetingStatus
from seriktes.events.policy import may_read_meeting_contacts
from seriktes.events.schemas import ParticipantChanges, RequestIn
from tests.events.conftest import Day
from tests.webkit import make_user, token_headers

LINK = re.compile(r"^https://meet\.jit\.si/seriktes-(\d+)-(\d+)-([A-Za-z0-9_-]{16})$")


def meet(day: Day, buyer: int, producer: int, topic: str | None = None) -> MeetingRequest:
    """An accepted request of buyer → producer with a topic."""
    data = RequestIn(requester_id=day.buyers[buyer].id, recipient_id=day.producers[producer].id)
    request = requests.create_request(day.session, day.organiser, day.event.id, data)
    request.topic = topic
    return requests.answer_request(day.session, day.organiser, day.event.id, request.id, True)


def scheduled(day: Day, *pairs: tuple[int, int]) -> list[MeetingRequest]:
    made = [meet(day, b, p, topic=f"Поставка футеровки {b}{p}") for b, p in pairs]
    scheduling.schedule_event(day.session, day.event.id, time_limit=2)
    assert all(r.meeting_status is MeetingStatus.SCHEDULED for r in made)
    return made


def test_the_agenda_names_the_topic_and_the_other_side_s_contact(day: Day) -> None:
    producer = day.producers[0]
    producer.contact_person, producer.contact_phone = "Сейткали Жанар", "+7 701 555 12 34"
    buyer_org = day.buyers[0].organisation
    buyer_org.contact_person, buyer_org.phone = "Ким Ольга", "+7 723 222 33 44"
    (meeting,) = scheduled(day, (0, 0))
    (seen_by_buyer,) = agenda.agenda_items(day.session, day.buyers[0])
    assert seen_by_buyer.title == "Поставка футеровки 00"
    assert (seen_by_buyer.contact_person, seen_by_buyer.contact_phone) == (
        "Сейткали Жанар", "+7 701 555 12 34"
    )  # fmt: skip
    assert seen_by_buyer.table == (meeting.table_no or 0) + 1 and not seen_by_buyer.online
    # the producer meets the buyer, whose participant has no contact: its organisation's
    (seen_by_producer,) = agenda.agenda_items(day.session, producer)
    assert (seen_by_producer.contact_person, seen_by_producer.contact_phone) == (
        "Ким Ольга", "+7 723 222 33 44"
    )  # fmt: skip
    hidden = agenda.agenda_items(day.session, producer, contacts=False)
    assert (hidden[0].contact_person, hidden[0].contact_phone) == (None, None)
    ics = Calendar.from_ical(agenda.agenda_ics(day.event, day.buyers[0], [seen_by_buyer], "ru"))
    (entry,) = ics.walk("VEVENT")
    assert "Поставка футеровки 00" in str(entry["description"])
    assert "+7 701 555 12 34" in str(entry["description"])


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("organiser", True),
        ("buyer member", True),
        ("other member", False),
        ("coordinator elsewhere", False),
        ("admin", True),
        ("anonymous", False),
    ],
)
def test_who_reads_the_contacts_on_an_agenda(day: Day, who: str, sees: bool) -> None:
    users = {
        "organiser": day.organiser,
        "buyer member": make_user(day.session, Role.MEMBER, day.buyers[0].organisation),
        "other member": make_user(day.session, Role.MEMBER, day.producers[1].organisation),
        "coordinator elsewhere": make_user(day.session, Role.COORDINATOR, kato="750000000"),
        "admin": make_user(day.session, Role.ADMIN),
        "anonymous": None,
    }
    assert may_read_meeting_contacts(users[who], day.buyers[0]) is sees


def test_the_agenda_api_hides_contacts_from_readers_who_are_not_a_side(
    client: TestClient, day: Day, db_session: Session
) -> None:
    day.producers[0].contact_phone = "+7 701 000 00 01"
    scheduled(day, (0, 0))
    path = f"/api/v1/events/{day.event.id}/participants/{day.buyers[0].id}/agenda"
    own = make_user(db_session, Role.MEMBER, day.buyers[0].organisation)
    elsewhere = make_user(db_session, Role.COORDINATOR, kato="750000000")
    mine = client.get(path, headers=token_headers(db_session, own)).json()
    theirs = client.get(path, headers=token_headers(db_session, elsewhere)).json()
    assert mine["items"][0]["contact_phone"] == "+7 701 000 00 01"
    assert theirs["items"][0]["contact_phone"] is None
    assert theirs["items"][0]["with_organisation"] == mine["items"][0]["with_organisation"]


def test_a_meeting_with_an_online_side_gets_a_link_and_keeps_its_table(day: Day) -> None:
    day.producers[0].online = True
    online, offline = scheduled(day, (0, 0), (1, 1))
    assert online.online and not offline.online and offline.meeting_url is None
    found = LINK.match(online.meeting_url or "")
    assert found is not None
    assert found.group(1, 2) == (str(day.event.id), str(online.id))
    assert online.table_no is not None  # the buyer sits at its table with the link
    (item,) = agenda.agenda_items(day.session, day.buyers[0])
    assert item.online and item.meeting_url == online.meeting_url


def test_a_meeting_with_both_sides_online_takes_no_table(day: Day) -> None:
    day.buyers[0].online = day.producers[0].online = day.producers[1].online = True
    first, second = scheduled(day, (0, 0), (0, 1))
    assert first.table_no is None and second.table_no is None
    assert first.meeting_url != second.meeting_url  # each meeting has its own secret
    grid = scheduling.grid(day.session, None, day.event.id)
    assert {c.request.id for c in grid.cells} == {first.id, second.id}
    assert all(cell is None for row in grid.rows for cell in row)


def test_a_participant_going_online_makes_its_meetings_online(day: Day) -> None:
    (meeting,) = scheduled(day, (0, 0))
    assert not meeting.online
    scheduling.change_availability(
        day.session, day.organiser, day.event.id, day.producers[0].id,
        ParticipantChanges(online=True),
    )  # fmt: skip
    assert meeting.online and LINK.match(meeting.meeting_url or "")
    assert meeting.meeting_status is MeetingStatus.SCHEDULED


def test_the_meeting_url_pattern_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from seriktes import config
    from seriktes.events.online import meeting_link

    monkeypatch.setenv(
        "SERIKTES_MEETING_URL", "https://video.example.kz/{event}/{meeting}?k={secret}"
    )
    config.get_settings.cache_clear()
    try:
        link = meeting_link(7, 42)
    finally:
        monkeypatch.delenv("SERIKTES_MEETING_URL")
        config.get_settings.cache_clear()
    assert re.fullmatch(r"https://video\.example\.kz/7/42\?k=[A-Za-z0-9_-]{16}", link)
    monkeypatch.setenv("SERIKTES_MEETING_URL", "https://video.example.kz/{room}")
    with pytest.raises(ValueError, match="event"):
        config.Settings()
