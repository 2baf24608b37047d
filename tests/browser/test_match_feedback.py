"""A buyer marks a ranked producer «Не подходит» on the need page and it disappears from the
list at once (plain forms, the real server and engine); withdrawing the answer brings it
back."""

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

from seriktes.catalog.models import Need, Offer, OfferStatus
from seriktes.kit.db import make_engine
from seriktes.registry.bin import complete_bin
from seriktes.registry.models import Organisation, Region
from tests.browser.conftest import screenshot, serve
from tests.sites import seed_site

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "buyer-feedback@example.kz", "feedback-test-password"
PRODUCERS = [("590000000", "ТОО «Кызылжар Резинотехника»"), ("470000000", "ТОО «Каспий Футеровка»")]


def _add_producers(db_path: Path) -> tuple[str, int]:
    """Two producers of mill linings; the BIN of the site's buyer and the id of its need."""
    engine = make_engine(f"sqlite:///{db_path}")
    with Session(engine) as session:
        regions = {r.kato: r for r in session.scalars(select(Region))}
        for serial, (kato, name) in enumerate(PRODUCERS):
            org = Organisation(bin=complete_bin(f"1606600{serial:04d}"), name_ru=name,
                               region_id=regions[kato].id, certificates=[])  # fmt: skip
            session.add(org)
            session.flush()
            session.add(Offer(producer_id=org.id, external_id=f"F{serial}", unit_code="839",
                              title="Футеровка мельницы резиновая, комплект",
                              class_code="28.92.62", capacity_per_year=Decimal(40),
                              status=OfferStatus.PUBLISHED, certificates=[]))  # fmt: skip
        need = session.scalars(select(Need).order_by(Need.id)).first()
        assert need is not None
        bin_value, need_id = need.buyer.bin, need.id
        session.commit()
    engine.dispose()
    assert bin_value is not None
    return bin_value, need_id


@pytest.fixture(scope="module")
def feedback_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A server whose buyer's need has two ranked producers, and a member of the buyer."""
    folder = tmp_path_factory.mktemp("feedback")
    seed_site(folder / "site.db", folder)
    buyer_bin, need_id = _add_producers(folder / "site.db")
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{folder / 'site.db'}"}
    subprocess.run(
        [sys.executable, "-m", "seriktes", "match"],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "seriktes", "users", "create", EMAIL, "--role", "member",
         "--org", buyer_bin, "--name", "Иванова Алия", "--password-stdin"],
        input=PASSWORD + "\n", env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    with serve(env) as url:
        yield url, need_id


def test_a_buyer_marks_a_match_not_suitable_and_it_disappears(
    feedback_server: tuple[str, int], page: Any
) -> None:
    url, need_id = feedback_server
    page.goto(f"{url}/login?next=/needs/{need_id}&lang=ru")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url(f"**/needs/{need_id}")

    matches = page.locator("li.match")
    assert matches.count() == 2
    rejected = matches.first.get_attribute("data-match")
    matches.first.locator("select[name=reason]").select_option("cannot_supply")
    matches.first.locator("[data-mark=not_suitable]").click()
    page.wait_for_url(f"**/needs/{need_id}*")

    assert page.locator("[data-flash=notice]").count() == 1
    assert page.locator(f"li.match[data-match='{rejected}']").count() == 0
    assert page.locator("li.match").count() == 1
    marked = page.locator(f"[data-marked-offer='{rejected}']")
    assert "Отмечено как неподходящее (не может поставить): Иванова А." in marked.inner_text()
    screenshot(page, "need-match-marked-not-suitable-ru")

    marked.locator("[data-withdraw]").click()
    page.wait_for_url(f"**/needs/{need_id}*")
    assert page.locator(f"li.match[data-match='{rejected}']").count() == 1
    assert page.locator("[data-marked]").count() == 0
