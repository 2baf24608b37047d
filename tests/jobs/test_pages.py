"""The jobs page: a user's jobs, an administrator's platform jobs, a failed job's reason in
the reader's language. The database is in memory, so jobs run inline in the request."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.jobs.models import Job, JobStatus
from seriktes.matches.models import Match
from tests.webkit import login, make_need, make_offer, make_org, make_user


def test_an_administrator_matches_every_need_again_from_the_jobs_page(
    client: TestClient, db_session: Session
) -> None:
    buyer, producer = make_org(db_session, "630000000"), make_org(db_session, "590000000")
    need = make_need(db_session, buyer, "Подшипник роликовый конический")
    make_offer(db_session, producer, "Подшипник роликовый конический 7312")
    token = login(client, make_user(db_session, Role.ADMIN))
    page = client.get("/jobs")
    assert 'action="/jobs/platform/matching"' in page.text
    answer = client.post("/jobs/platform/matching", data={"csrf_token": token})
    assert answer.status_code == 200 and "/jobs" in str(answer.url)
    job = db_session.scalars(select(Job).order_by(Job.id.desc())).first()
    assert job is not None and job.status is JobStatus.DONE and job.summary
    assert job.summary["needs"] >= 1
    assert db_session.scalars(select(Match).where(Match.need_id == need.id)).first() is not None
    assert 'data-status="done"' in answer.text


def test_a_failed_job_says_why_in_the_readers_language(
    client: TestClient, db_session: Session
) -> None:
    token = login(client, make_user(db_session, Role.ADMIN))
    client.post("/jobs/platform/index?lang=kk", data={"csrf_token": token})
    listed = client.get("/jobs?lang=ru")
    assert 'data-status="failed"' in listed.text
    assert "SERIKTES_INDEX_DIR" in listed.text and "индекс" in listed.text


def test_members_neither_see_others_jobs_nor_run_platform_jobs(
    client: TestClient, db_session: Session
) -> None:
    member = make_user(db_session, Role.MEMBER, make_org(db_session, "630000000"))
    token = login(client, member)
    assert 'action="/jobs/platform/' not in client.get("/jobs").text
    refused = client.post("/jobs/platform/matching", data={"csrf_token": token})
    assert refused.status_code == 403
    assert db_session.scalars(select(Job)).first() is None
    assert client.post("/jobs/platform/nothing", data={"csrf_token": token}).status_code == 404
