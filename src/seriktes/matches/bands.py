"""The band of a stored match (strong, possible, weak) and why the rules let it through.

The engine stores both in the explanation (`band`, `verdict`). Rows stored before bands
existed have neither: they are banded by their score with the engine's own limits. Pages and
the API show strong and possible matches and keep weak ones behind "show weaker matches";
`band_of` is the rule in Python, `shown_condition` the same rule in SQL (for counts and limits).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, Protocol, TypeVar

from sqlalchemy import ColumnElement, and_, func, or_

from seriktes.matches.models import Match
from seriktes.matching.precision import BANDS, POSSIBLE, STRONG, WEAK, BandLimits

__all__ = ["BANDS", "POSSIBLE", "SHOWN", "STRONG", "WEAK", "Band", "band_of", "shown_condition"]

Band = Literal["strong", "possible", "weak"]
_NAMED: dict[str, Band] = {"strong": "strong", "possible": "possible", "weak": "weak"}
assert set(_NAMED) == set(BANDS), "the engine's bands changed"
SHOWN = (STRONG, POSSIBLE)
_LIMITS = BandLimits()


def band_of(explanation: Mapping[str, Any] | None, score: float) -> Band:
    """The band of a stored match: as the engine stored it, else (rows stored before bands)
    strong from a score of 0.55, possible from 0.40, weak below."""
    stored = (explanation or {}).get("band")
    if isinstance(stored, str) and stored in _NAMED:
        return _NAMED[stored]
    if score >= _LIMITS.strong:
        return "strong"
    return "possible" if score >= _LIMITS.possible else "weak"


def verdict_of(explanation: Mapping[str, Any] | None) -> str:
    """Why the precision rules let the match through, as the engine said it ("" if unknown)."""
    return str((explanation or {}).get("verdict") or "")


def shown_condition() -> ColumnElement[bool]:
    """SQL condition: the stored match is strong or possible (`band_of` in SQL); never NULL,
    so that its negation selects the weak ones."""
    band = func.coalesce(Match.explanation["band"].as_string(), "")
    return or_(band.in_(SHOWN), and_(band.not_in(BANDS), Match.score >= _LIMITS.possible))


class _Stored(Protocol):
    @property
    def explanation(self) -> dict[str, Any]: ...

    @property
    def score(self) -> float: ...


M = TypeVar("M", bound=_Stored)


def split_weak(matches: Iterable[M]) -> tuple[list[M], list[M]]:
    """The shown (strong or possible) and the weak matches, each in the given order."""
    shown: list[M] = []
    weak: list[M] = []
    for match in matches:
        (weak if band_of(match.explanation, match.score) == WEAK else shown).append(match)
    return shown, weak
