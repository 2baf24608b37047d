"""A commitment's progress, computed from its deals, deliveries and reports — never typed in.

Rules (shown on the memorandum page, see `RULES`):

- only confirmed deals count (see `agreements.confirmation`): a deal awaiting confirmation
  or disputed adds nothing;
- value, by KPI, counting only what is dated on or before the day of the computation:
  - turnover_kzt: for every confirmed linked deal that is not cancelled, the KZT amount of its
    deliveries when it has delivered amounts, otherwise its contract amount in KZT;
  - contracts_count: the number of confirmed linked deals that are not cancelled;
  - supply_volume: the quantities delivered under linked deals, converted to the
    commitment's unit (a delivery without its own unit is in its deal's unit; quantities
    in units of another kind, e.g. pieces for a target in tonnes, are left out);
  - investment_kzt, jobs, events_held: the sum of the progress reports;
- status:
  - achieved when value ≥ target;
  - overdue when the deadline has passed and the target is not achieved;
  - at risk when value < target × elapsed share of (start → deadline) × 0.8;
  - on track otherwise.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from seriktes.agreements.models import Commitment, Confirmation, Deal, DealStatus, KpiKind
from seriktes.registry.facts import UNIT_TO_BASE, UNITS

AT_RISK_FACTOR = Decimal("0.8")
UNIT_KIND = {unit.code: unit.kind for unit in UNITS}

RULES = {
    KpiKind.TURNOVER_KZT: (
        "sum over confirmed linked deals (not cancelled): delivered amounts in KZT, "
        "or the contract amount in KZT while nothing is delivered"
    ),
    KpiKind.CONTRACTS_COUNT: "number of confirmed linked deals (not cancelled)",
    KpiKind.SUPPLY_VOLUME: (
        "quantity delivered under confirmed linked deals, converted to the commitment's unit"
    ),
    KpiKind.INVESTMENT_KZT: "sum of progress reports",
    KpiKind.JOBS: "sum of progress reports",
    KpiKind.EVENTS_HELD: "sum of progress reports",
}
STATUS_RULE = (
    "achieved: value ≥ target; overdue: deadline passed and not achieved; "
    "at risk: value < target × elapsed share of (start → deadline) × 0.8; on track otherwise"
)


class Status(enum.StrEnum):
    """Where a commitment stands."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Progress:
    """A commitment's computed value and status on a day."""

    value: Decimal
    target: Decimal
    expected: Decimal  # target × elapsed share: where a steady pace would be today
    elapsed: Decimal  # share of (start → deadline) gone, 0 to 1
    status: Status
    counted_deals: int
    left_out: int  # deliveries whose unit could not be converted

    @property
    def share(self) -> float:
        """value / target, 0 to 1 for the progress bar (1 when the target is 0)."""
        if self.target <= 0:
            return 1.0
        return float(min(Decimal(1), max(Decimal(0), self.value / self.target)))

    @property
    def percent(self) -> int:
        """value / target in whole percent, uncapped."""
        if self.target <= 0:
            return 100
        return int(self.value * 100 / self.target)


def elapsed_share(start: date, deadline: date, today: date) -> Decimal:
    """Share of the time from start to deadline gone by `today`, clamped to [0, 1]."""
    if today >= deadline:
        return Decimal(1)
    if today <= start:
        return Decimal(0)
    return Decimal((today - start).days) / Decimal((deadline - start).days)


def status_of(value: Decimal, target: Decimal, start: date, deadline: date, today: date) -> Status:
    """The status rule (see the module docstring)."""
    if value >= target:
        return Status.ACHIEVED
    if today > deadline:
        return Status.OVERDUE
    if value < target * elapsed_share(start, deadline, today) * AT_RISK_FACTOR:
        return Status.AT_RISK
    return Status.ON_TRACK


def convert(quantity: Decimal, from_unit: str | None, to_unit: str | None) -> Decimal | None:
    """`quantity` in `from_unit` expressed in `to_unit`; None when they do not convert."""
    if from_unit is None or to_unit is None:
        return None
    if from_unit == to_unit:
        return quantity
    kind = UNIT_KIND.get(from_unit)
    if kind is None or kind != UNIT_KIND.get(to_unit):
        return None
    if from_unit not in UNIT_TO_BASE or to_unit not in UNIT_TO_BASE:
        return None
    factor = Decimal(str(UNIT_TO_BASE[from_unit])) / Decimal(str(UNIT_TO_BASE[to_unit]))
    return quantity * factor


def counted_deals(commitment: Commitment, today: date) -> list[Deal]:
    """The linked deals that count: confirmed, not cancelled, signed on or before `today`."""
    return [
        deal
        for deal in commitment.deals
        if deal.confirmation is Confirmation.CONFIRMED
        and deal.status is not DealStatus.CANCELLED
        and deal.signed_on <= today
    ]


def deal_turnover(deal: Deal, today: date) -> Decimal:
    """A deal's turnover: delivered KZT amounts when there are any, else the contract amount."""
    delivered = [
        d.amount_kzt
        for d in deal.deliveries
        if d.amount_kzt is not None and d.delivered_on <= today
    ]
    return sum(delivered, Decimal(0)) if delivered else Decimal(deal.amount_kzt)


def _supply(commitment: Commitment, deals: list[Deal], today: date) -> tuple[Decimal, int]:
    total, left_out = Decimal(0), 0
    for deal in deals:
        for delivery in deal.deliveries:
            if delivery.quantity is None or delivery.delivered_on > today:
                continue
            unit = delivery.unit_code or deal.unit_code
            converted = convert(Decimal(delivery.quantity), unit, commitment.unit_code)
            if converted is None:
                left_out += 1
            else:
                total += converted
    return total, left_out


def compute(commitment: Commitment, today: date) -> Progress:
    """The commitment's value and status on `today`."""
    deals = counted_deals(commitment, today)
    left_out = 0
    if commitment.kpi is KpiKind.TURNOVER_KZT:
        value = sum((deal_turnover(d, today) for d in deals), Decimal(0))
    elif commitment.kpi is KpiKind.CONTRACTS_COUNT:
        value = Decimal(len(deals))
    elif commitment.kpi is KpiKind.SUPPLY_VOLUME:
        value, left_out = _supply(commitment, deals, today)
    else:
        value = sum(
            (Decimal(r.value) for r in commitment.reports if r.reported_on <= today), Decimal(0)
        )
    target = Decimal(commitment.target)
    elapsed = elapsed_share(commitment.start_on, commitment.deadline, today)
    return Progress(
        value=value,
        target=target,
        expected=target * elapsed,
        elapsed=elapsed,
        status=status_of(value, target, commitment.start_on, commitment.deadline, today),
        counted_deals=len(deals) if commitment.kpi.from_deals else 0,
        left_out=left_out,
    )
