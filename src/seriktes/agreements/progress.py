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
  - with milestones (dated intermediate targets): at risk when value < the target of the
    latest milestone due on or before the day, on track otherwise (also before the first
    one is due);
  - without milestones: never at risk before `JUDGE_AFTER` (a quarter) of the period from
    start to deadline has passed; after that at risk when
    value < target × elapsed share of (start → deadline) × 0.8; on track otherwise.

A commitment's value is what is *counted*. For deal KPIs the page also shows what was
*contracted* (the confirmed linked deals' amounts, numbers or quantities) and what was
*delivered* (their deliveries) side by side (`breakdown`): a deal's turnover counts its
delivered amounts once it has some, so a first small delivery against a large contract
lowers the counted value although nothing was lost.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from seriktes.agreements.models import (
    Commitment,
    CommitmentMilestone,
    Confirmation,
    Deal,
    DealStatus,
    KpiKind,
)
from seriktes.registry.facts import UNIT_TO_BASE, UNITS

AT_RISK_FACTOR = Decimal("0.8")
JUDGE_AFTER = Decimal("0.25")  # share of the period before which the linear rule is not applied
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
    "with milestones: at risk when value < the target of the latest milestone due, "
    "on track otherwise; without: on track until 25 % of (start → deadline) has passed, then "
    "at risk when value < target × elapsed share of (start → deadline) × 0.8; "
    "on track otherwise"
)


class Status(enum.StrEnum):
    """Where a commitment stands."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OVERDUE = "overdue"


class Basis(enum.StrEnum):
    """Which part of the status rule decided a status (the page says it in words)."""

    TARGET = "target"  # value ≥ target
    DEADLINE = "deadline"  # the deadline passed without the target
    MILESTONE = "milestone"  # judged against the latest milestone due
    BEFORE_MILESTONES = "before_milestones"  # milestones exist, none due yet
    TOO_EARLY = "too_early"  # less than JUDGE_AFTER of the period gone, no milestones
    PACE = "pace"  # the linear rule


@dataclass(frozen=True)
class Judgement:
    """A status with the rule that gave it, and the milestone judged against, if any."""

    status: Status
    basis: Basis
    milestone: CommitmentMilestone | None = None


@dataclass(frozen=True)
class Progress:
    """A commitment's computed value and status on a day."""

    value: Decimal
    target: Decimal
    expected: Decimal  # where the commitment should be today: linear pace or the milestone
    elapsed: Decimal  # share of (start → deadline) gone, 0 to 1
    status: Status
    counted_deals: int
    left_out: int  # deliveries whose unit could not be converted
    basis: Basis = Basis.PACE
    milestone: CommitmentMilestone | None = None  # the milestone judged against
    next_milestone: CommitmentMilestone | None = None  # the first one not yet due

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


def judge(
    value: Decimal,
    target: Decimal,
    start: date,
    deadline: date,
    today: date,
    milestones: list[CommitmentMilestone] | tuple[CommitmentMilestone, ...] = (),
) -> Judgement:
    """The status rule (see the module docstring), with the part of it that decided."""
    if value >= target:
        return Judgement(Status.ACHIEVED, Basis.TARGET)
    if today > deadline:
        return Judgement(Status.OVERDUE, Basis.DEADLINE)
    if milestones:
        return _against_milestones(value, today, milestones)
    elapsed = elapsed_share(start, deadline, today)
    if elapsed < JUDGE_AFTER:
        return Judgement(Status.ON_TRACK, Basis.TOO_EARLY)
    behind = value < target * elapsed * AT_RISK_FACTOR
    return Judgement(Status.AT_RISK if behind else Status.ON_TRACK, Basis.PACE)


def _against_milestones(
    value: Decimal,
    today: date,
    milestones: list[CommitmentMilestone] | tuple[CommitmentMilestone, ...],
) -> Judgement:
    due = [m for m in milestones if m.due_on <= today]
    if not due:
        return Judgement(Status.ON_TRACK, Basis.BEFORE_MILESTONES)
    latest = max(due, key=lambda m: m.due_on)
    behind = value < Decimal(latest.target)
    return Judgement(Status.AT_RISK if behind else Status.ON_TRACK, Basis.MILESTONE, latest)


