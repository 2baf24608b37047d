"""Snapshots of the offer index: written once, mapped read-only, with the changes since in an
overlay; they rank exactly as the in-memory index they were written from."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import numpy as np
import pytest

from seriktes.matching import bm25
from seriktes.matching.matcher import Matcher, MemoryOffers, NeedDoc, OfferDoc
from seriktes.matching.snapshot import (
    CURRENT,
    SnapshotIndex,
    SnapshotOffers,
    current_name,
    open_current,
    snapshot_matcher,
    write_snapshot,
)
from tests.matching.test_matcher import GEO, UNITS

PRODUCTS = (
    "подшипник", "болт", "гайка", "кабель", "насос", "цемент", "краска", "труба",
    "фильтр", "ремень", "клапан", "шина", "перчатки", "каска", "сверло", "электрод",
)  # fmt: skip
WORDS = (
    "шариковый", "стальной", "медный", "масляный", "ГОСТ", "6205-2RS", "М12", "М500",
    "оцинкованный", "высоковольтный", "центробежный", "водоэмульсионная", "DN50", "ВВГ",
    "3х2,5", "класс", "прочности", "8.8", "Казахстан", "склад", "оптом", "новый",
)  # fmt: skip
CLASSES = ("28.15.10", "25.94.11", "27.32.13", "28.13.14", "23.51.12", "20.30.12", "22.19.73")
REGIONS = ("630000000", "590000000", "550000000", "750000000", None)


def generated(count: int, seed: int, first_id: int = 1) -> list[OfferDoc]:
    """Offers of few words repeated often (ties are frequent), some of one big class."""
    rng = random.Random(seed)
    offers = []
    for n in range(count):
        words = [rng.choice(PRODUCTS), *rng.sample(WORDS, rng.randint(0, 4))]
        offers.append(
            OfferDoc(
                id=first_id + n,
                producer_id=rng.randint(1, count // 3 + 1),
                text=" ".join(words),
                class_code=rng.choice((*CLASSES, CLASSES[0], None)),
                unit_code=rng.choice(("796", "166", "168", None)),
                capacity=rng.choice((None, 10.0, 5000.0)),
                region=rng.choice(REGIONS),
                certified=rng.random() < 0.3,
                hs_code=rng.choice((None, "8482", "7318")),
            )
        )
    return offers


def needs(count: int, seed: int) -> list[NeedDoc]:
    rng = random.Random(seed)
    return [
        NeedDoc(
            id=n + 1,
            buyer_id=rng.randint(1, 50),
            text=" ".join([rng.choice(PRODUCTS), *rng.sample(WORDS, rng.randint(0, 3))]),
            class_code=rng.choice((*CLASSES, None)),
            unit_code=rng.choice(("796", "166", None)),
            quantity=rng.choice((None, 100.0)),
            region=rng.choice(REGIONS),
            origin=rng.choice(("far_abroad", "domestic", "unknown")),
        )
        for n in range(count)
    ]


def ranked(matcher: Matcher, need: NeedDoc) -> list[object]:
    return [(m.offer_id, m.score, m.band, m.explanation()) for m in matcher.match(need)]


def assert_same(memory: Matcher, snapshot: Matcher, sample: list[NeedDoc]) -> None:
    for need in sample:
        assert ranked(snapshot, need) == ranked(memory, need), need
        assert snapshot.search(need.text) == memory.search(need.text), need.text
    assert len(snapshot.offers) == len(memory.offers)
    assert len(snapshot.index) == len(memory.index)


def change_both(memory: Matcher, snapshot: Matcher, rng: random.Random, count: int) -> None:
    """The same changes to both: offers added, removed, changed (several times over)."""
    added = generated(count, rng.randint(0, 10**6), first_id=100_000)
    known = [offer.id for offer in memory.offers.values()]
    for n in range(count):
        roll = rng.random()
        if roll < 0.35:
            offer = added[n]
        elif roll < 0.6:
            offer_id = rng.choice(known)
            memory.remove_offer(offer_id)
            snapshot.remove_offer(offer_id)
            continue
        else:
            old = memory.offers.get(rng.choice(known)) or added[n]
            offer = dataclasses.replace(
                old, text=f"{old.text} {rng.choice(WORDS)} новинка", class_code=rng.choice(CLASSES)
            )
        memory.add_offer(offer)
        snapshot.add_offer(offer)
        known.append(offer.id)


@pytest.fixture
def memory() -> Matcher:
    m = Matcher(geography=GEO, units=UNITS)
    m.add_offers(generated(3000, 1))
    return m


def opened(root: Path) -> Matcher:
    snapshot = open_current(root)
    assert snapshot is not None
    return snapshot_matcher(snapshot, geography=GEO, units=UNITS)


@pytest.mark.parametrize("prune_from", [bm25.PRUNE_FROM, 0])
def test_a_snapshot_ranks_as_the_memory_index_before_and_after_changes(
    memory: Matcher, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, prune_from: int
) -> None:
    monkeypatch.setattr(bm25, "PRUNE_FROM", prune_from)  # 0: common terms scored apart
    write_snapshot(tmp_path, memory, {"last_change": 0})
    shared = opened(tmp_path)
    sample = needs(150, 2)
    assert_same(memory, shared, sample)
    rng = random.Random(3)
    change_both(memory, shared, rng, 600)
    assert_same(memory, shared, sample)
    change_both(memory, shared, rng, 300)  # changed again: overlay offers replaced
    assert_same(memory, shared, sample)


def test_the_big_arrays_are_mapped_not_copied(memory: Matcher, tmp_path: Path) -> None:
    write_snapshot(tmp_path, memory, {})
    shared = opened(tmp_path)
    index, offers = shared.index, shared.offers
    assert isinstance(index, SnapshotIndex) and isinstance(offers, SnapshotOffers)
    for name in ("post_rows", "post_tf", "doc_terms", "text_bytes", "ids", "term_bytes"):
        assert isinstance(index.snapshot[name], np.memmap), name
    assert index.keys == [] and offers.overlay.offers == {}  # nothing per offer in memory


def test_offers_read_back_as_they_were_written(memory: Matcher, tmp_path: Path) -> None:
    write_snapshot(tmp_path, memory, {})
    shared = opened(tmp_path)
    assert list(shared.offers.values()) == list(memory.offers.values())
    assert shared.offers.get(10**9) is None and 10**9 not in shared.offers
    assert isinstance(memory.offers, MemoryOffers)
    for code in ("28.15.10", "28.15"):
        digits = 4 if len(code) == 5 else 6
        assert list(shared.offers.shelf(code, digits)) == list(memory.offers.shelf(code, digits))


def test_a_new_snapshot_replaces_the_current_one_at_once(memory: Matcher, tmp_path: Path) -> None:
    assert open_current(tmp_path) is None and current_name(tmp_path) is None
    first = write_snapshot(tmp_path, memory, {"last_change": 1})
    reader = opened(tmp_path)  # a process keeps its maps of the first snapshot
    memory.remove_offer(1)
    second = write_snapshot(tmp_path, memory, {"last_change": 2})
    assert (tmp_path / CURRENT).read_text().strip() == second.name == current_name(tmp_path)
    assert not first.exists()  # removed once no longer current
    assert 1 in reader.offers and reader.search("подшипник")  # still readable
    again = open_current(tmp_path)
    assert again is not None and again.meta["last_change"] == 2 and 1 not in opened(tmp_path).offers


def test_an_empty_matcher_makes_an_empty_snapshot(tmp_path: Path) -> None:
    write_snapshot(tmp_path, Matcher(geography=GEO, units=UNITS), {})
    shared = opened(tmp_path)
    assert len(shared.offers) == 0 and shared.search("подшипник") == []
    shared.add_offer(generated(1, 5)[0])
    assert len(shared.offers) == 1 and shared.search(shared.offers[1].text)[0][0] == 1
