"""Reading events through the API: programmes, the schedule and agendas in three formats."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy.orm import Session

from seriktes.events import requests, scheduling
from seriktes.events.schemas import EventOut, ParticipantOut, RequestOut, VisitOut
from tests.api.conftest import World
from tests.api.eventkit import Scene, make_scene
from tests.api.test_views import assert_valid


@pytest.fixture
def scene(world: World, db_session: Session) -> Scene:
    """The events API scene (see tests.api.eventkit)."""
    return make_scene(world, db_session)


def _scheduled(world: World, scene: Scene, db_session: Session) -> None:
    admin = world.user("admin")
    assert admin is not None
    requests.answer_request(db_session, admin, scene.event.id, scene.asked.id, True)
    scheduling.schedule_event(db_session, scene.event.id, time_limit=2)


def test_the_public_reads_a_published_programme(
    client: TestClient, scene: Scene, world: World, db_session: Session
) -> None:
    _scheduled(world, scene, db_session)
    listed = client.get("/api/v1/events").json()
    assert [e["title"] for e in listed["items"]] == ["Дни Павлодарской области в ВКО"]
    people = client.get(f"/api/v1/events/{scene.event.id}/participants").json()
    assert {p["side"] for p in people} == {"host", "guest"}
    grid = client.get(f"/api/v1/events/{scene.event.id}/schedule").json()
    assert len(grid["meetings"]) == 1 and grid["info"] == {}
    assert client.get(f"/api/v1/events/{scene.event.id}/requests").json() == []


def test_organisers_see_the_run_and_the_requests(
    client: TestClient, scene: Scene, world: World, db_session: Session
) -> None:
    _scheduled(world, scene, db_session)
    headers = world.headers("coordinator")
    grid = client.get(f"/api/v1/events/{scene.event.id}/schedule", headers=headers).json()
    assert grid["info"]["scheduled"] == 1 and grid["waiting"] == []
    found = client.get(f"/api/v1/events/{scene.event.id}/requests", headers=headers).json()
    assert [r["state"] for r in found] == ["accepted"]
    plan = client.get(f"/api/v1/events/{scene.event.id}/table-plan.pdf", headers=headers)
    assert plan.content.startswith(b"%PDF")
    assert client.get(f"/api/v1/events/{scene.event.id}/table-plan.pdf").status_code == 403


def test_agendas_as_json_pdf_and_ics(
    client: TestClient, scene: Scene, world: World, db_session: Session
) -> None:
    _scheduled(world, scene, db_session)
    base = f"/api/v1/events/{scene.event.id}/participants/{scene.owner.id}"
    mine = world.headers("member")  # a member of the owner organisation
    items = client.get(f"{base}/agenda", headers=mine).json()["items"]
    assert [i["with_organisation"] for i in items] == ["ТОО «Павлодар Машзавод»"]
    pdf = client.get(f"{base}/agenda.pdf?lang=kk", headers=mine)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    ics = client.get(f"{base}/agenda.ics", headers=mine)
    assert ics.headers["content-type"].startswith("text/calendar")
    assert len(Calendar.from_ical(ics.content).walk("VEVENT")) == 1
    assert client.get(f"{base}/agenda.pdf?lang=de", headers=mine).status_code == 422


def test_every_events_view_is_a_valid_model(
    scene: Scene, world: World, db_session: Session
) -> None:
    assert_valid(EventOut.of(scene.event))
    assert_valid(ParticipantOut.of(scene.owner, "host"))
    assert_valid(RequestOut.of(scene.asked, scene.asked.state, False))
    assert_valid(VisitOut.of(scene.visit, [scene.owner.id]))
