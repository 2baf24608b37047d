"""The change against the previous year, over comparable months only (pure).

A year's figure is compared with the year before over the same months of both years:
from January to the month of the year's last recorded date (the last confirmed deal or
delivery, or the report's date when that comes first). The previous year is comparable
only when the data cover those months of it: the records of the whole database begin in
or before its January. Otherwise there is no comparable period, and the reason says why;
never a percentage of a part of a year against a whole one.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from seriktes.analytics.compute import ZERO, Flow, change


@dataclass(frozen=True)
class Coverage:
    """What the data cover: the first and last dates of confirmed deals and deliveries."""

    first: date | None
    last: date | None

    @classmethod
    def of(cls, days: Iterable[date]) -> Coverage:
        """The span of `days` (empty data: no span)."""
        found = sorted(days)
        return cls(found[0], found[-1]) if found else cls(None, None)

    def within(self, year: int, on: date) -> tuple[date, date] | None:
        """The part of `year` the data cover up to the day `on`, None when there is none."""
        if self.first is None or self.last is None:
            return None
        start = max(self.first, date(year, 1, 1))
        end = min(self.last, on, date(year, 12, 31))
        return (start, end) if start <= end else None


class Reason(enum.StrEnum):
    """Why there is no change in percent."""

    NO_DATA_THIS_YEAR = "no_data_this_year"  # nothing recorded in the year up to the report
    PREVIOUS_NOT_COVERED = "previous_not_covered"  # the data begin after the previous January
    PREVIOUS_EMPTY = "previous_empty"  # covered, but no turnover then: no base for a percent


@dataclass(frozen=True)
class Comparison:
    """A year against the previous one over the months `first`–`last` of both."""

    year: int
    first: int | None  # the comparable months (1 = January); None without a period
    last: int | None
    now: Decimal  # the year's sum over those months
    before: Decimal  # the previous year's sum over the same months
    change: float | None  # 0.25 = +25 %; None with a reason
    reason: Reason | None
    coverage: Coverage

    @property
    def comparable(self) -> bool:
        """Whether a period of both years is compared (a change in percent may still lack a
        base: `Reason.PREVIOUS_EMPTY`)."""
        return self.first is not None and self.reason is not Reason.PREVIOUS_NOT_COVERED


def _sum(flows: Iterable[Flow], year: int, first: int, last: int) -> Decimal:
    return sum((f.amount for f in flows if f.on.year == year and first <= f.on.month <= last), ZERO)


def compare_years(flows: Iterable[Flow], year: int, coverage: Coverage, on: date) -> Comparison:
    """`year` against `year − 1` over the same months, as the module says."""
    flows = list(flows)
    span = coverage.within(year, on)
    if span is None:
        return Comparison(year, None, None, ZERO, ZERO, None, Reason.NO_DATA_THIS_YEAR, coverage)
    first, last = 1, span[1].month
    now = _sum(flows, year, first, last)
    begins = coverage.first
    if begins is None or (begins.year, begins.month) > (year - 1, first):
        missing = Reason.PREVIOUS_NOT_COVERED
        return Comparison(year, first, last, now, ZERO, None, missing, coverage)
    before = _sum(flows, year - 1, first, last)
    growth = change(now, before)
    reason = Reason.PREVIOUS_EMPTY if growth is None else None
    return Comparison(year, first, last, now, before, growth, reason, coverage)
