"""The bell, the list, marking read, the settings per kind, the calendar feed, and the JSON
routes — through the application, on the test's transaction."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.events import scheduling
from seriktes.events.requests import answer_request, create_request
from seriktes.events.schemas import RequestIn
from seriktes.kit.pagination import PageRequest
from seriktes.notifications import feeds, service
from seriktes.notifications.kinds import Kind
from seriktes.notifications.models import Mode
from tests.notifications.conftest import Fair, make_fair
from tests.webkit import login, token_headers


def _request(session: Session, fair: Fair) -> int:
    data = RequestIn(requester_id=fair.producer.id, recipient_id=fair.buyer.id)
    return create_request(session, fair.producer_users[0], fair.event.id, data).id


def _bell(page: str) -> str:
    found = re.search(r'data-unread="(\d+)"', page)
    assert found, "the page has the bell"
    return found.group(1)


def test_the_bell_counts_unread_and_the_list_marks_them_read(
    db_session: Session, client: TestClient, no_smtp: None
) -> None:
    fair = make_fair(db_session)
    _request(db_session, fair)
    ru_user = fair.buyer_users[0]
    csrf = login(client, ru_user)
    home = client.get("/?lang=ru").text
    assert _bell(home) == "1"
    assert 'aria-label="Уведомления: непрочитанных 1"' in home

    page = client.get("/notifications").text
    assert "Запрос на встречу от ТОО «Производитель»" in page
    [row_id] = re.findall(r'data-notification="(\d+)"', page)
    answer = client.post(
        f"/notifications/{row_id}/read", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert _bell(client.get("/notifications").text) == "0"
    refused = client.post(f"/notifications/{row_id}/read", data={}, follow_redirects=False)
    assert refused.status_code == 403  # no CSRF token


def test_a_member_reads_in_kazakh_and_marks_all_read_but_not_anothers(
    db_session: Session, client: TestClient, no_smtp: None
) -> None:
    fair = make_fair(db_session)
    request_id = _request(db_session, fair)
    answer_request(db_session, fair.buyer_users[0], fair.event.id, request_id, True)
    other = service.page_of(db_session, fair.buyer_users[0], PageRequest(1, 10)).items[0]
    kk_user = fair.producer_users[0]
    csrf = login(client, kk_user)
    page = client.get("/notifications?lang=kk").text
    assert "АО «Покупатель» сіздің кездесу сұранысыңызды қабылдады" in page
    assert 'aria-label="Хабарламалар: оқылмағаны 1"' in page
    stolen = client.post(
        f"/notifications/{other.id}/read", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert stolen.status_code == 404
    client.post("/notifications/read", data={"csrf_token": csrf})
    assert service.unread_count(db_session, kk_user) == 0
    assert service.unread_count(db_session, fair.buyer_users[0]) == 1


def test_the_settings_store_a_mode_per_kind(
    db_session: Session, client: TestClient, no_smtp: None
) -> None:
    fair = make_fair(db_session)
    user = fair.buyer_users[0]
    csrf = login(client, user)
    page = client.get("/notifications/settings?lang=ru").text
    assert 'name="mode_strong_matches" value="digest" aria-describedby' in page
    client.post(
        "/notifications/settings",
        data={"csrf_token": csrf, "mode_request_received": "off", "mode_job_done": "nonsense"},
    )
    modes = service.modes_of(db_session, user)
    assert modes[Kind.REQUEST_RECEIVED] is Mode.OFF
    assert modes[Kind.JOB_DONE] is Mode.IMMEDIATE
    _request(db_session, fair)
    assert service.unread_count(db_session, user) == 0


def test_the_calendar_feed_follows_the_schedule_and_a_reset_ends_the_old_address(
    db_session: Session, client: TestClient, no_smtp: None
) -> None:
    fair = make_fair(db_session)
    request_id = _request(db_session, fair)
    answer_request(db_session, fair.buyer_users[0], fair.event.id, request_id, True)
    user = fair.buyer_users[0]
    csrf = login(client, user)
    assert "webcal://" not in client.get("/notifications/settings").text  # GET makes nothing
    client.post("/notifications/calendar", data={"csrf_token": csrf})
    feed = feeds.feed_of(db_session, user)
    assert feed is not None
    page = client.get("/notifications/settings").text
    assert f"webcal://127.0.0.1:8000/calendar/{feed.token}.ics" in page

    before = client.get(f"/calendar/{feed.token}.ics")
    assert before.status_code == 200
    assert before.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in before.text and "VEVENT" not in before.text
    scheduling.solve_for(db_session, fair.organiser, fair.event.id, time_limit=2)
    after = client.get(f"/calendar/{feed.token}.ics").text  # no login: the token is the key
    assert f"seriktes-meeting-{request_id}@seriktes" in after

    old = feed.token
    client.post("/notifications/calendar", data={"csrf_token": csrf})
    assert client.get(f"/calendar/{old}.ics").status_code == 404


def test_the_json_routes_list_count_and_mark_read(
    db_session: Session, client: TestClient, no_smtp: None
) -> None:
    fair = make_fair(db_session)
    _request(db_session, fair)
    user, other = fair.buyer_users
    headers = token_headers(db_session, user)
    assert client.get("/api/v1/notifications/unread").status_code == 401
    assert client.get("/api/v1/notifications/unread", headers=headers).json() == {"unread": 1}
    listed = client.get("/api/v1/notifications?lang=en", headers=headers).json()
    [item] = listed["items"]
    assert item["subject"] == "Meeting request from ТОО «Производитель»"
    assert item["link"].endswith(f"/events/{fair.event.id}/requests")
    theirs = service.page_of(db_session, other, PageRequest(1, 10)).items[0].id
    url = "/api/v1/notifications/{}/read"
    assert client.post(url.format(theirs), headers=headers).status_code == 404
    marked = client.post(url.format(item["id"]), headers=headers).json()
    assert marked["read_at"] is not None
    assert client.post("/api/v1/notifications/read", headers=headers).json() == {"marked": 0}
    assert client.post("/api/v1/notifications/read").status_code == 401
