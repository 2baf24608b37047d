"""Needs and offers written through the API are matched in the same request: the need's
producers are there as soon as the answer is, and offers join or leave the needs' matches."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.api.conftest import SKO, World
from tests.webkit import make_need, make_offer, make_org

LINER = "Футеровка мельницы МШЦ 3600"


def producers(client: TestClient, need_id: int, headers: dict[str, str]) -> list[int]:
    """The offers of a need's stored matches, best first, as the API gives them."""
    answer = client.get(f"/api/v1/needs/{need_id}/matches", headers=headers)
    assert answer.status_code == 200, answer.text
    return [match["offer"]["id"] for match in answer.json()["matches"]]


def test_a_need_created_through_the_api_has_its_producers_at_once(
    client: TestClient, world: World, db_session: Session
) -> None:
    offer = make_offer(db_session, world.other, f"{LINER} резиновая")
    headers = world.headers("member")
    body = {"buyer_id": world.owner.id, "title": LINER, "status": "published"}
    created = client.post("/api/v1/needs", json=body, headers=headers)
    assert created.status_code == 201, created.text
    need_id = created.json()["id"]
    assert producers(client, need_id, headers) == [offer.id]

    changed = client.patch(
        f"/api/v1/needs/{need_id}", json={"title": "Мука пшеничная"}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    assert producers(client, need_id, headers) == [], "ranked again: the liner no longer fits"


def test_offers_written_through_the_api_join_and_leave_the_needs_matches(
    client: TestClient, world: World, db_session: Session
) -> None:
    need = make_need(db_session, world.owner, LINER)
    headers = world.headers("admin")
    assert producers(client, need.id, headers) == []
    first = client.post(
        "/api/v1/offers",
        json={"producer_id": world.other.id, "title": f"{LINER} резиновая", "status": "published"},
        headers=headers,
    ).json()["id"]
    second_producer = make_org(db_session, SKO, "ТОО «Север Резина»")
    second = client.post(
        "/api/v1/offers",
        json={"producer_id": second_producer.id, "title": LINER, "status": "published"},
        headers=headers,
    ).json()["id"]
    assert sorted(producers(client, need.id, headers)) == sorted([first, second])

    unpublished = client.patch(f"/api/v1/offers/{first}", json={"status": "draft"}, headers=headers)
    assert unpublished.status_code == 200, unpublished.text
    assert producers(client, need.id, headers) == [second]
    assert client.delete(f"/api/v1/offers/{second}", headers=headers).status_code == 204
    assert producers(client, need.id, headers) == []
