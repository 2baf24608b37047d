"""The event pages: programme, requests with answer buttons, the schedule grid; forms carry
the CSRF token and refuse requests without it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.events import requests, scheduling
from seriktes.events.models import MeetingRequest, RequestState
from seriktes.events.schemas import RequestIn
from tests.events.conftest import Day
from tests.webkit import login, make_user


def _ask(day: Day, buyer: int, producer: int, accept: bool | None = None) -> MeetingRequest:
    data = RequestIn(requester_id=day.buyers[buyer].id, recipient_id=day.producers[producer].id)
    request = requests.create_request(day.session, day.organiser, day.event.id, data)
    if accept is not None:
        requests.answer_request(day.session, day.organiser, day.event.id, request.id, accept)
    return request


def test_the_public_reads_the_programme_and_the_grid(client: TestClient, day: Day) -> None:
    day.producers[0].languages = ["kk"]
    _ask(day, 0, 0, True)
    _ask(day, 1, 1, True)
    scheduling.schedule_event(day.session, day.event.id, time_limit=3)
    listed = client.get("/events")
    assert "Дни Северо-Казахстанской области в ВКО" in listed.text
    programme = client.get(f"/events/{day.event.id}")
    assert programme.status_code == 200
    assert 'data-agenda="pdf-kk"' not in programme.text  # agendas are not public
    grid = client.get(f"/events/{day.event.id}/schedule?lang=kk")
    assert grid.status_code == 200
    assert len(re.findall(r'<td class="meeting', grid.text)) == 2
    assert len(re.findall(r'<td class="meeting interp"', grid.text)) == 1
    assert "Кесте" in grid.text or "кесте" in grid.text.lower()
    assert "Build the schedule" not in grid.text and '/schedule" class' not in grid.text
    assert client.get(f"/events/{day.event.id}/requests", follow_redirects=False).status_code == 303


def test_a_member_answers_with_the_buttons(
    client: TestClient, day: Day, db_session: Session
) -> None:
    mine = _ask(day, 0, 0)
    theirs = _ask(day, 1, 1)
    member = make_user(db_session, Role.MEMBER, day.producers[0].organisation)
    token = login(client, member)
    page = client.get(f"/events/{day.event.id}/requests")
    assert (
        f'data-request="{mine.id}"' in page.text and f'data-request="{theirs.id}"' not in page.text
    )
    assert page.text.count('value="accept"') == 1
    url = f"/events/{day.event.id}/requests/{mine.id}/answer"
    refused = client.post(url, data={"answer": "accept"}, follow_redirects=False)
    assert refused.status_code == 403
    db_session.refresh(mine)
    assert mine.state is RequestState.REQUESTED
    done = client.post(url, data={"answer": "accept", "csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    db_session.refresh(mine)
    assert mine.state is RequestState.ACCEPTED
    other = client.post(
        f"/events/{day.event.id}/requests/{theirs.id}/answer",
        data={"answer": "accept", "csrf_token": token},
    )
    assert other.status_code == 404
    db_session.refresh(theirs)
    assert theirs.state is RequestState.REQUESTED


def test_the_organiser_builds_the_schedule_from_the_page(
    client: TestClient, day: Day, db_session: Session
) -> None:
    made = [_ask(day, 0, 0, True), _ask(day, 0, 1, True), _ask(day, 1, 1, True)]
    token = login(client, day.organiser)
    page = client.get(f"/events/{day.event.id}/schedule")
    assert "table-plan.pdf" in page.text
    response = client.post(
        f"/events/{day.event.id}/schedule", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    for request in made:
        db_session.refresh(request)
    assert all(r.slot is not None for r in made)
    grid = client.get(response.headers["location"])
    assert len(re.findall(r'<td class="meeting', grid.text)) == 3


def test_a_member_signs_up_for_a_visit(client: TestClient, day: Day, db_session: Session) -> None:
    from seriktes.events import service
    from seriktes.events.schemas import VisitIn

    visit = service.add_visit(
        db_session,
        day.organiser,
        day.event.id,
        VisitIn(title="Молочная ферма", capacity=1, first_slot=0),
    )
    member = make_user(db_session, Role.MEMBER, day.buyers[0].organisation)
    token = login(client, member)
    page = client.get(f"/events/{day.event.id}")
    assert f"/visits/{visit.id}/signup" in page.text
    client.post(
        f"/events/{day.event.id}/visits/{visit.id}/signup",
        data={"participant_id": str(day.buyers[0].id), "csrf_token": token},
    )
    assert service.visits(db_session, None, day.event.id)[0].participant_ids == [day.buyers[0].id]
    again = client.get(f"/events/{day.event.id}")
    assert f"/visits/{visit.id}/signup" not in again.text


def test_ids_beyond_any_row_are_not_found(client: TestClient, day: Day) -> None:
    token = login(client, day.organiser)
    for huge in (2**31, 10**30):
        for page in ("/events/{}", "/events/{}/schedule", "/events/{}/requests"):
            assert client.get(page.format(huge)).status_code == 404, page
        answer = f"/events/{day.event.id}/requests/{huge}/answer"
        assert (
            client.post(answer, data={"answer": "accept", "csrf_token": token}).status_code == 404
        )
        cancel = f"/events/{day.event.id}/participants/{huge}/cancel"
        assert client.post(cancel, data={"csrf_token": token}).status_code == 404
        api = f"/api/v1/events/{day.event.id}/participants/{huge}/agenda"
        assert client.get(api).status_code in (404, 422)


def test_an_organiser_creates_an_event_and_fills_it_from_the_pages(
    client: TestClient, day: Day, db_session: Session
) -> None:
    from seriktes.events.models import Event, EventStatus

    token = login(client, day.organiser)
    form = {
        "csrf_token": token,
        "title": "Дни ВКО в СКО",
        "host_region": "590000000",
        "guest_region": "630000000",
        "starts_on": "2099-09-01",
        "ends_on": "2099-09-02",
        "d0_meets_on": "2099-09-03",
        "d0_morning_start": "10:00",
        "d0_afternoon_start": "14:00",
        "slot_minutes": "20",
        "d0_morning_slots": "6",
        "d0_afternoon_slots": "6",
        "d0_tables": "5",
        "d0_pause_after": "3",
        "d0_pause_minutes": "15",
        "answer_days": "3",
        "status": "draft",
    }
    wrong = client.post("/events/new", data=form)
    assert wrong.status_code == 422
    assert "День встреч должен быть между первым и последним днём" in wrong.text
    created = client.post("/events/new", data={**form, "d0_meets_on": "2099-09-01"},
                          follow_redirects=False)  # fmt: skip
    assert created.status_code == 303
    event_id = int(created.headers["location"].split("/")[2].split("?")[0])
    event = db_session.get(Event, event_id)
    assert event is not None and event.status is EventStatus.DRAFT
    assert event.days[0].pause_after == [2]
    producer_bin = day.producers[0].organisation.bin
    joining = {"csrf_token": token, "bin": producer_bin, "lang_kk": "1", "priority": "2"}
    client.post(f"/events/{event_id}/participants/new", data=joining)
    client.post(f"/events/{event_id}/visits/new",
                data={"csrf_token": token, "title": "Элеватор", "kind": "farm", "capacity": "4",
                      "travel_minutes": "30", "first_slot": "7", "slot_count": "2"})  # fmt: skip
    client.post(f"/events/{event_id}/status", data={"csrf_token": token, "status": "published"})
    db_session.refresh(event)
    assert event.status is EventStatus.PUBLISHED
    page = client.get(f"/events/{event_id}")
    assert producer_bin and "Элеватор" in page.text
    from seriktes.events import service

    people = service.participants(db_session, None, event_id)
    assert [(p.organisation_id, p.languages, p.priority) for p in people] == [
        (day.producers[0].organisation_id, ["kk"], 2)
    ]


def test_members_do_not_see_or_use_the_organisers_forms(
    client: TestClient, day: Day, db_session: Session
) -> None:
    member = make_user(db_session, Role.MEMBER, day.buyers[0].organisation)
    token = login(client, member)
    assert client.get("/events/new").status_code == 403
    page = client.get(f"/events/{day.event.id}")
    assert "/participants/new" not in page.text and "/visits/new" not in page.text
    refused = client.post(f"/events/{day.event.id}/status",
                          data={"csrf_token": token, "status": "draft"})  # fmt: skip
    assert refused.status_code == 403
    db_session.refresh(day.event)
    assert day.event.status.value == "published"


def test_a_member_asks_for_a_meeting_from_the_programme(
    client: TestClient, day: Day, db_session: Session
) -> None:
    member = make_user(db_session, Role.MEMBER, day.buyers[0].organisation)
    token = login(client, member)
    page = client.get(f"/events/{day.event.id}")
    assert page.text.count('name="recipient_id"') == 1
    assert page.text.count("<option value=") >= 3  # the three producers
    sent = client.post(
        f"/events/{day.event.id}/requests/new",
        data={"csrf_token": token, "requester_id": day.buyers[0].id,
              "recipient_id": day.producers[2].id},
        follow_redirects=False,
    )  # fmt: skip
    assert sent.status_code == 303
    mine = requests.visible_requests(db_session, member, day.event.id)
    assert [(r.requester_id, r.recipient_id) for r in mine] == [
        (day.buyers[0].id, day.producers[2].id)
    ]
    other = client.post(
        f"/events/{day.event.id}/requests/new",
        data={"csrf_token": token, "requester_id": day.buyers[1].id,
              "recipient_id": day.producers[2].id},
    )  # fmt: skip
    assert other.status_code == 403


def test_a_member_takes_part_from_the_programme(
    client: TestClient, day: Day, db_session: Session
) -> None:
    from seriktes.events import service
    from tests.webkit import make_org

    org = make_org(db_session, "590000000", "ТОО «Кызылжар Агро»")
    token = login(client, make_user(db_session, Role.MEMBER, org))
    page = client.get(f"/events/{day.event.id}")
    assert "Принять участие" in page.text and f"/events/{day.event.id}/register" in page.text
    form = {"representatives": "Омаров Е.", "lang_kk": "1", "session_wish": "afternoon",
            "slot_3": "1", "slot_5": "1"}  # fmt: skip
    unsigned = client.post(f"/events/{day.event.id}/register", data=form)
    assert unsigned.status_code == 403
    assert all(
        p.organisation_id != org.id for p in service.participants(db_session, None, day.event.id)
    )
    joined = client.post(f"/events/{day.event.id}/register", data={**form, "csrf_token": token},
                         follow_redirects=False)  # fmt: skip
    assert joined.status_code == 303
    mine = [
        p
        for p in service.participants(db_session, None, day.event.id)
        if p.organisation_id == org.id
    ]
    assert [(p.representatives, p.languages, p.session_wish.value, p.blocked_slots, p.priority)
            for p in mine] == [("Омаров Е.", ["kk"], "afternoon", [3, 5], 0)]  # fmt: skip
    after = client.get(joined.headers["location"])
    assert "Ваша организация участвует в мероприятии." in after.text
    assert f"/events/{day.event.id}/register" not in after.text
    assert f'data-availability="{mine[0].id}"' in after.text


def test_a_member_changes_availability_from_the_programme(
    client: TestClient, day: Day, db_session: Session
) -> None:
    mine, theirs = day.buyers
    token = login(client, make_user(db_session, Role.MEMBER, mine.organisation))
    page = client.get(f"/events/{day.event.id}?lang=kk")
    assert f'data-availability="{mine.id}"' in page.text
    assert f'data-availability="{theirs.id}"' not in page.text
    assert 'name="priority"' not in page.text and 'name="unschedule"' not in page.text
    url = f"/events/{day.event.id}/participants/{mine.id}/availability"
    form = {"csrf_token": token, "representatives": "Иванов 0, Петрова", "lang_ru": "1",
            "lang_en": "1", "session_wish": "morning", "slot_1": "1"}  # fmt: skip
    assert client.post(url, data=form, follow_redirects=False).status_code == 303
    db_session.refresh(mine)
    assert (mine.representatives, mine.languages, mine.session_wish.value, mine.blocked_slots) == (
        "Иванов 0, Петрова", ["ru", "en"], "morning", [1]
    )  # fmt: skip
    met = _ask(day, 0, 0, True)
    scheduling.schedule_event(day.session, day.event.id, time_limit=3)
    assert met.slot is not None
    blocked = client.post(url, data={**form, "session_wish": "any", f"slot_{met.slot}": "1"})
    assert (
        blocked.status_code == 409 and "Алдымен ұйымдастырушылардан" in blocked.text
    )  # kk chosen above
    db_session.refresh(mine)
    assert mine.blocked_slots == [1] and mine.session_wish.value == "morning"
    priority = client.post(url, data={**form, "priority": "3"})
    other = client.post(f"/events/{day.event.id}/participants/{theirs.id}/availability", data=form)
    assert (priority.status_code, other.status_code) == (403, 403)
    db_session.refresh(mine)
    db_session.refresh(theirs)
    assert (mine.priority, theirs.session_wish.value, theirs.blocked_slots) == (0, "any", [])


def test_the_organiser_unschedules_conflicting_meetings_from_the_programme(
    client: TestClient, day: Day, db_session: Session
) -> None:
    met = _ask(day, 0, 0, True)
    scheduling.schedule_event(day.session, day.event.id, time_limit=3)
    assert met.slot is not None
    token = login(client, day.organiser)
    page = client.get(f"/events/{day.event.id}")
    assert page.text.count("data-availability=") == 5 and 'name="unschedule"' in page.text
    url = f"/events/{day.event.id}/participants/{day.buyers[0].id}/availability"
    form = {"csrf_token": token, "lang_ru": "1", "session_wish": "any", f"slot_{met.slot}": "1"}
    refused = client.post(url, data=form)
    assert refused.status_code == 409
    assert "Изменение мешает запланированным встречам" in refused.text
    assert f'data-request="{met.id}"' in refused.text and "Производитель 0" in refused.text
    db_session.refresh(met)
    assert met.slot is not None
    done = client.post(url, data={**form, "unschedule": "1"})
    assert done.status_code == 200 and "возвращено в ожидание: 1" in done.text
    db_session.refresh(met)
    assert (met.slot, met.meeting_status) == (None, None)
