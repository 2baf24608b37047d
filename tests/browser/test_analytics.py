"""The analytics pages in a real browser on the demo data: the turnover matrix, the ВКО ↔ СКО
report in Russian and Kazakh, and its PDF download; screenshots in test-artifacts/."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from seriktes.demo.users import DEMO_PASSWORD
from tests.browser.conftest import ARTIFACTS, screenshot, serve, worker
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def analytics_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on the data `make run` makes: migrate, the demo, its matches."""
    folder = tmp_path_factory.mktemp("analytics-live")
    env = {
        **os.environ,
        "SERIKTES_DATABASE_URL": f"sqlite:///{folder / 'demo.db'}",
        "SERIKTES_DATA_DIR": str(SHARED_DATA),
        "SERIKTES_WARM_ENGINES": "false",
    }
    for command in (["db", "upgrade"], ["demo"], ["match"]):
        subprocess.run(
            [sys.executable, "-m", "seriktes", *command],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    with worker(env), serve(env) as url:
        yield url


def test_coordinator_opens_the_pair_report_and_downloads_it(
    analytics_server: str, page: Any
) -> None:
    page.goto(analytics_server + "/login?next=/analytics&lang=ru")
    page.fill("input[name=email]", "vko@seriktes.demo")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/analytics")
    assert page.get_by_role("link", name="Аналитика").get_attribute("aria-current") == "page"
    matrix = page.locator('table[data-table="matrix"]')
    assert matrix.locator("a").count() >= 2  # СКО → ВКО and ВКО → СКО
    screenshot(page, "analytics-ru")

    page.get_by_role("button", name="Показать справку").click()
    page.wait_for_selector('[data-key="turnover"]')
    assert page.locator("h1").inner_text() == "ВКО ↔ СКО: межрегиональное сотрудничество"
    turnover = page.locator('[data-key="turnover"] .value').inner_text()
    assert turnover.endswith("₸") and not turnover.startswith("0")
    charts = page.locator("figure[data-chart] img")
    assert charts.count() == 3
    assert all(
        charts.nth(i).evaluate("img => img.complete && img.naturalWidth > 0") for i in range(3)
    ), "the charts are drawn"
    screenshot(page, "analytics-pair-ru")

    page.get_by_role("link", name="Қазақша").click()
    page.wait_for_selector("text=ШҚО ↔ СҚО: өңіраралық ынтымақтастық")
    screenshot(page, "analytics-pair-kk")
    page.get_by_role("button", name="PDF жүктеп алу").click()  # a job makes the file
    page.wait_for_selector('section.job[data-job-status="done"] a[href^="/jobs/"]', timeout=90_000)
    with page.expect_download() as waiting:
        page.locator('section.job a[href^="/jobs/"]').click()
    download = waiting.value
    ARTIFACTS.mkdir(exist_ok=True)
    saved = ARTIFACTS / "analytics-pair-kk.pdf"
    download.save_as(str(saved))
    assert saved.read_bytes().startswith(b"%PDF")
    assert download.suggested_filename.endswith("-kk.pdf")
