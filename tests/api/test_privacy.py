"""Personal data and deal amounts are not public: organisations' contacts, representatives'
names, participants' agendas and what a commitment's linked deals add up to — in the JSON API
and on the pages, for each role."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.agreements import deals
from seriktes.agreements.schemas import DealIn
from tests.api import agreementkit, eventkit
from tests.api.conftest import VKO, World, changed
from tests.webkit import login, make_org, make_user

SIGNED_IN = ("member", "other_member", "coordinator", "other_coordinator", "admin")


@pytest.fixture
def contacts(world: World, db_session: Session) -> World:
    """The owner organisation with a contact person, a phone and an e-mail."""
    changed(
        db_session,
        world.owner,
        contact_person="Иванов Иван Иванович",
        phone="+7 7232 11-22-33",
        email="sales@vostok.kz",
    )
    return world


CONTACTS = ("contact_person", "phone", "email")


def test_the_public_reads_no_contacts_of_organisations(client: TestClient, contacts: World) -> None:
    one = client.get(f"/api/v1/organisations/{contacts.owner.id}").json()
    listed = client.get("/api/v1/organisations", params={"q": "Восток"}).json()["items"]
    for profile in (one, *listed):
        assert [profile[field] for field in CONTACTS] == [None, None, None]
    assert one["name_ru"] == contacts.owner.name_ru  # the rest of the profile stays public


@pytest.mark.parametrize("actor", SIGNED_IN)
def test_signed_in_users_read_contacts(client: TestClient, contacts: World, actor: str) -> None:
    headers = contacts.headers(actor)
    one = client.get(f"/api/v1/organisations/{contacts.owner.id}", headers=headers).json()
    listed = client.get("/api/v1/organisations", params={"q": "Восток"}, headers=headers).json()
    expected = ["Иванов Иван Иванович", "+7 7232 11-22-33", "sales@vostok.kz"]
    assert [one[field] for field in CONTACTS] == expected
    assert [listed["items"][0][field] for field in CONTACTS] == expected


@pytest.fixture
def event_scene(world: World, db_session: Session) -> eventkit.Scene:
    """The events scene, the owner's participant sending «Ахметов А.»."""
    scene = eventkit.make_scene(world, db_session)
    changed(db_session, scene.owner, representatives="Ахметов А.")
    return scene


def _people(client: TestClient, scene: eventkit.Scene, headers: dict[str, str]) -> set[object]:
    found = client.get(f"/api/v1/events/{scene.event.id}/participants", headers=headers).json()
    return {p["representatives"] for p in found}


def test_representatives_are_named_to_signed_in_users_only(
    client: TestClient, world: World, event_scene: eventkit.Scene
) -> None:
    assert _people(client, event_scene, {}) == {None}
    for actor in SIGNED_IN:
        assert "Ахметов А." in _people(client, event_scene, world.headers(actor)), actor
    page = client.get(f"/events/{event_scene.event.id}").text
    assert "Ахметов" not in page
    login(client, world.user("other_member"))  # type: ignore[arg-type]
    assert "Ахметов А." in client.get(f"/events/{event_scene.event.id}").text


AGENDAS = ("agenda", "agenda.pdf?lang=ru", "agenda.ics")
AGENDA_READERS = [
    ("public", 401),
    ("other_member", 403),  # another organisation's member
    ("member", 200),  # the participant's own organisation
    ("coordinator", 200),  # organises the event (host region)
    ("other_coordinator", 200),  # reads everything
    ("admin", 200),
]


@pytest.mark.parametrize(
    ("actor", "status"),
    AGENDA_READERS,
)
def test_an_agenda_is_for_its_organisation_organisers_and_coordinators(
    client: TestClient, world: World, event_scene: eventkit.Scene, actor: str, status: int
) -> None:
    base = f"/api/v1/events/{event_scene.event.id}/participants/{event_scene.owner.id}"
    headers = world.headers(actor)
    for path in AGENDAS:
        answer = client.get(f"{base}/{path}", headers=headers)
        assert answer.status_code == status, (path, answer.text)
        if status != 200:
            assert answer.json()["error"] in ("NotAuthenticated", "Forbidden")


