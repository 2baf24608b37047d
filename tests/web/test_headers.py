"""Security headers on pages and API answers; HSTS and Secure cookies in production; no
inline script in any template (the content security policy would block it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.config import Settings
from seriktes.http.deps import get_session
from seriktes.web.app import create_app

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "seriktes" / "web" / "templates"


def _policy(header: str) -> dict[str, list[str]]:
    """The directives of a Content-Security-Policy header."""
    parts = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


@pytest.mark.parametrize("path", ["/", "/organisations", "/api/v1/regions", "/no-such-page"])
def test_every_answer_forbids_framing_sniffing_and_inline_scripts(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    policy = _policy(response.headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in response.headers  # development: plain HTTP


def test_the_api_documentation_page_may_load_swagger_ui(client: TestClient) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    policy = _policy(response.headers["content-security-policy"])
    assert "https://cdn.jsdelivr.net" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=", re.I)
    found = [
        f"{page.name}: {match.group(0)}"
        for page in sorted(TEMPLATES.glob("**/*.html"))
        for match in inline.finditer(page.read_text(encoding="utf-8"))
    ]
    assert not found


@pytest.fixture
def production(db_session: Session) -> Iterator[TestClient]:
    """The application with production settings, on the test's transaction."""
    settings = Settings(
        environment="production",
        database_url="sqlite://",
        secret_key="a-production-secret-of-at-least-32-bytes",
        warm_engines=False,
    )
    app = create_app(settings)

    def same_session() -> Iterator[Session]:
        yield db_session
        db_session.flush()

    app.dependency_overrides[get_session] = same_session
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


def test_production_sends_hsts_and_secure_cookies(production: TestClient) -> None:
    page = production.get("/login")  # the form's CSRF token starts a session
    assert page.headers["strict-transport-security"].startswith("max-age=31536000")
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("seriktes_session=") and "; secure" in cookie.lower()
    switched = production.get("/?lang=kk")
    assert "; secure" in switched.headers["set-cookie"].lower()
    assert production.get("/login").status_code == 200  # the Secure cookie works over HTTPS


def test_development_cookies_are_not_secure(client: TestClient) -> None:
    cookie = client.get("/login").headers["set-cookie"]
    assert cookie.startswith("seriktes_session=") and "secure" not in cookie.lower()
