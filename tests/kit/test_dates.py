"""Dates as Russian, Kazakh and English readers write them (`kit.dates`)."""

from __future__ import annotations

from datetime import date

import pytest

from seriktes.kit.dates import (
    excel_format,
    long_date,
    month_name,
    month_of_year,
    month_span,
    short_date,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("day", "lang", "expected"),
    [
        (date(2026, 12, 1), "ru", f"1 декабря 2026{NBSP}г."),
        (date(2026, 3, 8), "ru", f"8 марта 2026{NBSP}г."),
        (date(2026, 5, 31), "ru", f"31 мая 2026{NBSP}г."),
        (date(2026, 12, 1), "kk", "2026 жылғы 1 желтоқсан"),
        (date(2025, 4, 15), "kk", "2025 жылғы 15 сәуір"),
        (date(2026, 9, 1), "kk", "2026 жылғы 1 қыркүйек"),
        (date(2026, 12, 1), "en", "1 December 2026"),
        (date(2026, 12, 1), "de", f"1 декабря 2026{NBSP}г."),  # unknown: Russian
    ],
)
def test_a_date_in_prose(day: date, lang: str, expected: str) -> None:
    assert long_date(day, lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"), [("ru", "01.12.2026"), ("kk", "01.12.2026"), ("en", "1 Dec 2026")]
)
def test_a_date_in_a_table(lang: str, expected: str) -> None:
    assert short_date(date(2026, 12, 1), lang) == expected


def test_month_names_alone_are_nominative() -> None:
    assert [month_name(m, "ru") for m in (1, 5, 11)] == ["январь", "май", "ноябрь"]
    assert [month_name(m, "kk") for m in (1, 2, 12)] == ["қаңтар", "ақпан", "желтоқсан"]
    assert month_name(7, "en") == "July"
    with pytest.raises(ValueError, match="month 13"):
        month_name(13, "ru")


def test_a_month_of_a_year() -> None:
    assert month_of_year(2026, 1, "ru") == f"январь 2026{NBSP}г."
    assert month_of_year(2026, 1, "kk") == "2026 жылғы қаңтар"
    assert month_of_year(2026, 1, "en") == "January 2026"


def test_a_span_of_months() -> None:
    assert month_span(2026, 1, 11, "ru") == f"январь–ноябрь 2026{NBSP}г."
    assert month_span(2025, 1, 11, "kk") == "2025 жылғы қаңтар–қараша"
    assert month_span(2025, 1, 11, "en") == "January–November 2025"
    assert month_span(2025, 3, 3, "en") == "March 2025"
    with pytest.raises(ValueError, match="backwards"):
        month_span(2025, 5, 3, "en")


def test_workbook_date_formats() -> None:
    assert excel_format("ru") == "DD.MM.YYYY"
    assert excel_format("kk") == "DD.MM.YYYY"
    assert excel_format("en") == "D MMM YYYY"
