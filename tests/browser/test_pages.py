"""Needs, a need's explained producers and search in a real browser, in Russian and Kazakh."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.catalog.models import Offer, OfferStatus
from seriktes.kit.db import make_engine
from seriktes.matches.service import build_matcher, match_needs, parse_partners
from seriktes.registry.bin import complete_bin
from seriktes.registry.models import ClassifierCode, ClassifierSystem, Organisation, Region
from tests.browser.conftest import screenshot, serve
from tests.sites import seed_site

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "admin-pages@example.kz", "pages-test-password"
CLASSES = [
    ("28", "Машины и оборудование, не включенные в другие группировки"),
    ("28.92", "Машины для добычи полезных ископаемых и строительства"),
    ("28.92.62", "Части машин для бурения, проходки, выемки грунта, дробления"),
    ("28.92.62.300", "Футеровки для мельниц и дробилок"),
]


def _add_producers_and_match(db_path: Path) -> None:
    """Two producers of mill linings (one in the partner region СКО), classes, matches."""
    engine = make_engine(f"sqlite:///{db_path}")
    with Session(engine) as session:
        regions = {r.kato: r for r in session.scalars(select(Region))}
        for serial, (kato, name) in enumerate(
            [("590000000", "ТОО «Кызылжар Резинотехника»"), ("470000000", "ТОО «Каспий Футеровка»")]
        ):
            org = Organisation(
                bin=complete_bin(f"1505400{serial:04d}"),
                name_ru=name,
                region_id=regions[kato].id,
                certificates=["KZ 7 590 017"],
            )
            session.add(org)
            session.flush()
            session.add(Offer(producer_id=org.id, external_id=f"L{serial}", unit_code="839",
                              title="Футеровка мельницы резиновая, комплект", class_code="28.92.62",
                              capacity_per_year=Decimal(40), status=OfferStatus.PUBLISHED,
                              certificates=[]))  # fmt: skip
        for code, name in CLASSES:
            parent = code.rsplit(".", 1)[0] if "." in code else None
            level = len(code.replace(".", ""))
            session.add(
                ClassifierCode(
                    system=ClassifierSystem.KPVED,
                    code=code,
                    name_ru=name,
                    level=level,
                    parent_code=parent,
                )
            )
        session.flush()
        match_needs(session, build_matcher(session, parse_partners(["630000000:590000000"])))
        session.commit()
    engine.dispose()


@pytest.fixture(scope="module")
def pages_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own: the shared site, mill-lining producers, matches and an admin."""
    folder = tmp_path_factory.mktemp("pages-live")
    seed_site(folder / "site.db", folder)
    _add_producers_and_match(folder / "site.db")
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{folder / 'site.db'}"}
    subprocess.run(
        [sys.executable, "-m", "seriktes", "users", "create", EMAIL, "--role", "admin",
         "--name", "Айгерим Сапарова", "--password-stdin"],
        input=PASSWORD + "\n", env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    with serve(env) as url:
        yield url


def test_needs_list_filter_need_matches_and_kazakh(pages_server: str, page: Any) -> None:
    page.goto(pages_server + "/login?next=/needs")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/needs")
    assert page.locator("tr[data-need]").count() == 4
    page.select_option("select[name=origin]", "far_abroad")  # applied at once by pages.js
    page.wait_for_url("**/needs?*origin=far_abroad*")
    assert page.locator("tr[data-need]").count() == 3
    assert page.locator("tr[data-need] .badge.origin-far_abroad").count() == 3
    screenshot(page, "needs-list-ru")

    page.locator("tr[data-need] td.title a").first.click()
    page.wait_for_load_state()
    matches = page.locator("li.match")
    assert matches.count() == 2
    first = matches.first
    assert "ТОО «Кызылжар Резинотехника»" in first.locator("a.producer").inner_text()
    assert first.locator(".chip.term", has_text="футеровка").count() == 1
    assert "регион-партнёр" in first.locator("table.factors").inner_text()
    assert page.get_by_role("link", name="Изменить").is_visible(), "an admin may edit"
    screenshot(page, "need-detail-ru")

    page.get_by_role("link", name="Қазақша").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "kk"
    assert "серіктес өңір" in page.locator("li.match").first.inner_text()
    assert page.locator("h2#producers").inner_text().startswith("Іріктелген өндірушілер")
    screenshot(page, "need-detail-kk")


def test_search_finds_classes_and_producers(pages_server: str, page: Any) -> None:
    page.goto(pages_server + "/search?lang=ru")
    page.get_by_role("link", name="Футеровка мельницы").click()
    page.wait_for_load_state()
    assert page.locator("tr[data-class]").first.get_attribute("data-class") == "28.92.62"
    assert page.locator("tr[data-offer]").count() == 2
    screenshot(page, "search-ru")
