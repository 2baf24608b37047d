"""The pages of several meeting days: the organisers' days page (add, change, refuse to
remove a day with meetings) and a participant's agenda page with its contacts."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.events import requests, scheduling
from seriktes.events.models import MeetingStatus
from seriktes.events.schemas import RequestIn
from tests.events.conftest import Day
from tests.webkit import login, make_user


def _days_form(day: Day, token: str) -> dict[str, str]:
    (only,) = day.event.days
    return {
        "csrf_token": token,
        "d0_id": str(only.id),
        "d0_meets_on": "2099-05-14",
        "d0_morning_start": "10:00",
        "d0_afternoon_start": "14:00",
        "d0_morning_slots": "3",
        "d0_afternoon_slots": "3",
        "d0_tables": "2",
        "d0_pause_after": "",
        "d0_pause_minutes": "0",
    }


def _meeting(day: Day) -> None:
    data = RequestIn(requester_id=day.buyers[0].id, recipient_id=day.producers[0].id)
    asked = requests.create_request(day.session, day.organiser, day.event.id, data)
    asked.topic = "Футеровка шаровых мельниц"
    requests.answer_request(day.session, day.organiser, day.event.id, asked.id, True)
    scheduling.schedule_event(day.session, day.event.id, time_limit=1)
    assert asked.meeting_status is MeetingStatus.SCHEDULED


def test_an_organiser_adds_a_second_day_and_cannot_remove_the_one_with_a_meeting(
    client: TestClient, day: Day, db_session: Session
) -> None:
    _meeting(day)
    token = login(client, day.organiser)
    page = client.get(f"/events/{day.event.id}/days")
    assert page.status_code == 200 and 'name="d0_meets_on"' in page.text
    form = _days_form(day, token)
    grown = client.post(f"/events/{day.event.id}/days", data={**form, "add_day": "1"})
    assert 'value="2099-05-15"' in grown.text and 'name="d1_meets_on"' in grown.text
    second = {
        "d1_meets_on": "2099-05-15",
        "d1_morning_slots": "2",
        "d1_afternoon_slots": "0",
        "d1_tables": "1",
        "d1_morning_start": "09:00",
        "d1_afternoon_start": "14:00",
    }
    saved = client.post(
        f"/events/{day.event.id}/days", data={**form, **second}, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text[:2000]
    db_session.refresh(day.event)
    assert [d.meets_on.isoformat() for d in day.event.days] == ["2099-05-14", "2099-05-15"]
    form = {**form, **second, "d1_id": str(day.event.days[1].id)}
    refused = client.post(f"/events/{day.event.id}/days", data={**form, "remove_day": "0"})
    assert refused.status_code == 409
    assert 'data-error-for="d0_meets_on"' in refused.text
    assert "В этот день назначены встречи или выезды" in refused.text
    removed = client.post(f"/events/{day.event.id}/days", data={**form, "remove_day": "1"})
    assert 'name="d1_meets_on"' not in removed.text  # shown without it, saved with «Save»
    db_session.refresh(day.event)
    assert len(day.event.days) == 2
    wrong = client.post(f"/events/{day.event.id}/days", data={**form, "d1_meets_on": "2099-05-14"})
    assert wrong.status_code == 422 and "Два дня встреч приходятся на одну дату." in wrong.text


def test_members_do_not_change_the_days(client: TestClient, day: Day, db_session: Session) -> None:
    member = make_user(db_session, Role.MEMBER, day.buyers[0].organisation)
    token = login(client, member)
    assert client.get(f"/events/{day.event.id}/days").status_code == 403
    posted = client.post(f"/events/{day.event.id}/days", data=_days_form(day, token))
    assert posted.status_code == 403


def test_the_agenda_page_shows_topic_and_contact_to_the_meeting_s_side_only(
    client: TestClient, day: Day, db_session: Session
) -> None:
    day.producers[0].contact_person = "Жанар Сейткали"
    day.producers[0].contact_phone = "+7 701 555 12 34"
    _meeting(day)
    path = f"/events/{day.event.id}/participants/{day.buyers[0].id}/agenda"
    login(client, make_user(db_session, Role.MEMBER, day.buyers[0].organisation))
    own = client.get(path)
    assert own.status_code == 200
    assert "Футеровка шаровых мельниц" in own.text and "+7 701 555 12 34" in own.text
    for code, name in (("ru", "PDF на русском"), ("kk", "PDF қазақша"), ("en", "PDF in English")):
        assert f'agenda.pdf?lang={code}" data-agenda="pdf-{code}"' in own.text and name in own.text
    client.cookies.clear()
    login(client, make_user(db_session, Role.COORDINATOR, kato="750000000"))
    other = client.get(path)
    assert other.status_code == 200 and "Футеровка шаровых мельниц" in other.text
    assert "+7 701 555 12 34" not in other.text and "Жанар Сейткали" not in other.text
    client.cookies.clear()
    login(client, make_user(db_session, Role.MEMBER, day.producers[1].organisation))
    assert client.get(path).status_code == 403
