"""Every write route of the events API: who may call it, and that refused calls change nothing.

The event is hosted by ВКО (the owner organisation's region) with Павлодар as guest, so the
СКО coordinator of the API world organises nothing here and the СКО member takes no part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.events import requests, scheduling, service
from seriktes.events.models import (
    Event,
    EventStatus,
    MeetingDay,
    MeetingRequest,
    Participant,
    SiteVisit,
    VisitSignup,
)
from seriktes.events.schemas import ParticipantIn
from seriktes.registry.models import Organisation
from tests.api.conftest import REFUSED, VKO, World
from tests.api.eventkit import PAVLODAR, Scene, make_scene
from tests.webkit import make_org, make_user, token_headers


@pytest.fixture
def scene(world: World, db_session: Session) -> Scene:
    """The events API scene (see tests.api.eventkit)."""
    return make_scene(world, db_session)


TABLES = (Event, MeetingDay, Participant, MeetingRequest, SiteVisit, VisitSignup)


@dataclass(frozen=True)
class Route:
    """A write route, its body, who besides organisers may call it, and its success code."""

    name: str
    path: Callable[[Scene], str]
    body: Callable[[Scene], dict[str, Any]]
    member_allowed: bool
    success: int
    method: str = "POST"
    refused: tuple[int, str] = (403, "Forbidden")  # for those logged in who may not


def _e(s: Scene) -> str:
    return f"/api/v1/events/{s.event.id}"


ROUTES = [
    Route(
        "POST /events",
        lambda s: "/api/v1/events",
        lambda s: {
            "title": "Дни ВКО в Павлодаре",
            "host_region": PAVLODAR,
            "guest_region": VKO,
            "starts_on": "2099-09-01",
            "ends_on": "2099-09-01",
            "meetings_on": "2099-09-01",
        },
        False,
        201,
    ),
    Route("PATCH /events/{id}", _e, lambda s: {"tables": 7}, False, 200, "PATCH"),
    Route(
        "POST /events/{id}/participants",
        lambda s: f"{_e(s)}/participants",
        lambda s: {"organisation_id": s.spare_org_id, "languages": ["kk"]},
        False,
        201,
    ),
    Route(
        "PATCH /events/{id}/participants/{pid}",
        lambda s: f"{_e(s)}/participants/{s.owner.id}",
        lambda s: {"representatives": "Ахметов А.", "languages": ["kk"], "blocked_slots": [5]},
        True,
        200,
        "PATCH",
    ),
    Route(
        "POST /events/{id}/participants/{pid}/cancel",
        lambda s: f"{_e(s)}/participants/{s.guest.id}/cancel",
        lambda s: {"no_show": True},
        False,
        200,
    ),
    Route(
        "POST /events/{id}/requests",
        lambda s: f"{_e(s)}/requests",
        lambda s: {"requester_id": s.owner.id, "recipient_id": s.guest.id, "note": "Обсудить"},
        True,
        409,  # the pair already has an open request; see the test of a fresh pair below
    ),
    Route(
        "POST /events/{id}/requests/propose",
        lambda s: f"{_e(s)}/requests/propose",
        lambda s: {"per_need": 1},
        False,
        200,
    ),
    Route(
        "POST /events/{id}/requests/{rid}/answer",
        lambda s: f"{_e(s)}/requests/{s.asked.id}/answer",
        lambda s: {"accept": True},
        True,
        200,
        refused=(404, "NotFound"),  # others do not even see the request
    ),
    Route(
        "POST /events/{id}/visits",
        lambda s: f"{_e(s)}/visits",
        lambda s: {"title": "Ферма", "capacity": 3, "first_slot": 0},
        False,
        201,
    ),
    Route(
        "POST /events/{id}/visits/{vid}/signups",
        lambda s: f"{_e(s)}/visits/{s.visit.id}/signups",
        lambda s: {"participant_id": s.owner.id},
        True,
        201,
    ),
    Route(
        "POST /events/{id}/schedule/waiting",
        lambda s: f"{_e(s)}/schedule/waiting",
        lambda s: {},
        False,
        200,
    ),
    Route(
        "POST /events/{id}/schedule",
        lambda s: f"{_e(s)}/schedule",
        lambda s: {"time_limit": 2},
        False,
        200,
    ),
]


def everything(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every row of the events tables, read afresh."""
    session.flush()
    session.expire_all()
    result = {}
    for model in TABLES:
        columns = [c.key for c in inspect(model).column_attrs if c.key != "updated_at"]
        rows = session.scalars(select(model).order_by(model.id)).all()
        result[model.__tablename__] = [{c: getattr(r, c) for c in columns} for r in rows]
    return result


