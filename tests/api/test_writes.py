"""Every write route of the API: who may call it, and that refused calls change nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus
from seriktes.registry.models import Organisation
from tests.api.conftest import ALLOWED, REFUSED, World, stored
from tests.webkit import login, make_need, make_offer


@dataclass(frozen=True)
class Target:
    """The rows a write route acts on in one test."""

    need: Need
    offer: Offer
    org: Organisation


@dataclass(frozen=True)
class Route:
    """A write route, the request body it gets, and the row it changes."""

    name: str
    method: str
    path: Callable[[Target], str]
    body: Callable[[Target], dict[str, Any] | None]
    model: type[Any]
    row: Callable[[Target], int | None]  # id of the row it changes; None for creation
    success: int

    def call(self, client: TestClient, target: Target, headers: dict[str, str]) -> Any:
        """Send the request."""
        return client.request(
            self.method, self.path(target), json=self.body(target), headers=headers
        )


ROUTES = [
    Route(
        "POST /needs",
        "POST",
        lambda t: "/api/v1/needs",
        lambda t: {"buyer_id": t.org.id, "title": "Новая потребность", "quantity": 5},
        Need,
        lambda t: None,
        201,
    ),
    Route(
        "PATCH /needs/{id}",
        "PATCH",
        lambda t: f"/api/v1/needs/{t.need.id}",
        lambda t: {"title": "Изменено", "quantity": "7.5"},
        Need,
        lambda t: t.need.id,
        200,
    ),
    Route(
        "DELETE /needs/{id}",
        "DELETE",
        lambda t: f"/api/v1/needs/{t.need.id}",
        lambda t: None,
        Need,
        lambda t: t.need.id,
        204,
    ),
    Route(
        "POST /offers",
        "POST",
        lambda t: "/api/v1/offers",
        lambda t: {"producer_id": t.org.id, "title": "Новое предложение", "price": 100},
        Offer,
        lambda t: None,
        201,
    ),
    Route(
        "PATCH /offers/{id}",
        "PATCH",
        lambda t: f"/api/v1/offers/{t.offer.id}",
        lambda t: {"title": "Изменено", "status": "archived"},
        Offer,
        lambda t: t.offer.id,
        200,
    ),
    Route(
        "DELETE /offers/{id}",
        "DELETE",
        lambda t: f"/api/v1/offers/{t.offer.id}",
        lambda t: None,
        Offer,
        lambda t: t.offer.id,
        204,
    ),
    Route(
        "PATCH /organisations/{id}",
        "PATCH",
        lambda t: f"/api/v1/organisations/{t.org.id}",
        lambda t: {"phone": "+7 7232 00-00-00", "size_class": "small", "oked": "25.62"},
        Organisation,
        lambda t: t.org.id,
        200,
    ),
]
BY_NAME = {route.name: route for route in ROUTES}


@pytest.fixture
def target(world: World, db_session: Session) -> Target:
    """A published need and offer of the owner organisation."""
    return Target(
        make_need(db_session, world.owner), make_offer(db_session, world.owner), world.owner
    )


def snapshot(session: Session, route: Route, target: Target) -> object:
    """What the route would change: its row, or the owner's rows for creation."""
    row_id = route.row(target)
    if row_id is not None:
        return stored(session, route.model, row_id)
    owner = Need.buyer_id if route.model is Need else Offer.producer_id
    session.flush()
    return session.scalars(select(route.model.id).where(owner == target.org.id)).all()


def error_of(response: Any) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"error", "code", "detail", "params", "errors"}
    return response.status_code, body["error"]


@pytest.mark.parametrize("actor", REFUSED)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_refused_writes_change_nothing(
    client: TestClient, world: World, target: Target, db_session: Session, route: Route, actor: str
) -> None:
    before = snapshot(db_session, route, target)
    assert before, "the test needs something that could change"
    response = route.call(client, target, world.headers(actor))
    expected = (401, "NotAuthenticated") if actor == "public" else (403, "Forbidden")
    assert error_of(response) == expected, response.text
    assert snapshot(db_session, route, target) == before


@pytest.mark.parametrize("actor", ALLOWED)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_allowed_writes_succeed(
    client: TestClient, world: World, target: Target, db_session: Session, route: Route, actor: str
) -> None:
    before = snapshot(db_session, route, target)
    response = route.call(client, target, world.headers(actor))
    assert response.status_code == route.success, response.text
    after = snapshot(db_session, route, target)
    assert after != before
    check_effect(route, response, after, db_session)


def check_effect(route: Route, response: Any, after: Any, session: Session) -> None:
    """The change the user asked for is what the database holds."""
    if route.method == "DELETE":
        assert after is None and response.content == b""
    elif route.method == "POST":
        created = stored(session, route.model, response.json()["id"])
        assert created is not None
        assert created["title"] == response.json()["title"]
        assert (created["status"], created["source"]) == ("draft", "web")
    elif route.model is Organisation:
        assert (after["phone"], after["size_class"], after["oked"]) == (
            "+7 7232 00-00-00",
            "small",
            "2562",
        )
    else:
        assert after["title"] == "Изменено"
        assert response.json()["title"] == "Изменено"


DRAFT_ROUTES = [r for r in ROUTES if r.method != "POST" and r.model is not Organisation]


@pytest.mark.parametrize("route", DRAFT_ROUTES, ids=lambda r: r.name)
def test_another_organisations_drafts_are_not_found(
    client: TestClient, world: World, db_session: Session, route: Route
) -> None:
    draft = Target(
        make_need(db_session, world.owner, status=NeedStatus.DRAFT),
        make_offer(db_session, world.owner, status=OfferStatus.DRAFT),
        world.owner,
    )
    before = snapshot(db_session, route, draft)
    response = route.call(client, draft, world.headers("other_member"))
    assert error_of(response) == (404, "NotFound")
    assert snapshot(db_session, route, draft) == before


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_browser_writes_need_the_csrf_header(
    client: TestClient, world: World, target: Target, db_session: Session, route: Route
) -> None:
    user = world.user("member")
    assert user is not None
    csrf = login(client, user)
    before = snapshot(db_session, route, target)
    refused = route.call(client, target, {})
    assert error_of(refused) == (403, "Forbidden")
    assert snapshot(db_session, route, target) == before
    wrong = route.call(client, target, {"X-CSRF-Token": csrf[::-1]})
    assert error_of(wrong) == (403, "Forbidden")
    assert snapshot(db_session, route, target) == before
    accepted = route.call(client, target, {"X-CSRF-Token": csrf})
    assert accepted.status_code == route.success, accepted.text


def test_a_bearer_token_from_a_browser_with_a_session_needs_no_csrf(
    client: TestClient, world: World, target: Target
) -> None:
    user = world.user("member")
    assert user is not None
    login(client, user)
    route = BY_NAME["PATCH /needs/{id}"]
    assert route.call(client, target, world.headers("member")).status_code == 200


def test_an_invalid_token_is_401_even_for_reads(client: TestClient) -> None:
    response = client.get("/api/v1/needs", headers={"Authorization": "Bearer srk_nonsense"})
    assert error_of(response) == (401, "NotAuthenticated")
