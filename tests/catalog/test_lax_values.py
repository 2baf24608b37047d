"""Lax values refused where they enter: class codes in odd digits or unknown to the registry,
needed-by days no plan has, currencies without a rate, quantities with underscores, analytics
years 0 and 99999: a 422 that names the field, nothing stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.agreements.rates import RATES_TO_KZT
from seriktes.analytics import service
from seriktes.analytics.report import pair_report
from seriktes.catalog.models import Need
from seriktes.kit.errors import ValidationFailed
from seriktes.kit.values import CURRENCIES
from seriktes.registry.models import ClassifierCode, ClassifierSystem, Organisation
from tests.webkit import build_app, make_need, make_org, make_user, token_headers

EAST = "630000000"


@pytest.fixture
def api(db_session: Session) -> Iterator[TestClient]:
    with TestClient(build_app(db_session)) as client:
        yield client


@pytest.fixture
def admin(db_session: Session) -> User:
    return make_user(db_session, Role.ADMIN)


@pytest.fixture
def buyer(db_session: Session) -> Organisation:
    db_session.add(
        ClassifierCode(
            system=ClassifierSystem.KPVED, code="28.15.10", level=3, name_ru="Подшипники"
        )
    )
    return make_org(db_session, EAST)


def needs(session: Session) -> int:
    return session.scalar(select(func.count(Need.id))) or 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("class_code", "٢٨.١٥.١٠"),
        ("class_code", "²⁸.¹⁵.¹⁰"),
        ("class_code", "99.99.99"),
        ("needed_by", "0001-01-01"),
        ("needed_by", "9999-12-31"),
        ("currency", "XXX"),
        ("quantity", "1_000"),
        ("quantity", "٣"),
        ("unit_price", "1_0.5"),
    ],
)
def test_a_need_with_a_lax_value_is_refused_at_the_field(
    api: TestClient,
    db_session: Session,
    admin: User,
    buyer: Organisation,
    field: str,
    value: str,
) -> None:
    headers = token_headers(db_session, admin)
    body = {"buyer_id": buyer.id, "title": "Подшипник", "class_code": "28.15.10", field: value}
    before = needs(db_session)
    created = api.post("/api/v1/needs", json=body, headers=headers)
    assert created.status_code == 422, created.text
    assert field in [item["loc"][-1] for item in created.json()["errors"]]
    assert needs(db_session) == before

    need = make_need(db_session, buyer)
    changed = api.patch(f"/api/v1/needs/{need.id}", json={field: value}, headers=headers)
    assert changed.status_code == 422, changed.text
    assert field in [item["loc"][-1] for item in changed.json()["errors"]]
    db_session.refresh(need)
    assert getattr(need, field) != value


def test_plain_values_are_still_taken(
    api: TestClient, db_session: Session, admin: User, buyer: Organisation
) -> None:
    body = {
        "buyer_id": buyer.id,
        "title": "Подшипник",
        "class_code": "28.15.10",
        "needed_by": "2026-12-31",
        "currency": "RUB",
        "quantity": "1000",
        "unit_price": "10.5",
    }
    created = api.post("/api/v1/needs", json=body, headers=token_headers(db_session, admin))
    assert created.status_code == 201, created.text


def test_the_currencies_of_needs_and_offers_are_those_with_a_rate() -> None:
    assert set(CURRENCIES) == set(RATES_TO_KZT)


@pytest.mark.parametrize("year", [0, 1999, 2101, 99999])
def test_analytics_years_outside_2000_to_2100_are_refused(
    api: TestClient, db_session: Session, admin: User, year: int
) -> None:
    headers = token_headers(db_session, admin)
    for route in ("/api/v1/analytics/sme", "/api/v1/analytics/pair?host=63&guest=59"):
        glue = "&" if "?" in route else "?"
        answer = api.get(f"{route}{glue}year={year}", headers=headers)
        assert answer.status_code == 422, (route, answer.text)
        assert any(item["loc"][-1] == "year" for item in answer.json()["errors"])
    with pytest.raises(ValidationFailed, match="year must be between 2000 and 2100"):
        service.sme_figures(db_session, year=year)
    with pytest.raises(ValidationFailed, match="year must be between 2000 and 2100"):
        pair_report(db_session, "63", "59", "ru", year, Path("/absent"))
