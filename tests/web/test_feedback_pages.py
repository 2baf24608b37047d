"""Feedback on the need page: the buttons post without JavaScript, the page shows who marked
what and when (Russian, Kazakh), a match marked not suitable leaves the list and comes back
when the answer is withdrawn; class corrections of needs and offers; who may do it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.catalog.models import ClassSource, Need, Offer
from seriktes.matches import cache
from seriktes.matches.incremental import keep_matches_current, match_lines
from seriktes.matches.models import Match, MatchFeedback, Verdict
from seriktes.registry.models import ClassifierCode, ClassifierSystem, Organisation
from tests.webkit import login, make_need, make_offer, make_org, make_user

VKO, SKO = "630000000", "590000000"


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A browser-like client on the test's transaction (SQLite and PostgreSQL)."""
    keep_matches_current()
    cache.clear()
    with TestClient(app) as test_client:
        yield test_client
    cache.clear()


@dataclass
class Page:
    """A buyer's need with two ranked producers, and people on both sides."""

    need: Need
    roller: Offer
    other: Offer
    buyer: Organisation
    producer: Organisation


@pytest.fixture
def page(db_session: Session) -> Page:
    buyer, producer = make_org(db_session, VKO), make_org(db_session, SKO)
    roller = make_offer(db_session, producer, "Подшипник роликовый сферический 22312")
    other = make_offer(db_session, make_org(db_session, SKO), "Подшипник роликовый 7312")
    need = make_need(db_session, buyer, "Подшипник роликовый 22312")
    match_lines(db_session, need_ids=[need.id])
    return Page(need, roller, other, buyer, producer)


def member(session: Session, org: Organisation, name: str = "Иванов Алексей") -> User:
    user = make_user(session, Role.MEMBER, org)
    user.full_name = name
    session.flush()
    return user


def listed(html: str) -> list[int]:
    """The offers of the page's ranked producers, in order."""
    return [int(found) for found in re.findall(r'<li class="match[^"]*" data-match="(\d+)"', html)]


