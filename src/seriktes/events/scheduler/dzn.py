"""Reading B2B instances in the MiniZinc data format of Bofill et al. (1-based in the file)."""

from __future__ import annotations

import re
from pathlib import Path

from seriktes.events.scheduler.problem import Meeting, Problem

_SCALAR = re.compile(r"(\w+)\s*=\s*(-?\d+)\s*;")
_ARRAY = re.compile(r"(\w+)\s*=\s*\[(.*?)\]\s*;", re.S)


class DznError(ValueError):
    """The file is not a B2B instance this reader understands."""


def _sets(body: str) -> list[set[int]]:
    return [
        {int(x) for x in part.split(",") if x.strip()} for part in re.findall(r"\{([^}]*)\}", body)
    ]


def parse_dzn(text: str, name: str = "") -> Problem:
    """Parse the text of a .dzn instance into a Problem with 0-based indices."""
    scalars = {key: int(value) for key, value in _SCALAR.findall(text)}
    arrays = dict(_ARRAY.findall(text))
    for key in ("nBusiness", "nMeetings", "nTables", "nTotalSlots", "nMorningSlots"):
        if key not in scalars:
            raise DznError(f"{name}: missing {key}")
    if "requested" not in arrays:
        raise DznError(f"{name}: missing requested")
    rows = [r for r in arrays["requested"].split("|") if r.strip()]
    triples = [[int(x) for x in row.replace(",", " ").split()] for row in rows]
    fixed = [int(x) for x in arrays.get("fixed", "").replace(",", " ").split()] or [0] * len(
        triples
    )
    meetings = [
        Meeting(a - 1, b - 1, session, fixed_slot=(f - 1) if f > 0 else None)
        for (a, b, session), f in zip(triples, fixed, strict=True)
    ]
    if len(meetings) != scalars["nMeetings"]:
        raise DznError(
            f"{name}: {len(meetings)} meetings listed, nMeetings = {scalars['nMeetings']}"
        )
    forbidden = [{s - 1 for s in group if s > 0} for group in _sets(arrays.get("forbidden", ""))]
    precedences = [
        (before - 1, after)
        for after, group in enumerate(_sets(arrays.get("precedences", "")))
        for before in group
        if before > 0
    ]
    return Problem(
        n_participants=scalars["nBusiness"],
        n_slots=scalars["nTotalSlots"],
        n_morning=scalars["nMorningSlots"],
        tables=scalars["nTables"],
        meetings=meetings,
        forbidden=forbidden or [set() for _ in range(scalars["nBusiness"])],
        precedences=precedences,
        name=name,
    )


def read_dzn(path: Path) -> Problem:
    """Read a .dzn file."""
    return parse_dzn(path.read_text(encoding="utf-8"), path.name)
