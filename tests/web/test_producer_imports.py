"""Registers of producers uploaded through the import pages and the imports API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.catalog.models import Certificate, Offer
from seriktes.matches.models import Match
from seriktes.registry.models import Organisation
from tests.catalog.producers.files import ORIGIN_HEADER, SERIAL_HEADER, origin_row
from tests.conftest import shared_file
from tests.factories import valid_bins
from tests.imports.test_uploads import csv_bytes
from tests.web.test_imports import upload_form
from tests.webkit import login, make_need, make_org, make_user, token_headers

EAST = "630000000"


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """The app on the test's transaction."""
    with TestClient(app) as test_client:
        yield test_client


def count(session: Session, model: type[object]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def part_counts(page: str, part: str) -> list[str]:
    row = re.search(rf'<tr data-part="{part}">(.*?)</tr>', page, re.S)
    assert row, f"the page shows the {part} counts"
    return re.findall(r'<td class="n">([^<]+)</td>', row.group(1))


def test_the_real_industrial_registry_is_previewed_then_imported(
    client: TestClient, db_session: Session
) -> None:
    content = Path(shared_file("producers/industrial_registry_sample.csv")).read_bytes()
    csrf = login(client, make_user(db_session, Role.ADMIN))
    assert '<option value="producers"' in client.get("/import").text

    status, target = upload_form(client, csrf, content, kind="producers", name="registry.csv")
    assert status == 303, target
    preview = client.get(target).text
    assert "Реестры производителей" in preview and "Пока ничего не записано." in preview
    assert part_counts(preview, "organisations") == ["7", "0", "0"]
    assert part_counts(preview, "certificates") == ["100", "0", "0"]
    assert count(db_session, Offer) == 0, "the preview writes nothing"

    done = client.post(f"{target}/confirm", data={"csrf_token": csrf})
    assert done.status_code == 200 and done.url.path.endswith("/done")
    assert part_counts(done.text, "offers") == ["100", "0", "0"]
    assert (count(db_session, Offer), count(db_session, Certificate)) == (100, 100)

    unverified = db_session.scalars(select(Organisation).where(Organisation.bin.is_(None))).one()
    page = client.get(f"/organisations/{unverified.id}").text
    assert "data-unverified" in page and "нет БИН" in page
    assert 'data-certificate="industrial"' in page and "101 0 00085" in page


def test_row_errors_of_a_register_are_shown_in_the_pages_language(
    client: TestClient, db_session: Session
) -> None:
    rows = [origin_row("123456789012", "Фильтр", share="150")]
    csrf = login(client, make_user(db_session, Role.ADMIN))
    status, target = upload_form(
        client, csrf, csv_bytes(ORIGIN_HEADER, rows), kind="producers", name="origin.csv"
    )
    assert status == 303
    russian = client.get(target).text
    assert "у БИН 123456789012 неверная контрольная цифра" in russian
    assert "доля внутристрановой ценности должна быть от 0 до 100 процентов" in russian
    kazakh = client.get(f"{target}?lang=kk").text
    assert "БСН 123456789012 бақылау цифры қате" in kazakh
    english = client.get(f"{target}?lang=en").text
    assert "BIN 123456789012 has a wrong check digit" in english
    refused = client.post(f"{target}/confirm", data={"csrf_token": csrf})
    assert "data-refusal" in refused.text
    assert count(db_session, Organisation) == 0


def test_a_coordinator_imports_the_producers_of_their_region_only(
    client: TestClient, db_session: Session
) -> None:
    rows = [
        ["KZ EA 1 107 00001", "ТОО «Восток»\n(ВКО, г. Усть-Каменогорск)", "Кирпич", "Действует"],
        ["KZ EA 1 120 00001", "ТОО «Степь»\n(обл. Ұлытау, г. Жезказган)", "Щебень", "Действует"],
    ]
    csrf = login(client, make_user(db_session, Role.COORDINATOR, kato=EAST))
    status, target = upload_form(
        client, csrf, csv_bytes(SERIAL_HEADER, rows), kind="producers", name="serial.csv"
    )
    assert status == 303
    page = client.get(target).text
    assert "производитель ТОО «Степь» не из вашего региона" in page
    done = client.post(f"{target}/confirm", data={"csrf_token": csrf, "skip_invalid": "true"})
    assert done.status_code == 200
    names = set(db_session.scalars(select(Organisation.name_ru)))
    assert names == {"ТОО «Восток»"}


def test_a_member_may_not_upload_registers(client: TestClient, db_session: Session) -> None:
    org = make_org(db_session, EAST)
    csrf = login(client, make_user(db_session, Role.MEMBER, org=org))
    assert '<option value="producers"' not in client.get("/import").text
    rows = [["KZ EA 1 107 00001", "ТОО «Восток»", "Кирпич", "Действует"]]
    status, page = upload_form(
        client, csrf, csv_bytes(SERIAL_HEADER, rows), kind="producers", name="serial.csv"
    )
    assert status == 403
    # in the page's language (it was English on a Russian page: issue 18)
    assert (
        "только администраторы и региональные координаторы импортируют реестры производителей"
        in page
    )


def test_the_api_reports_the_counts_of_each_kind(client: TestClient, db_session: Session) -> None:
    headers = token_headers(db_session, make_user(db_session, Role.ADMIN))
    bin_value = next(valid_bins(900))
    content = csv_bytes(
        ORIGIN_HEADER, [origin_row(bin_value, "Фильтр 1"), origin_row(bin_value, "Фильтр 2")]
    )
    created = client.post(
        "/api/v1/imports",
        headers=headers,
        data={"kind": "producers"},
        files={"file": ("origin.csv", content, "text/csv")},
    )
    assert created.status_code == 201, created.text
    preview = created.json()
    assert preview["parts"] == {
        "organisations": {"created": 1, "updated": 0, "unchanged": 0},
        "offers": {"created": 2, "updated": 0, "unchanged": 0},
        "certificates": {"created": 2, "updated": 0, "unchanged": 0},
    }
    done = client.post(f"/api/v1/imports/{preview['id']}/confirm", headers=headers)
    assert done.status_code == 200
    assert done.json()["parts"]["certificates"]["created"] == 2
    assert count(db_session, Certificate) == 2


def test_needs_are_matched_with_the_offers_a_register_brings(
    client: TestClient, db_session: Session
) -> None:
    buyer = make_org(db_session, EAST)
    need = make_need(db_session, buyer, title="Фильтр воздушный KTF")
    need.class_code = "28.29.82"
    db_session.flush()
    csrf = login(client, make_user(db_session, Role.ADMIN))
    content = csv_bytes(
        ORIGIN_HEADER, [origin_row(next(valid_bins(910)), "Фильтр воздушный KTF-0001A")]
    )
    status, target = upload_form(client, csrf, content, kind="producers", name="origin.csv")
    assert status == 303
    done = client.post(f"{target}/confirm", data={"csrf_token": csrf})
    assert 'data-matched="1"' in done.text
    offer = db_session.scalars(select(Offer)).one()
    assert db_session.scalars(select(Match.offer_id).where(Match.need_id == need.id)).all() == [
        offer.id
    ]
