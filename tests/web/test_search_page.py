"""Search page: free text → likely KP VED classes and the matching offers with producers."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.catalog.models import OfferStatus
from seriktes.matches import cache as engine_cache
from seriktes.matching.ranking import Geography, UnitTable, capacity_value, region_value
from seriktes.registry.models import ClassifierCode, ClassifierSystem
from seriktes.web.views.explanations import humane_note
from tests.web.test_needs_pages import SKO, VKO, ids
from tests.web.test_offers_pages import offer_of
from tests.webkit import make_org

CLASSES = [
    ("28", None, 2, "Машины и оборудование, не включенные в другие группировки"),
    ("28.15", "28", 4, "Подшипники, зубчатые передачи, элементы зубчатых передач и приводов"),
    ("28.15.10", "28.15", 6, "Подшипники шариковые или роликовые"),
    ("25", None, 2, "Изделия металлические готовые, кроме машин и оборудования"),
    ("25.93", "25", 4, "Изделия из проволоки, цепи и пружины"),
    ("25.93.11", "25.93", 6, "Канаты, тросы, ленты плетеные, стропы из черных металлов"),
]


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A browser-like client on the test's transaction, with the engines built afresh."""
    engine_cache.clear()
    with TestClient(app) as test_client:
        yield test_client
    engine_cache.clear()


@pytest.fixture
def catalogue(db_session: Session) -> dict[str, int]:
    """KP VED classes, two bearing offers, a rope offer and a draft bearing offer."""
    for code, parent, level, name in CLASSES:
        db_session.add(ClassifierCode(system=ClassifierSystem.KPVED, code=code, parent_code=parent,
                                      level=level, name_ru=name))  # fmt: skip
    east, north = make_org(db_session, VKO), make_org(db_session, SKO, "ТОО «Север Техснаб»")
    made = {
        "bearing": offer_of(db_session, north, "Подшипник 6205-2RS (SKF), в наличии"),
        "other_bearing": offer_of(db_session, east, "Подшипник 6310 ZZ"),
        "rope": offer_of(db_session, east, "Канат стальной ГОСТ 2688-80 диаметр 12 мм",
                         class_code="25.93.11"),
        "draft": offer_of(db_session, east, "Подшипник 6205-2RS черновик",
                          status=OfferStatus.DRAFT),
    }  # fmt: skip
    db_session.flush()
    return {key: offer.id for key, offer in made.items()}


def test_an_empty_query_shows_a_hint_and_examples(client: TestClient) -> None:
    html = client.get("/search").text
    assert "data-search-hint" in html
    examples = re.findall(r'class="chip example" href="\?q=([^"]+)">([^<]+)<', html)
    assert [text for _link, text in examples] == [
        "Подшипник 6205-2RS",
        "Канат стальной ГОСТ 2688-80",
        "Футеровка мельницы",
    ]
    assert "Likely product classes" not in client.get("/search?q=%20%20&lang=en").text


def test_a_part_number_finds_classes_and_offers_with_producers(
    client: TestClient, catalogue: dict[str, int]
) -> None:
    html = client.get("/search", params={"q": "Подшипник 6205-2RS"}).text
    classes = re.findall(r'<tr data-class="([\d.]+)">', html)
    assert classes[0] == "28.15.10" and "Подшипники шариковые или роликовые" in html
    assert 'href="/needs?class=28.15.10"' in html and 'href="/offers?class=28.15.10"' in html
    found = ids(html, "offer")
    assert found[0] == catalogue["bearing"], "the offer with the part number comes first"
    assert catalogue["rope"] not in found and catalogue["draft"] not in found
    row = re.search(rf'<tr data-offer="{catalogue["bearing"]}".*?</tr>', html, re.S)
    assert row and "ТОО «Север Техснаб»" in row.group(0) and "СКО" in row.group(0)


def test_without_a_classifier_the_page_says_product_classes_are_unavailable(
    client: TestClient, db_session: Session
) -> None:
    offer_of(db_session, make_org(db_session, SKO), "Подшипник 6205-2RS")
    html = client.get("/search", params={"q": "Подшипник 6205-2RS", "lang": "en"}).text
    assert "Product classes are unavailable: the KP VED classifier is not loaded." in html
    assert "No product class recognised" not in html


def test_with_a_classifier_words_of_no_class_say_so(
    client: TestClient, catalogue: dict[str, int]
) -> None:
    html = client.get("/search", params={"q": "Бананы свежие", "lang": "en"}).text
    assert "No product class recognised in these words." in html
    assert "data-no-classifier" not in html


def test_a_standard_number_finds_the_rope(client: TestClient, catalogue: dict[str, int]) -> None:
    html = client.get("/search", params={"q": "Канат стальной ГОСТ 2688-80"}).text
    assert ids(html, "offer")[0] == catalogue["rope"]
    assert re.findall(r'<tr data-class="([\d.]+)">', html)[0] == "25.93.11"


def engine_notes() -> list[str]:
    """Every kind of note the ranking engine writes into an explanation."""
    geography = Geography({VKO: (49.95, 82.61), SKO: (54.87, 69.15)}, {VKO: frozenset({SKO})})
    units = UnitTable({"796": "count", "166": "mass", "168": "mass"}, {"166": 1.0, "168": 1000.0})
    notes = [
        region_value(geography, None, VKO)[1],
        region_value(geography, VKO, SKO)[1],
        region_value(geography, VKO, VKO)[1],
        region_value(geography, SKO, "470000000")[1],
        region_value(Geography({VKO: (49.95, 82.61), SKO: (54.87, 69.15)}), VKO, SKO)[1],
        capacity_value(units, None, "796", 5, "796")[1],
        capacity_value(units, 10, "796", 5, "166")[1],
        capacity_value(units, 10, "166", 1, "168")[1],
        capacity_value(units, 10, "796", 5, "796")[1],
        *(units.compatibility(a, b)[1] for a, b in [(None, "796"), ("796", "796"),
                                                    ("166", "168"), ("796", "166")]),
        "similarity of the texts", "the product word «чай» is not in the offer", "classes differ",
        "domestic producer certificate", "no certificate",
    ]  # fmt: skip
    notes += [f"classes agree to {n} digits" for n in (6, 4, 2)]
    return notes + [f"bought today: {o}" for o in ("far_abroad", "eaeu", "domestic", "unknown")]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_engine_note_is_shown_translated(lang: str) -> None:
    for note in engine_notes():
        shown = humane_note(note, lang)
        assert re.search("[а-яәіңғүұқөһ]", shown, re.I), f"{note!r} is not translated: {shown!r}"
        assert not re.search(r"\b(km|vs|away|covers|digits)\b", shown), shown
    assert humane_note("capacity covers 166.7× the quantity", "ru").endswith("в 166,7 раза")
    assert humane_note("2474 km away", "kk") == "2\u202f474 км қашықтықта"
