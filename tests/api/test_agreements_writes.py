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

from seriktes.accounts.models import Role
from seriktes.agreements.models import (
    AuditEntry,
    Commitment,
    CommitmentMilestone,
    Deal,
    Delivery,
    Memorandum,
    MemorandumParty,
    MemorandumSector,
    MemorandumStatus,
    ProgressReport,
)
from seriktes.registry.models import Organisation
from tests.api.agreementkit import PAVLODAR, Scene, make_scene
from tests.api.conftest import REFUSED, VKO, World
from tests.webkit import make_user, token_headers

TABLES = (
    Memorandum,
    MemorandumParty,
    MemorandumSector,
    Commitment,
    CommitmentMilestone,
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


def _pavlodar(s: Scene) -> int:
    """The memorandum's Павлодар party (the ВКО coordinator's own region stays)."""
    return next(p.id for p in s.memo.parties if p.region is not None and p.region.kato == PAVLODAR)


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
        "POST /memoranda/{id}/withdrawal",
        lambda s: f"{_m(s)}/withdrawal",
        lambda s: {"reason": "Заменён новым меморандумом"},
        False,
        200,
    ),
    Route(
        "POST /memoranda/{id}/parties",
        lambda s: f"{_m(s)}/parties",
        lambda s: {
            "organisation_id": s.supplier_id,
            "signatory": "Ахметов Б.",
            "signatory_post": "директор",
        },
        False,
        201,
    ),
    Route(
        "PUT /memoranda/{id}/parties/{id}",
        lambda s: f"{_m(s)}/parties/{_pavlodar(s)}",
        lambda s: {"region": PAVLODAR, "signatory": "Ахметов Б.", "signatory_post": "аким"},
        False,
        200,
        "PUT",
    ),
    Route(
        "DELETE /memoranda/{id}/parties/{id}",
        lambda s: f"{_m(s)}/parties/{_pavlodar(s)}",
        lambda s: {},
        False,
        204,
        "DELETE",
    ),
    Route(
        "POST /commitments/{id}/milestones",
        lambda s: f"/api/v1/commitments/{s.turnover.id}/milestones",
        lambda s: {"due_on": "2026-09-30", "target": 50000000},
        False,
        201,
    ),
    Route(
        "PATCH /milestones/{id}",
        lambda s: f"/api/v1/milestones/{s.milestone.id}",
        lambda s: {"target": 12},
        False,
        200,
        "PATCH",
    ),
    Route(
        "DELETE /milestones/{id}",
        lambda s: f"/api/v1/milestones/{s.milestone.id}",
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
    # the member confirms its own side; the ВКО coordinator (a party region of the deal's
    # memorandum) and administrators confirm with evidence; the СКО coordinator reads the
    # deal but is no party, so is refused
    Route(
        "POST /deals/{id}/confirm",
        lambda s: f"{_d(s)}/confirm",
        lambda s: {"evidence": "договор API-1 от 01.02.2026"},
        True,
        200,
        refused=UNSEEN_DEAL,
    ),
    Route(
        "POST /deals/{id}/dispute",
        lambda s: f"{_d(s)}/dispute",
        lambda s: {"reason": "Сумма не совпадает с договором"},
        True,
        200,
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


def test_a_members_deal_moves_a_commitment_only_once_the_other_side_confirms_it(
    client: TestClient, world: World, scene: Scene, db_session: Session
) -> None:
    headers = world.headers("member")
    url = f"/api/v1/commitments/{scene.turnover.id}"
    assert Decimal(client.get(url, headers=headers).json()["progress"]["value"]) == 0
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
    recorded = response.json()["confirmation"]
    assert (recorded["state"], recorded["counts"]) == ("awaiting", False)
    assert (recorded["buyer_confirmed"], recorded["supplier_confirmed"]) == (True, False)
    progress = client.get(url, headers=headers).json()["progress"]
    assert Decimal(progress["value"]) == 0 and progress["status"] != "achieved"

    supplier = make_user(db_session, Role.MEMBER, db_session.get(Organisation, scene.supplier_id))
    deal_id = response.json()["id"]
    theirs = token_headers(db_session, supplier)
    waiting = client.get("/api/v1/deals?confirmation=awaiting", headers=theirs).json()
    assert deal_id in [d["id"] for d in waiting["items"]]  # the other side sees what to confirm
    confirmed = client.post(f"/api/v1/deals/{deal_id}/confirm", json={}, headers=theirs)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["confirmation"]["state"] == "confirmed"
    assert Decimal(client.get(url, headers=headers).json()["progress"]["value"]) == 99000000

    log = client.get(f"{_m(scene)}/audit", headers=world.headers("coordinator")).json()
    newest = log["items"][0]
    assert (newest["entity_kind"], newest["entity_id"], newest["action"]) == (
        "deal",
        deal_id,
        "confirm",
    )
    assert newest["user_email"] == supplier.email
    assert newest["after"]["confirmation"] == "confirmed"
    created = next(e for e in log["items"] if e["action"] == "create" and e["entity_id"] == deal_id)
    assert created["after"]["commitment_ids"] == [scene.turnover.id]
    assert created["user_email"] == world.user("member").email  # type: ignore[union-attr]
