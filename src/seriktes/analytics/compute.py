"""Pure computations of the analytics: plain rows in, figures out (no database, no web).

The repository reads rows from the database; the functions here aggregate them, so the
same arithmetic is unit-tested on hand-made rows and used by the service, the pages, the
API and the reports.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from seriktes.analytics.sections import group_of

ZERO = Decimal(0)


class Period(enum.StrEnum):
    """The length of the periods a series is cut into."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def period_key(day: date, period: Period) -> str:
    """The period a date falls in: "2027-03" (month), "2027-Q1" (quarter), "2027" (year)."""
    if period is Period.MONTH:
        return f"{day.year}-{day.month:02d}"
    if period is Period.QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def periods_between(first: date, last: date, period: Period) -> list[str]:
    """Every period key from the one of `first` to the one of `last`, in order, gaps included."""
    keys: list[str] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        key = period_key(date(year, month, 1), period)
        if not keys or keys[-1] != key:
            keys.append(key)
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return keys


# --- interregional turnover ------------------------------------------------------------


@dataclass(frozen=True)
class Flow:
    """An amount of goods or services moving from a supplier's region to a buyer's region."""

    on: date
    supplier_region: str  # top-level KATO code
    buyer_region: str
    class_code: str | None
    amount: Decimal


@dataclass(frozen=True)
class DealRow:
    """A deal that is not cancelled, with its parties' top-level regions."""

    id: int
    signed_on: date
    supplier_region: str
    buyer_region: str
    class_code: str | None
    amount: Decimal  # contract amount in KZT


@dataclass(frozen=True)
class DeliveryRow:
    """A delivery with a KZT value."""

    deal_id: int
    on: date
    amount: Decimal


class Measure(enum.StrEnum):
    """Which amounts of deals a turnover figure sums."""

    TURNOVER = "turnover"  # delivered values; a deal with none yet counts its contract amount
    DELIVERED = "delivered"  # delivered values only, on the delivery dates
    CONTRACTED = "contracted"  # contract amounts, on the signing dates


def flows(
    measure: Measure, deals: Iterable[DealRow], deliveries: Iterable[DeliveryRow]
) -> list[Flow]:
    """The flows a measure counts.

    Turnover follows the rule of the memoranda's turnover commitments: a deal's delivered
    KZT values on their delivery dates when it has any, otherwise its contract amount on its
    signing date."""
    deals = list(deals)
    if measure is Measure.CONTRACTED:
        return [_flow(deal, deal.signed_on, deal.amount) for deal in deals]
    by_deal: dict[int, list[DeliveryRow]] = defaultdict(list)
    for delivery in deliveries:
        by_deal[delivery.deal_id].append(delivery)
    found: list[Flow] = []
    for deal in deals:
        delivered = by_deal.get(deal.id, [])
        found.extend(_flow(deal, item.on, item.amount) for item in delivered)
        if not delivered and measure is Measure.TURNOVER:
            found.append(_flow(deal, deal.signed_on, deal.amount))
    return found


def _flow(deal: DealRow, on: date, amount: Decimal) -> Flow:
    return Flow(on, deal.supplier_region, deal.buyer_region, deal.class_code, amount)


@dataclass(frozen=True)
class Cell:
    """Turnover of one period and product group from one region to another."""

    period: str
    group: str
    supplier_region: str
    buyer_region: str
    amount: Decimal
    flows: int


@dataclass(frozen=True)
class TurnoverMatrix:
    """Cells of the region × region turnover, by period and product group."""

    period: Period
    level: str  # "section" or "division"
    cells: list[Cell]

    def regions(self) -> list[str]:
        """Every region that supplies or buys, in KATO order."""
        found = {c.supplier_region for c in self.cells} | {c.buyer_region for c in self.cells}
        return sorted(found)

    def totals(self) -> dict[tuple[str, str], Decimal]:
        """(supplier region, buyer region) → amount over every period and group."""
        sums: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        for cell in self.cells:
            sums[cell.supplier_region, cell.buyer_region] += cell.amount
        return dict(sums)

    def series(self, supplier: str, buyer: str) -> dict[str, Decimal]:
        """Period → amount supplied by `supplier`'s region to `buyer`'s."""
        sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for cell in self.cells:
            if (cell.supplier_region, cell.buyer_region) == (supplier, buyer):
                sums[cell.period] += cell.amount
        return dict(sums)

    def by_group(self, supplier: str, buyer: str) -> dict[str, Decimal]:
        """Product group → amount supplied by `supplier`'s region to `buyer`'s."""
        sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for cell in self.cells:
            if (cell.supplier_region, cell.buyer_region) == (supplier, buyer):
                sums[cell.group] += cell.amount
        return dict(sums)


def turnover_matrix(
    flows: Iterable[Flow], period: Period = Period.YEAR, level: str = "section"
) -> TurnoverMatrix:
    """Sum flows into cells keyed by period, product group, supplier and buyer region."""
    sums: dict[tuple[str, str, str, str], list[Decimal | int]] = {}
    for flow in flows:
        key = (
            period_key(flow.on, period),
            group_of(flow.class_code, level),
            flow.supplier_region,
            flow.buyer_region,
        )
        entry = sums.setdefault(key, [ZERO, 0])
        entry[0] += flow.amount
        entry[1] += 1
    cells = [
        Cell(*key, amount=Decimal(entry[0]), flows=int(entry[1]))
        for key, entry in sorted(sums.items())
    ]
    return TurnoverMatrix(period, level, cells)


