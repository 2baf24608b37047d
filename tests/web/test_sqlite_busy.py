"""SQLite on a busy day: a token request reads only, and the token's last use is written at
most once a minute in a short transaction that waits for another writer instead of failing."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from seriktes.accounts.models import Role
from seriktes.accounts.service import create_token, create_user
from seriktes.config import Settings
from seriktes.kit.db import make_engine, make_sessionmaker, transaction
from seriktes.kit.migrate import upgrade
from seriktes.registry.service import ensure_reference_data
from seriktes.web.app import create_app
from tests.webkit import PASSWORD, make_org


@pytest.fixture
def database(tmp_path: Path) -> tuple[Path, str]:
    """A migrated SQLite file with an administrator and their API token."""
    path = tmp_path / "busy.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        ensure_reference_data(session)
        admin = create_user(session, "busy@example.kz", PASSWORD, "Админ", Role.ADMIN)
        token = create_token(session, admin, "robot")
    engine.dispose()
    return path, token


@pytest.fixture
def client(database: tuple[Path, str]) -> Iterator[TestClient]:
    settings = Settings(database_url=f"sqlite:///{database[0]}", warm_engines=False)
    with TestClient(create_app(settings)) as test_client:
        test_client.headers["Authorization"] = f"Bearer {database[1]}"
        yield test_client


class Writer(threading.Thread):
    """Another connection holding SQLite's write lock until `release` is set (or `hold` s)."""

    def __init__(self, path: Path, hold: float) -> None:
        super().__init__(daemon=True)
        self.path, self.hold = path, hold
        self.holding, self.release = threading.Event(), threading.Event()

    def run(self) -> None:
        connection = sqlite3.connect(self.path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE users SET full_name = full_name || ''")
        self.holding.set()
        self.release.wait(self.hold)
        self.holding.clear()
        connection.execute("COMMIT")
        connection.close()

    def __enter__(self) -> Writer:
        self.start()
        assert self.holding.wait(10)
        return self

    def __exit__(self, *_: object) -> None:
        self.release.set()
        self.join(30)


def last_use(path: Path) -> str | None:
    with sqlite3.connect(path) as connection:
        value = connection.execute("SELECT last_used_at FROM api_tokens").fetchone()[0]
    return None if value is None else str(value)


def test_a_token_request_waits_out_another_writer(
    client: TestClient, database: tuple[Path, str]
) -> None:
    with Writer(database[0], hold=1.0):
        answer = client.get("/api/v1/me")
    assert answer.status_code == 200, answer.text
    assert last_use(database[0]) is not None  # written once the other writer was done


def test_token_requests_within_the_minute_write_nothing(
    client: TestClient, database: tuple[Path, str]
) -> None:
    assert client.get("/api/v1/me").status_code == 200
    first = last_use(database[0])
    assert first is not None
    with Writer(database[0], hold=20.0) as writer:
        answer = client.get("/api/v1/me")
        still_holding = writer.holding.is_set()
    assert answer.status_code == 200
    assert still_holding  # the request never waited for the write lock
    assert last_use(database[0]) == first


def test_a_write_that_outwaits_the_busy_timeout_is_a_503_to_send_again(
    database: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # connections of this app wait 0.2 s instead of 30 for the other writer
    monkeypatch.setattr("seriktes.kit.db.BUSY_TIMEOUT_MS", 200)
    engine = make_engine(f"sqlite:///{database[0]}")
    with transaction(make_sessionmaker(engine)) as session:
        buyer_id = make_org(session).id
    engine.dispose()
    settings = Settings(database_url=f"sqlite:///{database[0]}", warm_engines=False)
    body = {"buyer_id": buyer_id, "title": "Подшипник 6205-2RS", "status": "draft"}
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        client.headers["Authorization"] = f"Bearer {database[1]}"
        with Writer(database[0], hold=20.0):
            busy = client.post("/api/v1/needs", json=body)
            page = client.get("/needs/new?lang=ru")
        again = client.post("/api/v1/needs", json=body)
    assert busy.status_code == 503, busy.text
    assert busy.json()["error"] == "Busy"
    assert busy.headers["Retry-After"] == "5"
    assert page.status_code == 200  # reads go on while another writes
    assert again.status_code == 201, again.text
    with sqlite3.connect(database[0]) as connection:
        assert connection.execute("SELECT count(*) FROM needs").fetchone()[0] == 1
