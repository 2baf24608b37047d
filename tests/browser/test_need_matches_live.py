"""On a fresh server, a member adds a need on its page and sees ranked producers at once:
nobody runs a matching command in between."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.catalog.models import Offer, OfferStatus
from seriktes.kit.db import make_engine
from seriktes.matches.models import Match
from seriktes.registry.bin import complete_bin
from seriktes.registry.models import Organisation, Region
from tests.browser.conftest import screenshot, serve
from tests.sites import seed_site

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "member-live@example.kz", "live-matching-password"
PRODUCERS = [("590000000", "ТОО «Кызылжар Резинотехника»"), ("470000000", "ТОО «Каспий Футеровка»")]


def _add_producers(db_path: Path) -> str:
    """Two producers of mill linings with an offer each, unmatched; the BIN of the site's
    first buyer (whose member adds the need)."""
    engine = make_engine(f"sqlite:///{db_path}")
    with Session(engine) as session:
        regions = {r.kato: r for r in session.scalars(select(Region))}
        for serial, (kato, name) in enumerate(PRODUCERS):
            org = Organisation(bin=complete_bin(f"1505500{serial:04d}"), name_ru=name,
                               region_id=regions[kato].id, certificates=[])  # fmt: skip
            session.add(org)
            session.flush()
            session.add(Offer(producer_id=org.id, external_id=f"L{serial}", unit_code="839",
                              title="Футеровка шаровой мельницы МШЦ 3600 резиновая",
                              class_code="28.92.62", capacity_per_year=Decimal(40),
                              status=OfferStatus.PUBLISHED, certificates=[]))  # fmt: skip
        assert session.scalar(select(func.count(Match.id))) == 0
        buyer = session.scalars(select(Organisation).order_by(Organisation.id)).first()
        assert buyer is not None
        session.commit()
        bin_value = buyer.bin
    engine.dispose()
    assert bin_value is not None
    return bin_value


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on a site with two producers' offers and no stored match, and a member of
    one of its buyers."""
    folder = tmp_path_factory.mktemp("live-matching")
    seed_site(folder / "site.db", folder)
    buyer_bin = _add_producers(folder / "site.db")
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{folder / 'site.db'}"}
    subprocess.run(
        [sys.executable, "-m", "seriktes", "users", "create", EMAIL, "--role", "member",
         "--org", buyer_bin, "--name", "Ерлан Жаксыбеков", "--password-stdin"],
        input=PASSWORD + "\n", env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    with serve(env) as url:
        yield url


def test_a_member_adds_a_need_and_sees_ranked_producers_at_once(
    fresh_server: str, page: Any
) -> None:
    page.goto(fresh_server + "/login?next=/needs/new&lang=ru")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/needs/new")
    page.fill("input[name=title]", "Футеровка мельницы МШЦ 3600×5500, комплект")
    page.fill("input[name=quantity]", "2")
    page.fill("input[name=class_code]", "28.92.62")
    page.select_option("select[name=origin]", "far_abroad")
    page.select_option("select[name=delivery_region]", "630000000")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/needs/*?saved=1")

    matches = page.locator("li.match")
    assert matches.count() == 2, "ranked producers, with no matching command run"
    first = matches.first
    assert "ТОО «Кызылжар Резинотехника»" in first.locator("a.producer").inner_text()
    assert "регион-партнёр" in first.locator("table.factors").inner_text()
    assert page.locator("[data-no-matches]").count() == 0
    screenshot(page, "need-added-with-producers-ru")
