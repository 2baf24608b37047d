"""The goszakup page: a coordinator pulls their region's plans as a background job against a
local OWS server, sees the job's end and the sync's state; others are refused."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.catalog.models import Need
from seriktes.jobs.models import Job, JobStatus
from seriktes.registry.models import Organisation
from tests.goszakup_server import TOKEN, PlanService, plan_items, serve
from tests.webkit import build_app, login, make_org, make_user

ALMATY_OBLAST = "190000000"
BUYER = "030940003233"


def needs_count(session: Session) -> int:
    return session.scalar(select(func.count(Need.id))) or 0


def test_a_coordinator_pulls_their_region_s_plans_as_a_job(db_session: Session) -> None:
    service = PlanService(plan_items(), limit=50, failures={2: 429})
    with serve(service):
        app = build_app(db_session, goszakup_url=service.url, goszakup_token=TOKEN)
        coordinator = make_user(db_session, Role.COORDINATOR, kato=ALMATY_OBLAST)
        with TestClient(app) as client:
            csrf = login(client, coordinator)
            page = client.get("/goszakup")
            assert page.status_code == 200
            assert re.search(rf'<option value="{ALMATY_OBLAST}" selected>', page.text)
            started = client.post(
                "/goszakup/sync",
                data={"csrf_token": csrf, "bin": "", "region": ALMATY_OBLAST, "year": ""},
                follow_redirects=False,
            )
            assert started.status_code == 303
            shown = client.get(started.headers["location"])
    job = db_session.scalars(select(Job)).one()
    assert job.status is JobStatus.DONE, job.error
    assert job.summary is not None and job.summary["fetched"] == 212
    assert job.summary["created"] == needs_count(db_session) > 0
    assert job.summary["retries"] == 1
    assert f'data-job="{job.id}"' in shown.text
    assert f'data-sync="region:{ALMATY_OBLAST}"' in shown.text
    assert service.requests[0] == "/v3/plans/all"


def test_a_coordinator_may_not_pull_another_region_s_buyer(db_session: Session) -> None:
    buyer = make_org(db_session, ALMATY_OBLAST)
    service = PlanService(plan_items())
    with serve(service):
        app = build_app(db_session, goszakup_url=service.url, goszakup_token=TOKEN)
        other = make_user(db_session, Role.COORDINATOR, kato="630000000")
        with TestClient(app) as client:
            csrf = login(client, other)
            refused = client.post(
                "/goszakup/sync",
                data={"csrf_token": csrf, "bin": buyer.bin, "region": ""},
                follow_redirects=False,
            )
    assert refused.status_code == 403
    assert "координаторы его региона" in refused.text  # in the page's language
    assert service.requests == [] and needs_count(db_session) == 0


def test_an_administrator_pulls_a_buyer_the_register_does_not_know(db_session: Session) -> None:
    service = PlanService(plan_items(), limit=10)
    with serve(service):
        app = build_app(db_session, goszakup_url=service.url, goszakup_token=TOKEN)
        admin = make_user(db_session, Role.ADMIN)
        with TestClient(app) as client:
            csrf = login(client, admin)
            started = client.post(
                "/goszakup/sync",
                data={"csrf_token": csrf, "bin": BUYER, "year": "2020"},
                follow_redirects=False,
            )
            assert started.status_code == 303
            bad = client.post(
                "/goszakup/sync",
                data={"csrf_token": csrf, "bin": "12345", "year": ""},
                follow_redirects=False,
            )
    assert needs_count(db_session) == 35
    assert db_session.scalar(select(Organisation.id).where(Organisation.bin == BUYER))
    assert bad.status_code == 422 and "БИН" in bad.text  # said in the page's language


def test_members_do_not_open_the_page(db_session: Session) -> None:
    app = build_app(db_session)
    member = make_user(db_session, Role.MEMBER, make_org(db_session))
    with TestClient(app) as client:
        login(client, member)
        assert client.get("/goszakup").status_code == 403
