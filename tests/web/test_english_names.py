"""Pages in English name regions and units in English, and list regions in one order."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.registry.facts import REGION_SHORT_KK, TOP_LEVEL_REGIONS
from tests.analytics.builders import SKO, VKO, pair_world
from tests.matches.test_dashboard import EAST, NORTH, seed_pair
from tests.webkit import build_app, login, make_user

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
# every Russian and Kazakh spelling of a top-level region, full and short
REGION_SPELLINGS = {
    name
    for fact in TOP_LEVEL_REGIONS
    for name in (fact.name_ru, fact.name_kk, fact.short_ru, REGION_SHORT_KK.get(fact.kato))
    if name
}


def options(html: str, select: str) -> list[str]:
    """The texts of the options of the select named `select`."""
    found = re.search(rf'<select name="{select}"[^>]*>(.*?)</select>', html, re.S)
    assert found, f"no select {select}"
    return [text.strip() for text in re.findall(r"<option[^>]*>([^<]*)</option>", found.group(1))]


def russian_region_names(html: str) -> set[str]:
    """Russian or Kazakh region names on a page, as whole words."""
    return {
        name
        for name in REGION_SPELLINGS
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", html)
    }


@pytest.fixture
def dashboard(app: FastAPI, db_session: Session) -> Iterator[TestClient]:
    seed_pair(db_session)
    with TestClient(app) as client:
        yield client


def test_dashboard_in_english_names_regions_in_english(dashboard: TestClient) -> None:
    html = dashboard.get("/?lang=en").text
    assert "East Kazakhstan ↔ North Kazakhstan: interregional cooperation" in html
    assert "Buyers: East Kazakhstan Region; producers: North Kazakhstan Region" in html
    assert russian_region_names(html) == set()
    picker = options(html, "a")
    assert len(picker) == 20 and not any(CYRILLIC.search(name) for name in picker)
    assert picker[:3] == ["East Kazakhstan Region", "North Kazakhstan Region", "Abai Region"]
    assert picker[3:6] == ["Akmola Region", "Aktobe Region", "Almaty"], "then by name"
    table = html.split('<table class="regions">')[1].split("</table>")[0]
    rows = re.findall(r"<td>\d{9}</td><td>([^<]*)</td>", table)
    assert rows[:2] == ["Abai Region", "Akmola Region"] and rows[-1] == "West Kazakhstan Region"


def test_dashboard_in_kazakh_orders_by_the_kazakh_alphabet(dashboard: TestClient) -> None:
    html = dashboard.get(f"/?a={EAST}&b={NORTH}&lang=kk").text
    picker = options(html, "b")
    assert picker[:2] == ["Шығыс Қазақстан облысы", "Солтүстік Қазақстан облысы"]
    rest = picker[2:]
    assert rest[:3] == ["Абай облысы", "Ақмола облысы", "Ақтөбе облысы"]
    assert rest.index("Ұлытау облысы") == rest.index("Түркістан облысы") + 1


@pytest.fixture
def analytics(db_session: Session) -> Iterator[TestClient]:
    pair_world(db_session)
    with TestClient(build_app(db_session)) as client:
        login(client, make_user(db_session, Role.COORDINATOR, kato=SKO))
        yield client


def test_analytics_in_english_names_regions_in_english(analytics: TestClient) -> None:
    html = analytics.get("/analytics?lang=en").text
    assert russian_region_names(html) == set()
    hosts = options(html, "host")
    assert hosts[:2] == ["East Kazakhstan Region", "North Kazakhstan Region"], "the pair first"
    assert hosts[2:4] == ["Abai Region", "Akmola Region"], "then by name, as on the dashboard"
    assert "<td>East Kazakhstan Region</td>" in html.split('data-table="sme"')[1]
    pair = analytics.get("/analytics/pair", params={"host": VKO, "guest": SKO, "lang": "en"})
    assert pair.status_code == 200
    assert "East Kazakhstan ↔ North Kazakhstan: interregional cooperation" in pair.text
    assert "East Kazakhstan Region, North Kazakhstan Region" in pair.text
    assert russian_region_names(pair.text) == set()


def test_units_on_the_needs_list_in_each_language(analytics: TestClient) -> None:
    def units(lang: str) -> set[str]:
        html = analytics.get(f"/needs?lang={lang}").text
        return set(re.findall(r'<span class="unit">([^<]*)</span>', html))

    # the needs of the pair world are counted in pieces (MKEI 796)
    assert units("en") == {"pcs"}
    assert units("kk") == {"дана"}
    assert units("ru") == {"шт"}
