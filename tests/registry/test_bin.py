"""BIN/IIN check digits."""

from __future__ import annotations

import pytest

from seriktes.registry.bin import bin_problem, check_digit, complete_bin, is_valid_bin

# BINs of real organisations, from goszakup plans and the registry of domestic producers
REAL_BINS = ["100240018397", "370340000015", "110440012951"]


@pytest.mark.parametrize("value", REAL_BINS)
def test_real_bins_are_valid(value: str) -> None:
    assert is_valid_bin(value)


@pytest.mark.parametrize("value", REAL_BINS)
def test_any_other_last_digit_is_refused_with_the_right_digit_named(value: str) -> None:
    for digit in "0123456789":
        if digit == value[11]:
            continue
        problem = bin_problem(value[:11] + digit)
        assert problem is not None
        assert f"should be {value[11]}" in problem


def test_second_weights_are_used_when_the_first_pass_gives_ten() -> None:
    # find an 11-digit prefix whose first pass sums to 10 mod 11
    prefix = next(
        f"{n:011d}"
        for n in range(10**10, 10**10 + 5000)
        if sum((i + 1) * int(d) for i, d in enumerate(f"{n:011d}")) % 11 == 10
    )
    digit = check_digit(prefix)
    weights = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
    second = sum(w * int(d) for w, d in zip(weights, prefix, strict=True)) % 11
    assert digit == (None if second == 10 else second)


@pytest.mark.parametrize("value", ["12345", "1002400183970", "10024001839A", ""])
def test_malformed_values_are_refused(value: str) -> None:
    assert bin_problem(value) == f"BIN must be 12 digits, got {value!r}"


def test_complete_bin_produces_valid_bins() -> None:
    made = [complete_bin(f"2403400{n:04d}") for n in range(200)]
    assert all(is_valid_bin(b) for b in made if b)
    assert sum(b is None for b in made) < 40
