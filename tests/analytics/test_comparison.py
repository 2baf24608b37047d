"""The change on the previous year over comparable months only, and how the report says it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from seriktes.analytics.comparison import Coverage, Reason, compare_years
from seriktes.analytics.compute import Flow
from seriktes.analytics.method import comparison_note
from seriktes.analytics.report import pair_report
from tests.analytics.builders import PAVLODAR, SKO, VKO, deal, org, pair_world

M = 1_000_000
NBSP = "\u00a0"


def flow(day: date, millions: int) -> Flow:
    return Flow(day, SKO, VKO, None, Decimal(millions * M))


FLOWS = [
    flow(date(2025, 2, 1), 4),
    flow(date(2025, 12, 20), 50),  # outside January–November: never compared
    flow(date(2026, 3, 1), 6),
    flow(date(2026, 11, 10), 4),
]


def test_the_same_months_of_both_years() -> None:
    coverage = Coverage(date(2025, 1, 10), date(2026, 11, 10))
    found = compare_years(FLOWS, 2026, coverage, date(2026, 12, 5))
    assert (found.first, found.last) == (1, 11)
    assert (found.now, found.before) == (Decimal(10 * M), Decimal(4 * M))
    assert found.change == pytest.approx(1.5) and found.reason is None
    assert comparison_note("en", found) == (
        "+150%: January–November 2026 (10.0 M KZT) against January–November 2025 (4.0 M KZT)"
    )


def test_the_report_date_ends_the_period_before_later_records() -> None:
    coverage = Coverage(date(2024, 3, 1), date(2026, 11, 10))
    found = compare_years(FLOWS, 2026, coverage, date(2026, 3, 15))
    assert (found.first, found.last) == (1, 3)
    assert (found.now, found.before) == (Decimal(6 * M), Decimal(4 * M))


def test_a_previous_year_recorded_only_in_part_is_not_compared() -> None:
    coverage = Coverage(date(2025, 11, 20), date(2026, 11, 10))
    found = compare_years(FLOWS, 2026, coverage, date(2026, 12, 1))
    assert found.reason is Reason.PREVIOUS_NOT_COVERED and found.change is None
    assert not found.comparable
    assert comparison_note("ru", found) == (
        f"Нет сопоставимого периода: данные начинаются с 20 ноября 2025{NBSP}г., "
        f"период «январь–ноябрь 2025{NBSP}г.» ими не покрыт."
    )
    assert comparison_note("kk", found) == (
        "Салыстырмалы кезең жоқ: деректердің басталу күні — 2025 жылғы 20 қараша, "
        "сондықтан «2025 жылғы қаңтар–қараша» кезеңі қамтылмаған."
    )
    assert comparison_note("en", found) == (
        "No comparable period: the data begin on 20 November 2025, "
        "so January–November 2025 is not covered."
    )


def test_a_year_without_records_and_a_previous_year_without_turnover() -> None:
    empty = compare_years(
        [], 2027, Coverage(date(2025, 1, 1), date(2026, 11, 10)), date(2027, 2, 1)
    )
    assert empty.reason is Reason.NO_DATA_THIS_YEAR and empty.first is None
    assert "%" not in comparison_note("ru", empty)
    coverage = Coverage(date(2024, 1, 1), date(2026, 11, 10))
    nothing_before = compare_years(FLOWS[2:], 2026, coverage, date(2026, 12, 1))
    assert nothing_before.reason is Reason.PREVIOUS_EMPTY and nothing_before.comparable
    assert comparison_note("en", nothing_before) == (
        "No change in percent: no turnover in January–November 2025 to compare "
        "January–November 2026 with."
    )


def test_no_data_at_all() -> None:
    found = compare_years([], 2026, Coverage.of([]), date(2026, 12, 1))
    assert found.reason is Reason.NO_DATA_THIS_YEAR


def test_the_report_compares_only_the_months_the_data_cover(db_session: Session) -> None:
    """pair_world's 2026 runs from January to May; a deal of another pair in January 2025
    makes the data cover January–May 2025, where the pair had one 4 M deal (its June 2025
    deal is outside the comparable months)."""
    pair_world(db_session)
    report = pair_report(db_session, "ВКО", SKO, "ru", None, Path("/absent"), date(2026, 11, 27))
    assert report.comparison.reason is Reason.PREVIOUS_NOT_COVERED
    other = org(db_session, PAVLODAR, None)
    deal(db_session, other, other, date(2025, 1, 15), 1 * M)
    supplier = org(db_session, SKO, None)
    vko_buyer = org(db_session, VKO, None)
    deal(db_session, vko_buyer, supplier, date(2025, 2, 10), 4 * M)
    report = pair_report(db_session, "ВКО", SKO, "ru", None, Path("/absent"), date(2026, 11, 27))
    found = report.comparison
    assert (found.first, found.last, found.now, found.before) == (1, 5, 13 * M, 4 * M)
    turnover = next(item for item in report.headlines if item.key == "turnover")
    assert turnover.note == (
        f"+225{chr(0x202F)}%: январь–май 2026{NBSP}г. (13,0 млн ₸) "
        f"к периоду «январь–май 2025{NBSP}г.» (4,0 млн ₸)"
    )
