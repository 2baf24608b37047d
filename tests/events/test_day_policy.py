"""The meeting days' rules in events.policy as a table: who records arrivals and reads the
funnel (the event's organisers), and whose outcome of a meeting a user may record (the side's
own organisation, or the organisers), and who may record it before the meeting's end."""

from __future__ import annotations

from seriktes.events import policy
from tests.events.test_policy import event, participant
from tests.policykit import OWN_ORG, PARTNER_ORG, grid, user

T, F = True, False
COLUMNS = (
    "records arrivals",
    "reads the funnel",
    "records own side (OWN_ORG)",
    "records partner side",
    "records before the end",
)


@grid(
    COLUMNS,
    {
        "anonymous": (F, F, F, F, F),
        "admin": (T, T, T, T, T),
        "inactive admin": (F, F, F, F, F),
        "coordinator": (T, T, T, T, T),  # of the host region
        "partner coordinator": (T, T, T, T, T),  # of the guest region
        "other coordinator": (F, F, F, F, F),
        "coordinator without region": (F, F, F, F, F),
        "inactive coordinator": (F, F, F, F, F),
        "member": (F, F, T, F, F),  # of OWN_ORG: its own side, once the meeting is over
        "partner member": (F, F, F, T, F),
        "other member": (F, F, F, F, F),
        "member without organisation": (F, F, F, F, F),
        "inactive member": (F, F, F, F, F),
    },
)
def test_who_records_the_meeting_day(who: str, column: str, expected: bool) -> None:
    day = event()
    reader = user(who)
    rule = {
        "records arrivals": lambda: policy.can_check_in(reader, day),
        "reads the funnel": lambda: policy.can_read_funnel(reader, day),
        "records own side (OWN_ORG)": lambda: policy.may_record_outcome(
            reader, participant(day, OWN_ORG)
        ),
        "records partner side": lambda: policy.may_record_outcome(
            reader, participant(day, PARTNER_ORG)
        ),
        "records before the end": lambda: policy.may_record_before_the_end(reader, day),
    }[column]
    assert rule() is expected
