"""Scoring a classifier on labelled cases: top-k accuracy, MRR and latency, with k-fold
cross-validation when it learns from the same cases (never scoring a case it trained on).

Folds are groups (the buyer of a line) when the cases name one: a buyer's lines are then
never on both sides of a split, which is how the engine meets lines of a buyer it has never
seen. Without groups the folds interleave the cases (plain k-fold)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from seriktes.kit.codes import class_of
from seriktes.matching.classifier import Classifier


@dataclass(frozen=True)
class Case:
    """One labelled line: an id, its text, its six-digit class and its group (the buyer)."""

    id: str
    text: str
    code: str
    group: str = ""


def score_cases(classify: Callable[[str], list[str]], cases: Sequence[Case]) -> dict[str, float]:
    """Return n, top1, top5, top10, top1_4digit, mrr, p50_ms and p95_ms of `classify`."""
    hits = {1: 0, 5: 0, 10: 0}
    four = 0
    reciprocal = 0.0
    times = []
    for case in cases:
        started = time.perf_counter()
        ranked = classify(case.text)
        times.append((time.perf_counter() - started) * 1000)
        gold = class_of(case.code)
        for k in hits:
            hits[k] += gold in ranked[:k]
        four += bool(ranked) and class_of(ranked[0], 4) == class_of(gold, 4)
        if gold in ranked:
            reciprocal += 1 / (ranked.index(gold) + 1)
    n = max(len(cases), 1)
    return {
        "n": len(cases),
        "top1": round(hits[1] / n, 4),
        "top5": round(hits[5] / n, 4),
        "top10": round(hits[10] / n, 4),
        "top1_4digit": round(four / n, 4),
        "mrr": round(reciprocal / n, 4),
        "p50_ms": round(float(np.percentile(times, 50)), 2) if times else 0.0,
        "p95_ms": round(float(np.percentile(times, 95)), 2) if times else 0.0,
    }


def evaluate(
    make: Callable[[], Classifier],
    cases: Sequence[Case],
    train: Sequence[Case] = (),
    folds: int = 10,
    grouped: bool = True,
) -> dict[str, float]:
    """Score a fresh classifier on `cases`; learn from `train` (cross-validated on overlap,
    folds by group when `grouped` and the cases have groups)."""
    train_ids = {case.id for case in train}
    overlap = [case for case in cases if case.id in train_ids]
    if not overlap:
        classifier = make()
        classifier.learn((case.text, case.code) for case in train)
        return score_cases(_ranker(classifier), cases) | {"learned": len(train), "folds": 0}
    # Cases that are also training examples are scored by a classifier that never saw them.
    outside = [case for case in train if case.id not in {c.id for c in cases}]
    results: list[tuple[Case, list[str], float]] = []
    assign = fold_of(cases, folds, grouped)
    for fold in range(folds):
        held = [case for case in cases if assign[case.id] == fold]
        held_ids = {case.id for case in held}
        classifier = make()
        classifier.learn(
            (case.text, case.code) for case in [*outside, *overlap] if case.id not in held_ids
        )
        ranker = _ranker(classifier)
        for case in held:
            started = time.perf_counter()
            ranked = ranker(case.text)
            results.append((case, ranked, (time.perf_counter() - started) * 1000))
    lookup = {case.id: (ranked, ms) for case, ranked, ms in results}
    replay = iter(lookup[case.id] for case in cases)
    scored = score_cases(lambda _text: next(replay)[0], cases)
    times = [lookup[case.id][1] for case in cases]
    scored["p50_ms"] = round(float(np.percentile(times, 50)), 2)
    scored["p95_ms"] = round(float(np.percentile(times, 95)), 2)
    return scored | {"learned": len(train), "folds": folds}


def fold_of(cases: Sequence[Case], folds: int, grouped: bool = True) -> dict[str, int]:
    """The fold of each case id: whole groups dealt largest first to the emptiest fold (so
    folds have about equal sizes), or case i to fold i % folds without groups."""
    if not (grouped and all(case.group for case in cases)):
        return {case.id: i % folds for i, case in enumerate(cases)}
    members: dict[str, list[str]] = {}
    for case in cases:
        members.setdefault(case.group, []).append(case.id)
    sizes = [0] * folds
    assign: dict[str, int] = {}
    for group in sorted(members, key=lambda g: (-len(members[g]), g)):
        fold = sizes.index(min(sizes))
        sizes[fold] += len(members[group])
        assign.update((case_id, fold) for case_id in members[group])
    return assign


def _ranker(classifier: Classifier) -> Callable[[str], list[str]]:
    return lambda text: [score.code for score in classifier.classify(text, 10)]
