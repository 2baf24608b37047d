"""Logging in, sessions, CSRF, throttling and API tokens."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.accounts.passwords import hash_password, verify_password
from seriktes.accounts.service import authenticate, create_user
from seriktes.accounts.throttle import FREE_PER_ACCOUNT
from seriktes.kit.errors import Conflict, TooManyAttempts, ValidationFailed
from tests.webkit import PASSWORD, login, make_org, make_user, token_headers


def csrf_of(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert match
    return match.group(1)


def test_passwords_are_argon2_hashes() -> None:
    hashed = hash_password("s3cret-password")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "s3cret-password")
    assert not verify_password(hashed, "wrong")


def test_users_need_their_scope_and_a_strong_password(db_session: Session) -> None:
    with pytest.raises(ValidationFailed, match="fewer than 10 characters"):
        create_user(db_session, "a@b.kz", "short", "A", Role.ADMIN)
    with pytest.raises(ValidationFailed, match="needs a region"):
        create_user(db_session, "c@b.kz", PASSWORD, "C", Role.COORDINATOR)
    with pytest.raises(ValidationFailed, match="needs an organisation"):
        create_user(db_session, "m@b.kz", PASSWORD, "M", Role.MEMBER)
    create_user(db_session, "A@B.kz", PASSWORD, "A", Role.ADMIN)
    with pytest.raises(Conflict):
        create_user(db_session, "a@b.kz", PASSWORD, "A", Role.ADMIN)


def test_login_sets_an_http_only_cookie_and_shows_the_user(
    client: TestClient, db_session: Session
) -> None:
    user = make_user(db_session, Role.ADMIN)
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "Тест Тестов" in client.get("/").text


def test_wrong_password_is_refused_without_saying_which_part(
    client: TestClient, db_session: Session
) -> None:
    user = make_user(db_session, Role.ADMIN)
    response = client.post(
        "/login",
        data={"email": user.email, "password": "nope-nope-nope", "csrf_token": csrf_of(client)},
    )
    assert response.status_code == 401
    assert "Неверная эл. почта или пароль." in response.text


def test_forms_without_the_csrf_token_are_refused(client: TestClient, db_session: Session) -> None:
    user = make_user(db_session, Role.ADMIN)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 403
    login(client, user)
    assert client.post("/logout").status_code == 403
    assert "Тест Тестов" in client.get("/").text


def test_logins_are_throttled(db_session: Session) -> None:
    user = make_user(db_session, Role.ADMIN)
    for _ in range(FREE_PER_ACCOUNT):
        assert authenticate(db_session, user.email, "wrong-password", "10.0.0.1") is None
    with pytest.raises(TooManyAttempts):
        authenticate(db_session, user.email, PASSWORD, "10.0.0.1")


def test_api_tokens_identify_machine_clients(client: TestClient, db_session: Session) -> None:
    org = make_org(db_session)
    user = make_user(db_session, Role.MEMBER, org=org)
    me = client.get("/api/v1/me", headers=token_headers(db_session, user)).json()
    assert (me["email"], me["organisation_id"]) == (user.email, org.id)
    bad = client.get("/api/v1/me", headers={"Authorization": "Bearer srk_nope"})
    assert bad.status_code == 401
    assert bad.json()["error"] == "NotAuthenticated"
    assert client.get("/api/v1/me").status_code == 401


def test_logout_ends_the_session(client: TestClient, db_session: Session) -> None:
    user = make_user(db_session, Role.ADMIN)
    token = login(client, user)
    assert client.post("/logout", data={"csrf_token": token}).status_code in (200, 303)
    assert "Тест Тестов" not in client.get("/").text


def test_login_never_redirects_to_another_site(client: TestClient, db_session: Session) -> None:
    user = make_user(db_session, Role.ADMIN)
    response = client.post(
        "/login",
        data={
            "email": user.email,
            "password": PASSWORD,
            "csrf_token": csrf_of(client),
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/start"  # the start page, never the other site
