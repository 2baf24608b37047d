"""Product classifier: free text → ranked KP VED six-digit classes.

Built from the classifier itself (the name of each class and of all its sub-codes, with
its four-digit group as context) and, when there are some, from labelled examples such as
needs whose ENS TRU code the buyer chose (nearest neighbours by TF-IDF cosine).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from seriktes.kit.codes import class_of, digits_of
from seriktes.matching.bm25 import BM25Index
from seriktes.matching.precision import head_word
from seriktes.matching.text import CODE, MEASURE, Analyzer, Token


@dataclass(frozen=True)
class ClassifierParams:
    """Tunable weights of the classifier (defaults chosen on the dev benchmark)."""

    k1: float = 0.8
    b: float = 0.5
    group_weight: float = 0.3
    head_noun: float = 2.0
    noun: float = 1.0
    adjective: float = 0.7
    other: float = 0.5
    code: float = 0.3
    service_intent: float = 0.2
    example_weight: float = 2.0
    example_threshold: float = 0.3
    neighbours: int = 5
    head_class: float = 0.5  # a class whose names begin with the line's product noun
    rerank_depth: int = 20


# Classes read from the names index before group, service and head-noun evidence reorder
# them: a class whose own name scores low may rise on its group's (150 rather than 50
# candidates: dev lines without learning, top-5 0.473 → 0.481, top-10 0.504 → 0.515).
CANDIDATES = 150

# Words that say the line buys a service or works, not goods.
SERVICE_WORDS = frozenset(
    """услуга работа ремонт обслуживание изготовление пошив монтаж аренда организация
    подписка доступ страхование охрана перевозка печать проведение обучение разработка
    установка прокат сопровождение диагностика испытание экспертиза уборка вывоз очистка
    замена демонтаж наладка поверка продление""".split()
)


def is_service_name(name: str) -> bool:
    """True for a class of services or works («Услуги по …», «Работы …»)."""
    return name.lower().startswith(("услуг", "работ"))


@dataclass(frozen=True)
class ClassScore:
    """A class proposed for a text, with its score and where the evidence came from."""

    code: str
    score: float
    name: str
    evidence: str


def query_weights(tokens: list[Token], params: ClassifierParams) -> dict[str, float]:
    """Weight query terms by role: the first nominative noun names the product."""
    weights: dict[str, float] = {}
    head_seen = False
    for token in tokens:
        if token.kind in (CODE, MEASURE):
            weight = params.code
        elif token.pos == "NOUN":
            weight = params.noun
            if token.nominative and not head_seen:
                weight, head_seen = params.head_noun, True
        elif token.pos in ("ADJF", "ADJS", "PRTF", "PRTS"):
            weight = params.adjective
        else:
            weight = params.other
        weights[token.text] = max(weights.get(token.text, 0.0), weight)
    return weights


def _example_terms(tokens: list[Token]) -> list[str]:
    """Terms that carry a line's product: words and measures, not bare catalogue numbers."""
    return [token.text for token in tokens if not (token.kind == CODE and token.text.isdigit())]


