"""The precision rules: what a procurement officer would refuse is not shown, and the bands."""

from __future__ import annotations

import pytest

from seriktes.matching.matcher import Matcher, NeedDoc, OfferDoc
from seriktes.matching.precision import (
    POSSIBLE,
    STRONG,
    WEAK,
    BandLimits,
    Wanted,
    band,
    judge,
    kind_of,
    product_words,
)
from seriktes.matching.text import Analyzer

ANALYZER = Analyzer()


def verdict(need: str, offer: str, level: int = 0, class_given: bool = True) -> tuple[bool, str]:
    """Judge two texts; return (shown, ceiling)."""
    found = judge(Wanted.of(ANALYZER.tokens(need)), ANALYZER.tokens(offer), level, class_given)
    return found.shown, found.ceiling


@pytest.mark.parametrize(
    ("need", "offer"),
    [
        ("Круг шлифовальный 125 мм", "Круг, арматура, катанка стальные"),  # a homonym
        ("Организация спортивных мероприятий", "Рекламные услуги"),  # only «услуга» shared
        ("Компьютер персональный", "Сеялка-культиватор ПК-8,5"),  # an abbreviation clash
        ("Труба ПП д.20", "Монтаж дымовой трубы"),  # goods for works
        ("Услуги банков по ведению счетов", "Услуги автокрана"),
    ],
)
def test_different_products_in_different_classes_are_not_shown(need: str, offer: str) -> None:
    assert verdict(need, offer) == (False, WEAK)


def test_a_product_named_by_both_texts_is_shown_across_a_class_the_buyer_chose() -> None:
    shown, ceiling = verdict("Подшипник роликовый 22312", "Подшипники роликовые сферические")
    assert shown and ceiling == STRONG


def test_a_service_is_not_shown_for_goods_even_with_the_same_words() -> None:
    shown, _ = verdict("Трансформатор силовой ТМГ-400", "Ремонт трансформатора силового", 2)
    assert not shown
    assert kind_of(ANALYZER.tokens("Ремонт трансформатора силового")) == "work"


def test_goods_made_to_order_are_served_by_their_producers() -> None:
    shown, _ = verdict("Изготовление металлических решеток", "Решетки металлические сварные", 4)
    assert shown


def test_conflicting_materials_or_purposes_keep_a_match_weak() -> None:
    assert verdict("Масло трансмиссионное ТАД-17и", "Масло гидравлическое HLP-46", 4) == (
        True,
        WEAK,
    )
    assert verdict("Труба полипропиленовая д.20", "Труба стальная 57х3,5", 4) == (True, WEAK)
    assert verdict("Фильтр обеззоленный лабораторный", "Фильтр масляный КАМАЗ", 4)[1] == WEAK


def test_the_same_group_without_the_product_word_is_at_most_possible() -> None:
    assert verdict("Саморез по металлу 4,2х19", "Болт М12 оцинкованный", 4) == (True, POSSIBLE)


def test_the_product_word_of_work_includes_what_is_worked_on() -> None:
    assert product_words(ANALYZER.tokens("Ремонт кондиционеров")) == ["ремонт", "кондиционер"]
    shown, _ = verdict("Ремонт кондиционеров", "Ремонт металлургического оборудования", 2)
    assert not shown


def test_band_follows_relevance_below_the_ceiling() -> None:
    limits = BandLimits(strong=0.6, possible=0.4)
    assert [band(r, STRONG, limits) for r in (0.7, 0.5, 0.3)] == [STRONG, POSSIBLE, WEAK]
    assert band(0.9, POSSIBLE, limits) == POSSIBLE


def offer(offer_id: int, text: str, class_code: str, producer: int = 0) -> OfferDoc:
    return OfferDoc(offer_id, producer or offer_id + 100, text, class_code)


def test_matcher_shows_no_unrelated_producer_when_nobody_makes_the_class() -> None:
    matcher = Matcher()
    matcher.add_offers(
        [
            offer(1, "Рекламные услуги: баннеры, видеоролики", "73.11.11"),
            offer(2, "Гостиничные услуги, номера", "55.10.10"),
        ]
    )
    need = NeedDoc(1, 1, "Услуги по организации спортивных мероприятий", "93.19.19")
    assert matcher.match(need) == []
    matcher.add_offer(offer(3, "Проведение спортивных мероприятий и соревнований", "93.19.13"))
    assert [m.offer_id for m in matcher.match(need)] == [3]


def test_matcher_explains_band_and_keeps_generic_words_out_of_the_matched_terms() -> None:
    matcher = Matcher()
    matcher.add_offers(
        [offer(1, "Цемент ПЦ 400-Д20 отечественного производства, мешки 50 кг", "23.51.12")]
    )
    need = NeedDoc(1, 1, "Цемент М400 аналоги отечественного производства", "23.51.12")
    [found] = matcher.match(need)
    explained = found.explanation()
    assert explained["band"] in (STRONG, POSSIBLE)
    assert explained["verdict"] == "the product agrees"
    assert "производство" not in explained["matched_terms"]
    assert "цемент" in explained["matched_terms"]


def test_matcher_finds_offers_of_the_same_four_digit_group() -> None:
    matcher = Matcher()
    matcher.add_offers([offer(1, "Шпатлевка финишная полимерная", "20.30.22")])
    need = NeedDoc(1, 1, "Шпатлевка масляно-клеевая", "20.30.12")
    [found] = matcher.match(need)
    assert found.class_level == 4


def test_a_product_word_only_in_the_offers_details_keeps_the_match_weak() -> None:
    roller = "Ролик конвейерный центрирующий 89х250, подшипник 6305/6306"
    assert verdict("Подшипник роликовый 22312", roller, 2) == (True, WEAK)
    assert verdict("Ролик конвейерный 89х250", roller, 2) == (True, STRONG)


def test_a_guessed_class_in_another_division_keeps_a_shared_product_word_weak() -> None:
    need, food = (
        Wanted.of(ANALYZER.tokens("Масло трансмиссионное ТАД-17и")),
        ANALYZER.tokens("Масло рапсовое рафинированное дезодорированное"),
    )
    assert judge(need, food, 0, class_given=False).ceiling == WEAK
    # without classes to compare, the product word alone decides
    assert judge(need, food, 0, class_given=False, comparable=False).ceiling == STRONG
