"""Sessions that end when they should (logout, password change, deactivation), API tokens
that expire and can be revoked, and the client address behind a proxy."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import ApiToken, Role, User
from seriktes.accounts.service import (
    change_password,
    create_token,
    deactivate,
    digest,
    revoke_token,
    tokens_of,
)
from seriktes.accounts.throttle import FREE_PER_ACCOUNT
from seriktes.kit import clock
from tests.webkit import PASSWORD, build_app, login, make_user

COOKIE = "seriktes_session"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def replayed(client: TestClient, cookie: str) -> int:
    """The status of /api/v1/me for a browser that sends `cookie` (kept from earlier)."""
    with TestClient(client.app) as other:
        other.cookies.set(COOKIE, cookie)
        return other.get("/api/v1/me").status_code


def logged_in_cookie(client: TestClient, user: User) -> tuple[str, str]:
    csrf = login(client, user)
    cookie = client.cookies.get(COOKIE)
    assert cookie and client.get("/api/v1/me").status_code == 200
    return cookie, csrf


def test_a_logged_out_cookie_replayed_is_refused(client: TestClient, db_session: Session) -> None:
    user = make_user(db_session, Role.ADMIN)
    cookie, csrf = logged_in_cookie(client, user)
    assert client.post("/logout", data={"csrf_token": csrf}).status_code in (200, 303)
    assert replayed(client, cookie) == 401


def test_logging_out_ends_only_that_session(client: TestClient, db_session: Session) -> None:
    user = make_user(db_session, Role.ADMIN)
    laptop, _ = logged_in_cookie(client, user)
    with TestClient(client.app) as phone:
        csrf = login(phone, user)
        phone.post("/logout", data={"csrf_token": csrf})
    assert replayed(client, laptop) == 200


def test_a_password_change_ends_every_session(client: TestClient, db_session: Session) -> None:
    user = make_user(db_session, Role.ADMIN)
    cookie, _ = logged_in_cookie(client, user)
    change_password(db_session, user, "a brand new pass phrase")
    assert replayed(client, cookie) == 401
    assert client.get("/api/v1/me").status_code == 401


def test_deactivation_ends_sessions_and_tokens(client: TestClient, db_session: Session) -> None:
    user = make_user(db_session, Role.ADMIN)
    token = create_token(db_session, user, "robot")
    cookie, _ = logged_in_cookie(client, user)
    deactivate(db_session, user)
    assert replayed(client, cookie) == 401
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401
    assert all(t.revoked for t in tokens_of(db_session, user))


def test_api_tokens_expire(client: TestClient, db_session: Session) -> None:
    user = make_user(db_session, Role.ADMIN)
    token = create_token(db_session, user, "robot", days=30)
    stored = db_session.query(ApiToken).filter_by(token_hash=digest(token)).one()
    assert timedelta(days=29) < stored.expires_at - clock.now() <= timedelta(days=30)
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    stored.expires_at = clock.now() - timedelta(seconds=1)
    db_session.flush()
    refused = client.get("/api/v1/me", headers=bearer(token))
    assert refused.status_code == 401 and "expired" in refused.json()["detail"]


def test_a_revoked_token_is_refused(client: TestClient, db_session: Session) -> None:
    user = make_user(db_session, Role.ADMIN)
    token = create_token(db_session, user, "robot")
    (stored,) = tokens_of(db_session, user)
    revoke_token(db_session, stored.id)
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 401


def test_a_tokens_last_use_is_written_once_a_minute(
    client: TestClient, db_session: Session
) -> None:
    user = make_user(db_session, Role.ADMIN)
    token = create_token(db_session, user, "robot")
    (stored,) = tokens_of(db_session, user)
    assert stored.last_used_at is None
    client.get("/api/v1/me", headers=bearer(token))
    db_session.refresh(stored)
    first = stored.last_used_at
    assert first is not None and clock.now() - first < timedelta(minutes=1)
    client.get("/api/v1/me", headers=bearer(token))
    db_session.refresh(stored)
    assert stored.last_used_at == first


def login_status(client: TestClient, user: User, password: str, forwarded: str) -> int:
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    return client.post(
        "/login",
        data={"email": user.email, "password": password, "csrf_token": csrf.group(1)},
        headers={"X-Forwarded-For": forwarded},
        follow_redirects=False,
    ).status_code


def test_x_forwarded_for_is_ignored_from_untrusted_peers(db_session: Session) -> None:
    user = make_user(db_session, Role.ADMIN)
    with TestClient(build_app(db_session), client=("10.1.1.1", 5000)) as client:
        for number in range(FREE_PER_ACCOUNT):
            assert login_status(client, user, "wrong guess!", f"203.0.113.{number}") == 401
        # whatever it claims to forward for, the peer is the client: it must wait
        assert login_status(client, user, PASSWORD, "203.0.113.99") == 429


def test_x_forwarded_for_names_the_client_behind_a_trusted_proxy(db_session: Session) -> None:
    user = make_user(db_session, Role.ADMIN)
    app = build_app(db_session, trusted_proxies=["10.1.1.0/24"])
    with TestClient(app, client=("10.1.1.1", 5000)) as client:
        for _ in range(FREE_PER_ACCOUNT):
            assert login_status(client, user, "wrong guess!", "203.0.113.7") == 401
        assert login_status(client, user, PASSWORD, "203.0.113.7") == 429
        assert login_status(client, user, PASSWORD, "203.0.113.8") == 303
