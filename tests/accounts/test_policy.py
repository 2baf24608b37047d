"""accounts.policy as tables: what each role may about users and organisations.

Rows are users (see tests.policykit: the object's organisation is in a district of HOME,
"coordinator" coordinates HOME, "member" belongs to the object's organisation), columns are
objects or actions, cells whether the rule allows it."""

from __future__ import annotations

from seriktes.accounts import policy
from seriktes.accounts.policy import DraftAccess
from seriktes.registry.models import Organisation
from tests.policykit import (
    HOME,
    OTHER,
    OTHER_ORG,
    OWN_ORG,
    PARTNER,
    PARTNER_ORG,
    grid,
    organisation,
    user,
)

T, F = True, False

USER_RULES = {
    "is admin": policy.is_admin,
    "reads all drafts": policy.can_read_all_drafts,
    "signed in": policy.signed_in,
    "reads contacts": policy.may_read_contacts,
    "reads representatives": policy.may_read_representatives,
}


@grid(
    tuple(USER_RULES),
    {
        #                               admin  drafts signed contacts representatives
        "anonymous": (F, F, F, F, F),
        "admin": (T, T, T, T, T),
        "inactive admin": (F, F, F, F, F),
        "coordinator": (F, T, T, T, T),
        "partner coordinator": (F, T, T, T, T),
        "other coordinator": (F, T, T, T, T),
        "coordinator without region": (F, T, T, T, T),
        "inactive coordinator": (F, F, F, F, F),
        "member": (F, F, T, T, T),
        "partner member": (F, F, T, T, T),
        "other member": (F, F, T, T, T),
        "member without organisation": (F, F, T, T, T),
        "inactive member": (F, F, F, F, F),
    },
)
def test_rules_about_the_user_alone(who: str, column: str, expected: bool) -> None:
    assert USER_RULES[column](user(who)) is expected


def _org(which: str) -> Organisation:
    if which == "no region":
        return Organisation(id=40, name_ru="ТОО «Без региона»", region_id=None, region=None)
    return organisation({"own": OWN_ORG, "partner": PARTNER_ORG, "other": OTHER_ORG}[which])


@grid(
    ("own", "partner", "other", "no region"),
    {
        "anonymous": (F, F, F, F),
        "admin": (T, T, T, T),
        "inactive admin": (F, F, F, F),
        "coordinator": (T, F, F, F),  # the organisation is in a district of their oblast
        "partner coordinator": (F, T, F, F),
        "other coordinator": (F, F, T, F),
        "coordinator without region": (F, F, F, F),
        "inactive coordinator": (F, F, F, F),
        "member": (T, F, F, F),
        "partner member": (F, T, F, F),
        "other member": (F, F, T, F),
        "member without organisation": (F, F, F, F),
        "inactive member": (F, F, F, F),
    },
)
def test_who_edits_an_organisation_and_adds_its_needs_and_offers(
    who: str, column: str, expected: bool
) -> None:
    org = _org(column)
    assert policy.can_edit_organisation(user(who), org) is expected
    assert policy.can_create_for(user(who), org) is expected


ACCESS = {
    "all": DraftAccess(all=True),
    "none": DraftAccess(),
    "own": DraftAccess(organisation_id=OWN_ORG),
    "partner": DraftAccess(organisation_id=PARTNER_ORG),
    "other": DraftAccess(organisation_id=OTHER_ORG),
}


@grid(
    ("drafts read",),
    {
        "anonymous": ("none",),
        "admin": ("all",),
        "inactive admin": ("none",),
        "coordinator": ("all",),
        "partner coordinator": ("all",),
        "other coordinator": ("all",),
        "coordinator without region": ("all",),
        "inactive coordinator": ("none",),
        "member": ("own",),
        "partner member": ("partner",),
        "other member": ("other",),
        "member without organisation": ("none",),
        "inactive member": ("none",),
    },
)
def test_whose_drafts_a_user_reads(who: str, column: str, expected: str) -> None:
    assert policy.draft_access(user(who)) == ACCESS[expected]


REGIONS = {"home": (HOME[:2],), "partner or other": (PARTNER[:2], OTHER[:2]), "none": ()}


@grid(
    tuple(REGIONS),
    {
        "anonymous": (F, F, F),
        "admin": (T, T, T),
        "inactive admin": (F, F, F),
        "coordinator": (T, F, F),
        "partner coordinator": (F, T, F),
        "other coordinator": (F, T, F),
        "coordinator without region": (F, F, F),
        "inactive coordinator": (F, F, F),
        "member": (F, F, F),
        "partner member": (F, F, F),
        "other member": (F, F, F),
        "member without organisation": (F, F, F),
        "inactive member": (F, F, F),
    },
)
def test_an_administrator_or_a_coordinator_of_these_regions(
    who: str, column: str, expected: bool
) -> None:
    assert policy.admin_or_coordinator_in(user(who), lambda: REGIONS[column]) is expected


def test_the_regions_are_read_only_for_an_active_coordinator_with_a_region() -> None:
    asked: list[str] = []

    def regions() -> tuple[str, ...]:
        asked.append("asked")
        return (HOME[:2],)

    for who in ("anonymous", "admin", "member", "inactive coordinator", "coordinator"):
        policy.admin_or_coordinator_in(user(who), regions)
    assert asked == ["asked"]
