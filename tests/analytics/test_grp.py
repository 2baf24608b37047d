"""Gross regional product read from the real-data folder at run time, or a note without it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from seriktes.analytics.grp import read_grp
from tests.conftest import shared_file

EAST, NORTH = "630000000", "590000000"


def test_real_grp_of_the_pair() -> None:
    path = shared_file("regions/grp_by_region.csv")
    series = read_grp(path.parents[1])
    assert series.note is None
    assert series.latest_year(EAST) == 2025
    assert series.value(EAST, 2025) == Decimal("5846091.3")
    assert series.value(NORTH, 2018) == Decimal("1212007.8")
    share = series.national_share(NORTH, 2024)
    assert share is not None and 0.005 < share < 0.05
    growth = series.growth(EAST, 2025)
    assert growth == pytest.approx(5846091.3 / 5035142.0 - 1)
    assert series.growth(EAST, 2018) is None  # no 2017 figure


def test_absent_file_gives_a_note_and_no_figures(tmp_path: Path) -> None:
    series = read_grp(tmp_path)
    assert series.regions == {} and series.note is not None
    assert "grp_by_region.csv" in series.note
    assert series.latest_year(EAST) is None and series.value(EAST, 2025) is None


def test_malformed_lines_are_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "regions"
    folder.mkdir()
    (folder / "grp_by_region.csv").write_text(
        "region,kato_oblast,region_name_ru,year,grp_mln_kzt\n"
        "VKO,630000000,Восточно-Казахстанская,2024,100.5\n"
        "VKO,630000000,Восточно-Казахстанская,2025,n/a\n"
        "national,,Республика Казахстан,2024,1000\n",
        encoding="utf-8",
    )
    series = read_grp(tmp_path)
    assert series.regions == {EAST: {2024: Decimal("100.5")}}
    assert series.national_share(EAST, 2024) == pytest.approx(0.1005)
