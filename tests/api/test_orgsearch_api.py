"""GET /api/v1/organisations/lookup: the picker's search, its answer and its refusals."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.webkit import make_offer, make_org


def test_lookup_answers_id_name_bin_region_and_why(client: TestClient, db_session: Session) -> None:
    org = make_org(db_session, "630000000", name="ТОО «Восток Металл»")
    seller = make_org(db_session, "590000000", name="ТОО «Север»")
    make_offer(db_session, seller, title="Металлопрокат Восток-2")
    answer = client.get("/api/v1/organisations/lookup", params={"q": "ВОСТОК мет"})
    assert answer.status_code == 200
    body = answer.json()
    assert body[0] == {
        "id": org.id,
        "name_ru": "ТОО «Восток Металл»",
        "name_kk": None,
        "bin": org.bin,
        "region": {
            "kato": "630000000",
            "name_ru": "Восточно-Казахстанская область",
            "name_kk": "Шығыс Қазақстан облысы",
        },
        "matched": "name",
        "product": None,
    }
    assert body[1]["id"] == seller.id
    assert (body[1]["matched"], body[1]["product"]) == ("product", "Металлопрокат Восток-2")
    by_bin = client.get("/api/v1/organisations/lookup", params={"q": org.bin}).json()
    assert [(o["id"], o["matched"]) for o in by_bin] == [(org.id, "bin")]


def test_lookup_limits_and_regions(client: TestClient, db_session: Session) -> None:
    east = [make_org(db_session, "630000000", name=f"ТОО «Лимит {i}»") for i in range(3)]
    make_org(db_session, "590000000", name="ТОО «Лимит Север»")
    url = "/api/v1/organisations/lookup"
    assert len(client.get(url, params={"q": "лимит", "limit": 2}).json()) == 2
    found = client.get(url, params={"q": "лимит", "region": "63"}).json()
    assert {o["id"] for o in found} == {o.id for o in east}


def test_lookup_refuses_bad_parameters_in_the_error_shape(client: TestClient) -> None:
    url = "/api/v1/organisations/lookup"
    for params in ({}, {"q": "x", "limit": 0}, {"q": "x", "limit": 51}, {"q": "x" * 201},
                   {"q": "x", "region": "6a"}):  # fmt: skip
        answer = client.get(url, params=params)
        assert answer.status_code == 422, params
        assert answer.json()["code"]
    assert client.get(url, params={"q": "%"}).json() == []
