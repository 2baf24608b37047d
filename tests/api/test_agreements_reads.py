"""Reading agreements through the API: the public sees published memoranda and their
progress, never deals or the audit log; members see their own deals."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.agreements.models import MemorandumStatus
from tests.api.agreementkit import Scene, make_scene
from tests.api.conftest import World


@pytest.fixture
def scene(world: World, db_session: Session) -> Scene:
    """The agreements API scene."""
    return make_scene(world, db_session)


def test_the_public_reads_published_memoranda_with_computed_progress(
    client: TestClient, scene: Scene
) -> None:
    listed = client.get("/api/v1/memoranda").json()
    assert [m["number"] for m in listed["items"]] == ["М-API-1"]
    assert listed["items"][0]["sectors"] == ["industry"]
    commitments = client.get(f"/api/v1/memoranda/{scene.memo.id}/commitments").json()
    statuses = {c["kpi"]: c["progress"]["status"] for c in commitments}
    assert set(statuses) == {"turnover_kzt", "jobs"}
    assert all(c["progress"]["rule"] for c in commitments)
    rules = client.get("/api/v1/agreements/rules").json()
    assert "0.8" in rules["status"] and rules["rates_to_kzt"]["KZT"] == "1"


def test_drafts_deals_and_the_audit_log_are_not_public(
    client: TestClient, world: World, scene: Scene, db_session: Session
) -> None:
    assert client.get("/api/v1/deals").json()["total"] == 0
    assert client.get(f"/api/v1/deals/{scene.deal.id}").status_code == 404
    assert client.get(f"/api/v1/memoranda/{scene.memo.id}/audit").status_code == 403
    scene.memo.status = MemorandumStatus.DRAFT
    db_session.flush()
    assert client.get("/api/v1/memoranda").json()["total"] == 0
    assert client.get(f"/api/v1/memoranda/{scene.memo.id}").status_code == 404
    coordinator = world.headers("coordinator")
    assert client.get(f"/api/v1/memoranda/{scene.memo.id}", headers=coordinator).status_code == 200


def test_members_read_their_own_deals_only(client: TestClient, world: World, scene: Scene) -> None:
    mine = client.get("/api/v1/deals", headers=world.headers("member")).json()
    assert [d["number"] for d in mine["items"]] == ["API-1"]
    assert mine["items"][0]["deliveries"][0]["amount_kzt"] is not None
    theirs = client.get("/api/v1/deals", headers=world.headers("other_member")).json()
    assert theirs["total"] == 0
    log = client.get(
        f"/api/v1/deals/{scene.deal.id}/audit", headers=world.headers("coordinator")
    ).json()
    assert [e["action"] for e in log["items"]] == ["create"]
    # the raw entry keeps its reading beside it, in the request's language
    created = log["items"][0]
    assert "buyer_id" in created["after"]
    assert created["text"] == "Сделка № API-1 создана"  # Russian first
    assert "buyer_id" not in {c["field"] for c in created["changes"]}
    assert "Заказчик" in {c["field"] for c in created["changes"]}
    english = client.get(
        f"/api/v1/deals/{scene.deal.id}/audit?lang=en", headers=world.headers("coordinator")
    ).json()
    assert english["items"][0]["text"] == "Deal No. API-1 created"
    assert "Buyer" in {c["field"] for c in english["items"][0]["changes"]}


def test_the_signed_document_goes_up_and_comes_back(
    client: TestClient, world: World, scene: Scene
) -> None:
    url = f"/api/v1/memoranda/{scene.memo.id}/document"
    assert client.get(url).status_code == 404
    files = {"file": ("Меморандум.pdf", b"%PDF-1.4 signed", "application/pdf")}
    response = client.put(url, files=files, headers=world.headers("coordinator"))
    assert response.json()["document_filename"] == "Меморандум.pdf"
    download = client.get(url)
    assert download.content == b"%PDF-1.4 signed"
    assert download.headers["content-type"] == "application/pdf"
