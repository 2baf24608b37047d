"""Organisations pages: list with search, region and size filters; the profile with its needs,
offers and matches."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.catalog.models import NeedStatus, Origin
from seriktes.matches.models import Match
from seriktes.registry.models import SizeClass
from tests.web.test_needs_pages import EXPLANATION, SKO, VKO, People, ids, need_of, total
from tests.web.test_offers_pages import offer_of
from tests.webkit import login, make_org, make_user


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A browser-like client on the test's transaction (SQLite and PostgreSQL)."""
    with TestClient(app) as test_client:
        yield test_client


def test_list_searches_names_and_bins_and_filters_region_and_size(
    client: TestClient, db_session: Session
) -> None:
    mill = make_org(db_session, VKO, "АО «Алтай Полиметалл»")
    mill.size_class, mill.name_kk = SizeClass.LARGE, "«Алтай Полиметалл» АҚ"
    bakery = make_org(db_session, SKO, "ТОО «Булаево Нан»")
    bakery.size_class = SizeClass.MICRO
    foundry = make_org(db_session, SKO, "ТОО «Кызылжар Литье»")
    foundry.size_class = SizeClass.SMALL
    db_session.flush()
    assert total(client.get("/organisations").text) == 3
    assert ids(client.get("/organisations?q=полиметалл").text, "org") == [mill.id]
    assert ids(client.get(f"/organisations?q={bakery.bin}").text, "org") == [bakery.id]
    assert ids(client.get(f"/organisations?region={SKO}").text, "org") == [bakery.id, foundry.id]
    assert ids(client.get(f"/organisations?region={SKO}&size=small").text, "org") == [foundry.id]
    assert "«Алтай Полиметалл» АҚ" in client.get("/organisations?lang=kk").text
    assert client.get("/organisations?size=huge").status_code == 422


def test_list_pages_and_counts_only_what_the_reader_may_see(
    client: TestClient, db_session: Session
) -> None:
    orgs = [make_org(db_session, VKO, f"ТОО «Организация {n:02d}»") for n in range(12)]
    need_of(db_session, orgs[0], "Подшипник")
    need_of(db_session, orgs[0], "Черновик", status=NeedStatus.DRAFT)
    offer_of(db_session, orgs[0], "Вал")
    first = client.get("/organisations?per_page=5&sort=name").text
    assert total(first) == 12 and ids(first, "org") == [org.id for org in orgs[:5]]
    third = client.get("/organisations?per_page=5&sort=name&page=3").text
    assert ids(third, "org") == [org.id for org in orgs[10:]]
    row = re.search(rf'<tr data-org="{orgs[0].id}".*?</tr>', first, re.S)
    assert row and f'<a href="/needs?org={orgs[0].id}">1</a>' in row.group(0), "no draft counted"
    assert f'<a href="/offers?org={orgs[0].id}">1</a>' in row.group(0)


def test_profile_shows_registry_data_and_contacts(client: TestClient, db_session: Session) -> None:
    org = make_org(db_session, VKO, "АО «Алтай Полиметалл»")
    org.name_kk, org.size_class, org.oked = "«Алтай Полиметалл» АҚ", SizeClass.LARGE, "07290"
    org.certificates = ["KZ 7 630 84929"]
    org.contact_person, org.phone = "Федоров Евгений Сергеевич", "+7 (72336) 3-05-80"
    org.email, org.address = "snab@altai.kz", "г. Риддер, ул. Промышленная, 201"
    db_session.flush()
    public = client.get(f"/organisations/{org.id}").text
    assert "Федоров" not in public and "snab@altai.kz" not in public and "3-05-80" not in public
    assert 'data-hidden="contacts"' in public  # the public is asked to sign in
    login(client, make_user(db_session, Role.MEMBER, make_org(db_session, SKO)))
    html = client.get(f"/organisations/{org.id}").text
    assert f'data-field="bin">{org.bin}<' in html and "<h1>АО «Алтай Полиметалл»</h1>" in html
    for text in ("«Алтай Полиметалл» АҚ", "Восточно-Казахстанская область", "Крупное", "07290",
                 "KZ 7 630 84929", "Федоров Евгений Сергеевич", 'href="mailto:snab@altai.kz"',
                 "г. Риддер, ул. Промышленная, 201"):  # fmt: skip
        assert text in html
    assert client.get("/organisations/999999").status_code == 404


def test_profile_lists_first_needs_and_offers_with_links_to_the_rest(
    client: TestClient, db_session: Session
) -> None:
    org = make_org(db_session, VKO)
    needs = [need_of(db_session, org, f"Потребность {n}") for n in range(12)]
    offer = offer_of(db_session, org, "Щебень 5-20")
    html = client.get(f"/organisations/{org.id}").text
    assert ids(html, "need") == [need.id for need in reversed(needs[2:])], "ten newest needs"
    assert f'href="/needs?org={org.id}">Все потребности (12)' in html
    assert ids(html, "offer") == [offer.id] and f"/offers?org={org.id}" not in html
    filtered = client.get(f"/needs?org={org.id}").text
    assert total(filtered) == 12 and "data-total" in filtered


def test_profile_shows_best_producers_of_its_needs_and_needs_its_offers_fit(
    client: TestClient, db_session: Session
) -> None:
    org, partner = make_org(db_session, VKO), make_org(db_session, SKO, "ТОО «Север Техснаб»")
    need = need_of(db_session, org, "Подшипник 6205-2RS")
    best = offer_of(db_session, partner, "Подшипник 6205-2RS в наличии")
    second = offer_of(db_session, make_org(db_session, SKO), "Подшипник 6205")
    own_offer = offer_of(db_session, org, "Футеровка мельницы")
    their_need = need_of(
        db_session, partner, "Футеровка", origin=Origin.EAEU, unit_price=Decimal(100)
    )
    for rank, (line, offer, score) in enumerate(
        [(need, best, 0.9), (need, second, 0.7), (their_need, own_offer, 0.6)], start=1
    ):
        db_session.add(Match(need_id=line.id, offer_id=offer.id, rank=rank, score=score,
                             class_level=6, explanation=EXPLANATION))  # fmt: skip
    db_session.flush()
    html = client.get(f"/organisations/{org.id}").text
    row = re.search(rf'<tr data-best="{need.id}".*?</tr>', html, re.S)
    assert row, "the best producer of the need is shown"
    assert f'href="/offers/{best.id}"' in row.group(0) and "ТОО «Север Техснаб»" in row.group(0)
    assert "0,90" in row.group(0) and f'href="/needs/{need.id}#producers">2<' in row.group(0)
    assert ids(html, "fit") == [their_need.id]


@pytest.mark.parametrize(("actor", "shown"), [("public", False), ("other_member", False),
                                             ("member", True), ("coordinator", True)])  # fmt: skip
def test_add_buttons_only_for_those_who_may_add(
    client: TestClient, db_session: Session, actor: str, shown: bool
) -> None:
    people = People(db_session, make_org(db_session, VKO), make_org(db_session, SKO))
    people.enter(client, actor)
    html = client.get(f"/organisations/{people.owner.id}").text
    assert (f'href="/needs/new?buyer={people.owner.id}"' in html) is shown
    assert (f'href="/offers/new?producer={people.owner.id}"' in html) is shown
