"""Importing a file in a real browser: an error is shown, the file is fixed, then imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import screenshot, serve
from tests.factories import valid_bins, write_csv
from tests.imports.test_uploads import NEED_HEADER, need_rows
from tests.sites import seed_site

pytestmark = pytest.mark.browser

EMAIL, PASSWORD = "coordinator@example.kz", "import-test-password"


@pytest.fixture(scope="module")
def import_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own (this test adds needs; the shared live server keeps its counts),
    seeded like the live server, with a coordinator of East Kazakhstan."""
    folder = tmp_path_factory.mktemp("import-live")
    seed_site(folder / "site.db", folder)
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{folder / 'site.db'}"}
    create = [sys.executable, "-m", "seriktes", "users", "create", EMAIL, "--password-stdin"]
    subprocess.run(
        [*create, "--role", "coordinator", "--region", "63", "--name", "Айгерим Сапарова"],
        input=PASSWORD + "\n",
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    with serve(env) as url:
        yield url


def needs_of_site(url: str) -> int:
    with urllib.request.urlopen(url + "/api/v1/stats", timeout=5) as response:
        return int(json.load(response)["needs"])


def test_a_file_with_an_error_is_fixed_and_imported(
    import_server: str, page: Any, tmp_path: Path
) -> None:
    buyer = next(valid_bins())  # the first organisation seed_site registers (East Kazakhstan)
    before = needs_of_site(import_server)
    page.goto(import_server + "/login")
    page.get_by_label("Эл. почта").fill(EMAIL)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("link", name="Импорт", exact=True).click()
    page.wait_for_url("**/import")
    page.get_by_label("Что в файле").select_option("needs")
    screenshot(page, "import-form")

    bad = write_csv(tmp_path / "потребности.csv", NEED_HEADER, need_rows(buyer, [4, "два", 6]))
    page.get_by_label("Файл", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="Загрузить и проверить").click()
    page.wait_for_url("**/import/*")
    cells = page.locator("[data-errors] tbody tr").first.locator("td")
    assert [cells.nth(i).inner_text() for i in range(3)] == [
        "3",
        "Кол-во",
        "ожидается число, указано 'два'",
    ]
    assert page.locator('[data-count="invalid"] .num').inner_text() == "1"
    assert page.locator("[data-sample] tbody tr").count() == 2
    assert needs_of_site(import_server) == before, "the preview writes nothing"
    screenshot(page, "import-row-error")

    fixed = write_csv(tmp_path / "потребности.csv", NEED_HEADER, need_rows(buyer, [4, 2, 6]))
    page.locator("[data-reupload] input[type=file]").set_input_files(str(fixed))
    page.locator("[data-reupload] button").click()
    page.wait_for_load_state()
    assert page.locator("[data-errors]").count() == 0
    assert page.locator('[data-count="created"] .num').inner_text() == "3"
    assert "потребности.csv" in page.locator("h1").inner_text()
    screenshot(page, "import-preview-fixed")

    page.get_by_role("button", name="Импортировать строки (3)").click()
    page.wait_for_load_state()
    assert page.locator('[data-result] [data-count="created"] td').inner_text() == "3"
    assert needs_of_site(import_server) == before + 3
    screenshot(page, "import-done")

    page.get_by_role("link", name="Қазақша").click()
    page.wait_for_load_state()
    page.goto(import_server + "/import")
    assert page.locator("h1").inner_text() == "Файлды импорттау"
    assert page.locator("[data-pending]").count() == 0, "nothing is left waiting"
    screenshot(page, "import-form-kk")
