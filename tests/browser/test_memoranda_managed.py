"""A memorandum managed from start to end in a real browser, in Russian and in Kazakh: a
coordinator creates it with the regions' signatories and posts, adds organisation parties
chosen through the autocomplete, edits it, adds a commitment with a responsible organisation
(the autocomplete) and person and two milestones, records a deal linked to it, confirms it
with the contract, records a delivery, and sees contracted, delivered and counted side by
side on the commitment's page with the rule that decided its status; screenshots go to
test-artifacts/."""

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

pytestmark = pytest.mark.browser
VKO, SKO = "630000000", "590000000"
BUYER, SUPPLIER = ("шыгыс мыс", "Мыс"), ("литмаш", "Литмаш")  # typed, then shown in the option
SAVE = "form.edit button[type=submit]"
TEXTS = {
    "ru": {"contracted": "Законтрактовано", "counted": "Засчитано", "rule": "Срок ни одной"},
    "kk": {"contracted": "Шартпен бекітілген", "counted": "Есепке алынған", "rule": "Бірде-бір"},
}
# the audit log's sentences, in the object's grammatical gender
AUDIT = {
    "ru": ("изменён", "Обязательство «", "создано"),
    "kk": ("меморандум өзгертілді", "міндеттемесі құрылды"),
}


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on a database made the way `make run` makes it: migrate, then the demo."""
    folder = tmp_path_factory.mktemp("memoranda-managed")
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


def choose_organisation(page: Any, field: str, typed: str, shown: str) -> None:
    """Type part of a name into the picker `field`, wait for the listbox, choose the option
    showing `shown` with the arrows and Enter (as a keyboard user does)."""
    box = page.locator(f"input#f-{field}")
    assert box.get_attribute("role") == "combobox"
    box.press_sequentially(typed, delay=40)
    options = page.locator(f"#{box.get_attribute('aria-controls')} [role=option]")
    options.first.wait_for()
    texts = options.all_inner_texts()
    index = next(i for i, text in enumerate(texts) if shown in text)
    for _ in range(index + 1):
        box.press("ArrowDown")
    box.press("Enter")
    assert box.get_attribute("aria-expanded") == "false"


def log_in(page: Any, url: str, lang: str) -> None:
    page.goto(f"{url}/login?lang={lang}")
    page.fill("input[name=email]", "vko@seriktes.demo")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state()


def create_memorandum(page: Any, url: str, lang: str) -> str:
    """The memorandum with the regions' signatories and posts; its address."""
    page.goto(f"{url}/memoranda/new?lang={lang}")
    page.fill("#f-number", f"М-2026/{lang.upper()}-1")
    page.fill("#f-title", "О поставках футеровки для обогатительных фабрик")
    page.fill("#f-signed_on", "2026-11-20")
    page.select_option("#f-host_region", VKO)
    page.fill("#f-host_signatory", "Е. К. Сарсенбаев")
    page.fill("#f-host_signatory_post", "аким Восточно-Казахстанской области")
    page.select_option("#f-guest_region", SKO)
    page.fill("#f-guest_signatory", "Г. Т. Жумагулов")
    page.fill("#f-guest_signatory_post", "аким Северо-Казахстанской области")
    page.check("input[name=sectors][value=industry]")
    page.select_option("#f-status", "published")
    screenshot(page, f"memoranda-managed-new-{lang}")
    page.click(SAVE)
    page.wait_for_selector("#parties")
    return str(page.url.split("?")[0])


def add_parties(page: Any, memo_url: str, lang: str) -> None:
    """Organisation parties chosen through the autocomplete, with signatories and posts."""
    for (typed, shown), role, signatory, post in (
        (BUYER, "party", "А. М. Ковалёв", "генеральный директор"),
        (SUPPLIER, "guest", "Н. С. Абдрахманова", "директор"),
    ):
        page.goto(f"{memo_url}/parties/new?lang={lang}")
        choose_organisation(page, "organisation", typed, shown)
        page.select_option("#f-role", role)
        page.fill("#f-signatory", signatory)
        page.fill("#f-signatory_post", post)
        page.click(SAVE)
        page.wait_for_selector("p.notice")
    assert page.locator("#parties tr[data-party]").count() == 4
    assert "генеральный директор" in page.locator("#parties").inner_text()
    assert "Абдрахманова" in page.locator("#parties").inner_text()
    screenshot(page, f"memoranda-managed-parties-{lang}")


def edit_memorandum(page: Any, memo_url: str, lang: str) -> None:
    """The memorandum edited after creation: its title and sectors."""
    page.goto(f"{memo_url}/edit?lang={lang}")
    page.fill("#f-title", "О поставках футеровки и запасных частей для обогатительных фабрик")
    page.check("input[name=sectors][value=mining]")
    page.click(SAVE)
    page.wait_for_selector("h1:has-text('запасных частей')")


