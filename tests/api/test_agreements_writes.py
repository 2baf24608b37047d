"""Every write route of the agreements API: who may call it, and that refused calls change
nothing (see tests.api.agreementkit for the scene)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from seriktes.agreements.models import (
    AuditEntry,
    Commitment,
    Deal,
    Delivery,
    Memorandum,
    MemorandumParty,
    MemorandumSector,
    MemorandumStatus,
    ProgressReport,
)
from tests.api.agreementkit import PAVLODAR, Scene, make_scene
from tests.api.conftest import REFUSED, VKO, World

TABLES = (
    Memorandum,
    MemorandumParty,
    MemorandumSector,
    Commitment,
    ProgressReport,
    Deal,
    Delivery,
    AuditEntry,
)
FORBIDDEN = (403, "Forbidden")
HIDDEN = (404, "NotFound")


@pytest.fixture
def scene(world: World, db_session: Session) -> Scene:
    """The agreements API scene."""
    return make_scene(world, db_session)


@dataclass(frozen=True)
class Route:
    """A write route, its body, whether the owner's member may call it, its success code and
    what refused users get (403 unless told)."""

    name: str
    path: Callable[[Scene], str]
    body: Callable[[Scene], dict[str, Any]]
    member_allowed: bool
    success: int
    method: str = "POST"
    refused: dict[str, tuple[int, str]] = field(default_factory=dict)
    upload: bool = False


def _m(s: Scene) -> str:
    return f"/api/v1/memoranda/{s.memo.id}"


def _d(s: Scene) -> str:
    return f"/api/v1/deals/{s.deal.id}"


NEW_MEMO = {
    "number": "М-API-2",
    "title": "Об образовании",
    "signed_on": "2026-05-01",
    "sectors": ["education"],
    "parties": [{"region": VKO}, {"region": PAVLODAR}],
}
UNSEEN_DEAL = {"other_member": HIDDEN}  # the deal is not theirs: they do not see it

ROUTES = [
    Route("POST /memoranda", lambda s: "/api/v1/memoranda", lambda s: NEW_MEMO, False, 201),
    Route("PATCH /memoranda/{id}", _m, lambda s: {"place": "Семей"}, False, 200, "PATCH"),
    Route("DELETE /memoranda/{id}", _m, lambda s: {}, False, 204, "DELETE"),
    Route(
        "PUT /memoranda/{id}/document",
        lambda s: f"{_m(s)}/document",
        lambda s: {},
        False,
        200,
        "PUT",
        upload=True,
    ),
    Route(
        "POST /memoranda/{id}/commitments",
        lambda s: f"{_m(s)}/commitments",
        lambda s: {
            "title": "Контракты",
            "kpi": "contracts_count",
            "target": 5,
            "deadline": "2026-12-31",
        },
        False,
        201,
    ),
    Route(
        "PATCH /commitments/{id}",
        lambda s: f"/api/v1/commitments/{s.turnover.id}",
        lambda s: {"target": 150000000},
        False,
        200,
        "PATCH",
    ),
    Route(
        "DELETE /commitments/{id}",
        lambda s: f"/api/v1/commitments/{s.turnover.id}",
        lambda s: {},
        False,
        204,
        "DELETE",
    ),
    Route(
        "POST /commitments/{id}/reports",
        lambda s: f"/api/v1/commitments/{s.jobs.id}/reports",
        lambda s: {"reported_on": "2026-04-01", "value": 3, "evidence_url": "https://e.kz/1"},
        True,
        201,
    ),
    Route(
        "DELETE /progress-reports/{id}",
        lambda s: f"/api/v1/progress-reports/{s.report.id}",
        lambda s: {},
        True,
        204,
        "DELETE",
    ),
    Route(
        "POST /deals",
        lambda s: "/api/v1/deals",
        lambda s: {
            "number": "API-2",
            "signed_on": "2026-06-01",
            "buyer_id": s.deal.buyer_id,
            "supplier_id": s.supplier_id,
            "subject": "Шары мелющие",
            "amount": 1000,
            "currency": "USD",
            "commitment_ids": [s.turnover.id],
        },
        True,
        201,
    ),
    Route(
        "PATCH /deals/{id}",
        _d,
        lambda s: {"commitment_ids": []},
        True,
        200,
        "PATCH",
        refused=UNSEEN_DEAL,
    ),
    Route("DELETE /deals/{id}", _d, lambda s: {}, True, 204, "DELETE", refused=UNSEEN_DEAL),
    Route(
        "POST /deals/{id}/deliveries",
        lambda s: f"{_d(s)}/deliveries",
        lambda s: {"delivered_on": "2026-04-01", "amount_kzt": 2000000},
        True,
        201,
        refused=UNSEEN_DEAL,
    ),
    Route(
        "DELETE /deliveries/{id}",
        lambda s: f"/api/v1/deliveries/{s.delivery.id}",
        lambda s: {},
        True,
        204,
        "DELETE",
        refused=UNSEEN_DEAL,
    ),
]


def everything(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every row of the agreements tables, read afresh."""
    session.flush()
    session.expire_all()
    result = {}
    for model in TABLES:
        columns = [c.key for c in inspect(model).column_attrs if c.key != "updated_at"]
        rows = session.scalars(select(model)).all()
        values = [{c: getattr(r, c) for c in columns} for r in rows]
        result[model.__tablename__] = sorted(values, key=repr)
    return result


