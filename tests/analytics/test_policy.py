"""analytics.policy as a table: the analytics are for active administrators and regional
coordinators (rows: the users of tests.policykit)."""

from __future__ import annotations

import pytest

from seriktes.analytics import policy
from seriktes.kit.errors import Forbidden
from tests.policykit import grid, user

T, F = True, False


@grid(
    ("reads the analytics",),
    {
        "anonymous": (F,),
        "admin": (T,),
        "inactive admin": (F,),
        "coordinator": (T,),
        "partner coordinator": (T,),
        "other coordinator": (T,),
        "coordinator without region": (T,),
        "inactive coordinator": (F,),
        "member": (F,),
        "partner member": (F,),
        "other member": (F,),
        "member without organisation": (F,),
        "inactive member": (F,),
    },
)
def test_who_reads_the_analytics(who: str, column: str, expected: bool) -> None:
    reader = user(who)
    assert policy.can_read_analytics(reader) is expected
    if reader is None:
        return  # the routes ask anonymous visitors to sign in first
    if expected:
        policy.check_analytics_reader(reader)
    else:
        with pytest.raises(Forbidden, match="coordinators and administrators"):
            policy.check_analytics_reader(reader)
