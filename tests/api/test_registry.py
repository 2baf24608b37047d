"""Regions and organisations through the API: lists, filters, sorting, pages, details."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.catalog.models import NeedStatus, Origin
from seriktes.registry.models import SizeClass
from tests.api.conftest import SKO, VKO, World, changed
from tests.webkit import make_need, make_offer, make_org


def test_regions_list_every_top_level_region_with_counts(
    client: TestClient, world: World, db_session: Session
) -> None:
    make_need(db_session, world.owner)
    draft = make_need(db_session, world.owner, status=NeedStatus.DRAFT)
    changed(db_session, draft, origin=Origin.DOMESTIC)
    make_offer(db_session, world.other)
    regions = client.get("/api/v1/regions").json()
    assert len(regions) == 20
    by_kato = {r["kato"]: r for r in regions}
    assert by_kato[VKO] == {
        "kato": VKO,
        "name_ru": "Восточно-Казахстанская область",
        "name_kk": "Шығыс Қазақстан облысы",
        "organisations": 1,
        "needs": 2,
        "offers": 0,
        "far_abroad_needs": 1,
    }
    assert (by_kato[SKO]["organisations"], by_kato[SKO]["offers"]) == (1, 1)
    assert by_kato["750000000"]["needs"] == 0


def test_one_region_with_its_counts(client: TestClient, world: World) -> None:
    short = client.get("/api/v1/regions/63")
    assert short.status_code == 200
    body = short.json()
    assert (body["kato"], body["level"], body["parent_kato"]) == (VKO, "oblast", None)
    assert body["oblast"]["organisations"] == 1
    assert client.get(f"/api/v1/regions/{VKO}").json() == body


def test_unknown_region_is_404_and_a_malformed_code_422(client: TestClient) -> None:
    missing = client.get("/api/v1/regions/99")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": "NotFound",
        "code": "no region with KATO code %(kato)s",
        "detail": "no region with KATO code 99",
        "params": {"kato": "99"},
        "errors": [],
    }
    malformed = client.get("/api/v1/regions/ВКО")
    assert malformed.status_code == 422
    assert malformed.json()["error"] == "ValidationFailed"
    assert malformed.json()["errors"][0]["loc"] == ["path", "kato"]


def _names(response_json: dict[str, object]) -> list[str]:
    items = response_json["items"]
    assert isinstance(items, list)
    return [item["name_ru"] for item in items]


def test_organisations_filter_sort_and_page(
    client: TestClient, world: World, db_session: Session
) -> None:
    third = changed(
        db_session, make_org(db_session, VKO, "АО «Алтай Литьё»"), size_class=SizeClass.LARGE
    )
    everyone = client.get("/api/v1/organisations").json()
    assert _names(everyone) == ["АО «Алтай Литьё»", "ТОО «Восток Подшипник»", "ТОО «Север Металл»"]
    assert (everyone["total"], everyone["page"], everyone["per_page"], everyone["pages"]) == (
        3,
        1,
        25,
        1,
    )
    newest_first = client.get("/api/v1/organisations?sort=-created").json()
    assert [o["id"] for o in newest_first["items"]] == [third.id, world.other.id, world.owner.id]
    in_vko = client.get("/api/v1/organisations?region=63&sort=-name").json()
    assert _names(in_vko) == ["ТОО «Восток Подшипник»", "АО «Алтай Литьё»"]
    assert _names(client.get("/api/v1/organisations?q=ПОДШИПНИК").json()) == [
        "ТОО «Восток Подшипник»"
    ]
    by_bin = client.get(f"/api/v1/organisations?q={world.other.bin[:8]}").json()
    assert world.other.id in [o["id"] for o in by_bin["items"]]
    assert _names(client.get("/api/v1/organisations?size_class=large").json()) == [
        "АО «Алтай Литьё»"
    ]
    second = client.get("/api/v1/organisations?per_page=2&page=2").json()
    assert (_names(second), second["total"], second["pages"]) == (["ТОО «Север Металл»"], 3, 2)
    beyond = client.get("/api/v1/organisations?per_page=2&page=5").json()
    assert (beyond["items"], beyond["total"]) == ([], 3)


def test_organisation_list_refuses_bad_parameters(client: TestClient) -> None:
    for query, loc in [
        ("per_page=0", ["query", "per_page"]),
        ("per_page=201", ["query", "per_page"]),
        ("page=0", ["query", "page"]),
        ("sort=phone", ["query", "sort"]),
        ("size_class=huge", ["query", "size_class"]),
    ]:
        response = client.get(f"/api/v1/organisations?{query}")
        assert response.status_code == 422, query
        body = response.json()
        assert (body["error"], body["detail"]) == ("ValidationFailed", "invalid request")
        assert [e["loc"] for e in body["errors"]] == [loc], query


def test_organisation_profile_and_404(client: TestClient, world: World) -> None:
    world.owner.email = "info@vostok.kz"
    world.owner.certificates = ["KZ 7 630 00001"]
    profile = client.get(f"/api/v1/organisations/{world.owner.id}").json()
    assert profile["bin"] == world.owner.bin
    assert profile["name_ru"] == "ТОО «Восток Подшипник»"
    assert profile["region"] == {
        "kato": VKO,
        "name_ru": "Восточно-Казахстанская область",
        "name_kk": "Шығыс Қазақстан облысы",
    }
    # contacts are personal data: for signed-in users, not the public
    assert (profile["email"], profile["certificates"]) == (None, ["KZ 7 630 00001"])
    signed_in = client.get(
        f"/api/v1/organisations/{world.owner.id}", headers=world.headers("other_member")
    ).json()
    assert signed_in["email"] == "info@vostok.kz"
    missing = client.get("/api/v1/organisations/999999")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "no organisation with id 999999"
