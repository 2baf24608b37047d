"""KATO codes, the classifier of Kazakhstan's administrative units: nine digits whose first
two name the top-level region (an oblast or a city of republican significance) a unit lies
in. One spelling of "the oblast of a code", in Python and in SQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy.sql.elements import ColumnElement

LENGTH = 9  # digits of a full code
OBLAST_DIGITS = 2  # leading digits that name the top-level region


def padded(code: str) -> str:
    """The full code of a short one: «63» → «630000000» (a full code is itself)."""
    return code.ljust(LENGTH, "0")


def oblast_of(code: str) -> str:
    """The two digits naming the top-level region of a code: «631010000» → «63»."""
    return code[:OBLAST_DIGITS]


def oblast_kato(code: str) -> str:
    """The full code of the top-level region a unit lies in: «631010000» → «630000000»."""
    return padded(oblast_of(code))


def oblast_sql(column: Any) -> ColumnElement[str]:
    """`oblast_of` in SQL, for a KATO code column (`Region.kato` or an alias's)."""
    return func.substr(column, 1, OBLAST_DIGITS)
