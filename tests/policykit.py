"""The cast of the policy tables: users of every role around one organisation and its
region, built in memory (the rules read attributes, not the database), and `grid`, which
turns a table of role × column → allowed into `pytest.mark.parametrize` cases."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from seriktes.accounts.models import Role, User
from seriktes.registry.models import Organisation, Region

HOME = "630000000"  # ВКО: the region of the organisation the rules are about
DISTRICT = "633620000"  # a district of ВКО: its organisations are ВКО's (first two digits)
PARTNER = "590000000"  # СКО: an event's guest region, a memorandum's other party
OTHER = "550000000"  # Павлодар: a region the object has nothing to do with
OWN_ORG, PARTNER_ORG, OTHER_ORG = 10, 20, 30

USERS = (
    "anonymous",
    "admin",
    "inactive admin",
    "coordinator",  # of HOME, the object's region
    "partner coordinator",  # of PARTNER
    "other coordinator",  # of OTHER
    "coordinator without region",
    "inactive coordinator",  # of HOME
    "member",  # of OWN_ORG, the object's organisation
    "partner member",  # of PARTNER_ORG
    "other member",  # of OTHER_ORG
    "member without organisation",
    "inactive member",  # of OWN_ORG
)

_REGION_IDS = {HOME: 1, PARTNER: 2, OTHER: 3, DISTRICT: 4}


def region(kato: str) -> Region:
    """A region in memory."""
    return Region(id=_REGION_IDS[kato], kato=kato, level="oblast", name_ru=kato, name_kk=kato)


def organisation(org_id: int) -> Organisation:
    """OWN_ORG (in a district of HOME), PARTNER_ORG (in PARTNER) or OTHER_ORG (in OTHER)."""
    kato = {OWN_ORG: DISTRICT, PARTNER_ORG: PARTNER, OTHER_ORG: OTHER}[org_id]
    place = region(kato)
    return Organisation(id=org_id, name_ru=f"ТОО «{org_id}»", region_id=place.id, region=place)


def _user(role: Role, active: bool = True, kato: str | None = None, org: int | None = None) -> User:
    place = region(kato) if kato else None
    return User(
        role=role,
        is_active=active,
        region=place,
        region_id=place.id if place else None,
        organisation_id=org,
    )


def user(who: str) -> User | None:
    """A fresh user of the cast (None for the anonymous visitor)."""
    cast: dict[str, Any] = {
        "anonymous": lambda: None,
        "admin": lambda: _user(Role.ADMIN),
        "inactive admin": lambda: _user(Role.ADMIN, active=False),
        "coordinator": lambda: _user(Role.COORDINATOR, kato=HOME),
        "partner coordinator": lambda: _user(Role.COORDINATOR, kato=PARTNER),
        "other coordinator": lambda: _user(Role.COORDINATOR, kato=OTHER),
        "coordinator without region": lambda: _user(Role.COORDINATOR),
        "inactive coordinator": lambda: _user(Role.COORDINATOR, active=False, kato=HOME),
        "member": lambda: _user(Role.MEMBER, org=OWN_ORG),
        "partner member": lambda: _user(Role.MEMBER, org=PARTNER_ORG),
        "other member": lambda: _user(Role.MEMBER, org=OTHER_ORG),
        "member without organisation": lambda: _user(Role.MEMBER),
        "inactive member": lambda: _user(Role.MEMBER, active=False, org=OWN_ORG),
    }
    made: User | None = cast[who]()
    return made


def grid(
    columns: Sequence[str], table: Mapping[str, Sequence[bool | str | None]]
) -> pytest.MarkDecorator:
    """`pytest.mark.parametrize(("who", "column", "expected"), ...)` over a table whose rows
    are the cast's users and whose columns are objects or actions; every user has a row."""
    assert set(table) == set(USERS), f"rows missing: {set(USERS) - set(table)}"
    cases = [
        pytest.param(who, column, expected, id=f"{who}|{column}")
        for who, row in table.items()
        for column, expected in zip(columns, row, strict=True)
    ]
    return pytest.mark.parametrize(("who", "column", "expected"), cases)
