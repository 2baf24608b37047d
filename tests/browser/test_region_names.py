"""Region names in a real browser on the demo data: the dashboard and the analytics page in
English, Kazakh and Russian at 1280 and 800 pixels, every region select as wide as its longest name;
screenshots in test-artifacts/."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from seriktes.demo.users import DEMO_PASSWORD
from tests.browser.conftest import screenshot, serve
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.browser

CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")
# The width a select needs to show its longest option whole (the select is as wide as its
# longest option unless a rule caps it), and whether it stays inside the window.
MEASURE = """select => {
  const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = style.font;
  const longest = Math.max(...[...select.options].map(o => context.measureText(o.text).width));
  const box = select.getBoundingClientRect();
  return {
    text: longest + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight),
    width: box.width, right: box.right, window: document.documentElement.clientWidth,
  };
}"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on the demo data."""
    folder = tmp_path_factory.mktemp("names-live")
    env = {
        **os.environ,
        "SERIKTES_DATABASE_URL": f"sqlite:///{folder / 'demo.db'}",
        "SERIKTES_DATA_DIR": str(SHARED_DATA),
        "SERIKTES_WARM_ENGINES": "false",
    }
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


def whole_names(page: Any, selector: str) -> list[str]:
    """The options of each select matched, after checking each shows its longest option
    whole inside the window."""
    selects = page.locator(selector)
    assert selects.count() >= 1, selector
    for number in range(selects.count()):
        size = selects.nth(number).evaluate(MEASURE)
        assert size["width"] >= size["text"], f"{selector}: a name is cut ({size})"
        assert size["right"] <= size["window"], f"{selector}: the select leaves the window"
    return [text.strip() for text in selects.first.locator("option").all_inner_texts()]


def test_region_names_whole_in_english_and_kazakh(demo_server: str, page: Any) -> None:
    page.goto(demo_server + "/login?next=/analytics&lang=en")
    page.fill("input[name=email]", "vko@seriktes.demo")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_url("**/analytics")
    for width in (1280, 800):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(demo_server + "/?lang=en")
        assert page.locator("h1").inner_text().startswith("East Kazakhstan ↔ North Kazakhstan")
        names = whole_names(page, ".pair-form select")
        assert names[:3] == ["East Kazakhstan Region", "North Kazakhstan Region", "Abai Region"]
        assert not any(CYRILLIC.search(name) for name in names)
        screenshot(page, f"names-dashboard-en-{width}")

        page.goto(demo_server + "/?lang=kk")
        names = whole_names(page, ".pair-form select")
        assert names[:3] == ["Шығыс Қазақстан облысы", "Солтүстік Қазақстан облысы", "Абай облысы"]
        screenshot(page, f"names-dashboard-kk-{width}")

        page.goto(demo_server + "/?lang=ru")
        names = whole_names(page, ".pair-form select")
        assert names[:2] == ["Восточно-Казахстанская область", "Северо-Казахстанская область"]
        screenshot(page, f"names-dashboard-ru-{width}")

        page.goto(demo_server + "/analytics?lang=en")
        names = whole_names(page, ".pair-form select")
        assert names[:2] == ["East Kazakhstan Region", "North Kazakhstan Region"]
        screenshot(page, f"names-analytics-en-{width}")

        page.goto(demo_server + "/analytics?lang=kk")
        whole_names(page, ".pair-form select")
        screenshot(page, f"names-analytics-kk-{width}")

        page.goto(demo_server + "/needs?lang=en")
        names = whole_names(page, "form.filters select[name=region]")
        assert names[1:3] == ["Abai", "Akmola"], "filters list regions by name too"
        screenshot(page, f"names-needs-en-{width}")

        page.goto(demo_server + "/events?lang=en")
        page.locator("table a[href^='/events/']").first.click()
        page.wait_for_load_state()
        page.goto(page.url.split("?")[0] + "/participants?lang=en")
        names = whole_names(page, "form[data-catalogue-filters] select[name=region]")
        assert len(names) == 3 and not any(CYRILLIC.search(name) for name in names)
        classes = page.locator("form[data-catalogue-filters] select[name=class_code]")
        assert classes.evaluate(MEASURE)["right"] <= width, "the class select stays in the window"
        screenshot(page, f"names-catalogue-en-{width}")
