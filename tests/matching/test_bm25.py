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
