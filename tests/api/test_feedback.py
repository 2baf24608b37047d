"""Feedback on matches through the API: who may give, change and withdraw an answer (and
that refused calls change nothing), the answers listed, the need's matches following them,
errors in the standard shape, and a need's class corrected through PATCH /needs/{id}."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.catalog.models import ClassSource, Need, NeedStatus, Offer
from seriktes.matches.incremental import keep_matches_current, match_lines
from seriktes.matches.models import MatchFeedback, Reason, Verdict
from seriktes.matches.repository import labelled_needs
from tests.api.conftest import ALLOWED, REFUSED, World
from tests.webkit import login, make_need, make_offer, make_org

SKO = "590000000"
NOT_SUITABLE = {"suitable": False, "reason": "cannot_supply", "comment": "нет мощностей"}


@dataclass(frozen=True)
class Pair:
    """The owner's need and a producer's offer ranked for it (the producer is `other`)."""

    need: Need
    offer: Offer


@dataclass(frozen=True)
class Route:
    """A write route of feedback: its name as the coverage guard reads it, and its call."""

    name: str
    call: Callable[[TestClient, Pair, dict[str, str]], Any]
    success: int


def _url(pair: Pair) -> str:
    return f"/api/v1/needs/{pair.need.id}/matches/{pair.offer.id}/feedback"


ROUTES = [
    Route(
        "POST /needs/{id}/matches/{id}/feedback",
        lambda c, p, h: c.post(_url(p), json=NOT_SUITABLE, headers=h),
        200,
    ),
    Route(
        "DELETE /needs/{id}/matches/{id}/feedback",
        lambda c, p, h: c.delete(_url(p), headers=h),
        204,
    ),
]


@pytest.fixture
def pair(world: World, db_session: Session) -> Pair:
    keep_matches_current()
    need = make_need(db_session, world.owner, "Подшипник роликовый 22312")
    offer = make_offer(db_session, world.other, "Подшипник роликовый сферический 22312")
    make_offer(db_session, make_org(db_session, SKO), "Подшипник роликовый 7312")
    match_lines(db_session, need_ids=[need.id])
    return Pair(need, offer)


def answers(session: Session) -> list[tuple[int, int, Verdict]]:
    session.flush()
    session.expire_all()
    rows = session.scalars(select(MatchFeedback))
    return [(row.need_id, row.offer_id, row.verdict) for row in rows]


def error_of(response: Any) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"error", "code", "detail", "params", "errors"}
    return response.status_code, body["error"]


def given(client: TestClient, world: World, pair: Pair) -> None:
    """An answer given by the owner's member, for the routes that change one."""
    response = client.post(_url(pair), json=NOT_SUITABLE, headers=world.headers("member"))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("actor", REFUSED)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_refused_feedback_changes_nothing(
    client: TestClient, world: World, pair: Pair, db_session: Session, route: Route, actor: str
) -> None:
    given(client, world, pair)
    before = answers(db_session)
    response = route.call(client, pair, world.headers(actor))
    expected = (401, "NotAuthenticated") if actor == "public" else (403, "Forbidden")
    assert error_of(response) == expected, response.text
    assert answers(db_session) == before


@pytest.mark.parametrize("actor", ALLOWED)
def test_the_buyers_side_gives_changes_and_withdraws_an_answer(
    client: TestClient, world: World, pair: Pair, db_session: Session, actor: str
) -> None:
    headers = world.headers(actor)
    body = client.post(_url(pair), json=NOT_SUITABLE, headers=headers).json()
    assert (body["verdict"], body["reason"], body["comment"]) == (
        "not_suitable",
        "cannot_supply",
        "нет мощностей",
    )
    assert body["user"]["id"] == world.users[actor].id
    assert answers(db_session) == [(pair.need.id, pair.offer.id, Verdict.NOT_SUITABLE)]
    changed = client.post(_url(pair), json={"suitable": True}, headers=headers)
    assert changed.json()["verdict"] == "suitable" and changed.json()["reason"] is None
    assert answers(db_session) == [(pair.need.id, pair.offer.id, Verdict.SUITABLE)]
    listed = client.get(f"/api/v1/needs/{pair.need.id}/feedback", headers=headers).json()
    assert [(a["offer_id"], a["suitable"]) for a in listed] == [(pair.offer.id, True)]
    assert client.delete(_url(pair), headers=headers).status_code == 204
    assert answers(db_session) == []
    assert error_of(client.delete(_url(pair), headers=headers)) == (404, "NotFound")


