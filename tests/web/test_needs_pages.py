"""Needs pages: list filters and pages, detail with explained matches, drafts, and every
write route (create, edit, delete) refusing those who may not and working for those who may."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from itertools import count
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.accounts.passwords import hash_password
from seriktes.accounts.service import create_user
from seriktes.catalog.models import Need, NeedStatus, Origin
from seriktes.config import Settings
from seriktes.kit.db import make_engine
from seriktes.matches.models import Match
from seriktes.matches.service import build_matcher, match_needs, parse_partners
from seriktes.registry.models import Organisation
from seriktes.web.app import create_app
from tests.sites import seed_site
from tests.webkit import PASSWORD, login, make_offer, make_org, region

VKO, SKO, MANGYSTAU = "630000000", "590000000", "470000000"
REFUSED = ("public", "other_member", "other_coordinator")
ALLOWED = ("member", "coordinator", "admin")
_serial = count(1)


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)  # argon2 is slow on purpose: one hash for every test user


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A browser-like client on the test's transaction (SQLite and PostgreSQL)."""
    with TestClient(app) as test_client:
        yield test_client


@dataclass
class People:
    """`owner` (ВКО) holds the data under test; `other` (СКО) is another organisation."""

    session: Session
    owner: Organisation
    other: Organisation
    users: dict[str, User] = field(default_factory=dict)

    def user(self, actor: str) -> User | None:
        """The user playing `actor`: member or coordinator of the owner's side or the other's."""
        if actor == "public":
            return None
        if actor not in self.users:
            role, org, kato = {
                "member": (Role.MEMBER, self.owner, None),
                "other_member": (Role.MEMBER, self.other, None),
                "coordinator": (Role.COORDINATOR, None, VKO),
                "other_coordinator": (Role.COORDINATOR, None, SKO),
                "admin": (Role.ADMIN, None, None),
            }[actor]
            user = User(
                email=f"pages{next(_serial)}-{actor}@example.kz",
                full_name=f"Тест {actor}",
                password_hash=_password_hash(),
                role=role,
                organisation_id=org.id if org else None,
                region_id=region(self.session, kato).id if kato else None,
            )
            self.session.add(user)
            self.session.flush()
            self.users[actor] = user
        return self.users[actor]

    def enter(self, client: TestClient, actor: str) -> str:
        """Log `actor` in (the public just opens a page); return the session's CSRF token."""
        user = self.user(actor)
        if user is not None:
            return login(client, user)
        return csrf_of(client.get("/needs").text)


@pytest.fixture
def people(db_session: Session) -> People:
    """A buyer in ВКО and another organisation in СКО, with users created on demand."""
    return People(
        db_session, make_org(db_session, VKO, "ТОО «Шыгыс Тест»"), make_org(db_session, SKO)
    )


def csrf_of(html: str) -> str:
    """The CSRF token a page carries."""
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    assert found, "every page carries the session's CSRF token"
    return found.group(1)


def ids(html: str, kind: str) -> list[int]:
    """Ids of the table rows of a kind (need, offer, org…), in page order."""
    return [int(value) for value in re.findall(rf'<tr data-{kind}="(\d+)"', html)]


def total(html: str) -> int:
    """The count of found rows a list page shows."""
    found = re.search(r'data-total="(\d+)"', html)
    assert found, "the list shows how many rows were found"
    return int(found.group(1))


def need_of(session: Session, buyer: Organisation, title: str, **fields: object) -> Need:
    """A need of `buyer`: a bearing from far abroad unless `fields` say otherwise."""
    values = {"class_code": "28.15.10", "quantity": Decimal(10), "unit_code": "796",
              "origin": Origin.FAR_ABROAD, "status": NeedStatus.PUBLISHED, **fields}  # fmt: skip
    need = Need(buyer_id=buyer.id, external_id=f"P-{next(_serial)}", title=title, **values)
    session.add(need)
    session.flush()
    return need


def lines(session: Session) -> list[Need]:
    """Some needs of three regions: two from far abroad, one domestic, one draft."""
    east, north = make_org(session, VKO), make_org(session, SKO)
    return [
        need_of(session, east, "Подшипник 6205-2RS", unit_price=Decimal("1500.50")),
        need_of(
            session,
            east,
            "Канат стальной ГОСТ 2688-80",
            class_code="25.93.11",
            origin=Origin.DOMESTIC,
        ),
        need_of(session, north, "Подшипник 6310 ZZ"),
        need_of(session, east, "Черновик: футеровка", status=NeedStatus.DRAFT),
    ]


