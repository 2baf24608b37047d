"""Kazakhstan BIN/IIN check-digit verification (the official two-pass mod-11 scheme)."""

from __future__ import annotations

from seriktes.kit.i18n import N_
from seriktes.kit.values import is_digits

_FIRST_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def check_digit(first11: str) -> int | None:
    """Return the check digit for 11 digits, or None when no valid digit exists."""
    digits = [int(ch) for ch in first11]
    value = sum(w * d for w, d in zip(_FIRST_WEIGHTS, digits, strict=True)) % 11
    if value == 10:
        value = sum(w * d for w, d in zip(_SECOND_WEIGHTS, digits, strict=True)) % 11
        if value == 10:
            return None
    return value


def bin_problem(value: str) -> str | None:
    """Return why `value` is not a valid BIN/IIN, or None when it is valid."""
    problem = bin_problem_template(value)
    return None if problem is None else problem[0] % problem[1]


def bin_problem_template(value: str) -> tuple[str, dict[str, object]] | None:
    """Why `value` is not a valid BIN/IIN as a translatable template and its fields."""
    if len(value) != 12 or not is_digits(value):
        return N_("BIN must be 12 digits, got %(value)s"), {"value": repr(value)}
    expected = check_digit(value[:11])
    if expected is None:
        return (
            N_("BIN %(bin)s is invalid: no check digit exists for its first 11 digits"),
            {"bin": value},
        )
    if expected != int(value[11]):
        return (
            N_(
                "BIN %(bin)s has a wrong check digit: the last digit should be %(expected)s, "
                "not %(given)s"
            ),
            {"bin": value, "expected": expected, "given": value[11]},
        )
    return None


def is_valid_bin(value: str) -> bool:
    """Return True when `value` is a 12-digit BIN/IIN with a correct check digit."""
    return bin_problem(value) is None


def complete_bin(first11: str) -> str | None:
    """Append the check digit to 11 digits; None if that prefix admits no valid BIN."""
    digit = check_digit(first11)
    return None if digit is None else f"{first11}{digit}"
