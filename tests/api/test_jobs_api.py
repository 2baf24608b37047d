"""The job routes: who may start a schedule build or a report, follow, cancel and download
a job. A database in memory runs jobs inline, in the request, so each start here also ends."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.events import requests, service
from seriktes.events.schemas import RequestIn
from seriktes.jobs.models import Job, JobStatus
from tests.events.conftest import SKO, VKO, Day, event_in
from tests.webkit import make_org, make_user, token_headers


@pytest.fixture
def day(db_session: Session) -> Day:
    """An event of ВКО with two buyers and three producers of СКО."""
    organiser = make_user(db_session, Role.COORDINATOR, kato=VKO)
    made = Day(db_session, organiser, service.create_event(db_session, organiser, event_in()))
    made.buyers = [made.join(make_org(db_session, VKO)) for _ in range(2)]
    made.producers = [made.join(make_org(db_session, SKO)) for _ in range(3)]
    return made


def _accepted(day: Day) -> None:
    for buyer, producer in ((0, 0), (0, 1), (1, 2)):
        data = RequestIn(requester_id=day.buyers[buyer].id, recipient_id=day.producers[producer].id)
        made = requests.create_request(day.session, day.organiser, day.event.id, data)
        requests.answer_request(day.session, day.organiser, day.event.id, made.id, True)


def test_only_organisers_build_a_schedule_as_a_job(
    client: TestClient, day: Day, db_session: Session
) -> None:
    _accepted(day)
    url = f"/api/v1/events/{day.event.id}/schedule/jobs"
    member = make_user(db_session, Role.MEMBER, day.buyers[0].organisation)
    stranger = make_user(db_session, Role.COORDINATOR, kato="550000000")
    assert client.post(url, json={}).status_code == 401
    assert client.post(url, json={}, headers=token_headers(db_session, member)).status_code == 403
    refused = client.post(url, json={}, headers=token_headers(db_session, stranger))
    assert refused.status_code in (403, 404)
    assert db_session.query(Job).count() == 0  # refused calls queue nothing
    bad = client.post(url, json={"time_limit": 5}, headers=token_headers(db_session, day.organiser))
    assert bad.status_code == 422  # 10 s to 5 min
    started = client.post(
        url, json={"time_limit": 10}, headers=token_headers(db_session, day.organiser)
    )
    assert started.status_code == 202
    job = started.json()
    assert job["status"] == "done" and job["summary"]["scheduled"] == 3
    assert job["result_url"] == f"/api/v1/events/{day.event.id}/schedule".removeprefix("/api/v1")


def test_a_job_is_seen_and_cancelled_by_its_starter_and_administrators_only(
    client: TestClient, day: Day, db_session: Session
) -> None:
    _accepted(day)
    owner = token_headers(db_session, day.organiser)
    job = client.post(
        f"/api/v1/events/{day.event.id}/schedule/jobs?lang=ru", json={}, headers=owner
    ).json()
    other = token_headers(db_session, make_user(db_session, Role.COORDINATOR, kato=VKO))
    admin = token_headers(db_session, make_user(db_session, Role.ADMIN))
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=other).status_code == 404
    assert client.get(f"/api/v1/jobs/{job['id']}", headers=admin).status_code == 200
    seen = client.get(f"/api/v1/jobs/{job['id']}?lang=kk", headers=owner).json()
    assert seen["status_label"] == "дайын" and seen["label"] == "Кестені құру"
    assert [j["id"] for j in client.get("/api/v1/jobs", headers=other).json()] == []
    assert client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=other).status_code == 404
    assert client.post(f"/api/v1/jobs/{job['id']}/cancel").status_code == 401
    ended = client.post(f"/api/v1/jobs/{job['id']}/cancel?lang=ru", headers=owner)
    assert ended.status_code == 409 and ended.json()["detail"] == "задача уже завершена"


def test_a_queued_job_is_cancelled_by_its_starter(
    client: TestClient, day: Day, db_session: Session
) -> None:
    queued = Job(
        kind="schedule.solve",
        user_id=day.organiser.id,
        object_type="event",
        object_id=day.event.id,
        params={},
        active_key="x",
        status=JobStatus.QUEUED,
    )
    db_session.add(queued)
    db_session.flush()
    answer = client.post(
        f"/api/v1/jobs/{queued.id}/cancel", headers=token_headers(db_session, day.organiser)
    )
    assert answer.status_code == 200 and answer.json()["status"] == "cancelled"
    db_session.refresh(queued)
    assert queued.active_key is None  # the object may be built again


def test_reports_are_made_for_analytics_readers_and_downloaded_by_their_starter(
    client: TestClient, db_session: Session
) -> None:
    body = {"host": VKO, "guest": SKO, "format": "xlsx"}
    member = make_user(db_session, Role.MEMBER, make_org(db_session, VKO))
    refused = client.post(
        "/api/v1/analytics/pair/report-jobs", json=body, headers=token_headers(db_session, member)
    )
    assert refused.status_code == 403
    reader = token_headers(db_session, make_user(db_session, Role.COORDINATOR, kato=VKO))
    started = client.post("/api/v1/analytics/pair/report-jobs", json=body, headers=reader)
    assert started.status_code == 202
    job = started.json()
    assert job["status"] == "done" and job["result_url"] == f"/jobs/{job['id']}/result"
    made = client.get(f"/api/v1/jobs/{job['id']}/result", headers=reader)
    assert made.status_code == 200 and made.content[:2] == b"PK"  # a workbook
    other = token_headers(db_session, make_user(db_session, Role.COORDINATOR, kato=SKO))
    assert client.get(f"/api/v1/jobs/{job['id']}/result", headers=other).status_code == 404
