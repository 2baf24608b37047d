"""Need ↔ offer matching: lexical and class candidates, factor ranking, explanations.

Adding or removing an offer updates the index in place; nothing is rebuilt.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Sequence
from typing import Protocol

from seriktes.kit.codes import agreement_level, class_of
from seriktes.matching.bm25 import BM25Index
from seriktes.matching.classifier import Classifier, ClassScore
from seriktes.matching.concordance import divisions_for_hs
from seriktes.matching.documents import Factor, Match, NeedDoc, OfferDoc
from seriktes.matching.feedback import Feedback, FeedbackMemory
from seriktes.matching.precision import (
    GENERIC,
    STRONG,
    WEAK,
    BandLimits,
    Verdict,
    Wanted,
    band,
    head_word,
    judge,
    product_words,
)
from seriktes.matching.ranking import (
    CLASS_LEVEL_VALUE,
    ORIGIN_VALUE,
    Geography,
    UnitTable,
    Weights,
    capacity_ratio,
    capacity_score,
    capacity_value,
    region_value,
)
from seriktes.matching.text import CODE, MEASURE, Analyzer, Token

__all__ = ["Factor", "Match", "Matcher", "NeedDoc", "OfferDoc", "head_word"]

QUERY_KIND_WEIGHT = {CODE: 1.5, MEASURE: 0.8}
HEAD_MISSING_FACTOR = 0.4
# Without the precision rules every ranked offer is shown, its band set by relevance alone.
_SHOWN = Verdict(True, STRONG, "")


# A ranked candidate: score, offer, class level, text value, text note, the rules' verdict.
_Ranked = tuple[float, OfferDoc, int, float, str, Verdict]


class OfferStore(Protocol):
    """The indexed offers by id, and the ids of each class's offers in the order they were
    filed (the matcher takes the first ones of a need's class as candidates)."""

    def get(self, offer_id: int) -> OfferDoc | None: ...

    def __getitem__(self, offer_id: int) -> OfferDoc: ...

    def __contains__(self, offer_id: object) -> bool: ...

    def __len__(self) -> int: ...

    def values(self) -> Iterable[OfferDoc]: ...

    def put(self, offer: OfferDoc) -> None:
        """File an offer (not there yet) last in its class."""

    def pop(self, offer_id: int) -> OfferDoc | None:
        """Take an offer out; None when it was not there."""

    def shelf(self, code: str, digits: int) -> Iterable[int]:
        """The ids of the offers whose class cut to `digits` digits is `code`."""


class MemoryOffers:
    """An offer store in this process's memory."""

    def __init__(self) -> None:
        self.offers: dict[int, OfferDoc] = {}
        self.by_class: dict[str, dict[int, None]] = defaultdict(dict)
        self.by_group: dict[str, dict[int, None]] = defaultdict(dict)

    def get(self, offer_id: int) -> OfferDoc | None:
        """The offer with this id, None when it is not filed."""
        return self.offers.get(offer_id)

    def __getitem__(self, offer_id: int) -> OfferDoc:
        return self.offers[offer_id]

    def __contains__(self, offer_id: object) -> bool:
        return offer_id in self.offers

    def __len__(self) -> int:
        return len(self.offers)

    def __iter__(self) -> Iterator[int]:
        return iter(self.offers)

    def values(self) -> Iterable[OfferDoc]:
        """Every offer, in the order filed."""
        return self.offers.values()

    def put(self, offer: OfferDoc) -> None:
        """File an offer last in its class and four-digit group."""
        self.offers[offer.id] = offer
        for shelf in self._shelves(offer):
            shelf[offer.id] = None

    def pop(self, offer_id: int) -> OfferDoc | None:
        """Take an offer out."""
        offer = self.offers.pop(offer_id, None)
        if offer is not None:
            for shelf in self._shelves(offer):
                shelf.pop(offer_id, None)
        return offer

    def shelf(self, code: str, digits: int) -> Iterable[int]:
        """The offers of a class (six digits) or a four-digit group, in the order filed."""
        shelves = self.by_group if digits == 4 else self.by_class
        return shelves.get(code, {})

    def _shelves(self, offer: OfferDoc) -> tuple[dict[int, None], ...]:
        """The offers of the offer's class and of its group (none without a class)."""
        if not offer.class_code:
            return ()
        return self.by_class[class_of(offer.class_code)], self.by_group[
            class_of(offer.class_code, 4)
        ]


class Matcher:
    """Index of offers and the ranking of offers for a need.

    The offers and their index are in this process's memory by default; `index` and
    `offers` given (`matching.snapshot`) read them from files mapped by many processes."""

    def __init__(
        self,
        analyzer: Analyzer | None = None,
        classifier: Classifier | None = None,
        geography: Geography | None = None,
        units: UnitTable | None = None,
        weights: Weights | None = None,
        bands: BandLimits | None = None,
        rules: bool = True,
        index: BM25Index | None = None,
        offers: OfferStore | None = None,
    ) -> None:
        self.analyzer = analyzer or (classifier.analyzer if classifier else Analyzer())
        self.classifier = classifier
        self.geography = geography or Geography()
        self.units = units or UnitTable()
        self.weights = weights or Weights()
        self.bands = bands or BandLimits()
        self.rules = rules  # the precision rules of `precision.judge`; off only to measure them
        self.index = index if index is not None else BM25Index(k1=1.2, b=0.75)
        self.offers: OfferStore = offers if offers is not None else MemoryOffers()
        self.feedback = FeedbackMemory()

    # --- the offer index --------------------------------------------------------------
    def add_offer(self, offer: OfferDoc) -> None:
        """Index one offer (replacing an earlier version with the same id)."""
        if offer.id in self.offers:
            self.remove_offer(offer.id)
        offer = self._with_class(offer)
        self.offers.put(offer)
        self.index.add(offer.id, self.analyzer.terms(offer.text))

    def add_offers(self, offers: Iterable[OfferDoc]) -> None:
        """Index many offers at once."""
        prepared = [self._with_class(offer) for offer in offers]
        for offer in prepared:
            self.offers.put(offer)
        self.index.add_many((offer.id, self.analyzer.terms(offer.text)) for offer in prepared)

    def remove_offer(self, offer_id: int) -> None:
        """Take an offer out of the index."""
        offer = self.offers.pop(offer_id)
        if offer is None:
            return
        self.index.remove(offer_id)

    def _with_class(self, offer: OfferDoc) -> OfferDoc:
        if offer.class_code or self.classifier is None:
            return offer
        best = self.classifier.classify(offer.text, 1, within=divisions_for_hs(offer.hs_code))
        if not best:
            return offer
        return OfferDoc(**{**offer.__dict__, "class_code": best[0].code})

    # --- matching -------------------------------------------------------------------
    def need_class(self, need: NeedDoc) -> str | None:
        """The need's class: as given, else the classifier's best guess."""
        if need.class_code or self.classifier is None:
            return need.class_code
        best = self.classifier.classify(need.text, 1)
        return best[0].code if best else None

    def match(
        self, need: NeedDoc, top: int = 10, candidates: int = 200, per_producer: int = 1
    ) -> list[Match]:
        """Return the `top` offers for `need`, best first, at most `per_producer` offers of
        one producer (so that the list names different producers), each explained and
        banded; offers the precision rules refuse or feedback rejects are not returned."""
        tokens = self.analyzer.tokens(need.text)
        query = self._query(tokens)
        lexical = dict(self.index.top(query, candidates)) if query else {}
        need_class = self.need_class(need)
        liked = self.feedback.liked(need.id)
        pool = self._pool(need_class, list(lexical), liked, candidates)
        ideal = max(self.index.ideal_score(query) * 0.6, 1e-9) if query else 1.0
        head = head_word(tokens)
        has_head = self.index.which_contain(head, pool) if head else None
        scorer = _Scorer(self, need, need_class)
        ranked: list[_Ranked] = []
        for position, offer_id in enumerate(pool):
            offer = self.offers.get(offer_id)  # type: ignore[arg-type]
            if offer is None or offer.producer_id == need.buyer_id:
                continue
            text_value = min(1.0, lexical.get(offer_id, 0.0) / ideal)
            level = scorer.level(offer.class_code)
            text_note = "similarity of the texts"
            if has_head is not None and not has_head[position] and level < 4:
                text_value *= HEAD_MISSING_FACTOR
                text_note = f"the product word «{head}» is not in the offer"
            # relevance alone bounds the score: skip the supplier factors when it is too low
            relevance = self.weights.relevance(text_value, CLASS_LEVEL_VALUE[level])
            if relevance < self.weights.min_relevance and offer_id not in liked:
                continue
            score = self.weights.score(relevance, scorer.fit(offer))
            ranked.append((score, offer, level, text_value, text_note, _SHOWN))
        ranked.sort(key=lambda item: (-item[0], item[1].id))
        ranked = self._judged(need, tokens, need_class, ranked, top)
        query_terms = {t.text for t in tokens if t.text not in GENERIC}
        return [
            self._explained(need, query_terms, *item)
            for item in _limit_per_producer(ranked, per_producer, top)
        ]

    def _pool(
        self,
        need_class: str | None,
        pool: list[Hashable],
        liked: list[int],
        candidates: int,
    ) -> list[Hashable]:
        """Candidates: the lexical hits, offers of the need's class and four-digit group, and
        the offers marked suitable for this need (`liked`)."""
        extra: list[Iterable[Hashable]] = [liked]
        if need_class:
            extra.append(itertools.islice(self.offers.shelf(class_of(need_class), 6), candidates))
            group = self.offers.shelf(class_of(need_class, 4), 4)
            extra.append(itertools.islice(group, candidates))
        seen = set(pool)
        for keys in extra:
            for key in keys:
                if key not in seen:
                    seen.add(key)
                    pool.append(key)
        return pool

    def _judged(
        self,
        need: NeedDoc,
        tokens: list[Token],
        need_class: str | None,
        ranked: list[_Ranked],
        wanted: int,
    ) -> list[_Ranked]:
        """The ranked offers that the precision rules and feedback let through, best first;
        an offer with a conflicting material or purpose keeps half its score, feedback
        lifts or lowers it. Judges offers in score order until clean ones of `wanted` producers are
        found (a few dozen, not the whole pool)."""
        asked = Wanted.of(tokens)
        similar = (frozenset(asked.product), class_of(need_class, 4) if need_class else None)
        kept: list[_Ranked] = []
        clean: set[int] = set()  # producers with an offer shown without a conflict
        for score, offer, level, text_value, text_note, _ in ranked:
            judged = self._verdict(need, asked, similar, offer, level)
            if judged is None:
                continue
            factor, verdict = judged
            kept.append((score * factor, offer, level, text_value, text_note, verdict))
            if verdict.ceiling != WEAK:
                clean.add(offer.producer_id)
            if len(clean) >= wanted + 5:
                break
        kept.sort(key=lambda item: (-item[0], item[1].id))
        return kept

    def _verdict(
        self,
        need: NeedDoc,
        asked: Wanted,
        similar: tuple[frozenset[str], str | None],
        offer: OfferDoc,
        level: int,
    ) -> tuple[float, Verdict] | None:
        """The score factor and verdict of one offer for a need, None when it is not shown:
        feedback on the pair decides first, then the precision rules, then feedback on
        similar needs moves the score (a conflict halves it)."""
        effect = self.feedback.effect(need.id, *similar, offer.id)
        if effect is not None and effect.same_pair:
            return (
                (effect.factor, Verdict(True, STRONG, effect.note, True)) if effect.factor else None
            )
        verdict = _SHOWN
        if self.rules:
            comparable = bool(similar[1] and offer.class_code)  # both classes known
            verdict = judge(
                asked, self.analyzer.tokens(offer.text), level, bool(need.class_code), comparable
            )
        if not verdict.shown:
            return None
        factor = 0.5 if verdict.ceiling == WEAK else 1.0
        if effect is not None:
            factor *= effect.factor
            verdict = Verdict(True, verdict.ceiling, f"{verdict.reason}; {effect.note}")
        return factor, verdict

    # --- feedback -------------------------------------------------------------------
    def add_feedback(self, need: NeedDoc, offer_id: int, suitable: bool) -> None:
        """Remember that an offer is (not) suitable for a need; later matches of this need
        and of similar needs follow it at once."""
        need_class = self.need_class(need)
        self.feedback.add(
            Feedback(
                need.id,
                offer_id,
                suitable,
                frozenset(product_words(self.analyzer.tokens(need.text))),
                class_of(need_class, 4) if need_class else None,
            )
        )

    def remove_feedback(self, need_id: int, offer_id: int) -> None:
        """Forget the feedback on a pair."""
        self.feedback.remove(need_id, offer_id)

    def _explained(
        self,
        need: NeedDoc,
        query_terms: set[str],
        score: float,
        offer: OfferDoc,
        level: int,
        text_value: float,
        text_note: str,
        verdict: Verdict,
    ) -> Match:
        """The match of one ranked offer with its factors, notes and band."""
        factors = self._factors(need, offer, text_value, level, text_note)
        relevance, fit, _score = self.weights.combine({f.name: f.value for f in factors})
        offer_terms = set(self.analyzer.terms(offer.text))
        return Match(
            need.id,
            offer.id,
            offer.producer_id,
            round(score, 4),
            level,
            tuple(sorted(query_terms & offer_terms)),
            tuple(factors),
            relevance,
            fit,
            rule=self.rule,
            band=band(relevance, verdict.ceiling, self.bands, verdict.confirmed),
            verdict=verdict.reason,
        )

    @property
    def rule(self) -> str:
        """How the score is computed, in words stored with every match."""
        share = self.weights.fit_share
        return f"score = relevance × ({1 - share:g} + {share:g} × fit)"

    def search(
        self, text: str, top: int = 20, classes: Sequence[ClassScore] | None = None
    ) -> list[tuple[int, float]]:
        """Offers described by a free text, best first, with a relevance in [0, 1]: text
        similarity, raised for offers of the text's most likely class (from `classes` when
        the caller has classified the text already, else from the classifier)."""
        query = self._query(self.analyzer.tokens(text))
        if not query:
            return []
        ideal = max(self.index.ideal_score(query) * 0.5, 1e-9)
        lexical = {int(k): min(1.0, s / ideal) for k, s in self.index.top(query, top * 3)}  # type: ignore[call-overload]
        if classes is None:
            classes = self.classifier.classify(text, 1) if self.classifier else []
        if classes:
            wanted = class_of(classes[0].code)
            for offer_id, value in lexical.items():
                offer = self.offers.get(offer_id)
                if offer and offer.class_code and class_of(offer.class_code) == wanted:
                    lexical[offer_id] = min(1.0, value + 0.2)
        ranked = sorted(lexical.items(), key=lambda item: (-item[1], item[0]))
        return ranked[:top]

    def _query(self, tokens: list[Token]) -> dict[str, float]:
        query: dict[str, float] = {}
        head = head_word(tokens)
        for token in tokens:
            if token.text in GENERIC:
                weight = 0.2
            elif token.text == head:
                weight = 2.0
            elif token.pos in ("ADJF", "ADJS", "PRTF", "PRTS"):
                weight = 0.6
            else:
                weight = QUERY_KIND_WEIGHT.get(token.kind, 1.0)
            query[token.text] = max(query.get(token.text, 0.0), weight)
        return query

    def _factors(
        self, need: NeedDoc, offer: OfferDoc, text_value: float, level: int, text_note: str
    ) -> list[Factor]:
        w = self.weights
        unit, unit_note = self.units.compatibility(need.unit_code, offer.unit_code)
        capacity, capacity_note = capacity_value(
            self.units, need.quantity, need.unit_code, offer.capacity, offer.unit_code
        )
        region, region_note = region_value(self.geography, need.region, offer.region)
        origin = ORIGIN_VALUE.get(need.origin, 0.3)
        return [
            Factor("text", round(text_value, 4), w.text, text_note),
            Factor(
                "class",
                CLASS_LEVEL_VALUE[level],
                w.class_code,
                f"classes agree to {level} digits" if level else "classes differ",
            ),
            Factor("unit", unit, w.unit, unit_note),
            Factor("capacity", capacity, w.capacity, capacity_note),
            Factor("region", region, w.region, region_note),
            Factor(
                "certificate",
                1.0 if offer.certified else 0.0,
                w.certificate,
                "domestic producer certificate" if offer.certified else "no certificate",
            ),
            Factor(
                "import_substitution", origin, w.import_substitution, f"bought today: {need.origin}"
            ),
        ]


class _Scorer:
    """The supplier factors of offers for one need, as numbers only (the explanation of the
    few offers shown is built by `Matcher._factors`); values repeated across offers, such as
    a region or a unit, are computed once per need."""

    def __init__(self, matcher: Matcher, need: NeedDoc, need_class: str | None) -> None:
        self.matcher = matcher
        self.need = need
        self.need_class = need_class
        self.origin = ORIGIN_VALUE.get(need.origin, 0.3)
        self.levels: dict[str | None, int] = {}
        self.units: dict[str | None, float] = {}
        self.regions: dict[str | None, float] = {}

    def level(self, class_code: str | None) -> int:
        """How many leading digits the offer's class shares with the need's."""
        level = self.levels.get(class_code)
        if level is None:
            level = self.levels[class_code] = agreement_level(self.need_class, class_code)
        return level

    def fit(self, offer: OfferDoc) -> float:
        """The fit of the offer's producer, equal to what its explained factors combine to."""
        need, matcher = self.need, self.matcher
        unit = self.units.get(offer.unit_code)
        if unit is None:
            unit = matcher.units.compatibility(need.unit_code, offer.unit_code)[0]
            self.units[offer.unit_code] = unit
        region = self.regions.get(offer.region)
        if region is None:
            region = region_value(matcher.geography, need.region, offer.region)[0]
            self.regions[offer.region] = region
        ratio = capacity_ratio(
            matcher.units, need.quantity, need.unit_code, offer.capacity, offer.unit_code
        )
        certificate = 1.0 if offer.certified else 0.0
        return matcher.weights.fit(unit, capacity_score(ratio), region, certificate, self.origin)


def _limit_per_producer(ranked: list[_Ranked], per_producer: int, top: int) -> list[_Ranked]:
    kept: list[_Ranked] = []
    seen: dict[int, int] = defaultdict(int)
    for item in ranked:
        producer = item[1].producer_id
        if seen[producer] < per_producer:
            seen[producer] += 1
            kept.append(item)
            if len(kept) == top:
                break
    return kept
