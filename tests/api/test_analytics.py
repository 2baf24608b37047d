"""JSON API of the analytics (/api/v1/analytics/...): figures, access, errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.analytics.builders import SKO, VKO, pair_world
from tests.api.conftest import World

M = 1_000_000
ROUTES = [
    "/api/v1/analytics/turnover",
    "/api/v1/analytics/import-substitution",
    "/api/v1/analytics/complementarity",
    "/api/v1/analytics/memoranda",
    "/api/v1/analytics/sme",
    "/api/v1/analytics/pair",
]


@pytest.fixture
def seeded(world: World, db_session: Session) -> World:
    """The world of the API tests with the analytics' small ВКО ↔ СКО world added."""
    pair_world(db_session)
    return world


@pytest.mark.parametrize("route", ROUTES)
def test_the_public_and_members_may_not_read_analytics(
    client: TestClient, seeded: World, route: str
) -> None:
    public = client.get(route)
    assert public.status_code == 401 and public.json()["error"] == "NotAuthenticated"
    member = client.get(route, headers=seeded.headers("member"))
    assert member.status_code == 403 and member.json()["error"] == "Forbidden"


@pytest.mark.parametrize("actor", ["coordinator", "other_coordinator", "admin"])
def test_coordinators_and_administrators_read_the_turnover(
    client: TestClient, seeded: World, actor: str
) -> None:
    answer = client.get(
        "/api/v1/analytics/turnover",
        params={"period": "month", "region": ["ВКО", "590000000"]},
        headers=seeded.headers(actor),
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["measure"] == "turnover" and "deliveries" in body["rule"]
    march = [c for c in body["cells"] if c["period"] == "2026-03"]
    assert march == [
        {
            "period": "2026-03",
            "group": "C",
            "supplier_region": SKO,
            "buyer_region": VKO,
            "amount": "6000000.00",
            "flows": 1,
        }
    ]


def test_contracted_measure_by_division(client: TestClient, seeded: World) -> None:
    answer = client.get(
        "/api/v1/analytics/turnover",
        params={"measure": "contracted", "level": "division"},
        headers=seeded.headers("admin"),
    )
    cells = answer.json()["cells"]
    found = {
        (c["period"], c["group"]): float(c["amount"]) for c in cells if c["buyer_region"] == VKO
    }
    assert found == {("2025", "28"): 4 * M, ("2026", "28"): 10 * M, ("2026", "22"): 5 * M}


def test_pair_figures(client: TestClient, seeded: World) -> None:
    answer = client.get(
        "/api/v1/analytics/pair",
        params={"host": "ШҚО", "guest": "СҚО", "lang": "kk"},
        headers=seeded.headers("coordinator"),
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["host"], body["guest"], body["year"], body["lang"]) == (VKO, SKO, 2026, "kk")
    figures = {item["key"]: item for item in body["figures"]}
    assert float(figures["turnover"]["value"]) == 13 * M
    assert figures["turnover"]["text"] == "13,0 млн ₸"
    assert figures["deals"]["value"] == 3


def test_import_substitution_complementarity_sme_memoranda(
    client: TestClient, seeded: World
) -> None:
    headers = seeded.headers("admin")
    potential = client.get("/api/v1/analytics/import-substitution", headers=headers).json()
    east = potential["directions"][0]
    assert east["buyers_region"] == VKO and float(east["matched_value"]) == 8 * M
    assert float(east["far_value"]) >= 10 * M
    tci = client.get(
        "/api/v1/analytics/complementarity",
        params={"buyers": "ВКО", "producers": "СКО"},
        headers=headers,
    ).json()
    assert tci["offer_basis"] == "capacity_value" and 0 <= tci["index"] <= 100
    sme = client.get("/api/v1/analytics/sme", params={"year": 2026}, headers=headers).json()
    east_sme = next(row for row in sme["contracted_by_region"] if row["key"] == VKO)
    assert float(east_sme["total"]) == 15 * M and east_sme["share"] == pytest.approx(10 / 15)
    memoranda = client.get("/api/v1/analytics/memoranda", headers=headers).json()
    assert memoranda["by_pair"] == [] and memoranda["by_sector"] == []


@pytest.mark.parametrize(
    ("route", "params"),
    [
        ("/api/v1/analytics/turnover", {"period": "week"}),
        ("/api/v1/analytics/turnover", {"level": "class"}),
        ("/api/v1/analytics/turnover", {"region": "Марс"}),
        ("/api/v1/analytics/pair", {"host": "ВКО", "guest": "ВКО"}),
        ("/api/v1/analytics/pair", {"year": "1800"}),
        ("/api/v1/analytics/complementarity", {"buyers": "нет такого"}),
    ],
)
def test_bad_requests_are_422_with_the_error_shape(
    client: TestClient, seeded: World, route: str, params: dict[str, str]
) -> None:
    answer = client.get(route, params=params, headers=seeded.headers("admin"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["error"] == "ValidationFailed"
