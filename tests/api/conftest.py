"""A small world for API tests: two organisations in partner regions and their people."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import count
from typing import Any, TypeVar

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.accounts.passwords import hash_password
from seriktes.matches import cache as engine_cache
from seriktes.registry.models import Organisation
from tests.webkit import PASSWORD, make_org, region, token_headers

VKO, SKO = "630000000", "590000000"
REFUSED = ("public", "other_member", "other_coordinator")
ALLOWED = ("member", "coordinator", "admin")
_serial = count(1)
T = TypeVar("T")


@cache
def _password_hash() -> str:
    # argon2 takes ~0.3 s per hash; every test user shares one hash of PASSWORD
    return hash_password(PASSWORD)


@dataclass
class World:
    """`owner` (ВКО) holds the data under test; `other` (СКО) is another organisation."""

    session: Session
    owner: Organisation
    other: Organisation
    users: dict[str, User] = field(default_factory=dict)

    def user(self, actor: str) -> User | None:
        """The user playing `actor` (None for the public), created on first use."""
        if actor == "public":
            return None
        if actor not in self.users:
            self.users[actor] = self._make(actor)
        return self.users[actor]

    def headers(self, actor: str) -> dict[str, str]:
        """API token headers of `actor` (none for the public)."""
        user = self.user(actor)
        return {} if user is None else token_headers(self.session, user)

    def _make(self, actor: str) -> User:
        role, org, kato = {
            "member": (Role.MEMBER, self.owner, None),
            "other_member": (Role.MEMBER, self.other, None),
            "coordinator": (Role.COORDINATOR, None, VKO),
            "other_coordinator": (Role.COORDINATOR, None, SKO),
            "admin": (Role.ADMIN, None, None),
        }[actor]
        user = User(
            email=f"api{next(_serial)}-{actor}@example.kz",
            full_name=f"Тест {actor}",
            password_hash=_password_hash(),
            role=role,
            organisation_id=org.id if org else None,
            region_id=region(self.session, kato).id if kato else None,
        )
        self.session.add(user)
        self.session.flush()
        return user


@pytest.fixture
def world(db_session: Session) -> World:
    """Two organisations: the owner in ВКО, another one in СКО."""
    return World(
        db_session,
        make_org(db_session, VKO, "ТОО «Восток Подшипник»"),
        make_org(db_session, SKO, "ТОО «Север Металл»"),
    )


@pytest.fixture(autouse=True)
def _fresh_engines() -> Iterator[None]:
    """Search engines are cached per database; each test's rolled-back data needs its own."""
    engine_cache.clear()
    yield
    engine_cache.clear()


def stored(session: Session, model: type[Any], row_id: int) -> dict[str, Any] | None:
    """The row as the database holds it now (None when it is gone), read afresh."""
    session.flush()
    session.expire_all()
    fresh = session.get(model, row_id)
    if fresh is None:
        return None
    return {column.key: getattr(fresh, column.key) for column in inspect(model).column_attrs}


def changed(session: Session, row: T, **values: Any) -> T:
    """Set fields of a factory-made row (the factories fix some of them) and flush."""
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()
    return row
