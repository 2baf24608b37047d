"""The import access rules at a glance: role × upload kind or owner × action → allowed."""

from __future__ import annotations

import pytest

from seriktes.accounts.models import Role, User
from seriktes.imports.models import ImportUpload
from seriktes.imports.policy import check_may_import, importable_kinds, may_import, may_see_upload
from seriktes.kit.errors import Forbidden, ValidationFailed

OWNER_ID = 7


def person(name: str) -> User:
    """A user of the table by its short name (never stored: the rules read fields only)."""
    role, region, org, active = {
        "admin": (Role.ADMIN, None, None, True),
        "inactive admin": (Role.ADMIN, None, None, False),
        "coordinator": (Role.COORDINATOR, 1, None, True),
        "coordinator without region": (Role.COORDINATOR, None, None, True),
        "member": (Role.MEMBER, None, 5, True),
        "member without organisation": (Role.MEMBER, None, None, True),
        "owner": (Role.MEMBER, None, 5, True),
    }[name]
    user_id = OWNER_ID if name == "owner" else 1
    return User(id=user_id, role=role, region_id=region, organisation_id=org, is_active=active)


#               orgs   needs  offers producers deals
UPLOADS = {
    "admin": (True, True, True, True, False),
    "inactive admin": (False, False, False, False, False),
    "coordinator": (True, True, True, True, False),
    "coordinator without region": (False, False, False, False, False),
    "member": (False, True, True, False, False),
    "member without organisation": (False, False, False, False, False),
}
KINDS = ("orgs", "needs", "offers", "producers", "deals")


@pytest.mark.parametrize(
    ("who", "kind", "allowed"),
    [
        (who, kind, allowed)
        for who, row in UPLOADS.items()
        for kind, allowed in zip(KINDS, row, strict=True)
    ],
)
def test_who_may_upload_which_kind(who: str, kind: str, allowed: bool) -> None:
    user = person(who)
    assert may_import(user, kind) is allowed
    assert (kind in importable_kinds(user)) is allowed


@pytest.mark.parametrize(
    ("who", "kind", "refusal"),
    [
        ("member", "orgs", "only administrators and regional coordinators import organisations"),
        ("member", "producers", "import registers of producers"),
        ("member without organisation", "needs", "your account may not import needs"),
        ("admin", "deals", "unknown import kind 'deals'"),
        ("admin", "plans", "unknown import kind 'plans'"),
    ],
)
def test_a_refused_kind_says_why(who: str, kind: str, refusal: str) -> None:
    error = ValidationFailed if "unknown" in refusal else Forbidden
    with pytest.raises(error, match=refusal):
        check_may_import(person(who), kind)


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("owner", True),  # the uploader sees, previews, confirms and discards their upload
        ("admin", True),
        ("inactive admin", False),
        ("coordinator", False),
        ("member", False),  # a member of the same organisation is not the uploader
    ],
)
def test_who_may_see_an_upload(who: str, allowed: bool) -> None:
    upload = ImportUpload(user_id=OWNER_ID, kind="needs", filename="n.csv", content=b"x")
    assert may_see_upload(person(who), upload) is allowed
