"""Requests with a topic and a message (both backends): the default topic, every refusal
located at its field, the closed event, the notice that carries the topic."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.events import requests
from seriktes.events.models import EventStatus, ParticipantStatus, RequestState
from seriktes.events.schemas import RequestIn
from seriktes.kit.errors import Conflict, NotFound, SeriktesError, ValidationFailed
from seriktes.notifications import kinds
from seriktes.notifications.models import Notification
from tests.events.conftest import Day
from tests.events.test_catalogue import match
from tests.webkit import make_need, make_offer, make_user, token_headers


def _ask(day: Day, session: Session, requester: int, recipient: int, **fields: object):  # type: ignore[no-untyped-def]
    member = make_user(session, Role.MEMBER, day.buyers[0].organisation)
    data = RequestIn.model_validate(
        {"requester_id": requester, "recipient_id": recipient, **fields}
    )
    return requests.create_request(session, member, day.event.id, data)


def test_a_request_keeps_its_topic_and_message_and_the_notice_carries_the_topic(
    day: Day, db_session: Session
) -> None:
    make_user(db_session, Role.MEMBER, day.producers[0].organisation)  # who is told
    made = _ask(day, db_session, day.buyers[0].id, day.producers[0].id,
                topic="  Поставки цемента ", note=" Хотим обсудить объёмы. ")  # fmt: skip
    assert (made.topic, made.note) == ("Поставки цемента", "Хотим обсудить объёмы.")
    notice = db_session.scalars(
        select(Notification).where(Notification.kind == kinds.Kind.REQUEST_RECEIVED)
    ).first()
    assert notice is not None and notice.params["topic"] == "Поставки цемента"
    assert "Тема: Поставки цемента." in kinds.body(notice.kind, "ru", notice.params)
    assert "Тақырып: Поставки цемента." in kinds.body(notice.kind, "kk", notice.params)
    old = {k: v for k, v in notice.params.items() if k != "topic"}
    assert "%(" not in kinds.body(notice.kind, "ru", old) and "Тема" not in kinds.body(
        notice.kind, "ru", old
    )


def test_the_topic_defaults_to_the_best_match_between_the_two(
    day: Day, db_session: Session
) -> None:
    need = make_need(db_session, day.buyers[0].organisation, title="Цемент М400")
    weaker = make_need(db_session, day.buyers[0].organisation, title="Цемент М500")
    offer = make_offer(db_session, day.producers[0].organisation, title="Цемент")
    match(db_session, weaker, offer, "possible", 0.5)
    match(db_session, need, offer, "strong", 0.9)
    made = _ask(day, db_session, day.buyers[0].id, day.producers[0].id)
    assert made.topic == "Цемент М400"
    plain = _ask(day, db_session, day.buyers[0].id, day.producers[1].id)
    assert plain.topic is None


def _refusal(day: Day, session: Session, requester: int, recipient: int) -> SeriktesError:
    with pytest.raises(SeriktesError) as caught:
        _ask(day, session, requester, recipient)
    return caught.value


def test_every_refusal_is_located_at_its_field(day: Day, db_session: Session) -> None:
    buyer, producer = day.buyers[0], day.producers[0]
    _ask(day, db_session, buyer.id, producer.id)
    again = _refusal(day, db_session, buyer.id, producer.id)
    assert isinstance(again, Conflict)
    assert [e.loc for e in again.errors] == [("body", "recipient_id")]
    back = _refusal(day, db_session, buyer.id, buyer.id)
    assert isinstance(back, ValidationFailed) and back.errors[0].loc[-1] == "recipient_id"
    day.producers[1].status = ParticipantStatus.CANCELLED
    db_session.flush()
    cancelled = _refusal(day, db_session, buyer.id, day.producers[1].id)
    assert cancelled.template == "%(name_ru)s has cancelled its participation"
    assert cancelled.errors[0].loc == ("body", "recipient_id")
    stranger = _refusal(day, db_session, buyer.id, 999_999)
    assert isinstance(stranger, NotFound) and stranger.errors[0].loc[-1] == "recipient_id"


def test_a_closed_event_takes_no_requests(day: Day, db_session: Session) -> None:
    day.event.status = EventStatus.CLOSED
    db_session.flush()
    closed = _refusal(day, db_session, day.buyers[0].id, day.producers[0].id)
    assert closed.template == "the event is closed: requests are over"


def test_filters_of_the_requests_list(day: Day, db_session: Session) -> None:
    first = _ask(day, db_session, day.buyers[0].id, day.producers[0].id, topic="Цемент")
    second = _ask(day, db_session, day.buyers[0].id, day.producers[1].id, topic="Щебень",
                  note="Ёмкости и объёмы")  # fmt: skip
    producer = make_user(db_session, Role.MEMBER, day.producers[2].organisation)
    third = requests.create_request(
        db_session, producer, day.event.id,
        RequestIn(requester_id=day.producers[2].id, recipient_id=day.buyers[0].id, topic="Лес"),
    )  # fmt: skip
    third.state = RequestState.ACCEPTED
    found = [first, second, third]
    mine = {day.buyers[0].id}
    from seriktes.kit import clock

    def ids(**filters: object) -> list[int]:
        kept = requests.filter_requests(
            found, requests.RequestFilters(**filters), mine, clock.now()
        )  # type: ignore[arg-type]
        return [r.id for r in kept]

    assert ids(direction="incoming") == [third.id]
    assert ids(direction="outgoing") == [first.id, second.id]
    assert ids(state=RequestState.ACCEPTED) == [third.id]
    assert ids(participant_id=day.producers[1].id) == [second.id]
    assert ids(q="ЦЕМ") == [first.id]
    assert ids(q="емкости") == [second.id]


def test_the_api_takes_a_topic_and_locates_a_refusal(
    client: TestClient, day: Day, db_session: Session
) -> None:
    member = make_user(db_session, Role.MEMBER, day.buyers[0].organisation)
    headers = token_headers(db_session, member)
    body = {"requester_id": day.buyers[0].id, "recipient_id": day.producers[1].id,
            "topic": "Цемент", "note": "Обсудим объёмы"}  # fmt: skip
    url = f"/api/v1/events/{day.event.id}/requests"
    made = client.post(url, json=body, headers=headers)
    assert made.status_code == 201
    assert (made.json()["topic"], made.json()["note"]) == ("Цемент", "Обсудим объёмы")
    again = client.post(url, json=body, headers={**headers, "Accept-Language": "kk"})
    assert again.status_code == 409
    assert again.json()["errors"][0]["loc"] == ["body", "recipient_id"]
    assert again.json()["errors"][0]["msg"] == "бұл екі қатысушының ашық сұрауы бұрыннан бар"
    too_long = client.post(url, json={**body, "topic": "х" * 201}, headers=headers)
    assert too_long.status_code == 422


def test_the_api_filters_requests_as_the_page_does(
    client: TestClient, day: Day, db_session: Session
) -> None:
    first = _ask(day, db_session, day.buyers[0].id, day.producers[0].id, topic="Цемент")
    second = _ask(day, db_session, day.buyers[0].id, day.producers[1].id, topic="Щебень")
    member = make_user(db_session, Role.MEMBER, day.producers[1].organisation)
    headers = token_headers(db_session, member)
    url = f"/api/v1/events/{day.event.id}/requests"

    def ids(**params: object) -> list[int]:
        answer = client.get(url, params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        return [row["id"] for row in answer.json()]

    assert ids() == [second.id]  # a member reads its own organisation's requests only
    assert ids(direction="incoming") == [second.id]
    assert ids(direction="outgoing") == []
    assert ids(state="requested", q="щеб") == [second.id]
    assert ids(state="accepted") == []
    organiser = token_headers(db_session, day.organiser)
    every = client.get(url, params={"participant": day.producers[0].id}, headers=organiser)
    assert [row["id"] for row in every.json()] == [first.id]
    wrong = client.get(url, params={"state": "maybe"}, headers={**headers, "Accept-Language": "ru"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["loc"] == ["query", "state"]
