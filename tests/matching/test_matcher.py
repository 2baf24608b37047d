"""Need ↔ offer matching: ranking factors, explanations, incremental updates."""

from __future__ import annotations

import pytest

from seriktes.matching.matcher import Matcher, NeedDoc, OfferDoc
from seriktes.matching.ranking import Geography, UnitTable

EAST, NORTH, PAVLODAR, ALMATY = "630000000", "590000000", "550000000", "750000000"
GEO = Geography(
    coords={
        EAST: (49.95, 82.61),
        NORTH: (54.87, 69.14),
        PAVLODAR: (52.29, 76.97),
        ALMATY: (43.24, 76.89),
    },
    partners={EAST: frozenset({NORTH}), NORTH: frozenset({EAST})},
)
UNITS = UnitTable(
    {"796": "count", "166": "mass", "168": "mass", "5114": "service"},
    {"796": 1.0, "166": 1.0, "168": 1000.0},
)
NEED = NeedDoc(
    1,
    buyer_id=100,
    text="Подшипник 6205-2RS",
    class_code="28.15.10",
    unit_code="796",
    quantity=200,
    region=EAST,
    origin="far_abroad",
)


def offer(offer_id: int, producer: int, text: str, **kw: object) -> OfferDoc:
    fields: dict[str, object] = {
        "class_code": "28.15.10",
        "unit_code": "796",
        "capacity": 10_000.0,
        "region": NORTH,
        "certified": True,
    }
    return OfferDoc(offer_id, producer, text, **(fields | kw))  # type: ignore[arg-type]


@pytest.fixture
def matcher() -> Matcher:
    m = Matcher(geography=GEO, units=UNITS)
    m.add_offers(
        [
            offer(1, 10, "Подшипник 6205-2RS шариковый"),
            offer(2, 11, "Подшипники шариковые 6205-2RS", region=PAVLODAR, certified=False),
            offer(3, 12, "Подшипники роликовые конические"),
            offer(4, 13, "Канат стальной ГОСТ 2688-80", class_code="25.93.11"),
            offer(5, 100, "Подшипник 6205-2RS", region=EAST),  # the buyer's own offer
        ]
    )
    return m


def test_best_offer_first_with_its_explanation(matcher: Matcher) -> None:
    found = matcher.match(NEED)
    assert [m.offer_id for m in found] == [1, 2, 3]
    best = found[0]
    assert best.matched_terms == ("6205", "6205-2rs", "подшипник")
    assert best.class_level == 6
    factors = {f.name: f for f in best.factors}
    assert factors["region"].note == "partner region"
    assert factors["certificate"].value == 1.0
    assert factors["import_substitution"].value == 1.0
    relevance = 0.6 * factors["text"].value + 0.4 * factors["class"].value
    fit_weights = {
        "unit": 0.15,
        "capacity": 0.15,
        "region": 0.3,
        "certificate": 0.15,
        "import_substitution": 0.25,
    }
    fit = sum(factors[n].value * w for n, w in fit_weights.items()) / sum(fit_weights.values())
    assert (best.relevance, best.fit) == (pytest.approx(relevance), pytest.approx(fit))
    assert best.score == pytest.approx(relevance * (0.5 + 0.5 * fit), abs=1e-3)
    explanation = best.explanation()
    assert {f["name"] for f in explanation["factors"]} == set(factors)  # type: ignore[union-attr]


def test_partner_region_and_certificate_outrank_a_nearer_uncertified_producer(
    matcher: Matcher,
) -> None:
    found = {m.offer_id: m for m in matcher.match(NEED)}
    assert found[1].score > found[2].score
    assert {f.name: f.note for f in found[2].factors}["region"].endswith("km away")


def test_the_buyer_is_never_offered_its_own_products(matcher: Matcher) -> None:
    assert 5 not in {m.offer_id for m in matcher.match(NEED)}


def test_unrelated_offers_are_not_candidates(matcher: Matcher) -> None:
    assert 4 not in {m.offer_id for m in matcher.match(NEED)}


def test_units_and_capacity(matcher: Matcher) -> None:
    matcher.add_offer(offer(6, 14, "Подшипник 6205-2RS", unit_code="166", capacity=5.0))
    matcher.add_offer(offer(7, 15, "Подшипник 6205-2RS", capacity=50.0))
    factors = {m.offer_id: {f.name: f for f in m.factors} for m in matcher.match(NEED)}
    assert factors[6]["unit"].value == 0.0
    assert factors[7]["capacity"].value == pytest.approx(0.25)
    assert factors[7]["capacity"].note == "capacity covers 25% of the quantity"


def test_adding_and_removing_one_offer_changes_the_answer(matcher: Matcher) -> None:
    matcher.add_offer(offer(8, 16, "Подшипник 6205-2RS SKF, 6205-2RS аналог"))
    assert 8 in {m.offer_id for m in matcher.match(NEED)}
    matcher.remove_offer(8)
    assert 8 not in {m.offer_id for m in matcher.match(NEED)}


def test_one_offer_per_producer_by_default(matcher: Matcher) -> None:
    matcher.add_offer(offer(9, 10, "Подшипник 6205-2RS закрытый"))
    producers = [m.producer_id for m in matcher.match(NEED)]
    assert len(producers) == len(set(producers))
    assert len(matcher.match(NEED, per_producer=2)) == len(producers) + 1


def test_class_agreement_brings_offers_with_other_words(matcher: Matcher) -> None:
    matcher.add_offer(offer(10, 17, "Изделия для узлов вращения, собственное производство"))
    found = {m.offer_id: m for m in matcher.match(NEED, top=20)}
    assert found[10].class_level == 6
    assert found[10].matched_terms == ()


def test_a_good_supplier_of_something_else_is_not_a_match(matcher: Matcher) -> None:
    # same region, certificate, unit and capacity, but nothing in common with the need
    matcher.add_offer(offer(11, 18, "Говядина высший сорт", class_code="10.11.31"))
    need = NeedDoc(
        2,
        buyer_id=100,
        text="Чай черный высший сорт",
        class_code="10.83.13",
        unit_code="796",
        quantity=10,
        region=EAST,
        origin="far_abroad",
    )
    assert 11 not in {m.offer_id for m in matcher.match(need)}


def test_every_score_is_what_its_explained_factors_combine_to() -> None:
    """The ranking scores offers without building explanations; the shown factors must
    still add up to the shown score, whatever the units, capacities and regions."""
    m = Matcher(geography=GEO, units=UNITS)
    m.add_offers(
        offer(i, 10 + i, "Подшипник 6205-2RS", **kw)
        for i, kw in enumerate(
            [
                {},
                {"unit_code": "168", "capacity": 0.05},
                {"unit_code": "166", "capacity": 50.0, "region": ALMATY},
                {"unit_code": "5114", "capacity": None, "region": None},
                {"unit_code": None, "region": PAVLODAR, "certified": False},
                {"capacity": 120.0, "region": EAST, "class_code": "28.15.20"},
            ],
            start=1,
        )
    )
    for need in (NEED, NeedDoc(2, 1, "подшипник 6205-2RS", unit_code="166", quantity=3000)):
        found = m.match(need)
        assert len(found) >= 5
        for match in found:
            values = {f.name: f.value for f in match.factors}
            relevance, fit, score = m.weights.combine(values)
            assert (match.relevance, match.fit) == (pytest.approx(relevance), pytest.approx(fit))
            assert match.score == pytest.approx(score, abs=1e-4)
