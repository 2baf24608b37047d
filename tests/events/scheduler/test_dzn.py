"""Reading .dzn instances: the forms MiniZinc writes, and errors that name field and entry."""

from __future__ import annotations

import pytest

from seriktes.events.scheduler import DznError, parse_dzn
from tests.events.scheduler.test_schedule_cli import SMALL


def test_small_instance_is_read_with_zero_based_indices() -> None:
    problem = parse_dzn(SMALL, "small.dzn")
    assert (problem.n_participants, problem.n_slots, problem.n_morning, problem.tables) == (
        4,
        4,
        2,
        2,
    )
    assert [(m.a, m.b, m.session) for m in problem.meetings] == [
        (0, 2, 3),
        (0, 3, 3),
        (1, 2, 1),
        (1, 3, 2),
    ]
    assert [m.fixed_slot for m in problem.meetings] == [None, None, None, 2]
    assert problem.forbidden == [set(), {3}, set(), set()]
    assert problem.precedences == [(0, 1)]


def test_comments_and_array_wrappers_read_the_same() -> None:
    wrapped = "% an instance written by MiniZinc\n" + SMALL.replace(
        "fixed = [0, 0, 0, 3];", "fixed = array1d(1..4, [0, 0, 0, 3]); % fixed"
    ).replace(
        "requested = [| 1, 3, 3\n             | 1, 4, 3\n             | 2, 3, 1\n"
        "             | 2, 4, 2 |];",
        "requested = array2d(1..4, 1..3, [1, 3, 3, 1, 4, 3, 2, 3, 1, 2, 4, 2]);",
    )
    assert "array2d" in wrapped  # the replacement above found its text
    assert parse_dzn(wrapped, "w.dzn") == parse_dzn(SMALL, "w.dzn")


def test_missing_fixed_and_precedences_mean_none() -> None:
    plain = SMALL.replace("fixed = [0, 0, 0, 3];\n", "").replace(
        "precedences = [{}, {1}, {}, {}];\n", ""
    )
    problem = parse_dzn(plain)
    assert all(m.fixed_slot is None for m in problem.meetings)
    assert problem.precedences == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("nTables = 2;\n", "", "missing nTables"),
        ("nTables = 2;", "nTables = 0;", "nTables = 0 must be positive"),
        ("nMorningSlots = 2;", "nMorningSlots = 5;", "nMorningSlots = 5 exceeds nTotalSlots = 4"),
        ("nMeetings = 4;", "nMeetings = 5;", "4 meetings listed in requested, nMeetings = 5"),
        ("| 1, 4, 3", "| 1, 4", "requested, row 2: expected 3 numbers"),
        ("| 1, 4, 3", "| 1, x, 3", "requested, row 2: 'x' is not a whole number"),
        ("| 1, 4, 3", "| 1, 9, 3", "requested, meeting 2: participant 9 is not in 1..4"),
        ("| 1, 4, 3", "| 4, 4, 3", "requested, meeting 2: participant 4 cannot meet itself"),
        ("| 2, 3, 1", "| 2, 3, 7", "requested, meeting 3: session 7 is not 1"),
        ("fixed = [0, 0, 0, 3];", "fixed = [0, 0, 3];", "fixed has 3 entries, nMeetings = 4"),
        ("fixed = [0, 0, 0, 3];", "fixed = [0, 0, 0, 9];", "fixed, meeting 4: slot 9 is not in"),
        ("{4}, {}, {0}]", "{4}, {}]", "forbidden has 3 entries, nBusiness = 4"),
        ("{4}, {}, {0}]", "{4}, {6}, {0}]", "forbidden, entry 3: 6 is not in 0..4"),
        ("[{}, {1}, {}, {}]", "[{}, {1}, {5}, {}]", "precedences, entry 3: 5 is not in 0..4"),
        ("[{}, {1}, {}, {}]", "[{}, {2}, {}, {}]", "precedences, meeting 2: cannot precede"),
        ("fixed = [0, 0, 0, 3];", "fixed = 0, 0, 0, 3;", "fixed: expected a list"),
    ],
)
def test_malformed_instance_names_field_and_entry(old: str, new: str, message: str) -> None:
    assert old in SMALL
    with pytest.raises(DznError) as error:
        parse_dzn(SMALL.replace(old, new), "bad.dzn")
    assert str(error.value).startswith("bad.dzn: ")
    assert message in str(error.value)
