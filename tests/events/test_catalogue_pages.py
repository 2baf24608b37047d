"""Pages of the catalogue, the request form and list, and the organisation pickers without
JavaScript: refusals on the form in the user's language with the typed values kept."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.agreements.models import Deal
from seriktes.events.models import MeetingRequest, Participant
from tests.events.conftest import SKO, Day
from tests.events.test_catalogue import match
from tests.webkit import login, make_need, make_offer, make_org, make_user


def _requests(session: Session, day: Day) -> list[MeetingRequest]:
    stmt = select(MeetingRequest).where(MeetingRequest.event_id == day.event.id)
    return list(session.scalars(stmt.order_by(MeetingRequest.id)))


def test_asking_twice_comes_back_on_the_form_in_kazakh_with_the_typed_values(
    client: TestClient, day: Day, db_session: Session
) -> None:
    token = login(client, make_user(db_session, Role.MEMBER, day.buyers[0].organisation))
    client.cookies.set("lang", "kk")
    ask = {"csrf_token": token, "requester_id": day.buyers[0].id,
           "recipient_id": day.producers[1].id, "topic": "Цемент М400",
           "note": "Көлемдерді талқылайық"}  # fmt: skip
    url = f"/events/{day.event.id}/requests/new"
    assert client.post(url, data=ask, follow_redirects=False).status_code == 303
    again = client.post(url, data={**ask, "topic": "Екінші тақырып"})
    assert again.status_code == 409
    assert 'data-error-for="recipient_id"' in again.text
    assert "бұл екі қатысушының ашық сұрауы бұрыннан бар" in again.text
    assert 'value="Екінші тақырып"' in again.text and "Көлемдерді талқылайық" in again.text
    assert "already have an open request" not in again.text
    assert len(_requests(db_session, day)) == 1


def test_the_form_offers_only_those_not_yet_asked_and_prefills_the_topic(
    client: TestClient, day: Day, db_session: Session
) -> None:
    need = make_need(db_session, day.buyers[0].organisation, title="Цемент М400")
    offer = make_offer(db_session, day.producers[2].organisation, title="Цемент")
    match(db_session, need, offer, "strong", 0.9)
    token = login(client, make_user(db_session, Role.MEMBER, day.buyers[0].organisation))
    url = f"/events/{day.event.id}/requests/new"
    client.post(url, data={"csrf_token": token, "requester_id": day.buyers[0].id,
                           "recipient_id": day.producers[0].id})  # fmt: skip
    form = client.get(url)
    options = form.text.split('id="f-recipient_id"')[1].split("</select>")[0]
    assert f'value="{day.producers[0].id}"' not in options
    assert (
        f'value="{day.producers[1].id}"' in options and f'value="{day.buyers[1].id}"' not in options
    )
    chosen = client.get(url, params={"recipient": day.producers[2].id})
    assert 'value="Цемент М400"' in chosen.text
    empty = client.post(url, data={"csrf_token": token, "requester_id": day.buyers[0].id,
                                   "recipient_id": day.producers[1].id, "topic": " "})  # fmt: skip
    assert empty.status_code == 422 and 'data-error-for="topic"' in empty.text
    assert "Укажите, что вы хотите обсудить." in empty.text


def test_the_requests_list_filters_and_shows_topic_and_message(
    client: TestClient, day: Day, db_session: Session
) -> None:
    token = login(client, make_user(db_session, Role.MEMBER, day.buyers[0].organisation))
    url = f"/events/{day.event.id}/requests/new"
    for producer, topic in ((day.producers[0], "Цемент"), (day.producers[1], "Щебень")):
        client.post(url, data={"csrf_token": token, "requester_id": day.buyers[0].id,
                               "recipient_id": producer.id, "topic": topic,
                               "note": f"Сообщение про {topic}"})  # fmt: skip
    listed = client.get(f"/events/{day.event.id}/requests", params={"q": "щеб"})
    assert listed.status_code == 200
    assert "Щебень" in listed.text and "Сообщение про Щебень" in listed.text
    assert "<strong>Цемент</strong>" not in listed.text
    incoming = client.get(f"/events/{day.event.id}/requests", params={"direction": "incoming"})
    assert "Щебень" not in incoming.text.split("<table")[1]
    for bad in ({"state": "nonsense"}, {"participant": "٣"}, {"direction": "up"}):
        assert client.get(f"/events/{day.event.id}/requests", params=bad).status_code == 200


def test_the_catalogue_for_the_public_and_a_request_in_one_click(
    client: TestClient, day: Day, db_session: Session
) -> None:
    day.producers[2].representatives = "Омаров Ерлан"
    need = make_need(db_session, day.buyers[0].organisation, title="Цемент М400")
    offer = make_offer(db_session, day.producers[2].organisation, title="Цемент портландский")
    match(db_session, need, offer, "strong", 0.9)
    url = f"/events/{day.event.id}/participants"
    public = client.get(url)
    assert public.status_code == 200
    assert "Цемент портландский" in public.text and "Омаров Ерлан" not in public.text
    assert "data-ask=" not in public.text
    token = login(client, make_user(db_session, Role.MEMBER, day.buyers[0].organisation))
    page = client.get(url)
    assert "Омаров Ерлан" in page.text and "Совпадения с вашей организацией" in page.text
    first = page.text.index("data-catalogue-participant=")
    assert page.text[first:].startswith(f'data-catalogue-participant="{day.producers[2].id}"')
    assert 'name="topic" value="Цемент М400"' in page.text
    sent = client.post(f"/events/{day.event.id}/requests/new",
                       data={"csrf_token": token, "requester_id": day.buyers[0].id,
                             "recipient_id": day.producers[2].id, "topic": "Цемент М400"},
                       follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303
    assert [(r.recipient_id, r.topic) for r in _requests(db_session, day)] == [
        (day.producers[2].id, "Цемент М400")
    ]
    filtered = client.get(url, params={"role": "producer", "language": "kk", "region": SKO})
    assert filtered.status_code == 200
    assert f'data-catalogue-participant="{day.buyers[1].id}"' not in filtered.text
    assert client.get(url, params={"region": "x"}).status_code == 422


def test_adding_a_participant_without_javascript_shows_the_matches_to_choose(
    client: TestClient, day: Day, db_session: Session
) -> None:
    token = login(client, day.organiser)
    first = make_org(db_session, SKO, "ТОО «Кызылжар Агро»")
    second = make_org(db_session, SKO, "ТОО «Кызылжар Сут»")
    make_org(db_session, "750000000", "ТОО «Кызылжар Алматы»")  # neither region
    url = f"/events/{day.event.id}/participants/new"
    assert client.get(url).status_code == 200
    found = client.post(url, data={"csrf_token": token, "organisation": "кызылжар",
                                   "representatives": "Ахметов"})  # fmt: skip
    assert found.status_code == 422
    assert 'data-error-for="organisation"' in found.text
    radios = found.text.count('name="organisation_id"')
    assert radios == 2 and "Кызылжар Алматы" not in found.text
    choice = {"csrf_token": token, "organisation": "кызылжар", "organisation_id": str(second.id)}
    chosen = client.post(url, data=choice, follow_redirects=False)
    assert chosen.status_code == 303
    by_bin = client.post(url, data={"csrf_token": token, "bin": first.bin}, follow_redirects=False)
    assert by_bin.status_code == 303
    twice = client.post(url, data={"csrf_token": token, "organisation": first.bin})
    assert twice.status_code == 422 and "уже участвует" in twice.text
    stmt = select(Participant.organisation_id).where(Participant.event_id == day.event.id)
    assert {first.id, second.id} <= set(db_session.scalars(stmt))


def test_the_deal_form_finds_buyer_and_supplier_by_name(
    client: TestClient, day: Day, db_session: Session
) -> None:
    buyer = make_org(db_session, "630000000", "АО «Алтай Полиметалл»")
    supplier = make_org(db_session, SKO, "ТОО «Петропавл Трансформатор»")
    make_org(db_session, SKO, "ТОО «Петропавл Кабель»")
    token = login(client, make_user(db_session, Role.COORDINATOR, kato="630000000"))
    deal = {"csrf_token": token, "number": "D-1", "signed_on": "2026-04-01",
            "buyer_bin": "алтай полиметалл", "supplier_bin": "петропавл",
            "subject": "Трансформаторы", "amount": "100", "currency": "KZT"}  # fmt: skip
    page = client.post("/deals/new", data=deal)
    assert page.status_code == 422
    assert 'data-error-for="supplier_bin"' in page.text
    assert page.text.count('name="supplier_id"') == 2
    assert f'name="buyer_id" value="{buyer.id}"' in page.text  # the one match is taken
    made = client.post("/deals/new", data={**deal, "buyer_id": str(buyer.id),
                                           "supplier_id": str(supplier.id)},
                       follow_redirects=False)  # fmt: skip
    assert made.status_code == 303, made.text[:3000]
    stored = db_session.scalars(select(Deal).where(Deal.number == "D-1")).one()
    assert (stored.buyer_id, stored.supplier_id) == (buyer.id, supplier.id)
