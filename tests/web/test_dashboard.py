"""The home page: a region-pair dashboard with figures and server-drawn SVG charts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.web import charts
from tests.matches.test_dashboard import EAST, KARAGANDA, NORTH, PairSite, seed_pair
from tests.webkit import login, make_user


@pytest.fixture
def site(db_session: Session) -> PairSite:
    return seed_pair(db_session)


@pytest.fixture
def browser(app: FastAPI, site: PairSite) -> Iterator[TestClient]:
    """A client of the app on the test's transaction (tests/web/conftest's `client` is not)."""
    with TestClient(app) as client:
        yield client


def card(html: str, kato: str) -> str:
    found = re.search(rf'<article class="direction" data-side="{kato}">(.*?)</article>', html, re.S)
    assert found, f"no card for {kato}"
    return found.group(1)


def figure(html: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert found, f"no figure {name}"
    return found.group(1)


def test_dashboard_in_russian_shows_the_pair_figures(browser: TestClient, site: PairSite) -> None:
    html = browser.get("/").text
    assert '<html lang="ru">' in html
    assert "ВКО ↔ СКО: межрегиональное сотрудничество" in html
    east = card(html, EAST)
    assert figure(east, "matched-value") == "5,0 млн ₸"
    assert figure(east, "far-value") == "13,0 млн ₸"
    assert figure(east, "share") == "40\u202f%"
    assert (figure(east, "matched-needs"), figure(east, "far-needs")) == ("2", "5")
    assert (figure(east, "open-needs"), figure(east, "offers"), figure(east, "matches")) == (
        "6",
        "2",
        "4",
    )
    north = card(html, NORTH)
    assert figure(north, "matched-value") == "300\u202f000 ₸"
    assert html.index(f'data-side="{EAST}"') < html.index(f'data-side="{NORTH}"')


def test_best_matches_link_needs_and_organisations(browser: TestClient, site: PairSite) -> None:
    html = browser.get("/").text
    assert f'href="/needs/{site.needs["bearing"].id}"' in html
    assert f'href="/organisations/{site.north_producers[0].id}">ТОО «Кызылжар РТИ»</a>' in html
    assert f'href="/organisations/{site.east_buyers[0].id}"' in html
    assert "Секретный черновик" not in html, "the public never sees a draft"


def test_drafts_stay_out_for_every_reader(
    browser: TestClient, db_session: Session, site: PairSite
) -> None:
    login(browser, make_user(db_session, Role.MEMBER, org=site.east_buyers[0]))
    html = browser.get("/").text
    assert "Секретный черновик" not in html
    assert figure(card(html, EAST), "open-needs") == "6", "open means published"


def test_charts_are_inline_accessible_svg(browser: TestClient) -> None:
    html = browser.get("/").text
    svgs = re.findall(r"<svg[^>]*>", html)
    assert len(svgs) == 3, "value per side, then classes of each direction"
    for svg in svgs:
        assert 'role="img"' in svg and "aria-labelledby=" in svg
    titles = re.findall(r'<title id="chart-[\w-]+-title">([^<]*)</title>', html)
    assert titles == [
        "Закупки из дальнего зарубежья, для которых есть производитель в регионе-партнёре",
        "Закупки ВКО из дальнего зарубежья по классам продукции",
        "Закупки СКО из дальнего зарубежья по классам продукции",
    ]
    assert "22.19.40 Ленты конвейерные" in html
    assert "28.15.10, напр.: Подшипник 6205-2RS" in html, "an unnamed class shows a need"
    assert "<script" not in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "several charts on one page keep their ids apart"


def test_dashboard_in_kazakh_and_english(browser: TestClient) -> None:
    kazakh = browser.get("/?lang=kk").text
    assert '<html lang="kk">' in kazakh
    assert "ШҚО ↔ СҚО: өңіраралық ынтымақтастық" in kazakh
    assert figure(card(kazakh, EAST), "matched-value") == "5,0 млн ₸"
    assert "Шығыс Қазақстан облысы" in kazakh
    assert "Конвейер таспалары" in kazakh
    english = browser.get("/?lang=en").text
    assert figure(card(english, EAST), "matched-value") == "5.0 M KZT"
    assert figure(card(english, EAST), "share") == "40%"


def test_region_pair_is_chosen_and_swapped(browser: TestClient) -> None:
    html = browser.get(f"/?a={KARAGANDA}&b={EAST}").text
    assert html.index(f'data-side="{KARAGANDA}"') < html.index(f'data-side="{EAST}"')
    assert figure(card(html, EAST), "matched-value") == "1,0 млн ₸"
    assert f'<option value="{KARAGANDA}" selected>' in html
    assert f'href="/?a={EAST}&amp;b={KARAGANDA}"' in html, "the swap link"
    swapped = browser.get(f"/?a={EAST}&b={KARAGANDA}").text
    assert swapped.index(f'data-side="{EAST}"') < swapped.index(f'data-side="{KARAGANDA}"')


def test_minimum_score_and_bad_parameters(browser: TestClient) -> None:
    strong = browser.get("/?score=0.7").text
    assert figure(card(strong, EAST), "matched-value") == "10\u202f000 ₸"
    assert '<option value="0.7" selected>' in strong
    unknown = browser.get("/?a=120000000")
    assert unknown.status_code == 200
    assert "Неизвестный код региона" in unknown.text
    assert figure(card(unknown.text, EAST), "matched-value") == "5,0 млн ₸"
    assert browser.get("/?score=5").status_code == 422


def test_country_table_keeps_every_region(browser: TestClient) -> None:
    html = browser.get("/").text
    rows = re.findall(r'<tr data-kato="(\d{9})" class="([^"]*)">(.*?)</tr>', html, re.S)
    assert len(rows) == 20
    east = next(row for row in rows if row[0] == EAST)
    assert east[1] == "pair"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", east[2])
    assert cells == ["630000000", "Восточно-Казахстанская область", "3", "6", "1"]


def test_money_is_written_as_each_language_writes_it() -> None:
    assert charts.money(12_345_678, "ru") == "12,3 млн ₸"
    assert charts.money(12_345_678, "kk") == "12,3 млн ₸"
    assert charts.money(12_345_678, "en") == "12.3 M KZT"
    assert charts.money(1_234_567_890, "ru") == "1\u202f234,6 млн ₸"
    assert charts.money(1_234_567_890, "en") == "1,234.6 M KZT"
    assert charts.money(850_000, "ru") == "850\u202f000 ₸"
    assert charts.percent(0.4, "ru") == "40\u202f%"


def test_a_chart_is_drawn_once_for_the_same_data() -> None:
    def chart(values: tuple[float, ...]) -> charts.SplitBars:
        return charts.SplitBars("t", "T", ("a", "b"), values, (1.0, 1.0), ("x", "y"), "en")

    first = charts.split_bars(chart((2e6, 3e6)))
    assert charts.split_bars(chart((2e6, 3e6))) is first
    other = charts.split_bars(chart((5e6, 3e6)))
    assert other != first and "5.0 M KZT" in other and "5.0 M KZT" not in first


def test_a_pair_without_data_says_so_instead_of_drawing(browser: TestClient) -> None:
    html = browser.get("/?a=100000000&b=110000000").text
    assert "<svg" not in html
    assert "Пока нет потребностей из дальнего зарубежья с ценой." in html
    assert html.count("Открытых потребностей из дальнего зарубежья нет.") == 4
    assert html.count("Совпадений пока нет.") == 2
    assert figure(card(html, "100000000"), "matched-value") == "0 ₸"
