"""Every write route of the meeting days (arrivals, absentees, outcomes): who may call it, and
that refused calls change nothing. The scene's meeting is scheduled and the clock stands at
the end of its day, so that everyone is late and every meeting is over."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.events import requests, scheduling
from seriktes.events.models import (
    Checkin,
    MeetingOutcome,
    MeetingRequest,
    MeetingStatus,
    Participant,
)
from seriktes.kit import clock
from tests.api.conftest import REFUSED, World
from tests.api.eventkit import Scene, make_scene
from tests.api.test_events_writes import Route
from tests.webkit import make_user

END_OF_THE_DAY = datetime(2099, 6, 1, 15, 0, tzinfo=UTC)  # 20:00 in Almaty


@pytest.fixture
def scene(world: World, db_session: Session, monkeypatch: pytest.MonkeyPatch) -> Scene:
    """The events API scene with its request accepted and scheduled, at the day's end."""
    made = make_scene(world, db_session)
    boss = make_user(db_session, Role.ADMIN)
    requests.answer_request(db_session, boss, made.event.id, made.asked.id, True)
    scheduling.schedule_event(db_session, made.event.id, time_limit=2)
    assert made.asked.meeting_status is MeetingStatus.SCHEDULED
    monkeypatch.setattr(clock, "now", lambda: END_OF_THE_DAY)
    return made


def _e(s: Scene) -> str:
    return f"/api/v1/events/{s.event.id}"


ROUTES = [
    Route(
        "POST /events/{id}/arrivals",
        lambda s: f"{_e(s)}/arrivals",
        lambda s: {"participant_id": s.guest.id},
        False,
        200,
    ),
    Route(
        "POST /events/{id}/arrivals/scan",
        lambda s: f"{_e(s)}/arrivals/scan",
        lambda s: {"token": s.guest.checkin_token},
        False,
        200,
    ),
    Route(
        "POST /events/{id}/arrivals/undo",
        lambda s: f"{_e(s)}/arrivals/undo",
        lambda s: {"participant_id": s.owner.id},
        False,
        200,
    ),
    Route(
        "POST /events/{id}/arrivals/absent",
        lambda s: f"{_e(s)}/arrivals/absent",
        lambda s: {"participant_ids": [s.guest.id]},
        False,
        200,
    ),
    Route(
        "POST /events/{id}/meetings/{mid}/outcomes",
        lambda s: f"{_e(s)}/meetings/{s.asked.id}/outcomes",
        lambda s: {"participant_id": s.owner.id, "held": True, "outcome": "deal_expected"},
        True,
        200,
        refused=(404, "NotFound"),  # others do not even see the meeting
    ),
]
TABLES = (Participant, MeetingRequest, Checkin, MeetingOutcome)


def everything(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every row of the tables these routes write, read afresh."""
    session.flush()
    session.expire_all()
    result = {}
    for model in TABLES:
        columns = [c.key for c in inspect(model).column_attrs if c.key != "updated_at"]
        rows = session.scalars(select(model).order_by(model.id)).all()
        result[model.__tablename__] = [{c: getattr(r, c) for c in columns} for r in rows]
    return result


def _with_an_arrival(session: Session, scene: Scene) -> None:
    """The owner has arrived (the undo route takes it back)."""
    session.add(Checkin(participant_id=scene.owner.id, day=0))
    session.flush()


def call(client: TestClient, route: Route, scene: Scene, headers: dict[str, str]) -> Any:
    return client.request(route.method, route.path(scene), json=route.body(scene), headers=headers)


@pytest.mark.parametrize("actor", REFUSED)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_refused_day_writes_change_nothing(
    client: TestClient, world: World, scene: Scene, db_session: Session, route: Route, actor: str
) -> None:
    _with_an_arrival(db_session, scene)
    before = everything(db_session)
    response = call(client, route, scene, world.headers(actor))
    expected = (401, "NotAuthenticated") if actor == "public" else route.refused
    assert (response.status_code, response.json()["error"]) == expected, response.text
    assert everything(db_session) == before


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.member_allowed], ids=lambda r: r.name)
def test_members_record_no_arrivals(
    client: TestClient, world: World, scene: Scene, db_session: Session, route: Route
) -> None:
    _with_an_arrival(db_session, scene)
    before = everything(db_session)
    response = call(client, route, scene, world.headers("member"))
    assert response.status_code == 403, response.text
    assert everything(db_session) == before


@pytest.mark.parametrize("actor", ["coordinator", "admin"])
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_organisers_may_write_the_day(
    client: TestClient, world: World, scene: Scene, db_session: Session, route: Route, actor: str
) -> None:
    _with_an_arrival(db_session, scene)
    before = everything(db_session)
    response = call(client, route, scene, world.headers(actor))
    assert response.status_code == route.success, response.text
    assert everything(db_session) != before


def test_a_member_records_its_own_side_s_outcome_only(
    client: TestClient, world: World, scene: Scene, db_session: Session
) -> None:
    url = f"{_e(scene)}/meetings/{scene.asked.id}/outcomes"
    own = {"participant_id": scene.owner.id, "held": True, "outcome": "cooperation_possible"}
    done = client.post(url, json=own, headers=world.headers("member"))
    assert done.status_code == 200, done.text
    assert done.json()["outcome"] == "cooperation_possible"
    other = {"participant_id": scene.guest.id, "held": False}
    refused = client.post(url, json=other, headers=world.headers("member"))
    assert (refused.status_code, refused.json()["error"]) == (403, "Forbidden")
    read = client.get(url, headers=world.headers("member")).json()
    assert [(o["participant_id"], o["held"]) for o in read] == [(scene.owner.id, True)]
    bad = client.post(url, json={**own, "outcome": "maybe"}, headers=world.headers("member"))
    assert bad.status_code == 422


def test_the_arrivals_and_the_funnel_read_as_json(
    client: TestClient, world: World, scene: Scene, db_session: Session
) -> None:
    headers = world.headers("coordinator")
    client.post(f"{_e(scene)}/arrivals", json={"participant_id": scene.owner.id}, headers=headers)
    day = client.get(f"{_e(scene)}/arrivals?day=0", headers=headers).json()
    assert (day["arrived"], day["expected"]) == (1, 2)
    late = [p["participant_id"] for p in day["participants"] if p["late"]]
    assert late == [scene.guest.id]
    assert client.get(f"{_e(scene)}/arrivals?day=3", headers=headers).status_code == 422
    assert client.get(f"{_e(scene)}/arrivals").status_code == 401
    assert client.get(f"{_e(scene)}/arrivals", headers=world.headers("member")).status_code == 403
    funnel = client.get(f"{_e(scene)}/funnel", headers=headers).json()
    assert (funnel["requests"], funnel["accepted"], funnel["scheduled"]) == (1, 1, 1)
    assert (funnel["held"], funnel["deals"], funnel["confirmed_amount_kzt"]) == (0, 0, "0")
    assert client.get(f"{_e(scene)}/funnel", headers=world.headers("member")).status_code == 403
