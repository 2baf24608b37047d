"""Reading B2B instances in the MiniZinc data format of Bofill et al. (1-based in the file).

Every value is checked against the instance's sizes, so a malformed file fails here with a
message naming the field, the entry and what is wrong, never later inside the solver.
"""

from __future__ import annotations

import re
from collections.abc import Sized
from pathlib import Path

from seriktes.events.scheduler.problem import Meeting, Problem

_COMMENT = re.compile(r"%[^\n]*")
_SCALAR = re.compile(r"(\w+)\s*=\s*(-?\d+)\s*;")
_ASSIGNMENT = re.compile(r"(\w+)\s*=\s*(.*?);", re.S)
# `array1d(1..n, [...])` and `array2d(1..n, 1..3, [...])` wrap a plain list
_WRAPPED = re.compile(r"array\dd\s*\((?:[^,\[]*,)*\s*(\[.*\])\s*\)\s*$", re.S)
_SIZES = ("nBusiness", "nMeetings", "nTables", "nTotalSlots", "nMorningSlots")


class DznError(ValueError):
    """The file is not a B2B instance this reader understands."""


def parse_dzn(text: str, name: str = "") -> Problem:
    """Parse the text of a .dzn instance into a Problem with 0-based indices."""
    text = _COMMENT.sub("", text)
    where = f"{name}: " if name else ""
    scalars = {key: int(value) for key, value in _SCALAR.findall(text)}
    arrays = {key: _unwrap(body) for key, body in _ASSIGNMENT.findall(text) if key not in scalars}
    _check_sizes(scalars, where)
    n_business, n_meetings, n_slots = (
        scalars[k] for k in ("nBusiness", "nMeetings", "nTotalSlots")
    )
    if "requested" not in arrays:
        raise DznError(f"{where}missing requested")
    triples = _requested(arrays["requested"], where)
    if len(triples) != n_meetings:
        raise DznError(
            f"{where}{len(triples)} meetings listed in requested, nMeetings = {n_meetings}"
        )
    fixed = _numbers(arrays["fixed"], where, "fixed") if "fixed" in arrays else [0] * n_meetings
    _check_length(fixed, n_meetings, where, "fixed", "nMeetings")
    meetings = [
        _meeting(number, triple, slot, where, n_business, n_slots)
        for number, (triple, slot) in enumerate(zip(triples, fixed, strict=True), start=1)
    ]
    forbidden = _groups(arrays, "forbidden", where, n_business, "nBusiness", n_slots)
    groups = _groups(arrays, "precedences", where, n_meetings, "nMeetings", n_meetings)
    precedences: list[tuple[int, int]] = []
    for after, group in enumerate(groups):
        if after + 1 in group:
            raise DznError(f"{where}precedences, meeting {after + 1}: cannot precede itself")
        precedences.extend((before - 1, after) for before in sorted(group))
    return Problem(
        n_participants=n_business,
        n_slots=n_slots,
        n_morning=scalars["nMorningSlots"],
        tables=scalars["nTables"],
        meetings=meetings,
        forbidden=[{s - 1 for s in group} for group in forbidden],
        precedences=precedences,
        name=name,
    )


def read_dzn(path: Path) -> Problem:
    """Read a .dzn file."""
    return parse_dzn(path.read_text(encoding="utf-8"), path.name)


def _check_sizes(scalars: dict[str, int], where: str) -> None:
    for key in _SIZES:
        if key not in scalars:
            raise DznError(f"{where}missing {key}")
        if scalars[key] < (0 if key == "nMorningSlots" else 1):
            raise DznError(f"{where}{key} = {scalars[key]} must be positive")
    if scalars["nMorningSlots"] > scalars["nTotalSlots"]:
        raise DznError(
            f"{where}nMorningSlots = {scalars['nMorningSlots']} exceeds "
            f"nTotalSlots = {scalars['nTotalSlots']}"
        )


