"""The demo generator: deterministic, valid codes and identifiers, and the story's shape."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from functools import cache

import pytest

from seriktes.catalog.models import Origin
from seriktes.demo.generator import DemoData, generate
from seriktes.registry.bin import is_valid_bin
from seriktes.registry.facts import EAST_KAZAKHSTAN, NORTH_KAZAKHSTAN, UNITS
from tests.conftest import shared_file

SEEDS = [2026, 1, 77]


@cache
def demo(seed: int = 2026) -> DemoData:
    """Return the generated data for a seed, generated once per test session."""
    return generate(seed)


@cache
def okpd2_codes() -> frozenset[str]:
    """Return every code of the OKPD2 tree in ../shared/data, skipping when it is absent."""
    path = shared_file("okpd2/okpd2_full_tree.json")
    tree = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(code for section in tree.values() for code in section)


def test_same_seed_gives_identical_data() -> None:
    assert generate(2026) == generate(2026)


def _digest(data: DemoData) -> str:
    return hashlib.sha256(repr(data).encode("utf-8")).hexdigest()


def test_same_seed_gives_identical_data_in_another_process() -> None:
    # a different hash seed would reveal any dependence on set or dict iteration order
    code = (
        "import hashlib; from seriktes.demo.generator import generate; "
        "print(hashlib.sha256(repr(generate(2026)).encode('utf-8')).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == _digest(demo())


def test_different_seeds_give_different_data() -> None:
    first, second = generate(2026), generate(2027)
    assert first.needs != second.needs
    assert first.offers != second.offers
    assert {o["bin"] for o in first.organisations} != {o["bin"] for o in second.organisations}


@pytest.mark.parametrize("seed", SEEDS)
def test_counts_are_in_the_expected_ranges(seed: int) -> None:
    data = demo(seed)
    assert 55 <= len(data.organisations) <= 70
    assert 550 <= len(data.needs) <= 650
    assert 1400 <= len(data.offers) <= 1600


def test_every_bin_is_a_valid_unique_legal_entity_bin() -> None:
    bins = [row["bin"] for row in demo().organisations]
    assert len(set(bins)) == len(bins)
    for value in bins:
        assert is_valid_bin(value), value
        assert 1 <= int(value[2:4]) <= 12, value  # registration month
        assert value[4] == "4" and value[5] in "0123", value


def test_lines_refer_to_generated_organisations() -> None:
    data = demo()
    bins = {row["bin"] for row in data.organisations}
    assert {row["buyer_bin"] for row in data.needs} <= bins
    assert {row["producer_bin"] for row in data.offers} <= bins


@pytest.mark.parametrize("kind", ["needs", "offers"])
def test_every_class_code_is_in_okpd2(kind: str) -> None:
    codes = okpd2_codes()
    rows = getattr(demo(), kind)
    unknown = {row["class_code"] for row in rows} - codes
    assert not unknown
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d\d", row["class_code"]) for row in rows)


def test_enstru_code_extends_the_class_code() -> None:
    for row in demo().needs:
        enstru = row["enstru_code"]
        assert re.fullmatch(r"\d{6}\.\d{3}\.\d{6}", enstru), enstru
        assert enstru[:6] == row["class_code"].replace(".", ""), row


def test_hs_codes_have_ten_digits() -> None:
    codes = [row["hs_code"] for row in demo().offers if row["hs_code"] is not None]
    assert codes
    assert all(re.fullmatch(r"\d{10}", code) for code in codes)


@pytest.mark.parametrize("kind", ["needs", "offers"])
def test_every_unit_is_a_known_mkei_code(kind: str) -> None:
    known = {unit.code for unit in UNITS}
    assert {row["unit_code"] for row in getattr(demo(), kind)} <= known


@pytest.mark.parametrize("seed", SEEDS)
def test_about_a_third_of_needs_come_from_far_abroad(seed: int) -> None:
    needs = demo(seed).needs
    share = sum(row["origin"] is Origin.FAR_ABROAD for row in needs) / len(needs)
    assert 0.25 <= share <= 0.45


def test_external_ids_are_unique_and_marked_as_demo() -> None:
    data = demo()
    need_ids = [row["external_id"] for row in data.needs]
    offer_ids = [row["external_id"] for row in data.offers]
    assert len(set(need_ids)) == len(need_ids)
    assert len(set(offer_ids)) == len(offer_ids)
    assert all(re.fullmatch(r"DEMO-N-\d{5}", value) for value in need_ids)
    assert all(re.fullmatch(r"DEMO-O-\d{5}", value) for value in offer_ids)
    assert {row["source"] for row in data.needs + data.offers} == {"demo"}


def test_needs_fall_due_in_2027_and_are_delivered_to_the_buyer_region() -> None:
    data = demo()
    region = {row["bin"]: row["region_kato"] for row in data.organisations}
    for row in data.needs:
        assert date(2027, 2, 1) <= row["needed_by"] <= date(2027, 12, 31)
        assert row["delivery_region_kato"] == region[row["buyer_bin"]]
        assert row["quantity"] > 0 and row["unit_price"] > 0


def test_buyers_are_mostly_in_the_east_and_producers_in_the_north() -> None:
    data = demo()
    region = {row["bin"]: row["region_kato"] for row in data.organisations}
    need_regions = Counter(region[row["buyer_bin"]] for row in data.needs)
    offer_regions = Counter(region[row["producer_bin"]] for row in data.offers)
    assert need_regions.most_common(1)[0][0] == EAST_KAZAKHSTAN
    assert offer_regions.most_common(1)[0][0] == NORTH_KAZAKHSTAN
    assert len(offer_regions) >= 4  # a few producers come from other regions


def test_most_needs_have_offers_of_the_same_class_from_another_region() -> None:
    data = demo()
    region = {row["bin"]: row["region_kato"] for row in data.organisations}
    offered: dict[str, set[str]] = {}
    for row in data.offers:
        offered.setdefault(row["class_code"], set()).add(region[row["producer_bin"]])
    matched = [
        row
        for row in data.needs
        if offered.get(row["class_code"], set()) - {row["delivery_region_kato"]}
    ]
    assert len(matched) / len(data.needs) >= 0.7


def test_offer_certificates_are_held_by_their_producer() -> None:
    data = demo()
    held = {row["bin"]: set(row["certificates"]) for row in data.organisations}
    assert any(row["certificates"] for row in data.offers)
    for row in data.offers:
        assert set(row["certificates"]) <= held[row["producer_bin"]]


def test_producers_with_certificates_exist_and_titles_vary() -> None:
    data = demo()
    certified = [row for row in data.organisations if row["certificates"]]
    assert len(certified) >= 15
    assert len({row["title"] for row in data.needs}) >= 300
    assert len({row["title"] for row in data.offers}) >= 600