def call(client: TestClient, route: Route, scene: Scene, headers: dict[str, str]) -> Any:
    return client.request(route.method, route.path(scene), json=route.body(scene), headers=headers)


@pytest.mark.parametrize("actor", REFUSED)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_refused_writes_change_nothing(
    client: TestClient, world: World, scene: Scene, db_session: Session, route: Route, actor: str
) -> None:
    before = everything(db_session)
    response = call(client, route, scene, world.headers(actor))
    expected = (401, "NotAuthenticated") if actor == "public" else route.refused
    assert (response.status_code, response.json()["error"]) == expected, response.text
    assert everything(db_session) == before


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.member_allowed], ids=lambda r: r.name)
def test_members_do_not_organise(
    client: TestClient, world: World, scene: Scene, db_session: Session, route: Route
) -> None:
    before = everything(db_session)
    response = call(client, route, scene, world.headers("member"))
    assert response.status_code == 403, response.text
    assert everything(db_session) == before


@pytest.mark.parametrize("actor", ["coordinator", "admin"])
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_organisers_may_write(
    client: TestClient, world: World, scene: Scene, db_session: Session, route: Route, actor: str
) -> None:
    before = everything(db_session)
    response = call(client, route, scene, world.headers(actor))
    assert response.status_code == route.success, response.text
    if route.success < 300 and route.name != "POST /events/{id}/requests/propose":
        assert everything(db_session) != before


@pytest.mark.parametrize("route", [r for r in ROUTES if r.member_allowed], ids=lambda r: r.name)
def test_members_act_for_their_own_organisation(
    client: TestClient, world: World, scene: Scene, db_session: Session, route: Route
) -> None:
    response = call(client, route, scene, world.headers("member"))
    assert response.status_code == route.success, response.text


def test_a_member_requests_a_meeting_with_a_fresh_partner(
    client: TestClient, world: World, scene: Scene, db_session: Session
) -> None:
    other = make_org(db_session, PAVLODAR, "ТОО «Павлодар Агро»")
    admin = world.user("admin")
    assert admin is not None
    fresh = service.add_participant(
        db_session, admin, scene.event.id, ParticipantIn(organisation_id=other.id)
    )
    response = client.post(
        f"/api/v1/events/{scene.event.id}/requests",
        json={"requester_id": scene.owner.id, "recipient_id": fresh.id},
        headers=world.headers("member"),
    )
    assert response.status_code == 201, response.text
    assert response.json()["state"] == "requested"
    stored_request = db_session.get(MeetingRequest, response.json()["id"])
    assert stored_request is not None and stored_request.requester_id == scene.owner.id


def test_a_draft_event_is_not_found_by_members(
    client: TestClient, world: World, scene: Scene, db_session: Session
) -> None:
    scene.event.status = EventStatus.DRAFT
    db_session.flush()
    before = everything(db_session)
    for route in ROUTES[1:]:
        response = call(client, route, scene, world.headers("other_member"))
        assert response.status_code == 404, (route.name, response.text)
    assert everything(db_session) == before


def test_the_answer_is_stored(
    client: TestClient, world: World, scene: Scene, db_session: Session
) -> None:
    response = client.post(
        f"/api/v1/events/{scene.event.id}/requests/{scene.asked.id}/answer",
        json={"accept": False},
        headers=world.headers("member"),
    )
    assert response.json()["state"] == "declined"
    assert everything(db_session)["meeting_requests"][0]["state"] == "declined"


# --- availability after the participant is added -------------------------------------------
def test_a_member_may_not_set_the_priority(
    client: TestClient, world: World, scene: Scene, db_session: Session
) -> None:
    before = everything(db_session)
    url = f"{_e(scene)}/participants/{scene.owner.id}"
    for body in ({"priority": 3}, {"blocked_slots": [], "unschedule_conflicts": True}):
        response = client.patch(url, json=body, headers=world.headers("member"))
        assert (response.status_code, response.json()["error"]) == (403, "Forbidden")
    assert everything(db_session) == before


def _scheduled(scene: Scene, world: World, db_session: Session) -> MeetingRequest:
    admin = world.user("admin")
    assert admin is not None
    requests.answer_request(db_session, admin, scene.event.id, scene.asked.id, True)
    scheduling.schedule_event(db_session, scene.event.id, time_limit=2)
    assert scene.asked.slot is not None
    return scene.asked


