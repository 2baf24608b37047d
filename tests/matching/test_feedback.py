"""Feedback on matches: a pair marked suitable or not, and similar needs following it."""

from __future__ import annotations

from seriktes.matching.matcher import Matcher, NeedDoc, OfferDoc
from seriktes.matching.precision import STRONG

BEARINGS = [
    OfferDoc(1, 101, "Подшипники роликовые сферические 22312", "28.15.10"),
    OfferDoc(2, 102, "Подшипники шариковые радиальные 6205", "28.15.10"),
]


def matcher() -> Matcher:
    found = Matcher()
    found.add_offers(BEARINGS)
    return found


def ids(matcher: Matcher, need: NeedDoc) -> list[int]:
    return [m.offer_id for m in matcher.match(need)]


def test_a_pair_marked_not_suitable_is_dropped_and_similar_needs_lower_it() -> None:
    engine = matcher()
    need = NeedDoc(1, 9, "Подшипник роликовый 22312", "28.15.10")
    other = NeedDoc(2, 8, "Подшипник роликовый 22316", "28.15.10")
    before = {m.offer_id: m.score for m in engine.match(other)}
    assert ids(engine, need)[0] == 1
    engine.add_feedback(need, 1, suitable=False)
    assert 1 not in ids(engine, need)
    after = {m.offer_id: m for m in engine.match(other)}
    assert after[1].score < before[1]
    assert "not suitable for a similar need" in after[1].verdict
    engine.remove_feedback(1, 1)
    assert ids(engine, need)[0] == 1


def test_a_pair_marked_suitable_is_shown_strong_even_where_the_rules_refuse_it() -> None:
    engine = matcher()
    engine.add_offer(OfferDoc(3, 103, "Ремонт редукторов и замена подшипников", "33.12.11"))
    need = NeedDoc(1, 9, "Подшипник для редуктора", "28.15.10")
    assert 3 not in ids(engine, need)  # works for goods: refused by the rules
    engine.add_feedback(need, 3, suitable=True)
    shown = {m.offer_id: m for m in engine.match(need)}
    assert shown[3].band == STRONG
    assert shown[3].verdict == "marked suitable for this need"