def test_the_needs_matches_follow_the_answer(client: TestClient, world: World, pair: Pair) -> None:
    headers = world.headers("member")

    def ranked() -> list[int]:
        page = client.get(f"/api/v1/needs/{pair.need.id}/matches", headers=headers).json()
        return [match["offer"]["id"] for match in page["matches"]]

    assert pair.offer.id in ranked()
    client.post(_url(pair), json=NOT_SUITABLE, headers=headers)
    assert pair.offer.id not in ranked() and ranked()
    client.delete(_url(pair), headers=headers)
    assert pair.offer.id in ranked()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"suitable": False}, "reason"),
        ({"suitable": True, "reason": "wrong_class"}, "reason"),
        ({"suitable": False, "reason": "too_expensive"}, "reason"),
        ({"suitable": True, "comment": "x" * 1001}, "comment"),
        ({"suitable": True, "score": 1}, "score"),
    ],
)
def test_an_incomplete_answer_is_422_located_in_the_body(
    client: TestClient, world: World, pair: Pair, db_session: Session, body: Any, field: str
) -> None:
    response = client.post(_url(pair), json=body, headers=world.headers("member"))
    assert error_of(response) == (422, "ValidationFailed")
    assert response.json()["errors"][0]["loc"][:2] == ["body", field]
    assert answers(db_session) == []


def test_unknown_or_unreadable_needs_and_offers_are_404(
    client: TestClient, world: World, pair: Pair, db_session: Session
) -> None:
    headers = world.headers("member")
    missing = f"/api/v1/needs/{pair.need.id}/matches/999999/feedback"
    assert error_of(client.post(missing, json={"suitable": True}, headers=headers))[0] == 404
    draft = make_need(db_session, world.other, status=NeedStatus.DRAFT)
    hidden = f"/api/v1/needs/{draft.id}/matches/{pair.offer.id}/feedback"
    assert error_of(client.post(hidden, json={"suitable": True}, headers=headers))[0] == 404
    assert error_of(client.get(f"/api/v1/needs/{draft.id}/feedback", headers=headers))[0] == 404


@pytest.mark.parametrize("actor", ["public", "other_member"])
def test_the_answers_are_not_read_by_the_public_or_the_producer(
    client: TestClient, world: World, pair: Pair, actor: str
) -> None:
    given(client, world, pair)
    response = client.get(f"/api/v1/needs/{pair.need.id}/feedback", headers=world.headers(actor))
    assert error_of(response) == (403, "Forbidden")


def test_browser_feedback_needs_the_csrf_header(
    client: TestClient, world: World, pair: Pair, db_session: Session
) -> None:
    user = world.user("member")
    assert user is not None
    csrf = login(client, user)
    assert error_of(client.post(_url(pair), json=NOT_SUITABLE)) == (403, "Forbidden")
    assert answers(db_session) == []
    accepted = client.post(_url(pair), json=NOT_SUITABLE, headers={"X-CSRF-Token": csrf})
    assert accepted.status_code == 200


def test_a_need_class_corrected_through_patch_is_manual_and_teaches_the_classifier(
    client: TestClient, world: World, pair: Pair, db_session: Session
) -> None:
    url = f"/api/v1/needs/{pair.need.id}"
    response = client.patch(url, json={"class_code": "28.15.20"}, headers=world.headers("member"))
    assert response.json()["class_code"] == "28.15.20"
    db_session.expire_all()
    assert pair.need.class_source is ClassSource.MANUAL
    assert ("Подшипник роликовый 22312 ", "28.15.20") in labelled_needs(db_session)
    refused = client.patch(url, json={"class_code": "25"}, headers=world.headers("other_member"))
    assert error_of(refused) == (403, "Forbidden")


def test_reasons_are_the_documented_ones() -> None:
    assert {reason.value for reason in Reason} == {"wrong_product", "wrong_class", "cannot_supply"}
