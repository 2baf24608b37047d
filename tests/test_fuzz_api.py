"""Fuzzing the API from its OpenAPI schema (schemathesis): no request makes a server error,
and every answer is what the schema says (its body, for errors too, and its content type).

Every operation of /api/v1/openapi.json gets a bounded number of generated requests, valid
and invalid: as the public, and with the API token of an administrator, a coordinator and a
member, against a small seeded database on SQLite and on PostgreSQL. Runs in the normal
suite; a few minutes on two cores.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.accounts.service import create_token, create_user
from seriktes.catalog.models import NeedStatus, OfferStatus
from seriktes.config import Settings
from seriktes.kit.db import make_sessionmaker
from seriktes.kit.migrate import upgrade
from seriktes.matches import cache as engine_cache
from seriktes.matches.service import build_matcher, match_needs
from seriktes.registry.models import ClassifierCode, ClassifierSystem
from seriktes.registry.service import ensure_reference_data
from seriktes.web.app import create_app
from tests.webkit import PASSWORD, make_need, make_offer, make_org

EXAMPLES = 25
ROLE_EXAMPLES = 12  # each of the coordinator's and the member's runs
TITLES = ["Подшипник 6205-2RS", "Футеровка мельницы", "Мука пшеничная", "Болт М16х100"]


def seed(engine: Engine) -> dict[Role, str]:
    """Migrate a database, put a little of everything in it; return an API token of an
    administrator, a coordinator of the buyer's region and a member of the producer."""
    upgrade(engine)
    with Session(engine) as session:
        ensure_reference_data(session)
        session.add(
            ClassifierCode(
                system=ClassifierSystem.KPVED, code="28.15.10", level=6, name_ru="Подшипники"
            )
        )
        buyer, producer = make_org(session, "630000000"), make_org(session, "590000000")
        for i, title in enumerate(TITLES):
            draft = i == len(TITLES) - 1
            make_need(session, buyer, title, NeedStatus.DRAFT if draft else NeedStatus.PUBLISHED)
            make_offer(
                session, producer, title, OfferStatus.DRAFT if draft else OfferStatus.PUBLISHED
            )
        match_needs(session, build_matcher(session))
        users = {
            Role.ADMIN: create_user(session, "fuzz-admin@example.kz", PASSWORD, "Fuzz", Role.ADMIN),
            Role.COORDINATOR: create_user(
                session, "fuzz-coord@example.kz", PASSWORD, "Fuzz", Role.COORDINATOR, "630000000"
            ),
            Role.MEMBER: create_user(
                session, "fuzz-member@example.kz", PASSWORD, "Fuzz", Role.MEMBER, None, producer.bin
            ),
        }
        tokens = {role: create_token(session, user, "fuzz") for role, user in users.items()}
        session.commit()
    return tokens


# The schema is read when the module is collected; the database is attached by `admin_token`.
APP = create_app(Settings(database_url="sqlite://", secret_key="fuzz", warm_engines=False))
# The JSON API only (the application leaves its HTML pages out of the schema; this keeps it so).
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP).include(
    path_regex=r"^/api/v1/"
)


@pytest.fixture(scope="module", autouse=True, params=["sqlite", "postgresql"])
def tokens(request: pytest.FixtureRequest, fresh_database: Any) -> Iterator[dict[Role, str]]:
    """Point the application at its own seeded database of a backend; API tokens by role."""
    engine: Engine = fresh_database(request.param)
    seeded = seed(engine)
    APP.state.sessions = make_sessionmaker(engine)
    engine_cache.clear()
    yield seeded
    engine_cache.clear()


bounded = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def check(case: Any, headers: dict[str, str]) -> None:
    """Send the generated request: never a 5xx, and the answer as the schema describes it;
    API errors always in the one error shape."""
    response = case.call(headers=headers)
    case.validate_response(
        response,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
    if case.path.startswith("/api/") and response.status_code >= 400:
        assert set(response.json()) == {"error", "code", "detail", "params", "errors"}, (
            response.text
        )


@schema.parametrize()
@bounded
def test_public_requests_never_fail_on_the_server(case: Any) -> None:
    check(case, {})


@schema.parametrize()
@bounded
def test_administrator_requests_never_fail_on_the_server(
    case: Any, tokens: dict[Role, str]
) -> None:
    check(case, {"Authorization": f"Bearer {tokens[Role.ADMIN]}"})


@schema.parametrize()
@settings(bounded, max_examples=ROLE_EXAMPLES)
def test_coordinator_requests_never_fail_on_the_server(case: Any, tokens: dict[Role, str]) -> None:
    check(case, {"Authorization": f"Bearer {tokens[Role.COORDINATOR]}"})


@schema.parametrize()
@settings(bounded, max_examples=ROLE_EXAMPLES)
def test_member_requests_never_fail_on_the_server(case: Any, tokens: dict[Role, str]) -> None:
    check(case, {"Authorization": f"Bearer {tokens[Role.MEMBER]}"})
