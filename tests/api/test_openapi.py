"""The OpenAPI document says what the application answers: the one error shape for every
4xx, security on the routes that need a user, date-times with an offset."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.events import requests, scheduling
from tests.api.conftest import World
from tests.api.eventkit import make_scene
from tests.webkit import make_user

SIGNED_IN = [{"bearer": []}, {"session": []}]


@pytest.fixture
def document(client: TestClient) -> dict[str, Any]:
    answer = client.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()
    return found


def _answers(document: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    return [
        (path, method, code, answer)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        for code, answer in operation["responses"].items()
    ]


def test_every_error_answer_is_declared_in_the_application_s_shape(
    document: dict[str, Any],
) -> None:
    errors = [a for a in _answers(document) if a[2].startswith("4")]
    assert any(code == "422" for _, _, code, _ in errors)
    for path, method, code, answer in errors:
        schema = answer["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (path, method, code)
    shape = document["components"]["schemas"]["ErrorOut"]
    assert set(shape["required"]) == {"error", "detail", "errors"}
    assert "HTTPValidationError" not in document["components"]["schemas"]


def test_a_validation_error_answers_as_declared(client: TestClient, world: World) -> None:
    # the imports routes had FastAPI's `detail` array declared for 422
    answer = client.get("/api/v1/imports/not-a-number", headers=world.headers("admin"))
    assert answer.status_code == 422
    body = answer.json()
    assert set(body) == {"error", "code", "detail", "params", "errors"}
    assert body["errors"][0]["loc"] == ["path", "upload_id"]


def test_routes_that_need_a_user_declare_how_to_sign_in(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {"type": "http", "scheme": "bearer", "description": "An API token"}
    assert (schemes["session"]["in"], schemes["session"]["name"]) == ("cookie", "seriktes_session")
    paths = document["paths"]
    assert paths["/api/v1/imports"]["post"]["security"] == SIGNED_IN
    assert paths["/api/v1/events"]["post"]["security"] == SIGNED_IN
    assert paths["/api/v1/organisations/{org_id}"]["patch"]["security"] == SIGNED_IN
    # a signed-in user reads more here, but the public may call it
    assert paths["/api/v1/organisations/{org_id}"]["get"]["security"] == [{}, *SIGNED_IN]
    assert "security" not in paths["/api/v1/regions"]["get"]
    writes = [
        (path, method)
        for path, operations in paths.items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch", "delete")
    ]
    assert writes
    assert all(paths[p][m].get("security") == SIGNED_IN for p, m in writes), [
        (p, m) for p, m in writes if paths[p][m].get("security") != SIGNED_IN
    ]


def test_meeting_times_in_the_schedule_have_an_offset(
    client: TestClient, world: World, db_session: Session, document: dict[str, Any]
) -> None:
    meeting = document["components"]["schemas"]["MeetingOut"]["properties"]
    assert meeting["starts"]["format"] == meeting["ends"]["format"] == "date-time"
    scene = make_scene(world, db_session)
    admin = make_user(db_session, Role.ADMIN)
    requests.answer_request(db_session, admin, scene.event.id, scene.asked.id, True)
    scheduling.schedule_event(db_session, scene.event.id, time_limit=1)
    grid = client.get(f"/api/v1/events/{scene.event.id}/schedule").json()
    (only,) = grid["meetings"]
    starts, ends = datetime.fromisoformat(only["starts"]), datetime.fromisoformat(only["ends"])
    assert starts.utcoffset() is not None and ends.utcoffset() is not None
    local = starts.astimezone(ZoneInfo(scene.event.timezone))
    assert local.date() == scene.event.first_day and ends > starts


def test_events_declare_their_meeting_days_and_keep_the_first_day_s_fields(
    document: dict[str, Any],
) -> None:
    schemas = document["components"]["schemas"]
    event_out = schemas["EventOut"]["properties"]
    assert event_out["days"]["items"] == {"$ref": "#/components/schemas/MeetingDayOut"}
    for old in ("meetings_on", "morning_start", "morning_slots", "tables", "pause_after"):
        assert old in event_out, old  # read as the first day's, as before there were several
    day = schemas["MeetingDayOut"]["properties"]
    assert {"meets_on", "first_slot", "tables", "morning_slots", "afternoon_slots"} <= set(day)
    event_in = schemas["EventIn"]["properties"]
    assert "days" in event_in and "meetings_on" in event_in
    assert {"day", "online", "table"} <= set(schemas["MeetingOut"]["properties"])
    item = schemas["AgendaItemOut"]["properties"]
    assert {"contact_person", "contact_phone", "online", "meeting_url", "day"} <= set(item)
    schedule = schemas["ScheduleOut"]["properties"]
    assert schedule["days"]["items"] == {"$ref": "#/components/schemas/MeetingDayOut"}
