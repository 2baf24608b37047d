"""Pure computations: periods, product sections, turnover cells, TCI, SME and execution shares."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from seriktes.analytics.compute import (
    CommitmentState,
    DealRow,
    DeliveryRow,
    Flow,
    Measure,
    Period,
    Supply,
    change,
    complementarity,
    execution,
    flows,
    period_key,
    periods_between,
    shares,
    sme_shares,
    turnover_matrix,
)
from seriktes.analytics.sections import division_of, group_of, section_of

EAST, NORTH, KARAGANDA = "630000000", "590000000", "350000000"


@pytest.mark.parametrize(
    ("day", "period", "key"),
    [
        (date(2027, 3, 31), Period.MONTH, "2027-03"),
        (date(2027, 3, 31), Period.QUARTER, "2027-Q1"),
        (date(2027, 4, 1), Period.QUARTER, "2027-Q2"),
        (date(2027, 12, 31), Period.QUARTER, "2027-Q4"),
        (date(2027, 12, 31), Period.YEAR, "2027"),
    ],
)
def test_period_keys(day: date, period: Period, key: str) -> None:
    assert period_key(day, period) == key


def test_periods_between_include_empty_ones() -> None:
    assert periods_between(date(2026, 11, 5), date(2027, 2, 1), Period.MONTH) == [
        "2026-11",
        "2026-12",
        "2027-01",
        "2027-02",
    ]
    assert periods_between(date(2026, 11, 5), date(2027, 7, 1), Period.QUARTER) == [
        "2026-Q4",
        "2027-Q1",
        "2027-Q2",
        "2027-Q3",
    ]


@pytest.mark.parametrize(
    ("code", "division", "section"),
    [
        ("28.15.10", "28", "C"),
        ("01.11.11", "01", "A"),
        ("08.12.12", "08", "B"),
        ("35.11.10", "35", "D"),
        ("43.21.10", "43", "F"),
        ("85.59.13", "85", "P"),
        (None, "?", "?"),
        ("", "?", "?"),
        ("4", "?", "?"),
        ("04.00.00", "04", "?"),  # no KP VED division 04
    ],
)
def test_divisions_and_sections(code: str | None, division: str, section: str) -> None:
    assert division_of(code) == division
    assert section_of(code) == section
    assert group_of(code, "division") == division
    assert group_of(code, "section") == section


def test_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown product level"):
        group_of("28.15.10", "class")


def _flow(on: date, supplier: str, buyer: str, code: str | None, amount: int) -> Flow:
    return Flow(on, supplier, buyer, code, Decimal(amount))


def test_turnover_matrix_sums_by_period_group_and_direction() -> None:
    flows = [
        _flow(date(2027, 1, 10), NORTH, EAST, "28.15.10", 100),
        _flow(date(2027, 2, 10), NORTH, EAST, "28.22.18", 50),  # same quarter, same section
        _flow(date(2027, 2, 11), NORTH, EAST, "01.11.11", 7),  # another section
        _flow(date(2027, 5, 1), NORTH, EAST, "28.15.10", 30),
        _flow(date(2027, 5, 2), EAST, NORTH, "24.42.11", 20),
        _flow(date(2027, 5, 3), EAST, KARAGANDA, "24.42.11", 9),
    ]
    matrix = turnover_matrix(flows, Period.QUARTER, "section")
    assert matrix.totals() == {
        (NORTH, EAST): Decimal(187),
        (EAST, NORTH): Decimal(20),
        (EAST, KARAGANDA): Decimal(9),
    }
    assert matrix.series(NORTH, EAST) == {"2027-Q1": Decimal(157), "2027-Q2": Decimal(30)}
    assert matrix.by_group(NORTH, EAST) == {"C": Decimal(180), "A": Decimal(7)}
    first = next(cell for cell in matrix.cells if cell.period == "2027-Q1" and cell.group == "C")
    assert (first.amount, first.flows) == (Decimal(150), 2)
    assert matrix.regions() == [KARAGANDA, NORTH, EAST]

    by_division = turnover_matrix(flows, Period.YEAR, "division")
    assert by_division.by_group(NORTH, EAST) == {
        "28": Decimal(180),
        "01": Decimal(7),
    }
    assert by_division.series(EAST, NORTH) == {"2027": Decimal(20)}


def test_turnover_of_nothing_is_empty() -> None:
    matrix = turnover_matrix([], Period.MONTH)
    assert matrix.cells == [] and matrix.totals() == {} and matrix.regions() == []


def test_change() -> None:
    assert change(Decimal(150), Decimal(100)) == pytest.approx(0.5)
    assert change(Decimal(50), Decimal(100)) == pytest.approx(-0.5)
    assert change(Decimal(50), Decimal(0)) is None


def test_shares_ignore_nothing_but_zero_and_negative_values() -> None:
    assert shares({"a": Decimal(3), "b": Decimal(1), "c": Decimal(0)}) == {"a": 0.75, "b": 0.25}
    assert shares({"a": Decimal(0)}) == {}


def test_tci_of_identical_profiles_is_100_and_of_disjoint_ones_0() -> None:
    same = complementarity(
        {"28": Decimal(30), "22": Decimal(10)}, {"28": Decimal(6), "22": Decimal(2)}
    )
    assert same.index == pytest.approx(100.0)
    apart = complementarity({"28": Decimal(30)}, {"10": Decimal(5)})
    assert apart.index == pytest.approx(0.0)


def test_tci_by_hand() -> None:
    # needs: 28 → 0.5, 22 → 0.3, 25 → 0.2; offers: 28 → 0.2, 22 → 0.2, 10 → 0.6
    # Σ|m − x| = 0.3 + 0.1 + 0.2 + 0.6 = 1.2 → TCI = 100 × (1 − 0.6) = 40
    needs = {"28": Decimal(50), "22": Decimal(30), "25": Decimal(20)}
    offers = {"28": Decimal(2), "22": Decimal(2), "10": Decimal(6)}
    found = complementarity(needs, offers)
    assert found.index == pytest.approx(40.0)
    assert [fit.group for fit in found.fits][:2] == ["28", "22"]
    assert found.fits[0].overlap == pytest.approx(0.2)
    assert sum(fit.overlap for fit in found.fits) * 100 == pytest.approx(found.index)


def test_tci_without_needs_or_offers_is_none() -> None:
    assert complementarity({}, {"28": Decimal(1)}).index is None
    assert complementarity({"28": Decimal(1)}, {"28": Decimal(0)}).index is None


def test_sme_shares_per_buyer_and_region() -> None:
    supplies = [
        Supply(1, EAST, "small", Decimal(60)),
        Supply(1, EAST, "large", Decimal(40)),
        Supply(2, EAST, "micro", Decimal(10)),
        Supply(2, EAST, None, Decimal(30)),
        Supply(3, NORTH, "medium", Decimal(5)),
    ]
    buyers, regions = sme_shares(supplies)
    assert buyers[1].share == pytest.approx(0.6)
    assert buyers[2].share == pytest.approx(0.25)
    assert buyers[2].unknown == Decimal(30)
    assert regions[EAST].total == Decimal(140) and regions[EAST].sme == Decimal(70)
    assert regions[EAST].count == 4
    assert regions[NORTH].share == pytest.approx(1.0)
    assert sme_shares([]) == ({}, {})


def test_execution_by_pair_and_sector() -> None:
    pair = (NORTH, EAST)
    states = [
        CommitmentState(1, pair, ("industry",), "achieved"),
        CommitmentState(1, pair, ("industry",), "at_risk"),
        CommitmentState(2, pair, ("agriculture", "trade"), "achieved"),
        CommitmentState(3, (EAST, KARAGANDA), ("trade",), "overdue"),
        CommitmentState(4, (EAST,), (), "on_track"),
    ]
    pairs, sectors = execution(states)
    assert pairs[pair].total == 3 and pairs[pair].achieved == 2
    assert pairs[pair].share == pytest.approx(2 / 3)
    assert pairs[EAST, KARAGANDA].share == 0
    assert sectors["trade"].statuses == {"achieved": 1, "overdue": 1}
    assert sectors["industry"].share == pytest.approx(0.5)
    assert sectors[""].total == 1
    assert execution([]) == ({}, {})


def test_flows_of_each_measure() -> None:
    deals = [
        DealRow(1, date(2027, 1, 15), NORTH, EAST, "28.15.10", Decimal(1000)),
        DealRow(2, date(2027, 2, 1), NORTH, EAST, "22.19.40", Decimal(500)),  # nothing delivered
    ]
    deliveries = [
        DeliveryRow(1, date(2027, 3, 1), Decimal(400)),
        DeliveryRow(1, date(2027, 6, 1), Decimal(350)),
    ]
    contracted = flows(Measure.CONTRACTED, deals, deliveries)
    assert [(f.on, f.amount) for f in contracted] == [
        (date(2027, 1, 15), Decimal(1000)),
        (date(2027, 2, 1), Decimal(500)),
    ]
    delivered = flows(Measure.DELIVERED, deals, deliveries)
    assert [(f.on, f.amount) for f in delivered] == [
        (date(2027, 3, 1), Decimal(400)),
        (date(2027, 6, 1), Decimal(350)),
    ]
    turnover = flows(Measure.TURNOVER, deals, deliveries)
    assert [(f.on, f.amount, f.class_code) for f in turnover] == [
        (date(2027, 3, 1), Decimal(400), "28.15.10"),
        (date(2027, 6, 1), Decimal(350), "28.15.10"),
        (date(2027, 2, 1), Decimal(500), "22.19.40"),
    ]
    assert all((f.supplier_region, f.buyer_region) == (NORTH, EAST) for f in turnover)
