"""Cell parsers and the column map."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from seriktes.catalog.columns import NEED_COLUMNS
from seriktes.kit.importing import (
    CellError,
    ImportFailed,
    date_value,
    decimal_value,
    list_value,
    map_columns,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1,234.50", "1234.50"),
        ("12\u00a0500", "12500"),
        (42, "42"),
        (2.5, "2.5"),
        ("", None),
        (None, None),
    ],
)
def test_numbers_as_people_write_them(raw: object, expected: str | None) -> None:
    value = decimal_value(raw)  # type: ignore[arg-type]
    assert value == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize("raw", ["abc", "-5", "1,2,3"])
def test_bad_numbers_say_why(raw: str) -> None:
    with pytest.raises(CellError):
        decimal_value(raw)


@pytest.mark.parametrize(
    "raw",
    ["31.03.2027", "2027-03-31", "31/03/2027", datetime(2027, 3, 31, 10, 0), date(2027, 3, 31)],
)
def test_dates(raw: object) -> None:
    assert date_value(raw) == date(2027, 3, 31)  # type: ignore[arg-type]


def test_bad_date_names_the_expected_format() -> None:
    with pytest.raises(CellError, match=r"expected a date like 31\.03\.2026"):
        date_value("к весне")


def test_lists() -> None:
    assert list_value("KZ 7 590 01234; 102 0 00089\nA-1") == [
        "KZ 7 590 01234",
        "102 0 00089",
        "A-1",
    ]


def test_headers_match_in_russian_or_english_regardless_of_case_and_punctuation() -> None:
    mapping = map_columns(
        ["бин заказчика", "НАИМЕНОВАНИЕ", "Ед.изм", "Кол-во", "unit_price"], NEED_COLUMNS, "f.csv"
    )
    assert mapping == {"buyer_bin": 0, "title": 1, "unit": 2, "quantity": 3, "unit_price": 4}


def test_two_columns_meaning_the_same_field_are_refused() -> None:
    with pytest.raises(ImportFailed, match="«Количество»: repeats column «Кол-во»"):
        map_columns(["БИН", "Наименование", "Кол-во", "Количество"], NEED_COLUMNS, "f.csv")