def add_commitment(page: Any, memo_url: str, lang: str) -> str:
    """A commitment with a responsible organisation and person, and two milestones; its
    address."""
    page.goto(f"{memo_url}/commitments/new?lang={lang}")
    page.fill("#f-title", "Поставки футеровочных плит")
    page.select_option("#f-kpi", "turnover_kzt")
    page.fill("#f-target", "150 000 000")
    page.fill("#f-deadline", "2027-12-31")
    choose_organisation(page, "responsible_organisation", *SUPPLIER)
    page.fill("#f-responsible_person", "Д. Р. Исмаилов")
    page.fill("#f-responsible_post", "коммерческий директор")
    page.fill("#f-responsible_contact", "+7 7152 46 10 20")
    screenshot(page, f"memoranda-managed-commitment-form-{lang}")
    page.click(SAVE)
    page.wait_for_selector("#milestones")
    commitment_url = str(page.url.split("?")[0])
    assert "Исмаилов" in page.locator("[data-responsible]").inner_text()
    assert "Литмаш" in page.locator("[data-responsible]").inner_text()
    for due, target in (("2027-03-31", "50000000"), ("2027-06-30", "100000000")):
        form = page.locator("#add-milestone form")
        if not form.is_visible():
            page.locator("#add-milestone summary").click()
        form.locator("input[name=due_on]").fill(due)
        form.locator("input[name=target]").fill(target)
        form.locator("button[type=submit]").click()
        page.wait_for_selector("p.notice")
    assert page.locator("#milestones tr[data-milestone]").count() == 2
    assert page.locator("[data-basis]").get_attribute("data-basis") == "before_milestones"
    assert TEXTS[lang]["rule"] in page.locator("[data-basis]").inner_text()
    return commitment_url


def record_deal(page: Any, url: str, commitment_id: str, lang: str) -> None:
    """A deal linked to the commitment, confirmed with the contract, and a delivery."""
    page.goto(f"{url}/deals/new?lang={lang}")
    page.fill("#f-number", f"Д-{lang}-77")
    choose_organisation(page, "buyer_bin", *BUYER)
    choose_organisation(page, "supplier_bin", *SUPPLIER)
    page.fill("#f-signed_on", "2026-11-25")
    page.fill("#f-subject", "Футеровочные плиты")
    page.fill("#f-amount", "60000000")
    page.check(f"input[name=commitment_ids][value='{commitment_id}']")
    page.click(SAVE)
    page.wait_for_selector("[data-form=confirm-coordinator]")
    delivery = page.locator("form[action$='/deliveries/new']")
    delivery.locator("xpath=ancestor::details/summary").click()
    delivery.locator("input[name=delivered_on]").fill("2026-12-01")
    delivery.locator("input[name=amount_kzt]").fill("20000000")
    delivery.locator("button[type=submit]").click()
    page.wait_for_selector("p.notice")
    # a delivery asks for confirmation again: the coordinator confirms the deal as it stands
    page.fill("[data-form=confirm-coordinator] input[name=evidence]", f"договор Д-{lang}-77")
    page.click("[data-form=confirm-coordinator] button[type=submit]")
    page.wait_for_selector("section#confirmation[data-confirmation=confirmed]")


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_memorandum_is_managed_on_the_pages(demo_server: str, page: Any, lang: str) -> None:
    url = demo_server
    log_in(page, url, lang)
    memo_url = create_memorandum(page, url, lang)
    add_parties(page, memo_url, lang)
    edit_memorandum(page, memo_url, lang)
    commitment_url = add_commitment(page, memo_url, lang)
    record_deal(page, url, commitment_url.rsplit("/", 1)[1], lang)

    # contracted, delivered and counted side by side
    page.goto(f"{commitment_url}?lang={lang}")
    split = page.locator("table[data-split]")
    assert split.locator("[data-contracted]").get_attribute("data-contracted") == "60000000.00"
    assert split.locator("[data-delivered]").get_attribute("data-delivered") == "20000000.00"
    assert split.locator("[data-counted]").get_attribute("data-counted") == "20000000.00"
    header = split.locator("thead").text_content()
    assert TEXTS[lang]["contracted"] in header and TEXTS[lang]["counted"] in header
    assert re.search(r"60\s000\s000", split.inner_text())
    assert page.locator("svg.history-chart [data-line=counted]").count() == 1
    assert page.locator("svg.history-chart [data-milestone]").count() == 2
    screenshot(page, f"memoranda-managed-commitment-{lang}")

    page.goto(f"{memo_url}?lang={lang}")
    screenshot(page, f"memoranda-managed-memorandum-{lang}")
    page.goto(f"{memo_url}/audit?lang={lang}")
    assert page.locator("tr[data-audit]").count() >= 6
    log = page.locator("main").inner_text()
    assert all(words in log for words in AUDIT[lang]), log[:2000]
    assert "_id" not in log and "turnover_kzt" not in log  # names and words, not codes
    screenshot(page, f"memoranda-managed-audit-{lang}")
