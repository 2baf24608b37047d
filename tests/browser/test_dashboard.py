"""The region-pair dashboard in a real browser, on a server holding partner-region matches."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy.orm import Session

from seriktes.kit.db import make_engine
from seriktes.kit.migrate import upgrade
from seriktes.registry.service import ensure_reference_data
from tests.browser.conftest import screenshot, serve
from tests.matches.test_dashboard import EAST, KARAGANDA, NORTH, PairSite, seed_pair

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pair_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, PairSite]]:
    """A server on a database seeded with `seed_pair` (ВКО and СКО with stored matches)."""
    path = tmp_path_factory.mktemp("pair") / "pair.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        ensure_reference_data(session)
        site = seed_pair(session)
        session.commit()
    engine.dispose()
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{path}"}
    with serve(env) as url:
        yield url, site


def test_dashboard_figures_charts_and_pair_form(
    pair_server: tuple[str, PairSite], page: Any
) -> None:
    url, site = pair_server
    page.goto(url + "/")
    east = page.locator(f'article[data-side="{EAST}"]')
    assert east.locator('[data-figure="matched-value"]').inner_text() == "5,0 млн ₸"
    assert east.locator('[data-figure="share"]').inner_text() == "40\u202f%"
    charts = page.get_by_role("img")
    assert charts.count() == 3
    assert charts.first.get_attribute("aria-labelledby") == "chart-sides-title chart-sides-desc"
    assert page.locator("svg.chart").first.bounding_box()["width"] > 600, "charts fill the panel"
    best = page.locator(f'a[href="/needs/{site.needs["bearing"].id}"]')
    assert best.inner_text() == "Подшипник 6205-2RS"

    page.select_option('select[name="b"]', KARAGANDA)
    page.get_by_role("button", name="Показать").click()
    page.wait_for_load_state()
    assert f"b={KARAGANDA}" in page.url
    assert east.locator('[data-figure="matched-value"]').inner_text() == "1,0 млн ₸"
    page.get_by_role("link", name="Поменять регионы местами").click()
    page.wait_for_load_state()
    sides = page.locator("article.direction")
    assert sides.first.get_attribute("data-side") == KARAGANDA

    page.goto(url + "/")
    assert page.locator("article.direction").first.get_attribute("data-side") == EAST
    assert page.locator(f'tr[data-kato="{NORTH}"]').get_attribute("class") == "pair"
    screenshot(page, "dashboard-ru")

    page.get_by_role("link", name="Қазақша").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.locator("h1").inner_text() == "ШҚО ↔ СҚО: өңіраралық ынтымақтастық"
    assert east.locator('[data-figure="matched-value"]').inner_text() == "5,0 млн ₸"
    screenshot(page, "dashboard-kk")
