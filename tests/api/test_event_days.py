"""Meeting days through the JSON API: created with an event, read back with the first day's
fields kept, changed by PATCH (a day holding a meeting is refused with 409)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.events import requests, scheduling
from tests.api.conftest import VKO, World
from tests.api.eventkit import PAVLODAR, make_scene


def test_an_event_with_two_meeting_days_is_created_and_read(
    client: TestClient, world: World
) -> None:
    body = {
        "title": "Дни Павлодарской области в ВКО",
        "host_region": VKO,
        "guest_region": PAVLODAR,
        "starts_on": "2099-09-01",
        "ends_on": "2099-09-03",
        "days": [
            {"meets_on": "2099-09-03", "morning_slots": 2, "afternoon_slots": 0, "tables": 3},
            {"meets_on": "2099-09-01", "morning_slots": 3, "afternoon_slots": 3, "tables": 5},
        ],
    }
    created = client.post("/api/v1/events", json=body, headers=world.headers("coordinator"))
    assert created.status_code == 201, created.text
    event = client.get(f"/api/v1/events/{created.json()['id']}",
                       headers=world.headers("coordinator")).json()  # fmt: skip
    assert [(d["meets_on"], d["first_slot"], d["tables"]) for d in event["days"]] == [
        ("2099-09-01", 0, 5),
        ("2099-09-03", 6, 3),
    ]
    assert (event["meetings_on"], event["tables"], event["slots"]) == ("2099-09-01", 5, 8)
    same_day = {**body, "days": [body["days"][0], body["days"][0]]}
    refused = client.post("/api/v1/events", json=same_day, headers=world.headers("coordinator"))
    assert refused.status_code == 422


def test_a_day_holding_a_meeting_is_not_removed_by_patch(
    client: TestClient, world: World, db_session: Session
) -> None:
    scene = make_scene(world, db_session)  # one day, 1 June 2099, 3 + 3 slots
    admin = world.user("admin")
    assert admin is not None
    requests.answer_request(db_session, admin, scene.event.id, scene.asked.id, True)
    scheduling.schedule_event(db_session, scene.event.id, time_limit=1)
    path = f"/api/v1/events/{scene.event.id}"
    headers = world.headers("coordinator")
    (first,) = client.get(path, headers=headers).json()["days"]
    second = {"meets_on": "2099-06-02", "morning_slots": 2, "afternoon_slots": 0}
    added = client.patch(path, json={"days": [first, second]}, headers=headers)
    assert added.status_code == 200, added.text
    assert [d["meets_on"] for d in added.json()["days"]] == ["2099-06-01", "2099-06-02"]
    kept = added.json()["days"][1]
    gone = client.patch(path, json={"days": [kept]}, headers=headers)
    assert gone.status_code == 409
    assert "01.06.2099" in gone.json()["detail"]
    grid = client.get(f"{path}/schedule", headers=headers).json()
    assert len(grid["meetings"]) == 1 and [d["meets_on"] for d in grid["days"]] == [
        "2099-06-01",
        "2099-06-02",
    ]