class ExampleMemory:
    """Labelled texts for nearest-neighbour votes; learning one more is cheap."""

    def __init__(self) -> None:
        self.texts: list[list[str]] = []
        self.labels: list[str] = []
        self._matrix: sp.csr_matrix | None = None
        self._vocab: dict[str, int] = {}
        self._idf = np.zeros(0)

    def add(self, terms: list[str], label: str) -> None:
        """Remember one labelled text."""
        if terms:
            self.texts.append(terms)
            self.labels.append(label)
            self._matrix = None

    def _build(self) -> None:
        df: dict[str, int] = defaultdict(int)
        for terms in self.texts:
            for term in set(terms):
                df[term] += 1
        self._vocab = {term: i for i, term in enumerate(df)}
        n = len(self.texts)
        self._idf = np.array([math.log((1 + n) / (1 + df[t])) + 1 for t in self._vocab])
        rows, cols, vals = [], [], []
        for row, terms in enumerate(self.texts):
            vector = self._vector(terms)
            for col, value in vector.items():
                rows.append(row)
                cols.append(col)
                vals.append(value)
        self._matrix = sp.csr_matrix((vals, (rows, cols)), shape=(n, len(self._vocab)))

    def _vector(self, terms: list[str]) -> dict[int, float]:
        counts: dict[int, int] = defaultdict(int)
        for term in terms:
            index = self._vocab.get(term)
            if index is not None:
                counts[index] += 1
        vector = {i: (1 + math.log(c)) * self._idf[i] for i, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        return {i: v / norm for i, v in vector.items()}

    def neighbours(self, terms: list[str], k: int) -> list[tuple[str, float]]:
        """Return the labels of the `k` most similar examples with their cosine."""
        if not self.texts:
            return []
        if self._matrix is None:
            self._build()
        assert self._matrix is not None
        vector = self._vector(terms)
        if not vector:
            return []
        query = np.zeros(self._matrix.shape[1])
        for index, value in vector.items():
            query[index] = value
        sims = self._matrix @ query
        best = np.argsort(-sims)[:k]
        return [(self.labels[i], float(sims[i])) for i in best if sims[i] > 0]


class Classifier:
    """Ranks KP VED six-digit classes for a text."""

    def __init__(
        self,
        entries: Iterable[tuple[str, str]],
        analyzer: Analyzer | None = None,
        params: ClassifierParams | None = None,
    ) -> None:
        self.analyzer = analyzer or Analyzer()
        self.params = params or ClassifierParams()
        self.names: dict[str, str] = {}
        self.heads: dict[str, set[str]] = defaultdict(set)  # product nouns of a class's names
        self.classes = BM25Index(self.params.k1, self.params.b)
        self.groups = BM25Index(self.params.k1, self.params.b)
        self.examples = ExampleMemory()
        self._build(entries)

    def _build(self, entries: Iterable[tuple[str, str]]) -> None:
        class_terms: dict[str, list[str]] = defaultdict(list)
        group_terms: dict[str, list[str]] = defaultdict(list)
        for code, name in entries:
            self.names[code] = name
            digits = digits_of(code)
            tokens = self.analyzer.tokens(name)
            terms = [token.text for token in tokens]
            if len(digits) >= 6:
                class_terms[class_of(code)].extend(terms)
                head = head_word(tokens)
                if head:
                    self.heads[class_of(code)].add(head)
            if len(digits) >= 4:
                group_terms[class_of(code, 4)].extend(terms)
        self.classes.add_many(class_terms.items())
        self.groups.add_many(group_terms.items())

    def __len__(self) -> int:
        return len(self.classes)

    def learn(self, examples: Iterable[tuple[str, str]]) -> int:
        """Learn from (text, code) pairs; return how many were used."""
        used = 0
        for text, code in examples:
            if len(digits_of(code)) >= 6:
                self.examples.add(_example_terms(self.analyzer.tokens(text)), class_of(code))
                used += 1
        return used

    def classify(
        self, text: str, top: int = 10, within: Collection[str] | None = None
    ) -> list[ClassScore]:
        """Return the `top` classes for `text`, best first; empty when nothing matches.
        `within` keeps only classes of these two-digit divisions (what another code of the
        product, such as its HS chapter, allows)."""
        tokens = self.analyzer.tokens(text)
        weights = query_weights(tokens, self.params)
        scores: dict[str, float] = defaultdict(float)
        evidence: dict[str, set[str]] = defaultdict(set)
        pool = max(top * 5, CANDIDATES if within is None else 800)
        for code, score in self.classes.top(weights, pool):
            if within is not None and str(code)[:2] not in within:
                continue
            scores[str(code)] += score
            evidence[str(code)].add("names")
        group_scores = dict(self.groups.top(weights, 200))
        for code in list(scores):
            scores[code] += self.params.group_weight * group_scores.get(class_of(code, 4), 0.0)
        wants_service = any(token.text in SERVICE_WORDS for token in tokens)
        for code in scores:
            agrees = is_service_name(self.names.get(code, "")) == wants_service
            scores[code] *= 1 + self.params.service_intent * (1 if agrees else -1)
        best = max(scores.values(), default=0.0)
        if best > 0:
            for code in scores:
                scores[code] /= best
        for label, similarity in self.examples.neighbours(
            _example_terms(tokens), self.params.neighbours
        ):
            if within is not None and label[:2] not in within:
                continue
            if similarity >= self.params.example_threshold:
                scores[label] += self.params.example_weight * similarity
                evidence[label].add("examples")
        ranked = self._by_head(tokens, sorted(scores.items(), key=lambda item: -item[1]))[:top]
        return [
            ClassScore(
                code, round(score, 4), self.names.get(code, ""), "+".join(sorted(evidence[code]))
            )
            for code, score in ranked
        ]

    def _by_head(
        self, tokens: list[Token], ranked: list[tuple[str, float]]
    ) -> list[tuple[str, float]]:
        """Rerank the best classes: those whose own names begin with the line's product noun
        («Подшипники …» for a bearing) gain `head_class` (chosen on the dev lines, grouped)."""
        head = head_word(tokens)
        if not head or not self.params.head_class:
            return ranked
        depth = self.params.rerank_depth
        lifted = [
            (code, score + self.params.head_class * (head in self.heads.get(code, ())))
            for code, score in ranked[:depth]
        ]
        lifted.sort(key=lambda item: -item[1])
        # scores keep their scale: the best stays where it was before the lift
        scale = ranked[0][1] / lifted[0][1] if lifted and lifted[0][1] > 0 else 1.0
        return [(code, score * scale) for code, score in lifted + ranked[depth:]]
