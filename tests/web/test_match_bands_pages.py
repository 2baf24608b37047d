"""Bands on the pages: a badge and the rules' verdict on each match, weak matches behind
«show weaker matches (N)» (a link, no JavaScript), and where producers of a need's class are
when none is near — in Russian and Kazakh."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.catalog.models import Need, Offer
from seriktes.matches.service import build_matcher, match_needs, parse_partners
from tests.webkit import make_need, make_offer, make_org

VKO, SKO, PAVLODAR = "630000000", "590000000", "550000000"
PIPES = "24.20.13"


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A browser-like client on the test's transaction (SQLite and PostgreSQL)."""
    with TestClient(app) as test_client:
        yield test_client


@dataclass
class Pipes:
    need: Need
    steel: Offer
    plastic: Offer


def classed(session: Session, line: Need | Offer, code: str) -> Need | Offer:
    line.class_code = code
    session.flush()
    return line


@pytest.fixture
def pipes(db_session: Session) -> Pipes:
    s = db_session
    need = make_need(s, make_org(s, VKO), "Труба стальная электросварная 57х3,5")
    steel = make_offer(s, make_org(s, SKO, "ТОО «Север Труба»"), "Труба стальная 57х3,5 мм")
    plastic = make_offer(s, make_org(s, SKO, "ТОО «Полимер»"), "Труба полипропиленовая 57 мм")
    for line in (need, steel, plastic):
        classed(s, line, PIPES)
    match_needs(s, build_matcher(s, parse_partners([f"{VKO}:{SKO}"])), [need.id])
    return Pipes(need, steel, plastic)


def listed(html: str) -> list[tuple[str, str]]:
    """(offer id, band) of each match on a need page, in order."""
    return re.findall(r'<li class="match band-\w+" data-match="(\d+)" data-band="(\w+)"', html)


def flat(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_a_need_page_shows_bands_and_keeps_weak_matches_behind_a_link(
    client: TestClient, pipes: Pipes
) -> None:
    html = client.get(f"/needs/{pipes.need.id}").text
    assert listed(html) == [(str(pipes.steel.id), "strong")]
    assert 'class="badge band band-strong" data-band="strong"' in html
    text = flat(html)
    assert "сильное совпадение" in text and "Почему показано: товар совпадает" in text
    assert "ТОО «Полимер»" not in text, "the weak match is hidden"
    toggle = re.search(
        r'<a class="button secondary" href="([^"]+)" data-show-weak>([^<]+)</a>', html
    )
    assert toggle and toggle.group(2) == "показать более слабые совпадения (1)"
    assert toggle.group(1) == "?include_weak=1#weak"

    shown = client.get(f"/needs/{pipes.need.id}{toggle.group(1)}").text
    assert listed(shown) == [(str(pipes.steel.id), "strong"), (str(pipes.plastic.id), "weak")]
    weak = flat(shown)
    assert "Более слабые совпадения" in weak and "слабое совпадение" in weak
    assert "материал: в потребности — сталь, в предложении — полипропилен" in weak
    assert "data-show-weak" not in shown and 'href="?#producers" data-hide-weak' in shown


def test_the_kazakh_need_page_reads_in_kazakh(client: TestClient, pipes: Pipes) -> None:
    text = flat(client.get(f"/needs/{pipes.need.id}?lang=kk").text)
    assert "күшті сәйкестік" in text and "Неге көрсетілді: тауар сәйкес келеді" in text
    assert "әлсіздеу сәйкестіктерді көрсету (1)" in text
    weak = flat(client.get(f"/needs/{pipes.need.id}?lang=kk&include_weak=1").text)
    assert "әлсіз сәйкестік" in weak
    assert "материал: қажеттілікте — болат, ұсыныста — полипропилен" in weak


def test_an_offer_page_lists_only_needs_it_is_not_weak_for_unless_asked(
    client: TestClient, pipes: Pipes
) -> None:
    page = client.get(f"/offers/{pipes.plastic.id}").text
    assert f'data-fit="{pipes.need.id}"' not in page
    assert "показать более слабые совпадения (1)" in page
    every = client.get(f"/offers/{pipes.plastic.id}?include_weak=1").text
    assert f'data-fit="{pipes.need.id}" data-band="weak"' in every
    steel = client.get(f"/offers/{pipes.steel.id}").text
    assert f'data-fit="{pipes.need.id}" data-band="strong"' in steel
    assert "data-show-weak" not in steel


def test_a_need_without_producers_of_its_class_nearby_says_where_they_are(
    client: TestClient, db_session: Session
) -> None:
    s = db_session
    need = make_need(s, make_org(s, VKO), "Подшипник 6205-2RS закрытый")  # class 28.15.10
    repair = make_offer(s, make_org(s, PAVLODAR), "Ремонт подшипниковых узлов")
    classed(s, repair, "28.15.22")  # work, not goods: the rules refuse it for the need
    match_needs(s, build_matcher(s, parse_partners([f"{VKO}:{SKO}"])), [need.id])

    page = client.get(f"/needs/{need.id}").text
    assert "data-match=" not in page and "data-show-weak" not in page, "no producer listed"
    text = flat(page)
    assert (
        "Производителей этого класса (28.15) в регионах-партнёрах (Восточно-Казахстанская "
        "область, Северо-Казахстанская область) нет." in text
    )
    assert "Ближайшие регионы, где они есть: Павлодарская область (472 км)." in text
    kazakh = flat(client.get(f"/needs/{need.id}?lang=kk").text)
    assert "Олар бар ең жақын өңірлер: Павлодар облысы (472 км)." in kazakh
    assert "осы сыныптың (28.15) өндірушілері жоқ" in kazakh

    alone = make_need(s, make_org(s, "350000000"), "Подшипник 6310")  # Караганда: no partner
    match_needs(s, build_matcher(s, parse_partners([f"{VKO}:{SKO}"])), [alone.id])
    karaganda = flat(client.get(f"/needs/{alone.id}?lang=ru").text)
    assert (
        "Производителей этого класса (28.15) в регионе поставки (Карагандинская область) нет."
        in karaganda
    )
    assert "Ближайшие регионы, где они есть: Павлодарская область (" in karaganda

    repair.class_code = "33.12.16"
    s.flush()
    nowhere = flat(client.get(f"/needs/{need.id}?lang=ru").text)
    assert "Опубликованных предложений этого класса пока нет ни в одном регионе." in nowhere


def test_the_dashboard_says_it_counts_strong_and_possible_matches_only(
    client: TestClient, pipes: Pipes
) -> None:
    russian = flat(client.get("/?lang=ru").text)
    assert "учитывают только сильные и возможные совпадения: слабые часто ошибочны" in russian
    kazakh = flat(client.get("/?lang=kk").text)
    assert "тек күшті және ықтимал сәйкестіктер бойынша есептеледі" in kazakh