def test_list_filters_by_text_region_class_origin_and_status(
    client: TestClient, db_session: Session, people: People
) -> None:
    bearing, rope, north_bearing, draft = lines(db_session)
    everything = client.get("/needs").text
    assert total(everything) == 3 and draft.id not in ids(everything, "need")
    assert set(ids(client.get("/needs?origin=far_abroad").text, "need")) == {
        bearing.id,
        north_bearing.id,
    }
    assert ids(client.get(f"/needs?region={SKO}").text, "need") == [north_bearing.id]
    assert set(ids(client.get("/needs?class=28.15").text, "need")) == {bearing.id, north_bearing.id}
    assert ids(client.get("/needs?q=КАНАТ").text, "need") == [rope.id]
    assert ids(client.get(f"/needs?region={VKO}&origin=far_abroad").text, "need") == [bearing.id]
    assert total(client.get("/needs?status=draft").text) == 0, "the public sees no drafts"
    people.enter(client, "admin")
    assert ids(client.get("/needs?status=draft").text, "need") == [draft.id]
    assert client.get("/needs?origin=somewhere").status_code == 422


def test_rows_show_buyer_region_quantity_value_origin_and_date(
    client: TestClient, db_session: Session
) -> None:
    bearing = lines(db_session)[0]
    bearing.needed_by = date(2027, 4, 7)
    db_session.flush()
    found = re.search(rf'<tr data-need="{bearing.id}".*?</tr>', client.get("/needs").text, re.S)
    assert found
    row = found.group(0)
    assert f'href="/organisations/{bearing.buyer_id}"' in row
    assert '<td class="region">ВКО</td>' in row
    assert '>10&nbsp;<span class="unit">шт</span>' in row
    assert "15\u202f005\u00a0₸" in row, "value is quantity × unit price"
    assert 'class="badge origin-far_abroad">Дальнее зарубежье<' in row
    assert "07.04.2027" in row


def test_pages_keep_the_filters_and_sorting_orders_rows(
    client: TestClient, db_session: Session
) -> None:
    buyer = make_org(db_session, VKO)
    far = [need_of(db_session, buyer, f"Шестерня {n}", quantity=Decimal(n)) for n in range(1, 8)]
    need_of(db_session, buyer, "Цемент", origin=Origin.DOMESTIC)
    first = client.get("/needs?origin=far_abroad&per_page=3&sort=-quantity").text
    assert total(first) == 7 and ids(first, "need") == [far[6].id, far[5].id, far[4].id]
    link = re.search(r'href="(\?[^"]+)" rel="next"', first)
    assert link, "a next-page link"
    following = link.group(1).replace("&amp;", "&")
    assert "origin=far_abroad" in following and "sort=-quantity" in following
    second = client.get("/needs" + following).text
    assert ids(second, "need") == [far[3].id, far[2].id, far[1].id]
    third = client.get("/needs?origin=far_abroad&per_page=3&sort=-quantity&page=3").text
    assert ids(third, "need") == [far[0].id]
    by_title = re.findall(r'<a href="/needs/\d+">([^<]+)</a>', client.get("/needs?sort=title").text)
    assert by_title == ["Цемент"] + [f"Шестерня {n}" for n in range(1, 8)]
    assert client.get("/needs?sort=colour").status_code == 422


def factor(name: str, value: float, weight: float, note: str) -> dict[str, object]:
    """One factor of a stored explanation, as the engine writes it."""
    return {"name": name, "value": value, "weight": weight, "contribution": value * weight,
            "note": note}  # fmt: skip


EXPLANATION = {
    "matched_terms": ["подшипник", "6205-2rs"],
    "class_level": 6,
    "relevance": 0.88,
    "fit": 0.8601,
    "rule": "score = relevance × (0.5 + 0.5 × fit)",
    "factors": [
        factor("text", 0.8, 0.6, "similarity of the texts"),
        factor("class", 1.0, 0.4, "classes agree to 6 digits"),
        factor("unit", 1.0, 0.15, "same unit"),
        factor("capacity", 1.0, 0.15, "capacity covers 166.7× the quantity"),
        factor("region", 0.3671, 0.3, "972 km away"),
        factor("certificate", 1.0, 0.15, "domestic producer certificate"),
        factor("import_substitution", 1.0, 0.25, "bought today: far_abroad"),
    ],
}