def call(client: TestClient, route: Route, scene: Scene, headers: dict[str, str]) -> Any:
    if route.upload:
        files = {"file": ("memorandum.pdf", b"%PDF-1.4 signed", "application/pdf")}
        return client.request(route.method, route.path(scene), files=files, headers=headers)
    if route.method == "DELETE":
        return client.request(route.method, route.path(scene), headers=headers)
    return client.request(route.method, route.path(scene), json=route.body(scene), headers=headers)


@pytest.mark.parametrize("actor", REFUSED)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_refused_writes_change_nothing(
    client: TestClient, world: World, scene: Scene, db_session: Session, route: Route, actor: str
) -> None:
    before = everything(db_session)
    response = call(client, route, scene, world.headers(actor))
    expected = (
        (401, "NotAuthenticated") if actor == "public" else route.refused.get(actor, FORBIDDEN)
    )
    assert (response.status_code, response.json()["error"]) == expected, response.text
    assert everything(db_session) == before


@pytest.mark.parametrize("route", [r for r in ROUTES if not r.member_allowed], ids=lambda r: r.name)
def test_members_do_not_manage_memoranda(
    client: TestClient, world: World, scene: Scene, db_session: Session, route: Route
) -> None:
    before = everything(db_session)
    response = call(client, route, scene, world.headers("member"))
    assert (response.status_code, response.json()["error"]) == FORBIDDEN, response.text
    assert everything(db_session) == before


@pytest.mark.parametrize("actor", ["coordinator", "admin"])
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_coordinators_of_a_party_region_and_admins_may_write(
    client: TestClient, world: World, scene: Scene, db_session: Session, route: Route, actor: str
) -> None:
    before = everything(db_session)
    response = call(client, route, scene, world.headers(actor))
    assert response.status_code == route.success, response.text
    after = everything(db_session)
    assert after != before
    assert len(after["audit_entries"]) > len(before["audit_entries"])  # every change is logged


@pytest.mark.parametrize("route", [r for r in ROUTES if r.member_allowed], ids=lambda r: r.name)
def test_members_act_for_their_own_organisation(
    client: TestClient, world: World, scene: Scene, db_session: Session, route: Route
) -> None:
    before = everything(db_session)
    response = call(client, route, scene, world.headers("member"))
    assert response.status_code == route.success, response.text
    assert everything(db_session) != before


def test_a_draft_memorandum_is_not_found_by_others(
    client: TestClient, world: World, scene: Scene, db_session: Session
) -> None:
    scene.memo.status = MemorandumStatus.DRAFT
    db_session.flush()
    before = everything(db_session)
    for route in ROUTES[1:9]:
        response = call(client, route, scene, world.headers("other_member"))
        assert response.status_code == 404, (route.name, response.text)
    assert everything(db_session) == before


def test_a_deal_linked_through_the_api_moves_the_commitment_and_is_in_the_audit_log(
    client: TestClient, world: World, scene: Scene
) -> None:
    headers = world.headers("member")
    url = f"/api/v1/commitments/{scene.turnover.id}"
    before = client.get(url, headers=headers).json()["progress"]
    assert Decimal(before["value"]) == 1000000  # the deal's delivery, not its 5 M contract
    response = client.post(
        "/api/v1/deals",
        json={
            "number": "API-3",
            "signed_on": "2026-03-01",
            "buyer_id": scene.deal.buyer_id,
            "supplier_id": scene.supplier_id,
            "subject": "Футеровка",
            "amount": "99000000",
            "commitment_ids": [scene.turnover.id],
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    after = client.get(url, headers=headers).json()["progress"]
    assert Decimal(after["value"]) == 100000000
    assert after["status"] == "achieved"
    log = client.get(f"{_m(scene)}/audit", headers=world.headers("coordinator")).json()
    newest = log["items"][0]
    assert (newest["entity_kind"], newest["action"]) == ("deal", "create")
    assert newest["after"]["commitment_ids"] == [scene.turnover.id]
    assert newest["user_email"] == world.user("member").email  # type: ignore[union-attr]