def post(client: TestClient, url: str, csrf: str, **data: str) -> str:
    """Post a form as the browser does and follow the redirect; the page it lands on."""
    response = client.post(url, data={"csrf_token": csrf, **data}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(client.get(response.headers["location"]).text)


def test_a_buyer_marks_a_match_not_suitable_and_it_leaves_the_list_until_withdrawn(
    client: TestClient, db_session: Session, page: Page
) -> None:
    csrf = login(client, member(db_session, page.buyer))
    html = client.get(f"/needs/{page.need.id}?lang=ru").text
    assert page.roller.id in listed(html)
    assert 'data-mark="suitable"' in html and "Подходит" in html and "Не подходит" in html
    url = f"/needs/{page.need.id}/matches/{page.roller.id}/feedback"
    html = post(client, url, csrf, verdict="not_suitable", reason="wrong_product", comment="")
    assert page.roller.id not in listed(html)
    assert page.other.id in listed(html)
    assert "Отмечено как неподходящее (не тот товар): Иванов А.," in html
    assert 'data-flash="notice"' in html
    html = post(client, url + "/withdraw", csrf)
    assert page.roller.id in listed(html)
    assert "Отмечено как" not in html
    assert db_session.scalars(select(MatchFeedback)).all() == []


def test_a_match_marked_suitable_shows_who_marked_it_in_russian_and_kazakh(
    client: TestClient, db_session: Session, page: Page
) -> None:
    csrf = login(client, member(db_session, page.buyer))
    url = f"/needs/{page.need.id}/matches/{page.other.id}/feedback"
    html = post(client, url, csrf, verdict="suitable")
    assert re.search(r"Отмечено как подходящее: Иванов А\., \d\d\.\d\d\.\d{4}", html)
    assert "Отозвать" in html
    kazakh = client.get(f"/needs/{page.need.id}?lang=kk").text
    assert re.search(r"Жарамды деп белгіленді: Иванов А\., \d\d\.\d\d\.\d{4}", kazakh)
    row = db_session.scalars(select(MatchFeedback)).one()
    assert row.verdict is Verdict.SUITABLE and row.user_id is not None


def test_the_producers_side_sees_no_buttons_and_may_not_post(
    client: TestClient, db_session: Session, page: Page
) -> None:
    csrf = login(client, member(db_session, page.producer))
    html = client.get(f"/needs/{page.need.id}").text
    assert "data-mark=" not in html and "data-class-correction" not in html
    url = f"/needs/{page.need.id}/matches/{page.roller.id}/feedback"
    response = client.post(url, data={"csrf_token": csrf, "verdict": "suitable"})
    assert response.status_code == 403
    assert db_session.scalars(select(MatchFeedback)).all() == []
    assert client.post(url + "/withdraw", data={"csrf_token": csrf}).status_code == 403
    corrected = client.post(
        f"/needs/{page.need.id}/class", data={"csrf_token": csrf, "class_code": "25.93.11"}
    )
    assert corrected.status_code == 403
    db_session.expire_all()
    assert page.need.class_code == "28.15.10"


def test_the_public_sees_no_answers_and_is_sent_to_log_in(
    client: TestClient, db_session: Session, page: Page
) -> None:
    user = member(db_session, page.buyer)
    csrf = login(client, user)
    post(
        client, f"/needs/{page.need.id}/matches/{page.other.id}/feedback", csrf, verdict="suitable"
    )
    client.post("/logout", data={"csrf_token": csrf})
    html = client.get(f"/needs/{page.need.id}").text
    assert "data-answer" not in html and "Иванов" not in html
    url = f"/needs/{page.need.id}/matches/{page.other.id}/feedback"
    response = client.post(url, data={"verdict": "suitable"}, follow_redirects=False)
    assert response.status_code in (303, 403)


def test_a_form_without_the_csrf_token_is_refused(
    client: TestClient, db_session: Session, page: Page
) -> None:
    login(client, member(db_session, page.buyer))
    url = f"/needs/{page.need.id}/matches/{page.roller.id}/feedback"
    assert client.post(url, data={"verdict": "suitable"}).status_code == 403
    assert db_session.scalars(select(MatchFeedback)).all() == []


def add_codes(session: Session) -> None:
    """A few KP VED classes in the registry, so corrections are checked against it."""
    for code, name in [("28.15.10", "Подшипники"), ("25.93.11", "Канаты стальные")]:
        session.add(ClassifierCode(system=ClassifierSystem.KPVED, code=code, level=6, name_ru=name))
    session.flush()


def test_a_coordinator_corrects_the_needs_class_and_it_is_matched_again(
    client: TestClient, db_session: Session, page: Page
) -> None:
    add_codes(db_session)
    rope = make_offer(db_session, make_org(db_session, SKO), "Канат стальной 2688-80")
    rope.class_code = "25.93.11"
    db_session.flush()
    csrf = login(client, make_user(db_session, Role.COORDINATOR, kato=VKO))
    html = client.get(f"/needs/{page.need.id}").text
    assert "data-class-correction" in html
    html = post(client, f"/needs/{page.need.id}/class", csrf, class_code="99.99.99")
    assert 'data-flash="error"' in html
    db_session.expire_all()
    assert (page.need.class_code, page.need.class_source) == ("28.15.10", None)
    post(client, f"/needs/{page.need.id}/class", csrf, class_code="25.93.11")
    db_session.expire_all()
    assert (page.need.class_code, page.need.class_source) == ("25.93.11", ClassSource.MANUAL)
    matched = db_session.scalars(select(Match.offer_id).where(Match.need_id == page.need.id))
    assert rope.id in set(matched)


def test_a_producer_corrects_its_offers_class_on_the_offer_page(
    client: TestClient, db_session: Session, page: Page
) -> None:
    add_codes(db_session)
    csrf = login(client, member(db_session, page.producer))
    assert "data-class-correction" in client.get(f"/offers/{page.roller.id}").text
    post(client, f"/offers/{page.roller.id}/class", csrf, class_code="25.93.11")
    db_session.expire_all()
    assert (page.roller.class_code, page.roller.class_source) == ("25.93.11", ClassSource.MANUAL)
    other_side = login(client, member(db_session, page.buyer))
    response = client.post(
        f"/offers/{page.roller.id}/class", data={"csrf_token": other_side, "class_code": "28.15.10"}
    )
    assert response.status_code == 403