def change(current: Decimal, previous: Decimal) -> float | None:
    """Relative change from `previous` to `current` (0.25 = +25 %); None without a base."""
    if not previous:
        return None
    return float((current - previous) / previous)


# --- complementarity ---------------------------------------------------------------------


def shares(values: Mapping[str, Decimal]) -> dict[str, float]:
    """Each key's share of the total of positive values; empty when the total is zero."""
    total = sum((value for value in values.values() if value > 0), ZERO)
    if not total:
        return {}
    return {key: float(value / total) for key, value in values.items() if value > 0}


@dataclass(frozen=True)
class ClassFit:
    """A product group's share in one region's needs and in the other's offers."""

    group: str
    need_share: float
    offer_share: float

    @property
    def overlap(self) -> float:
        """The part of both profiles this group matches: min of the two shares."""
        return min(self.need_share, self.offer_share)


@dataclass(frozen=True)
class Complementarity:
    """The trade complementarity index of one region's needs with another's offers."""

    index: float | None  # 0 (nothing in common) … 100 (identical profiles); None without data
    fits: list[ClassFit] = field(default_factory=list)  # largest overlap first


def complementarity(needs: Mapping[str, Decimal], offers: Mapping[str, Decimal]) -> Complementarity:
    """TCI = 100 × (1 − Σ|m_i − x_i| / 2) over product groups i.

    m_i is group i's share of the buyers' needs value, x_i its share of the producers' offers.
    """
    m, x = shares(needs), shares(offers)
    if not m or not x:
        return Complementarity(None)
    fits = [ClassFit(g, m.get(g, 0.0), x.get(g, 0.0)) for g in sorted(set(m) | set(x))]
    distance = sum(abs(fit.need_share - fit.offer_share) for fit in fits)
    index = 100.0 * (1.0 - distance / 2.0)
    ordered = sorted(fits, key=lambda fit: (-fit.overlap, -fit.need_share, fit.group))
    return Complementarity(round(index, 6), ordered)


# --- SMEs in large buyers' procurement ------------------------------------------------------


SME_CLASSES = frozenset({"medium", "small", "micro"})


@dataclass(frozen=True)
class Supply:
    """Value a large buyer buys (or may buy) from one supplier of a known or unknown size."""

    buyer_id: int
    buyer_region: str
    supplier_size: str | None
    amount: Decimal


@dataclass(frozen=True)
class SmeShare:
    """Value going to small and medium suppliers out of all value, and the unknown part."""

    total: Decimal = ZERO
    sme: Decimal = ZERO
    unknown: Decimal = ZERO  # suppliers without a size class: neither SME nor large
    count: int = 0

    @property
    def share(self) -> float | None:
        """SME value / total value; None when nothing was bought."""
        return float(self.sme / self.total) if self.total else None

    def plus(self, supply: Supply) -> SmeShare:
        """This share with one more supply counted."""
        return SmeShare(
            self.total + supply.amount,
            self.sme + (supply.amount if supply.supplier_size in SME_CLASSES else ZERO),
            self.unknown + (supply.amount if supply.supplier_size is None else ZERO),
            self.count + 1,
        )


def sme_shares(supplies: Iterable[Supply]) -> tuple[dict[int, SmeShare], dict[str, SmeShare]]:
    """SME shares per buyer and per buyer region (micro, small and medium count as SMEs)."""
    buyers: dict[int, SmeShare] = {}
    regions: dict[str, SmeShare] = {}
    for supply in supplies:
        buyers[supply.buyer_id] = buyers.get(supply.buyer_id, SmeShare()).plus(supply)
        regions[supply.buyer_region] = regions.get(supply.buyer_region, SmeShare()).plus(supply)
    return buyers, regions


# --- memoranda execution ----------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentState:
    """One commitment: its memorandum, the regions and sectors it serves, its status."""

    memorandum_id: int
    pair: tuple[str, ...]  # the top-level regions of the memorandum, sorted
    sectors: tuple[str, ...]
    status: str


@dataclass(frozen=True)
class Execution:
    """How many commitments there are, and how many of each status."""

    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Number of commitments."""
        return sum(self.statuses.values())

    @property
    def achieved(self) -> int:
        """Number of achieved commitments."""
        return self.statuses.get("achieved", 0)

    @property
    def share(self) -> float | None:
        """Achieved / all commitments; None without commitments."""
        return self.achieved / self.total if self.total else None


def execution(
    states: Iterable[CommitmentState],
) -> tuple[dict[tuple[str, ...], Execution], dict[str, Execution]]:
    """Commitments by status per region pair and per sector.

    A commitment of a memorandum with several sectors counts once in each of them."""
    pairs: dict[tuple[str, ...], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    sectors: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for state in states:
        pairs[state.pair][state.status] += 1
        for sector in state.sectors or ("",):
            sectors[sector][state.status] += 1
    return (
        {key: Execution(dict(counts)) for key, counts in sorted(pairs.items())},
        {key: Execution(dict(counts)) for key, counts in sorted(sectors.items())},
    )