def status_of(value: Decimal, target: Decimal, start: date, deadline: date, today: date) -> Status:
    """The status rule for a commitment without milestones (see the module docstring)."""
    return judge(value, target, start, deadline, today).status


def judge_after_day(start: date, deadline: date) -> date:
    """The first day the linear rule applies: when `JUDGE_AFTER` of the period has passed."""
    days = (deadline - start).days
    return start + timedelta(
        days=int((Decimal(days) * JUDGE_AFTER).to_integral_value(ROUND_CEILING))
    )


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
    milestones = list(commitment.milestones)
    judged = judge(value, target, commitment.start_on, commitment.deadline, today, milestones)
    upcoming = [m for m in milestones if m.due_on > today]
    return Progress(
        value=value,
        target=target,
        expected=Decimal(judged.milestone.target) if judged.milestone else target * elapsed,
        elapsed=elapsed,
        status=judged.status,
        counted_deals=len(deals) if commitment.kpi.from_deals else 0,
        left_out=left_out,
        basis=judged.basis,
        milestone=judged.milestone,
        next_milestone=min(upcoming, key=lambda m: m.due_on) if upcoming else None,
    )


@dataclass(frozen=True)
class Breakdown:
    """For a deal KPI: what the confirmed linked deals contracted, what was delivered under
    them, and what is counted (the commitment's value), on a day."""

    contracted: Decimal
    delivered: Decimal
    counted: Decimal


def breakdown(commitment: Commitment, today: date) -> Breakdown | None:
    """Contracted, delivered and counted side by side; None for a KPI from progress reports.

    turnover_kzt: contract amounts in KZT / delivered amounts in KZT / the counted value;
    contracts_count: the deals / the deals with a delivery / the counted deals;
    supply_volume: contracted quantities / delivered quantities, in the commitment's unit.
    """
    if not commitment.kpi.from_deals:
        return None
    deals = counted_deals(commitment, today)
    counted = compute(commitment, today).value
    if commitment.kpi is KpiKind.TURNOVER_KZT:
        contracted = sum((Decimal(d.amount_kzt) for d in deals), Decimal(0))
        delivered = sum(
            (
                Decimal(x.amount_kzt)
                for d in deals
                for x in d.deliveries
                if x.amount_kzt is not None and x.delivered_on <= today
            ),
            Decimal(0),
        )
    elif commitment.kpi is KpiKind.CONTRACTS_COUNT:
        contracted = Decimal(len(deals))
        delivered = Decimal(
            sum(1 for d in deals if any(x.delivered_on <= today for x in d.deliveries))
        )
    else:
        contracted = Decimal(0)
        for deal in deals:
            if deal.quantity is not None:
                converted = convert(Decimal(deal.quantity), deal.unit_code, commitment.unit_code)
                contracted += converted or Decimal(0)
        delivered = counted
    return Breakdown(contracted=contracted, delivered=delivered, counted=counted)


def history_days(commitment: Commitment, today: date) -> list[date]:
    """The days the counted value may have changed on (a deal signed or confirmed, a
    delivery, a report), with the start and `today`, in order, none after `today`."""
    days = {commitment.start_on, today}
    for deal in commitment.deals:
        days.add(deal.signed_on)
        if deal.confirmed_at is not None:
            days.add(deal.confirmed_at.date())
        days.update(x.delivered_on for x in deal.deliveries)
    days.update(r.reported_on for r in commitment.reports)
    return sorted(d for d in days if commitment.start_on <= d <= today)


def history(commitment: Commitment, today: date) -> list[tuple[date, Decimal]]:
    """The counted value on each day it may have changed, up to `today`.

    A deal counts from its signing day once confirmed (confirmation is not dated in the
    rule), so the history is the value as it is computed now for each past day.
    """
    return [(day, compute(commitment, day).value) for day in history_days(commitment, today)]
