"""The audit log in a real browser on the demo data: a coordinator opens it from the
memoranda list, reads the changes in words in Russian and in Kazakh, filters them by
object and person, and downloads them as XLSX."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from seriktes.demo.users import DEMO_PASSWORD
from tests.browser.conftest import screenshot, serve

pytestmark = pytest.mark.browser
RAW = re.compile(r"\b[a-z]+_id\b|\bkpi: |turnover_kzt|#\d+ ")  # what the old dump showed


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on a database made the way `make run` makes it: migrate, then the demo."""
    folder = tmp_path_factory.mktemp("audit-live")
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{folder / 'demo.db'}"}
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run(
            [sys.executable, "-m", "seriktes", *command],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    with serve(env) as url:
        yield url


def test_a_coordinator_reads_filters_and_downloads_the_audit_log(
    demo_server: str, page: Any, tmp_path: Path
) -> None:
    page.goto(demo_server + "/login?next=/memoranda&lang=ru")
    page.fill("input[name=email]", "vko@seriktes.demo")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("tr[data-memorandum]")
    page.click("#audit-link")
    page.wait_for_selector("#audit tr[data-audit]")
    rows = page.locator("#audit tr[data-audit]")
    assert rows.count() > 0
    text = page.locator("#audit").inner_text()
    assert RAW.search(text) is None, RAW.search(text)
    assert re.search(r"Сделка № \S+ (создана|подтверждена|изменена)", text)
    screenshot(page, "audit-all-ru")

    page.select_option("#f-kind", "deal")
    page.click("#audit-filters button[type=submit]")
    page.wait_for_selector("#f-object")
    kinds = page.locator("#audit tr[data-audit]").evaluate_all(
        "rows => rows.map(r => r.dataset.kind)"
    )
    assert kinds and set(kinds) == {"deal"}
    page.locator("#audit td.what a").first.click()  # only this deal
    page.wait_for_selector("#audit tr[data-audit]")
    assert "object=" in page.url
    screenshot(page, "audit-deal-ru")

    with page.expect_download() as download_info:
        page.click("#audit-export")
    saved = tmp_path / "audit.xlsx"
    download_info.value.save_as(saved)
    sheet = load_workbook(BytesIO(saved.read_bytes())).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][:4] == ["Когда (время Алматы)", "Кто", "Объект", "Действие"]
    assert sheet.max_row > 1

    memo_href = "/memoranda/1/audit"
    page.goto(demo_server + memo_href + "?lang=kk")
    page.wait_for_selector("#audit")
    kazakh = page.locator("#audit").inner_text()
    assert "Өзгерістер" in page.content()
    assert RAW.search(kazakh) is None
    if page.locator("#audit tr[data-audit]").count():
        assert re.search(r"(мәміле|меморандум|міндеттеме)\S* (құрылды|расталды|өзгертілді)", kazakh)
    screenshot(page, "audit-memorandum-kk")
    page.goto(demo_server + memo_href + "?lang=ru")
    page.wait_for_selector("#audit")
    screenshot(page, "audit-memorandum-ru")