def _meeting(
    number: int, triple: tuple[int, int, int], slot: int, where: str, n_business: int, n_slots: int
) -> Meeting:
    """Meeting `number` (1-based) of the file, checked against the instance's sizes."""
    a, b, session = triple
    entry = f"{where}requested, meeting {number}"
    for person in (a, b):
        if not 1 <= person <= n_business:
            raise DznError(f"{entry}: participant {person} is not in 1..{n_business}")
    if a == b:
        raise DznError(f"{entry}: participant {a} cannot meet itself")
    if session not in (1, 2, 3):
        raise DznError(f"{entry}: session {session} is not 1 (morning), 2 (afternoon) or 3")
    if not 0 <= slot <= n_slots:
        raise DznError(f"{where}fixed, meeting {number}: slot {slot} is not in 0..{n_slots}")
    return Meeting(a - 1, b - 1, session, fixed_slot=slot - 1 if slot > 0 else None)


def _unwrap(body: str) -> str:
    body = body.strip()
    wrapped = _WRAPPED.match(body)
    return wrapped.group(1) if wrapped else body


def _integer(token: str, where: str, field: str) -> int:
    try:
        return int(token)
    except ValueError:
        raise DznError(f"{where}{field}: {token!r} is not a whole number") from None


def _integers(text: str, where: str, field: str) -> list[int]:
    """The integers of `text`, separated by commas or spaces; `field` names where they are."""
    return [_integer(token, where, field) for token in text.replace(",", " ").split()]


def _numbers(body: str, where: str, field: str) -> list[int]:
    """The integers of a flat list `[1, 2, 3]`."""
    inner = body.strip()
    if not (inner.startswith("[") and inner.endswith("]")):
        raise DznError(f"{where}{field}: expected a list in square brackets")
    return _integers(inner[1:-1], where, field)


def _requested(body: str, where: str) -> list[tuple[int, int, int]]:
    """Meetings as (a, b, session): rows of `[| a, b, s | ... |]` or a flat list of triples."""
    inner = body.strip()
    if inner.startswith("[|"):
        rows = [row for row in inner.strip("[]").split("|") if row.strip()]
        triples = []
        for number, row in enumerate(rows, start=1):
            values = _integers(row, where, f"requested, row {number}")
            if len(values) != 3:
                raise DznError(
                    f"{where}requested, row {number}: expected 3 numbers "
                    f"(participant, participant, session), found {len(values)}"
                )
            triples.append((values[0], values[1], values[2]))
        return triples
    flat = _numbers(inner, where, "requested")
    if len(flat) % 3:
        raise DznError(f"{where}requested: {len(flat)} numbers, not a multiple of 3")
    return [(flat[k], flat[k + 1], flat[k + 2]) for k in range(0, len(flat), 3)]


def _groups(
    arrays: dict[str, str], field: str, where: str, count: int, size: str, top: int
) -> list[set[int]]:
    """A list of `count` sets `[{1, 2}, {}, ...]` of numbers in 1..top (0 ignored); each set
    empty when the field is absent."""
    if field not in arrays:
        return [set() for _ in range(count)]
    body = arrays[field].strip()
    if not (body.startswith("[") and body.endswith("]")):
        raise DznError(f"{where}{field}: expected a list of sets in square brackets")
    parts = re.findall(r"\{([^}]*)\}", body)
    groups = []
    for number, part in enumerate(parts, start=1):
        values = set(_integers(part, where, f"{field}, entry {number}"))
        wrong = sorted(v for v in values if not 0 <= v <= top)
        if wrong:
            raise DznError(f"{where}{field}, entry {number}: {wrong[0]} is not in 0..{top}")
        groups.append(values - {0})
    _check_length(groups, count, where, field, size)
    return groups


def _check_length(values: Sized, count: int, where: str, field: str, size: str) -> None:
    if len(values) != count:
        raise DznError(f"{where}{field} has {len(values)} entries, {size} = {count}")
