"""Offers pages: list filters and pages, detail with the buyers whose needs an offer fits,
drafts, and every write route (create, edit, delete) for those who may and may not."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from itertools import count

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.catalog.models import NeedStatus, Offer, OfferStatus
from seriktes.matches.models import Match
from seriktes.registry.models import Organisation
from tests.web.test_needs_pages import (
    ALLOWED,
    EXPLANATION,
    REFUSED,
    SKO,
    VKO,
    People,
    ids,
    need_of,
    refused,
    total,
)
from tests.webkit import make_org

_serial = count(1)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A browser-like client on the test's transaction (SQLite and PostgreSQL)."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def people(db_session: Session) -> People:
    """A producer in ВКО and another organisation in СКО, with users created on demand."""
    return People(
        db_session, make_org(db_session, VKO, "ТОО «Шыгыс Завод»"), make_org(db_session, SKO)
    )


def offer_of(session: Session, producer: Organisation, title: str, **fields: object) -> Offer:
    """An offer of `producer`: published bearings unless `fields` say otherwise."""
    values = {"class_code": "28.15.10", "capacity_per_year": Decimal(1000), "unit_code": "796",
              "status": OfferStatus.PUBLISHED, "certificates": [], **fields}  # fmt: skip
    offer = Offer(producer_id=producer.id, external_id=f"PO-{next(_serial)}", title=title, **values)
    session.add(offer)
    session.flush()
    return offer


def count_offers(session: Session) -> int:
    """Number of offers in the database."""
    return int(session.scalar(select(func.count(Offer.id))) or 0)


def test_list_filters_by_text_region_class_and_status(
    client: TestClient, db_session: Session, people: People
) -> None:
    east, north = make_org(db_session, VKO), make_org(db_session, SKO)
    bearing = offer_of(db_session, east, "Подшипник 6205-2RS")
    rope = offer_of(db_session, north, "Канат стальной ГОСТ 2688-80", class_code="25.93.11")
    north_bearing = offer_of(db_session, north, "Подшипник 6310 ZZ")
    archived = offer_of(db_session, east, "Старый подшипник", status=OfferStatus.ARCHIVED)
    assert total(client.get("/offers").text) == 3, "the public sees published offers only"
    assert set(ids(client.get(f"/offers?region={SKO}").text, "offer")) == {
        rope.id,
        north_bearing.id,
    }
    assert set(ids(client.get("/offers?class=28.15.10").text, "offer")) == {
        bearing.id,
        north_bearing.id,
    }
    assert ids(client.get("/offers?q=гост 2688").text, "offer") == [rope.id]
    assert ids(client.get(f"/offers?region={SKO}&class=28").text, "offer") == [north_bearing.id]
    people.enter(client, "coordinator")
    assert ids(client.get("/offers?status=archived").text, "offer") == [archived.id]
    assert client.get("/offers?status=sold").status_code == 422


def test_pages_keep_the_filters_with_exact_counts(client: TestClient, db_session: Session) -> None:
    east = make_org(db_session, VKO)
    made = [
        offer_of(db_session, east, f"Вал {n}", capacity_per_year=Decimal(n)) for n in range(1, 6)
    ]
    offer_of(db_session, east, "Цемент", class_code="23.51.12")
    first = client.get("/offers?class=28.15&per_page=2&sort=capacity").text
    assert total(first) == 5 and ids(first, "offer") == [made[0].id, made[1].id]
    link = re.search(r'href="(\?[^"]+)" rel="next"', first)
    assert link and "class=28.15" in link.group(1)
    second = client.get("/offers" + link.group(1).replace("&amp;", "&")).text
    assert ids(second, "offer") == [made[2].id, made[3].id]
    last = client.get("/offers?class=28.15&per_page=2&sort=capacity&page=3").text
    assert ids(last, "offer") == [made[4].id] and 'rel="next"' not in last


def test_detail_shows_fields_and_the_buyers_whose_needs_it_fits(
    client: TestClient, db_session: Session, people: People
) -> None:
    offer = offer_of(
        db_session, people.owner, "Подшипник 6205-2RS", price=Decimal(1850), hs_code="8482101009",
        certificates=["KZ 7 630 84929"],
    )  # fmt: skip
    buyer = make_org(db_session, SKO, "АО «Кызылжар Энерго»")
    need = need_of(db_session, buyer, "Подшипник 6205", unit_price=Decimal(2000))
    hidden = need_of(db_session, people.other, "Черновик", status=NeedStatus.DRAFT)
    for rank, line in enumerate((need, hidden), start=1):
        db_session.add(Match(need_id=line.id, offer_id=offer.id, rank=rank, score=0.8,
                             class_level=6, explanation=EXPLANATION))  # fmt: skip
    db_session.flush()
    html = client.get(f"/offers/{offer.id}").text
    assert "<h1>Подшипник 6205-2RS</h1>" in html and "8482101009" in html
    assert f'href="/organisations/{people.owner.id}" data-producer' in html
    assert "1\u202f000 шт" in html and "1\u202f850\u00a0₸" in html and "KZ 7 630 84929" in html
    assert ids(html, "fit") == [need.id], "a draft of another organisation stays hidden"
    fit = re.search(rf'<tr data-fit="{need.id}".*?</tbody>', html, re.S)
    assert fit and f'href="/organisations/{buyer.id}"' in fit.group(0)
    assert "АО «Кызылжар Энерго»" in fit.group(0) and "20\u202f000\u00a0₸" in fit.group(0)
    assert "сейчас закупается в дальнем зарубежье" in fit.group(0)


def test_an_offer_without_fits_says_so(client: TestClient, db_session: Session) -> None:
    offer = offer_of(db_session, make_org(db_session, VKO), "Щебень 5-20")
    assert "data-no-matches" in client.get(f"/offers/{offer.id}").text


@pytest.mark.parametrize("actor", ["public", "other_member"])
def test_drafts_of_another_organisation_are_not_found(
    client: TestClient, db_session: Session, people: People, actor: str
) -> None:
    draft = offer_of(db_session, people.owner, "Черновик", status=OfferStatus.DRAFT)
    people.enter(client, actor)
    assert client.get(f"/offers/{draft.id}").status_code == 404
    assert draft.id not in ids(client.get("/offers?status=draft").text, "offer")


def offer_form(people: People, **changes: str) -> dict[str, str]:
    """A filled offer form for the owner organisation."""
    form = {
        "producer_id": str(people.owner.id),
        "title": "Футеровка мельницы резиновая",
        "capacity_per_year": "2 500",
        "unit_code": "839",
        "price": "1850000,50",
        "class_code": "22.19.73",
        "certificates": "KZ 7 630 84929\nИС-0042",
        "status": "published",
    }
    return {**form, **changes}


@pytest.mark.parametrize("actor", REFUSED)
def test_create_is_refused_and_nothing_is_added(
    client: TestClient, db_session: Session, people: People, actor: str
) -> None:
    before = count_offers(db_session)
    token = people.enter(client, actor)
    form = client.get("/offers/new", follow_redirects=False)
    assert form.status_code == 303 if actor == "public" else form.status_code == 200
    assert f'<option value="{people.owner.id}"' not in form.text, "the owner is not offered"
    response = client.post(
        "/offers/new", data={**offer_form(people), "csrf_token": token}, follow_redirects=False
    )
    assert refused(response, actor), response.text
    assert count_offers(db_session) == before


@pytest.mark.parametrize("actor", ALLOWED)
def test_create_works_for_members_coordinators_and_admins(
    client: TestClient, db_session: Session, people: People, actor: str
) -> None:
    token = people.enter(client, actor)
    response = client.post(
        "/offers/new", data={**offer_form(people), "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    offer = db_session.get(Offer, int(response.headers["location"].split("/")[2].split("?")[0]))
    assert offer is not None and offer.producer_id == people.owner.id
    assert (offer.capacity_per_year, offer.price) == (Decimal(2500), Decimal("1850000.50"))
    assert offer.certificates == ["KZ 7 630 84929", "ИС-0042"]


def test_invalid_fields_are_shown_and_nothing_is_saved(
    client: TestClient, db_session: Session, people: People
) -> None:
    before = count_offers(db_session)
    token = people.enter(client, "member")
    bad = offer_form(people, price="-5", hs_code="84", currency="тенге", csrf_token=token)
    response = client.post("/offers/new", data=bad)
    assert response.status_code == 422
    errors = dict(re.findall(r'data-error-for="(\w+)">([^<]+)<', response.text))
    assert errors == {
        "price": "Не может быть отрицательным.",
        "hs_code": "Введите код ТН ВЭД из 4–10 цифр.",
        "currency": "Укажите трёхбуквенный код, например KZT.",
    }
    assert count_offers(db_session) == before


@pytest.mark.parametrize("actor", REFUSED)
def test_edit_is_refused_and_the_offer_is_unchanged(
    client: TestClient, db_session: Session, people: People, actor: str
) -> None:
    offer = offer_of(db_session, people.owner, "Подшипник 6205-2RS")
    token = people.enter(client, actor)
    assert client.get(f"/offers/{offer.id}/edit", follow_redirects=False).status_code in (303, 403)
    changed = {**offer_form(people, title="Подменено"), "csrf_token": token}
    response = client.post(f"/offers/{offer.id}/edit", data=changed, follow_redirects=False)
    assert refused(response, actor), response.text
    db_session.refresh(offer)
    assert offer.title == "Подшипник 6205-2RS" and offer.certificates == []


@pytest.mark.parametrize("actor", ALLOWED)
def test_edit_works_for_members_coordinators_and_admins(
    client: TestClient, db_session: Session, people: People, actor: str
) -> None:
    offer = offer_of(db_session, people.owner, "Подшипник 6205-2RS", certificates=["СТ-KZ 1"])
    token = people.enter(client, actor)
    assert "СТ-KZ 1</textarea>" in client.get(f"/offers/{offer.id}/edit").text
    changed = {**offer_form(people, title="Подшипник 6205-2RS C3"), "csrf_token": token}
    response = client.post(f"/offers/{offer.id}/edit", data=changed, follow_redirects=False)
    assert response.headers["location"] == f"/offers/{offer.id}?saved=1"
    db_session.refresh(offer)
    assert offer.title == "Подшипник 6205-2RS C3" and offer.unit_code == "839"


@pytest.mark.parametrize("actor", REFUSED)
def test_delete_is_refused_and_the_offer_remains(
    client: TestClient, db_session: Session, people: People, actor: str
) -> None:
    offer = offer_of(db_session, people.owner, "Подшипник 6205-2RS")
    token = people.enter(client, actor)
    assert client.get(f"/offers/{offer.id}/delete", follow_redirects=False).status_code in (
        303,
        403,
    )
    response = client.post(
        f"/offers/{offer.id}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert refused(response, actor), response.text
    assert db_session.get(Offer, offer.id) is not None


@pytest.mark.parametrize("actor", ALLOWED)
def test_delete_asks_first_then_works(
    client: TestClient, db_session: Session, people: People, actor: str
) -> None:
    offer = offer_of(db_session, people.owner, "Удаляемое предложение")
    token = people.enter(client, actor)
    assert "Удалить предложение?" in client.get(f"/offers/{offer.id}/delete").text
    assert db_session.get(Offer, offer.id) is not None, "asking deletes nothing"
    response = client.post(
        f"/offers/{offer.id}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.headers["location"] == "/offers?deleted=1"
    db_session.expunge_all()
    assert db_session.get(Offer, offer.id) is None


@pytest.mark.parametrize("route", ["/offers/new", "/offers/{id}/edit", "/offers/{id}/delete"])
def test_forms_without_the_csrf_token_are_refused(
    client: TestClient, db_session: Session, people: People, route: str
) -> None:
    offer = offer_of(db_session, people.owner, "Подшипник 6205-2RS")
    before = count_offers(db_session)
    people.enter(client, "member")
    url = route.replace("{id}", str(offer.id))
    response = client.post(url, data=offer_form(people, title="Без токена"), follow_redirects=False)
    assert response.status_code == 403
    db_session.refresh(offer)
    assert offer.title == "Подшипник 6205-2RS" and count_offers(db_session) == before
