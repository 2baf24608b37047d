"""A buyer reads the bands of a need's producers: strong ones first, weak ones only after
clicking «show weaker matches (N)», and hidden again — in Russian and Kazakh, no JavaScript
needed (the link is a query parameter)."""

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

from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus, Origin
from seriktes.kit.db import make_engine
from seriktes.registry.bin import complete_bin
from seriktes.registry.models import Organisation, Region
from tests.browser.conftest import screenshot, serve
from tests.sites import seed_site

pytestmark = pytest.mark.browser

PIPES = "24.20.13"
PRODUCERS = [
    ("ТОО «Кызылжар Трубный Завод»", "Труба стальная электросварная 57х3,5 мм"),
    ("ТОО «Петропавловск Полимер»", "Труба полипропиленовая 57 мм"),
]


def _add_pipes(db_path: Path) -> int:
    """Two СКО producers of pipes (steel, polypropylene) and a ВКО buyer's steel pipe need;
    the need's id."""
    engine = make_engine(f"sqlite:///{db_path}")
    with Session(engine) as session:
        regions = {r.kato: r for r in session.scalars(select(Region))}
        bins = [b for n in range(20) if (b := complete_bin(f"1606600{n:04d}"))]
        sko, vko = regions["590000000"].id, regions["630000000"].id
        orgs = [
            Organisation(bin=bins[n], name_ru=name, region_id=sko, certificates=[])
            for n, (name, _title) in enumerate(PRODUCERS)
        ]
        buyer = Organisation(bin=bins[-1], name_ru="ТОО «Востокэнерго»", region_id=vko,
                             certificates=[])  # fmt: skip
        session.add_all([*orgs, buyer])
        session.flush()
        for serial, (org, (_name, title)) in enumerate(zip(orgs, PRODUCERS, strict=True)):
            session.add(Offer(producer_id=org.id, external_id=f"P{serial}", title=title,
                              class_code=PIPES, unit_code="006", capacity_per_year=Decimal(9000),
                              status=OfferStatus.PUBLISHED, certificates=[]))  # fmt: skip
        need = Need(buyer_id=buyer.id, external_id="B1", class_code=PIPES, unit_code="006",
                    title="Труба стальная электросварная 57х3,5", quantity=Decimal(1200),
                    origin=Origin.FAR_ABROAD, status=NeedStatus.PUBLISHED)  # fmt: skip
        session.add(need)
        session.commit()
        need_id = need.id
    engine.dispose()
    return need_id


@pytest.fixture(scope="module")
def pipes_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A server whose steel pipe need has a strong and a weak producer."""
    folder = tmp_path_factory.mktemp("bands")
    seed_site(folder / "site.db", folder)
    need_id = _add_pipes(folder / "site.db")
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{folder / 'site.db'}"}
    subprocess.run([sys.executable, "-m", "seriktes", "match", "--need", str(need_id)],
                   env=env, check=True, capture_output=True)  # fmt: skip
    with serve(env) as url:
        yield url, need_id


def test_a_buyer_reveals_and_hides_the_weaker_matches(
    pipes_server: tuple[str, int], page: Any
) -> None:
    url, need_id = pipes_server
    page.goto(f"{url}/needs/{need_id}?lang=ru")
    matches = page.locator("li.match")
    assert matches.count() == 1
    assert matches.first.locator(".badge.band").inner_text() == "сильное совпадение"
    assert "товар совпадает" in matches.first.locator(".verdict").inner_text()
    show = page.locator("a[data-show-weak]")
    assert show.inner_text() == "показать более слабые совпадения (1)"
    show.click()
    page.wait_for_url("**include_weak=1**")
    assert matches.count() == 2
    weak = page.locator("ol.matches.weak li.match")
    assert weak.locator(".badge.band").inner_text() == "слабое совпадение"
    assert "ТОО «Петропавловск Полимер»" in weak.locator("a.producer").inner_text()
    assert "полипропилен" in weak.locator(".verdict").inner_text()
    screenshot(page, "need-weaker-matches-ru")
    page.locator("a[data-hide-weak]").click()
    page.wait_for_function("!location.search.includes('include_weak')")
    assert matches.count() == 1

    page.goto(f"{url}/needs/{need_id}?lang=kk")
    assert matches.first.locator(".badge.band").inner_text() == "күшті сәйкестік"
    assert page.locator("a[data-show-weak]").inner_text() == "әлсіздеу сәйкестіктерді көрсету (1)"
