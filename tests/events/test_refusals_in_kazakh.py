"""A refused meeting request is explained in the page's language (issue 18: it was English)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from tests.events.conftest import Day
from tests.webkit import login, make_user, token_headers


def _ask_twice(client: TestClient, day: Day, db_session: Session) -> str:
    member = make_user(db_session, Role.MEMBER, day.buyers[0].organisation)
    token = login(client, member)
    ask = {"csrf_token": token, "requester_id": day.buyers[0].id,
           "recipient_id": day.producers[1].id}  # fmt: skip
    first = client.post(f"/events/{day.event.id}/requests/new", data=ask, follow_redirects=False)
    assert first.status_code == 303
    again = client.post(f"/events/{day.event.id}/requests/new", data=ask)
    assert again.status_code == 409
    return again.text


def test_asking_the_same_participant_twice_is_refused_in_kazakh(
    client: TestClient, day: Day, db_session: Session
) -> None:
    client.cookies.set("lang", "kk")
    page = _ask_twice(client, day, db_session)
    assert "бұл екі қатысушының ашық сұрауы бұрыннан бар" in page
    assert "already have an open request" not in page


def test_and_in_russian(client: TestClient, day: Day, db_session: Session) -> None:
    client.cookies.set("lang", "ru")
    page = _ask_twice(client, day, db_session)
    assert "у этих двух участников уже есть открытый запрос" in page


def test_the_api_answers_in_english_unless_asked_otherwise(
    client: TestClient, day: Day, db_session: Session
) -> None:
    member = make_user(db_session, Role.MEMBER, day.buyers[0].organisation)
    headers = token_headers(db_session, member)
    body = {"requester_id": day.buyers[0].id, "recipient_id": day.producers[1].id}
    url = f"/api/v1/events/{day.event.id}/requests"
    assert client.post(url, json=body, headers=headers).status_code == 201
    english = client.post(url, json=body, headers=headers)
    assert english.status_code == 409
    assert english.json()["detail"] == "these two participants already have an open request"
    assert english.json()["code"] == "these two participants already have an open request"
    kazakh = client.post(url, json=body, headers={**headers, "Accept-Language": "kk"})
    assert kazakh.json()["detail"] == "бұл екі қатысушының ашық сұрауы бұрыннан бар"
    assert kazakh.json()["code"] == english.json()["code"]
