"""Strict reading of typed values: ids, codes and numbers in ASCII digits only, dates and
years within a sane range, currencies that have a reference rate.

Python's own parsers are lax: `int("٣")` is 3, `Decimal("1_000")` is 1000, `"²".isdigit()`
is true while `int("²")` raises. Everything a person or a file types goes through here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, get_args

from pydantic_core import PydanticCustomError

from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import ErrorItem, ValidationFailed
from seriktes.kit.i18n import N_

ASCII_DIGITS = re.compile(r"[0-9]+")
# a number as people type it: digits 0-9, one decimal point, an optional sign
PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
PLAIN_INTEGER = re.compile(r"[+-]?[0-9]+")
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2199, 12, 31)
FIRST_YEAR, LAST_YEAR = 2000, 2100
# the ISO 4217 codes of `agreements.rates.RATES_TO_KZT` (a test keeps them equal)
CURRENCIES = ("KZT", "RUB", "USD", "EUR", "CNY", "KGS", "UZS", "BYN")
# the number fields of needs and offers
NUMBERS = ("quantity", "unit_price", "capacity_per_year", "price")


def is_digits(value: str) -> bool:
    """True when `value` is one or more ASCII digits 0-9 (not «²», not «٣»)."""
    return ASCII_DIGITS.fullmatch(value) is not None


def parse_id(value: object) -> int | None:
    """A row id typed in a form: ASCII digits between 1 and the largest id; None otherwise."""
    text = value.strip() if isinstance(value, str) else ""
    if not is_digits(text) or len(text) > len(str(MAX_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


def plain_number(value: Any) -> Any:
    """Refuse a number given as text unless it is plain digits 0-9 with a decimal point."""
    if isinstance(value, str) and PLAIN_NUMBER.fullmatch(value.strip()) is None:
        raise PydanticCustomError("decimal_parsing", "Input should be a number in digits 0-9")
    return value


def plain_integer(value: Any) -> Any:
    """Refuse an integer given as text unless it is digits 0-9 (not «1_000», «٣», «²»)."""
    if isinstance(value, str) and PLAIN_INTEGER.fullmatch(value.strip()) is None:
        raise PydanticCustomError("int_parsing", "Input should be an integer in digits 0-9")
    return value


def takes_int(annotation: object) -> bool:
    """True when a field annotated so holds an integer (int, int | None, list[int])."""
    if annotation is int:
        return True
    return any(takes_int(arg) for arg in get_args(annotation))


def sane_day(value: date | None) -> date | None:
    """Refuse a day outside FIRST_DAY .. LAST_DAY (0001-01-01, 9999-12-31)."""
    if value is not None and not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError(
            "date_range",
            "Date should be between {first} and {last}",
            {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )
    return value


def known_currency(value: str) -> str:
    """Refuse a currency without a reference rate (XXX, ZZZ)."""
    if value not in CURRENCIES:
        raise PydanticCustomError(
            "currency_unknown",
            "Currency should be one of {known}",
            {"known": ", ".join(CURRENCIES)},
        )
    return value


def check_year(year: int | None) -> int | None:
    """Refuse a year outside FIRST_YEAR .. LAST_YEAR (0, 99999): a located ValidationFailed."""
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        detail = N_("year must be between %(first)s and %(last)s, got %(year)s")
        params = {"first": FIRST_YEAR, "last": LAST_YEAR, "year": year}
        raise ValidationFailed(detail, [ErrorItem(("query", "year"), detail, params)], params)
    return year
