"""The key signing session cookies: never the published default, generated and kept when
none is set, long enough in production; a cookie forged with the default opens nothing."""

from __future__ import annotations

import json
import stat
from base64 import b64encode
from pathlib import Path

import itsdangerous
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from seriktes.accounts.models import Role, User
from seriktes.accounts.service import create_user
from seriktes.config import DEFAULT_SECRET, SECRET_FILE, Settings, session_secret
from seriktes.kit.db import make_engine, make_sessionmaker, transaction
from seriktes.kit.migrate import upgrade
from seriktes.registry.service import ensure_reference_data
from seriktes.web.app import create_app
from tests.webkit import PASSWORD, login

ADMIN = "admin-secret@example.kz"


def migrated(path: Path) -> User:
    """Migrate a SQLite file and add one administrator; return them."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        ensure_reference_data(session)
        admin = create_user(session, ADMIN, PASSWORD, "Админ", Role.ADMIN)
    engine.dispose()
    return admin


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A migrated SQLite file holding one administrator; no secret key is configured."""
    path = tmp_path / "app.db"
    migrated(path)
    return path


def forged(secret: str, payload: dict[str, object]) -> str:
    """A session cookie as Starlette signs it, made with `secret`."""
    data = b64encode(json.dumps(payload).encode())
    return itsdangerous.TimestampSigner(secret).sign(data).decode()


def test_a_secret_is_generated_on_first_run_and_kept(database: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{database}")
    first = session_secret(settings)
    kept = database.parent / SECRET_FILE
    assert kept.read_text().strip() == first and len(first) >= 32
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert session_secret(Settings(database_url=f"sqlite:///{database}")) == first
    assert first != DEFAULT_SECRET


def test_a_cookie_forged_with_the_public_default_opens_nothing(database: Path) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{database}", warm_engines=False))
    with TestClient(app) as client:
        for payload in ({"user_id": 1}, {"sid": "guessed"}):
            client.cookies.set("seriktes_session", forged(DEFAULT_SECRET, payload))
            assert client.get("/api/v1/me").status_code == 401


def test_a_cookie_signed_right_needs_a_stored_session(database: Path) -> None:
    secret = "a-test-secret-that-is-long-enough-for-production"
    app = create_app(Settings(database_url=f"sqlite:///{database}", secret_key=secret))
    with TestClient(app) as client:
        client.cookies.set("seriktes_session", forged(secret, {"user_id": 1}))
        assert client.get("/api/v1/me").status_code == 401


def test_a_login_works_with_the_generated_secret(tmp_path: Path) -> None:
    admin = migrated(tmp_path / "app.db")
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'app.db'}", warm_engines=False))
    with TestClient(app) as client:
        login(client, admin)
        assert client.get("/api/v1/me").json()["email"] == ADMIN


@pytest.mark.parametrize("secret", [None, "x", "a" * 31])
def test_production_refuses_a_missing_or_short_secret(secret: str | None) -> None:
    with pytest.raises(ValidationError, match="at least 32 bytes in production"):
        Settings(environment="production", secret_key=secret)


def test_production_accepts_a_long_secret_and_nobody_the_default() -> None:
    Settings(environment="production", secret_key="k" * 32)
    with pytest.raises(ValidationError, match="published example value"):
        Settings(secret_key=DEFAULT_SECRET)