def test_detail_shows_fields_buyer_and_explained_producers(
    client: TestClient, db_session: Session
) -> None:
    need = lines(db_session)[0]
    producer = make_org(db_session, MANGYSTAU, "ТОО «Каспий Подшипник»")
    offer = make_offer(db_session, producer, "Подшипник 6205-2RS, в наличии")
    db_session.add(Match(need_id=need.id, offer_id=offer.id, rank=1, score=0.8477, class_level=6,
                         need_class="28.15.10", explanation=EXPLANATION))  # fmt: skip
    db_session.flush()
    html = client.get(f"/needs/{need.id}").text
    assert "<h1>Подшипник 6205-2RS</h1>" in html
    assert f'href="/organisations/{need.buyer_id}" data-buyer' in html
    assert "15\u202f005\u00a0₸" in html and "28.15.10" in html
    item = rf'<li class="match band-strong" data-match="{offer.id}" data-band="strong">.*?</li>'
    match = re.search(item, html, re.S)
    assert match, "the producer is listed"
    text = re.sub(r"\s+", " ", match.group(0))
    assert f'href="/organisations/{producer.id}"' in text and "ТОО «Каспий Подшипник»" in text
    assert "Мангистауская" in text and "0,85" in text
    assert 'class="chip term"' in text and ">6205-2rs<" in text
    assert "тот же класс (6 знаков)" in text
    assert "Регион</th>" in text and "0,37&nbsp;×&nbsp;0,30" in text
    assert "Релевантность" in text and "Пригодность поставщика" in text
    assert "= 0,88 × (0,5 + 0,5 × 0,86)" in text, "the score's arithmetic is shown"
    assert "в 972 км" in text and "мощность покрывает потребность в 166,7 раза" in text
    assert "сейчас закупается в дальнем зарубежье" in text
    assert "сертификат отечественного производителя" in text
    kazakh = client.get(f"/needs/{need.id}?lang=kk").text
    assert "972 км қашықтықта" in kazakh and "қазір алыс шетелден сатып алынады" in kazakh


def test_detail_ranks_the_partner_region_producer_first_with_the_real_engine(
    client: TestClient, db_session: Session
) -> None:
    buyer = make_org(db_session, VKO)
    partner, far = (
        make_org(db_session, SKO, "ТОО «Север Подшипник»"),
        make_org(db_session, MANGYSTAU),
    )
    need = need_of(db_session, buyer, "Подшипник 6205-2RS")
    near_offer = make_offer(db_session, partner, "Подшипник 6205-2RS шариковый")
    far_offer = make_offer(db_session, far, "Подшипник 6205-2RS шариковый")
    match_needs(db_session, build_matcher(db_session, parse_partners([f"{VKO}:{SKO}"])), [need.id])
    html = client.get(f"/needs/{need.id}").text
    assert re.findall(r'data-match="(\d+)"', html) == [str(near_offer.id), str(far_offer.id)]
    assert "регион-партнёр" in html and "ТОО «Север Подшипник»" in html


def test_a_need_without_matches_says_that_no_offer_fits_it_yet(
    client: TestClient, db_session: Session
) -> None:
    html = client.get(f"/needs/{lines(db_session)[0].id}?lang=en").text
    assert "data-no-matches" in html and "No published offer fits this need yet" in html
    assert "seriktes" not in html.split("<footer")[0].split("</header>")[-1].lower()
    # no KP VED classifier is loaded in this database: the page says so
    assert "Product classes are unavailable: the KP VED classifier is not loaded." in html
    russian = client.get(f"/needs/{lines(db_session)[0].id}?lang=ru").text
    assert "Классы продукции недоступны: классификатор КП ВЭД не загружен." in russian


