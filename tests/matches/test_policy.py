"""matches.policy as a table: the buyer's side judges a need's matches; those who read every
draft read the answers too (rows: the users of tests.policykit; "own" is a need of the
member's organisation, in a district of the coordinator's region, "other's" a need of
OTHER_ORG, in the other coordinator's region)."""

from __future__ import annotations

from seriktes.catalog.models import Need, NeedStatus
from seriktes.matches import policy
from tests.policykit import OTHER_ORG, OWN_ORG, grid, organisation, user

T, F = True, False

ACTIONS = {
    "judges own": (policy.can_judge_matches, OWN_ORG),
    "judges other's": (policy.can_judge_matches, OTHER_ORG),
    "reads answers of own": (policy.can_read_feedback, OWN_ORG),
    "reads answers of other's": (policy.can_read_feedback, OTHER_ORG),
}


@grid(
    tuple(ACTIONS),
    {
        #                         judges own, other's; reads own, other's
        "anonymous": (F, F, F, F),
        "admin": (T, T, T, T),
        "inactive admin": (F, F, F, F),
        "coordinator": (T, F, T, T),
        "partner coordinator": (F, F, T, T),
        "other coordinator": (F, T, T, T),
        "coordinator without region": (F, F, T, T),
        "inactive coordinator": (F, F, F, F),
        "member": (T, F, T, F),
        "partner member": (F, F, F, F),
        "other member": (F, T, F, T),
        "member without organisation": (F, F, F, F),
        "inactive member": (F, F, F, F),
    },
)
def test_who_judges_a_need_s_matches_and_reads_the_answers(
    who: str, column: str, expected: bool
) -> None:
    rule, buyer = ACTIONS[column]
    buyer_org = organisation(buyer)
    need = Need(buyer_id=buyer, buyer=buyer_org, status=NeedStatus.PUBLISHED)
    assert rule(user(who), need) is expected
