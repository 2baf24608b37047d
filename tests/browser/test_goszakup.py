"""Plans pulled from goszakup in a real browser: a coordinator starts the sync of their
region on /goszakup, a `seriktes worker` beside the server reads a local OWS server serving
the real plan's items (through a 429), and the page follows the job to its end."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import screenshot, serve, worker
from tests.goszakup_server import TOKEN, PlanService, plan_items
from tests.goszakup_server import serve as serve_plans

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "almaty@example.kz", "Very-long-test-password-1"
ALMATY_OBLAST = "190000000"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, PlanService]]:
    """A database with an Almaty oblast coordinator, the OWS server, a server and a worker."""
    folder = tmp_path_factory.mktemp("goszakup-live")
    service = PlanService(plan_items(), limit=40, failures={2: 429})
    with serve_plans(service):
        env = {
            **os.environ,
            "SERIKTES_DATABASE_URL": f"sqlite:///{folder / 'live.db'}",
            "SERIKTES_GOSZAKUP_URL": service.url,
            "SERIKTES_GOSZAKUP_TOKEN": TOKEN,
        }
        run = [sys.executable, "-m", "seriktes"]
        subprocess.run([*run, "db", "upgrade"], env=env, check=True, capture_output=True)
        create = ["users", "create", EMAIL, "--role", "coordinator", "--region", ALMATY_OBLAST]
        subprocess.run(
            [*run, *create, "--password-stdin"],
            env=env,
            input=PASSWORD.encode(),
            check=True,
            capture_output=True,
        )
        with worker(env), serve(env) as url:
            yield url, service


def test_a_coordinator_pulls_the_region_s_plans_in_the_background(
    site: tuple[str, PlanService], browser: Any
) -> None:
    url, service = site
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = context.new_page()
    try:
        page.goto(url + "/login?next=/goszakup")
        page.fill("input[name=email]", EMAIL)
        page.fill("input[name=password]", PASSWORD)
        page.click("form.stacked button[type=submit]")
        page.wait_for_url("**/goszakup")
        assert page.locator("select[name=region]").input_value() == ALMATY_OBLAST
        page.get_by_role("button", name="Загрузить планы").click()
        page.wait_for_url("**/goszakup?job=*")
        page.wait_for_selector('section.job[data-job-status="done"]', timeout=90_000)
        page.reload()  # the sync's state is listed once the job has ended
        row = page.locator(f'tr[data-sync="region:{ALMATY_OBLAST}"]')
        assert "актуальна" in row.inner_text()
        assert service.requests[0] == "/v3/plans/all"
        screenshot(page, "goszakup-sync-done-ru")
        page.goto(url + "/goszakup?lang=kk")
        assert "goszakup жоспарлары" in page.locator("h1").inner_text()
        screenshot(page, "goszakup-page-kk")
        page.goto(url + "/needs?lang=ru")
        screenshot(page, "goszakup-needs-ru")
    finally:
        context.close()
