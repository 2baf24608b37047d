"""Home page, languages, API and the error shape of each channel."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient


def region_row(html: str, kato: str) -> list[str]:
    match = re.search(rf'<tr data-kato="{kato}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"no row for {kato}"
    return re.findall(r"<td[^>]*>(.*?)</td>", match.group(1))


def test_home_lists_regions_with_counts_in_russian(client: TestClient) -> None:
    response = client.get("/")
    html = response.text
    assert response.status_code == 200
    assert '<html lang="ru">' in html
    assert region_row(html, "630000000") == [
        "630000000",
        "Восточно-Казахстанская область",
        "3",
        "4",
        "0",
    ]
    assert region_row(html, "590000000")[2:] == ["0", "0", "0"]
    assert len(re.findall(r'<tr data-kato="\d{9}"', html)) == 20
    east = re.search(
        r'<article class="direction" data-side="630000000">(.*?)</article>', html, re.S
    )
    assert east, "the default pair is ВКО ↔ СКО"
    assert 'data-figure="open-needs">4<' in east.group(1)
    assert 'data-figure="far-needs">3<' in east.group(1), "3 of the 4 needs are bought abroad"


def test_language_switch_and_cookie(client: TestClient) -> None:
    kazakh = client.get("/?lang=kk")
    assert "Шығыс Қазақстан облысы" in kazakh.text and "Ұйымдар" in kazakh.text
    assert kazakh.cookies.get("lang") == "kk"
    assert '<html lang="kk">' in client.get("/").text
    client.cookies.clear()
    browser_kazakh = client.get("/", headers={"accept-language": "kk-KZ,ru;q=0.8"})
    assert '<html lang="kk">' in browser_kazakh.text
    browser_english = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="ru">' in browser_english.text, "Russian first unless English is chosen"
    english = client.get("/?lang=en")
    assert '<html lang="en">' in english.text and "Organisations" in english.text


def test_api_stats_and_regions(client: TestClient) -> None:
    stats = client.get("/api/v1/stats").json()
    assert (stats["organisations"], stats["needs"], stats["offers"]) == (3, 4, 0)


def test_api_errors_have_one_shape(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {
        "error": "NotFound",
        "code": "Not Found",
        "detail": "Not Found",
        "params": {},
        "errors": [],
    }


def test_html_errors_are_pages_not_tracebacks(client: TestClient) -> None:
    response = client.get("/nothing-here?lang=en")
    assert response.status_code == 404
    assert "<h1>Error</h1>" in response.text
    assert "Traceback" not in response.text


def test_numbers_are_grouped_as_each_language_writes_them() -> None:
    from seriktes.kit.i18n import format_number

    assert format_number(1473, "ru") == "1\u202f473"
    assert format_number(1473, "kk") == "1\u202f473"
    assert format_number(1473, "en") == "1,473"


def test_language_links_keep_the_query(client: TestClient) -> None:
    html = client.get("/?a=590000000&b=630000000").text
    assert 'href="/?a=590000000&amp;b=630000000&amp;lang=kk"' in html


def test_error_pages_for_a_logged_in_user_use_the_real_session(
    client: TestClient, site_db: Path
) -> None:
    from sqlalchemy.orm import Session as OrmSession

    from seriktes.accounts.models import Role
    from seriktes.accounts.service import create_user
    from seriktes.kit.db import make_engine
    from tests.webkit import PASSWORD, login

    engine = make_engine(f"sqlite:///{site_db}")
    with OrmSession(engine, expire_on_commit=False) as session:
        user = create_user(session, "errors@example.kz", PASSWORD, "Ошибкин", Role.ADMIN)
        session.commit()
    engine.dispose()
    login(client, user)
    response = client.get("/needs/999999")
    assert response.status_code == 404
    assert "Ошибкин" in response.text
