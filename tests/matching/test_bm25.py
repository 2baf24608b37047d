"""The incremental BM25 index."""

from __future__ import annotations

import math

import pytest

from seriktes.matching.bm25 import BM25Index

DOCS = {
    1: ["подшипник", "шариковый", "6205-2rs"],
    2: ["подшипник", "роликовый"],
    3: ["канат", "стальной"],
    4: ["болт", "m12"],
}


def build(merge_fraction: float = 0.1) -> BM25Index:
    index = BM25Index(merge_fraction=merge_fraction)
    for key, terms in DOCS.items():
        index.add(key, terms)
    return index


def test_scores_follow_bm25() -> None:
    index = build()
    index.merge()
    n, df, k1, b = 4, 2, 1.2, 0.75
    avg = sum(len(t) for t in DOCS.values()) / n
    idf = math.log1p((n - df + 0.5) / (df + 0.5))
    expected = idf * (k1 + 1) / (1 + k1 * (1 - b + b * 3 / avg))
    assert dict(index.top({"подшипник": 1.0}, 5))[1] == pytest.approx(expected)


def test_rare_terms_rank_first_and_unknown_terms_score_nothing() -> None:
    index = build()
    assert [key for key, _ in index.top({"подшипник": 1.0, "6205-2rs": 1.0}, 5)] == [1, 2]
    assert index.top({"несуществующий": 1.0}, 5) == []


def test_pending_and_merged_documents_score_the_same() -> None:
    pending = build(merge_fraction=float("inf"))
    merged = build()
    merged.merge()
    query = {"подшипник": 1.0, "роликовый": 1.0}
    left, right = pending.top(query, 5), merged.top(query, 5)
    assert [key for key, _ in left] == [key for key, _ in right] == [2, 1]
    assert [score for _, score in left] == pytest.approx([score for _, score in right])


def test_add_replace_and_remove_one_document() -> None:
    index = build()
    index.merge()
    index.add(5, ["канат", "оцинкованный"])
    assert {key for key, _ in index.top({"канат": 1.0}, 5)} == {3, 5}
    index.add(3, ["болт", "m16"])  # replaces document 3
    assert {key for key, _ in index.top({"канат": 1.0}, 5)} == {5}
    index.remove(5)
    assert index.top({"канат": 1.0}, 5) == []
    assert len(index) == 4


def test_common_terms_in_a_large_index_score_the_same_for_the_top_documents() -> None:
    import random

    from seriktes.matching import bm25

    rng = random.Random(1)
    words = [f"w{i}" for i in range(300)]
    index = BM25Index()
    index.add_many(
        (i, [*rng.sample(words, 5), "common"] if i % 3 else rng.sample(words, 5))
        for i in range(3000)
    )
    query = {"common": 1.0, "w7": 1.0, "w42": 1.0}
    exact = index.top(query, 10)
    old = bm25.PRUNE_FROM
    bm25.PRUNE_FROM = 0
    try:
        pruned = index.top(query, 10)
    finally:
        bm25.PRUNE_FROM = old
    # the same scores at every rank (ties may come in another order), each one exact
    assert [s for _, s in pruned] == pytest.approx([s for _, s in exact])
    every = dict(index.top(query, 3000))
    assert all(score == pytest.approx(every[key]) for key, score in pruned)


def test_which_contain_agrees_with_the_documents_in_base_and_pending_segments() -> None:
    import random

    rng = random.Random(7)
    words = [f"w{i}" for i in range(40)]
    docs = {i: rng.sample(words, 4) for i in range(500)}
    index = BM25Index(merge_fraction=10.0)  # later additions stay pending
    index.add_many(docs.items())
    for key in range(500, 560):
        docs[key] = rng.sample(words, 4)
        index.add(key, docs[key])
    for key in (3, 77, 510):  # replaced documents move to new rows
        docs[key] = ["w1", "w2"]
        index.add(key, docs[key])
    keys = [*rng.sample(sorted(docs), 200), 10_000]  # and one unknown key
    for term in ("w1", "w5", "w39", "nowhere"):
        found = index.which_contain(term, keys)
        assert list(found) == [term in docs.get(key, []) for key in keys]
