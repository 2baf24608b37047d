"""Currency rates to KZT used when a deal does not state its own rate.

These are fixed reference rates (KZT per unit, rounded averages of the National Bank of
Kazakhstan's 2026 rates), stated here so that every converted amount can be recomputed; a deal
that gives `rate_to_kzt` keeps its own.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from seriktes.kit.errors import ErrorItem, ValidationFailed
from seriktes.kit.i18n import N_

MAX_AMOUNT = Decimal(10**15)  # a thousand trillion: no contract amount is above it, in any unit

RATES_TO_KZT: dict[str, Decimal] = {
    "KZT": Decimal(1),
    "RUB": Decimal("6.10"),
    "USD": Decimal("505.00"),
    "EUR": Decimal("560.00"),
    "CNY": Decimal("70.00"),
    "KGS": Decimal("5.80"),
    "UZS": Decimal("0.040"),
    "BYN": Decimal("155.00"),
}
CENT = Decimal("0.01")


def rate_for(currency: str, given: Decimal | None = None) -> Decimal:
    """The rate to use: the given one, or the reference rate of `currency`."""
    if given is not None:
        if given <= 0:
            raise ValidationFailed(
                N_("a rate must be positive"), [ErrorItem(("rate_to_kzt",), N_("≤ 0"))]
            )
        return given
    try:
        return RATES_TO_KZT[currency.upper()]
    except KeyError:
        known = ", ".join(sorted(RATES_TO_KZT))
        detail = N_("no reference rate for %(currency)s; give rate_to_kzt or use one of %(known)s")
        params = {"currency": repr(currency), "known": known}
        raise ValidationFailed(detail, [ErrorItem(("currency",), detail, params)], params) from None


def to_kzt(amount: Decimal, rate: Decimal) -> Decimal:
    """`amount` × `rate`, rounded to tiyn."""
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def checked_kzt(amount: Decimal, rate: Decimal, loc: tuple[str | int, ...]) -> Decimal:
    """`amount` × `rate` in KZT; a located error when the amount is not above 0 or the
    product is above `MAX_AMOUNT` (or too large to compute at all)."""
    if amount <= 0:
        detail = N_("the amount must be above 0")
        raise ValidationFailed(detail, [ErrorItem(loc, detail)])
    try:
        value = to_kzt(amount, rate)
    except InvalidOperation:
        value = None
    if value is None or value > MAX_AMOUNT:
        detail = N_("the amount in KZT may not exceed %(limit)s")
        params = {"limit": f"{MAX_AMOUNT:,.0f}".replace(",", " ")}
        raise ValidationFailed(detail, [ErrorItem(loc, detail, params)], params)
    return value