def test_blocking_a_scheduled_slot_answers_409_naming_the_meeting(
    client: TestClient, world: World, scene: Scene, db_session: Session
) -> None:
    meeting = _scheduled(scene, world, db_session)
    before = everything(db_session)
    response = client.patch(
        f"{_e(scene)}/participants/{scene.owner.id}",
        json={"blocked_slots": [meeting.slot]},
        headers=world.headers("member"),
    )
    assert (response.status_code, response.json()["error"]) == (409, "Conflict")
    errors = response.json()["errors"]
    assert [e["loc"] for e in errors] == [["body", "blocked_slots"]]
    assert f"request {meeting.id}" in errors[0]["msg"] and "Павлодар Машзавод" in errors[0]["msg"]
    assert everything(db_session) == before


def test_an_organiser_sends_the_conflicting_meetings_back_to_waiting(
    client: TestClient, world: World, scene: Scene, db_session: Session
) -> None:
    meeting = _scheduled(scene, world, db_session)
    slot = meeting.slot
    response = client.patch(
        f"{_e(scene)}/participants/{scene.guest.id}",
        json={"blocked_slots": [slot], "unschedule_conflicts": True, "priority": 2},
        headers=world.headers("coordinator"),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["unscheduled"], body["blocked_slots"], body["priority"]) == (
        [meeting.id],
        [slot],
        2,
    )
    rows = everything(db_session)["meeting_requests"]
    assert [(r["id"], r["slot"], r["meeting_status"]) for r in rows] == [(meeting.id, None, None)]
    schedule = client.get(f"{_e(scene)}/schedule", headers=world.headers("coordinator")).json()
    assert (schedule["meetings"], schedule["waiting"]) == ([], [meeting.id])


# --- members register their own organisation ------------------------------------------------
REGISTER = {"representatives": "Жанибеков Д.", "languages": ["ru", "kk"], "session_wish": "morning"}


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("public", (401, "NotAuthenticated")),
        ("other_member", (403, "Forbidden")),  # СКО: neither host nor guest here
        ("other_coordinator", (403, "Forbidden")),
        ("coordinator", (403, "Forbidden")),  # organisers add participants by BIN
        ("admin", (403, "Forbidden")),
        ("member", (409, "Conflict")),  # the owner organisation already takes part
    ],
)
def test_refused_registrations_change_nothing(
    client: TestClient,
    world: World,
    scene: Scene,
    db_session: Session,
    actor: str,
    expected: tuple[int, str],
) -> None:
    before = everything(db_session)
    response = client.post(
        f"{_e(scene)}/registrations", json=REGISTER, headers=world.headers(actor)
    )
    assert (response.status_code, response.json()["error"]) == expected, response.text
    assert everything(db_session) == before


def test_a_member_registers_their_organisation(
    client: TestClient, world: World, scene: Scene, db_session: Session
) -> None:
    spare = db_session.get(Organisation, scene.spare_org_id)
    member = make_user(db_session, Role.MEMBER, spare)
    headers = token_headers(db_session, member)
    response = client.post(f"{_e(scene)}/registrations", json=REGISTER, headers=headers)
    assert response.status_code == 201, response.text
    assert (response.json()["side"], response.json()["priority"]) == ("host", 0)
    stored = db_session.get(Participant, response.json()["id"])
    assert stored is not None and stored.organisation_id == scene.spare_org_id
    assert (stored.languages, stored.session_wish.value) == (["ru", "kk"], "morning")
    again = client.post(f"{_e(scene)}/registrations", json=REGISTER, headers=headers)
    assert (again.status_code, again.json()["error"]) == (409, "Conflict")


@pytest.mark.parametrize(
    ("status", "expected"),
    [(EventStatus.DRAFT, (404, "NotFound")), (EventStatus.CLOSED, (409, "Conflict"))],
)
def test_registration_needs_a_published_event(
    client: TestClient,
    world: World,
    scene: Scene,
    db_session: Session,
    status: EventStatus,
    expected: tuple[int, str],
) -> None:
    spare = db_session.get(Organisation, scene.spare_org_id)
    headers = token_headers(db_session, make_user(db_session, Role.MEMBER, spare))
    scene.event.status = status
    db_session.flush()
    before = everything(db_session)
    response = client.post(f"{_e(scene)}/registrations", json=REGISTER, headers=headers)
    assert (response.status_code, response.json()["error"]) == expected, response.text
    assert everything(db_session) == before