def test_a_need_added_on_its_page_shows_its_producers_at_once(
    client: TestClient, db_session: Session, people: People
) -> None:
    producer = make_org(db_session, SKO, "ТОО «Север Футеровка»")
    offer = make_offer(db_session, producer, "Футеровка мельницы МШЦ 3600х5500 резиновая")
    offer.class_code = "28.92.62"
    db_session.flush()
    token = people.enter(client, "member")
    response = client.post(
        "/needs/new", data={**need_form(people), "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    html = client.get(response.headers["location"]).text
    assert re.findall(r'data-match="(\d+)"', html) == [str(offer.id)]
    assert "ТОО «Север Футеровка»" in html and "data-no-matches" not in html


@pytest.mark.parametrize("actor", ["public", "other_member"])
def test_drafts_of_another_organisation_are_not_found(
    client: TestClient, db_session: Session, people: People, actor: str
) -> None:
    draft = need_of(db_session, people.owner, "Черновик", status=NeedStatus.DRAFT)
    people.enter(client, actor)
    assert client.get(f"/needs/{draft.id}").status_code == 404
    assert draft.id not in ids(client.get("/needs?status=draft").text, "need")


@pytest.mark.parametrize("actor", ["member", "coordinator", "other_coordinator", "admin"])
def test_drafts_are_read_by_their_organisation_and_coordinators(
    client: TestClient, db_session: Session, people: People, actor: str
) -> None:
    draft = need_of(db_session, people.owner, "Черновик", status=NeedStatus.DRAFT)
    people.enter(client, actor)
    assert client.get(f"/needs/{draft.id}").status_code == 200


def need_form(people: People, **changes: str) -> dict[str, str]:
    """A filled need form for the owner organisation."""
    form = {
        "buyer_id": str(people.owner.id),
        "title": "Футеровка мельницы МШЦ 3600х5500",
        "quantity": "1 200,5",
        "unit_code": "839",
        "unit_price": "2500000",
        "class_code": "28.92.62",
        "delivery_region": VKO,
        "needed_by": "2027-05-01",
        "origin": "far_abroad",
        "status": "published",
    }
    return {**form, **changes}


def count_needs(session: Session) -> int:
    """Number of needs in the database."""
    return int(session.scalar(select(func.count(Need.id))) or 0)


def refused(response: object, actor: str) -> bool:
    """The public is sent to log in; a user who may not gets 403."""
    status = getattr(response, "status_code", 0)
    location = getattr(response, "headers", {}).get("location", "")
    return status == 303 and location.startswith("/login") if actor == "public" else status == 403


@pytest.mark.parametrize("actor", REFUSED)
def test_create_is_refused_and_nothing_is_added(
    client: TestClient, db_session: Session, people: People, actor: str
) -> None:
    before = count_needs(db_session)
    token = people.enter(client, actor)
    form = client.get("/needs/new", follow_redirects=False)
    assert form.status_code == 303 if actor == "public" else form.status_code == 200
    assert f'<option value="{people.owner.id}"' not in form.text, "the owner is not offered"
    response = client.post(
        "/needs/new", data={**need_form(people), "csrf_token": token}, follow_redirects=False
    )
    assert refused(response, actor), response.text
    assert count_needs(db_session) == before


@pytest.mark.parametrize("actor", ALLOWED)
def test_create_works_for_members_coordinators_and_admins(
    client: TestClient, db_session: Session, people: People, actor: str
) -> None:
    token = people.enter(client, actor)
    page = client.get("/needs/new").text
    assert f'<option value="{people.owner.id}"' in page
    assert f'<option value="{people.other.id}"' not in page or actor == "admin"
    response = client.post(
        "/needs/new", data={**need_form(people), "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    need = db_session.get(Need, int(response.headers["location"].split("/")[2].split("?")[0]))
    assert need is not None and need.buyer_id == people.owner.id
    assert (need.quantity, need.unit_code, need.origin) == (
        Decimal("1200.5"),
        "839",
        Origin.FAR_ABROAD,
    )
    assert need.delivery_region is not None and need.delivery_region.kato == VKO
    assert "Сохранено." in client.get(response.headers["location"]).text


def test_invalid_fields_are_shown_next_to_them_and_nothing_is_saved(
    client: TestClient, db_session: Session, people: People
) -> None:
    before = count_needs(db_session)
    token = people.enter(client, "member")
    bad = need_form(people, title=" ", quantity="двенадцать", class_code="AB.CD", csrf_token=token)
    response = client.post("/needs/new", data=bad)
    assert response.status_code == 422
    errors = dict(re.findall(r'data-error-for="(\w+)">([^<]+)<', response.text))
    assert errors == {
        "title": "Обязательное поле.",
        "quantity": "Введите число.",
        "class_code": "Введите код КП ВЭД, например 28.15.10.",
    }
    assert 'role="alert"' in response.text and "двенадцать" in response.text
    assert count_needs(db_session) == before


@pytest.mark.parametrize("actor", REFUSED)
def test_edit_is_refused_and_the_need_is_unchanged(
    client: TestClient, db_session: Session, people: People, actor: str
) -> None:
    need = need_of(db_session, people.owner, "Подшипник 6205-2RS")
    token = people.enter(client, actor)
    assert client.get(f"/needs/{need.id}/edit", follow_redirects=False).status_code in (303, 403)
    changed = {**need_form(people, title="Подменено"), "csrf_token": token}
    response = client.post(f"/needs/{need.id}/edit", data=changed, follow_redirects=False)
    assert refused(response, actor), response.text
    db_session.refresh(need)
    assert need.title == "Подшипник 6205-2RS" and need.quantity == Decimal(10)


@pytest.mark.parametrize("actor", ALLOWED)
def test_edit_works_for_members_coordinators_and_admins(
    client: TestClient, db_session: Session, people: People, actor: str
) -> None:
    need = need_of(db_session, people.owner, "Подшипник 6205-2RS", unit_price=Decimal(900))
    token = people.enter(client, actor)
    form = client.get(f"/needs/{need.id}/edit").text
    assert 'value="Подшипник 6205-2RS"' in form and 'value="900"' in form
    changed = {
        **need_form(people, title="Подшипник 6205-2RS C3", quantity="25"),
        "csrf_token": token,
    }
    response = client.post(f"/needs/{need.id}/edit", data=changed, follow_redirects=False)
    assert (
        response.status_code == 303 and response.headers["location"] == f"/needs/{need.id}?saved=1"
    )
    db_session.refresh(need)
    assert (need.title, need.quantity, need.unit_code) == ("Подшипник 6205-2RS C3", 25, "839")


@pytest.mark.parametrize("actor", REFUSED)
def test_delete_is_refused_and_the_need_remains(
    client: TestClient, db_session: Session, people: People, actor: str
) -> None:
    need = need_of(db_session, people.owner, "Подшипник 6205-2RS")
    token = people.enter(client, actor)
    assert client.get(f"/needs/{need.id}/delete", follow_redirects=False).status_code in (303, 403)
    response = client.post(
        f"/needs/{need.id}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert refused(response, actor), response.text
    assert db_session.get(Need, need.id) is not None


@pytest.mark.parametrize("actor", ALLOWED)
def test_delete_asks_first_then_works(
    client: TestClient, db_session: Session, people: People, actor: str
) -> None:
    need = need_of(db_session, people.owner, "Удаляемая потребность")
    offer = make_offer(db_session, people.other)
    db_session.add(Match(need_id=need.id, offer_id=offer.id, rank=1, score=0.5, explanation={}))
    db_session.flush()
    token = people.enter(client, actor)
    confirm = client.get(f"/needs/{need.id}/delete").text
    assert "Удалить потребность?" in confirm and "(1)" in confirm
    assert db_session.get(Need, need.id) is not None, "asking deletes nothing"
    response = client.post(
        f"/needs/{need.id}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/needs?deleted=1"
    db_session.expunge_all()
    assert db_session.get(Need, need.id) is None
    assert db_session.scalar(select(func.count(Match.id)).where(Match.need_id == need.id)) == 0


@pytest.mark.parametrize("route", ["/needs/new", "/needs/{id}/edit", "/needs/{id}/delete"])
def test_forms_without_the_csrf_token_are_refused(
    client: TestClient, db_session: Session, people: People, route: str
) -> None:
    need = need_of(db_session, people.owner, "Подшипник 6205-2RS")
    before = count_needs(db_session)
    people.enter(client, "admin")
    url = route.replace("{id}", str(need.id))
    response = client.post(url, data=need_form(people, title="Без токена"), follow_redirects=False)
    assert response.status_code == 403
    db_session.refresh(need)
    assert need.title == "Подшипник 6205-2RS" and count_needs(db_session) == before


def test_error_pages_of_a_logged_in_user_on_a_real_database(tmp_path: Path) -> None:
    # the failed request's rollback must not leave the page a user it cannot read
    seed_site(tmp_path / "site.db", tmp_path)
    url = f"sqlite:///{tmp_path / 'site.db'}"
    engine = make_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        user = create_user(session, "admin-errors@example.kz", PASSWORD, "Тест", Role.ADMIN)
        session.commit()
    engine.dispose()
    app = create_app(Settings(database_url=url))
    with TestClient(app, raise_server_exceptions=False) as real:
        login(real, user)
        assert real.get("/needs/999999").status_code == 404
        assert real.get("/needs/1/delete").status_code == 200, "an admin may delete"
        invalid = real.get("/needs?sort=colour")
        assert invalid.status_code == 422 and 'class="who"' in invalid.text, "still logged in"