def test_the_event_page_links_only_the_agendas_a_user_may_read(
    client: TestClient, world: World, event_scene: eventkit.Scene
) -> None:
    url = f"/events/{event_scene.event.id}"
    assert 'data-agenda="pdf-ru"' not in client.get(url).text
    login(client, world.user("member"))  # type: ignore[arg-type]
    page = client.get(url).text
    rows = re.findall(r'<tr data-participant="(\d+)">(.*?)</tr>', page, re.S)
    with_links = {int(pid) for pid, row in rows if 'data-agenda="pdf-ru"' in row}
    assert with_links == {event_scene.owner.id}  # its own participant's, not the guest's


@pytest.fixture
def agreement_scene(world: World, db_session: Session) -> agreementkit.Scene:
    """The agreements scene: a turnover commitment with a linked deal, a jobs commitment."""
    return agreementkit.make_scene(world, db_session)


SUM_READERS = [
    ("public", False),
    ("member", True),  # its organisation is the buyer of the one linked deal
    ("other_member", False),
    ("coordinator", True),
    ("other_coordinator", True),
    ("admin", True),
]


def _commitments(
    client: TestClient, scene: agreementkit.Scene, headers: dict[str, str]
) -> dict[str, dict[str, object]]:
    found = client.get(f"/api/v1/memoranda/{scene.memo.id}/commitments", headers=headers).json()
    return {c["kpi"]: c for c in found}


@pytest.mark.parametrize(
    ("actor", "sums"),
    SUM_READERS,
)
def test_linked_deal_sums_are_for_those_who_read_every_deal(
    client: TestClient, world: World, agreement_scene: agreementkit.Scene, actor: str, sums: bool
) -> None:
    headers = world.headers(actor)
    found = _commitments(client, agreement_scene, headers)
    turnover, jobs = found["turnover_kzt"], found["jobs"]
    progress = turnover["progress"]
    assert isinstance(progress, dict) and isinstance(jobs["progress"], dict)
    assert (progress["value"] is not None, progress["percent"] is not None) == (sums, sums)
    assert turnover["deal_ids"] == ([agreement_scene.deal.id] if sums else [])
    assert progress["status"] and jobs["progress"]["value"] is not None  # reports stay public
    one = client.get(f"/api/v1/commitments/{agreement_scene.turnover.id}", headers=headers).json()
    assert (one["progress"]["value"] is not None) == sums


def test_a_member_sees_no_sum_once_another_organisation_s_deal_is_linked(
    client: TestClient, world: World, agreement_scene: agreementkit.Scene, db_session: Session
) -> None:
    admin = make_user(db_session, Role.ADMIN)
    another = make_org(db_session, VKO, "ТОО «Другой покупатель»")
    data = DealIn(
        number="API-OTHER",
        signed_on=date(2026, 2, 2),
        buyer_id=another.id,
        supplier_id=agreement_scene.supplier_id,
        subject="Трубы",
        amount=Decimal(10**6),
        commitment_ids=[agreement_scene.turnover.id],
    )
    deals.create_deal(db_session, admin, data)
    found = _commitments(client, agreement_scene, world.headers("member"))
    assert found["turnover_kzt"]["progress"]["value"] is None  # type: ignore[index]
    assert found["turnover_kzt"]["deal_ids"] == []
    coordinator = _commitments(client, agreement_scene, world.headers("coordinator"))
    assert len(coordinator["turnover_kzt"]["deal_ids"]) == 2  # type: ignore[arg-type]


def test_the_memorandum_page_hides_deal_sums_from_the_public(
    client: TestClient, world: World, agreement_scene: agreementkit.Scene
) -> None:
    url = f"/memoranda/{agreement_scene.memo.id}"
    turnover = f'<tr data-commitment="{agreement_scene.turnover.id}">'
    public = client.get(url).text.split(turnover)[1].split("</tr>")[0]
    assert 'data-hidden="deal-sums"' in public and "data-value" not in public
    assert "data-status" in public  # the status is still shown
    login(client, world.user("coordinator"))  # type: ignore[arg-type]
    shown = client.get(url).text.split(turnover)[1].split("</tr>")[0]
    assert "data-value" in shown and 'data-hidden="deal-sums"' not in shown
