"""Helpers for web and API tests: an app on the test's transaction, users, logins, data."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from itertools import count
from typing import Any, TypeVar

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.accounts.service import create_token, create_user
from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus, Origin
from seriktes.config import Settings
from seriktes.http.deps import get_session, get_writer
from seriktes.registry.bin import complete_bin
from seriktes.registry.models import Organisation, Region
from seriktes.web.app import create_app

PASSWORD = "correct horse battery"
T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end on a loop of its own, in a thread of its own (the browser
    tests' Playwright keeps an event loop running in the main thread)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


_serial = count(1)


def build_app(session: Session, **settings: Any) -> FastAPI:
    """The application with every request using `session` (the test's transaction);
    `settings` change the test settings."""
    app = create_app(
        Settings(
            **{"database_url": "sqlite://", "secret_key": "test-secret", "warm_engines": False}
            | settings
        )
    )

    def same_session() -> Iterator[Session]:
        yield session
        session.flush()

    @contextmanager
    def savepoint() -> Iterator[Session]:
        with session.begin_nested():
            yield session

    def side_writes() -> Callable[[], AbstractContextManager[Session]]:
        return savepoint

    app.dependency_overrides[get_session] = same_session
    app.dependency_overrides[get_writer] = side_writes  # short transactions: savepoints
    return app


def region(session: Session, kato: str) -> Region:
    """The region with a KATO code (the 20 top-level ones always exist)."""
    return session.scalars(select(Region).where(Region.kato == kato)).one()


def make_org(session: Session, kato: str = "630000000", name: str | None = None) -> Organisation:
    """A new organisation with a valid, unique BIN."""
    while True:
        bin_value = complete_bin(f"19044{next(_serial) % 1_000_000:06d}")
        if (
            bin_value
            and session.scalar(select(Organisation.id).where(Organisation.bin == bin_value)) is None
        ):
            break
    org = Organisation(
        bin=bin_value,
        name_ru=name or f"ТОО «Тест {bin_value[-4:]}»",
        region_id=region(session, kato).id,
        certificates=[],
    )
    session.add(org)
    session.flush()
    return org


def make_need(
    session: Session,
    buyer: Organisation,
    title: str = "Подшипник 6205-2RS",
    status: NeedStatus = NeedStatus.PUBLISHED,
    **fields: object,
) -> Need:
    """A need of `buyer`."""
    need = Need(
        buyer_id=buyer.id,
        external_id=f"T-{next(_serial)}",
        title=title,
        class_code="28.15.10",
        quantity=Decimal(10),
        unit_code="796",
        origin=Origin.FAR_ABROAD,
        status=status,
        **fields,
    )
    session.add(need)
    session.flush()
    return need


def make_offer(
    session: Session,
    producer: Organisation,
    title: str = "Подшипник 6205-2RS",
    status: OfferStatus = OfferStatus.PUBLISHED,
    **fields: object,
) -> Offer:
    """An offer of `producer`."""
    offer = Offer(
        producer_id=producer.id,
        external_id=f"T-{next(_serial)}",
        title=title,
        class_code="28.15.10",
        capacity_per_year=Decimal(1000),
        unit_code="796",
        certificates=[],
        status=status,
        **fields,
    )
    session.add(offer)
    session.flush()
    return offer


def make_user(
    session: Session, role: Role, org: Organisation | None = None, kato: str | None = None
) -> User:
    """A user of a role; members belong to `org`, coordinators to the region `kato`."""
    return create_user(
        session,
        f"user{next(_serial)}@example.kz",
        PASSWORD,
        "Тест Тестов",
        role,
        region_kato=kato,
        organisation_bin=org.bin if org else None,
    )


def login(client: TestClient, user: User) -> str:
    """Log `user` in through the form; return the session's CSRF token."""
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "the login form carries a CSRF token"
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    home = client.get("/")
    fresh = re.search(r'<meta name="csrf-token" content="([^"]+)"', home.text)
    assert fresh
    return fresh.group(1)


def token_headers(session: Session, user: User) -> dict[str, str]:
    """Authorization header with a new API token of `user`."""
    return {"Authorization": f"Bearer {create_token(session, user, 'test')}"}


@pytest.fixture
def app(db_session: Session) -> FastAPI:
    """The application on the test's database transaction (SQLite and PostgreSQL)."""
    return build_app(db_session)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A browser-like client of `app` (keeps cookies)."""
    with TestClient(app) as test_client:
        yield test_client
