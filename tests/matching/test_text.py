"""Text analysis of procurement lines."""

from __future__ import annotations

import pytest

from seriktes.matching.text import CODE, MEASURE, Analyzer


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def texts(analyzer: Analyzer, line: str) -> list[str]:
    return analyzer.terms(line)


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ("Подшипник 6205-2RS", "6205-2rs"),
        ("Гайка М27х2", "m27x2"),
        ("Гайка M27x2", "m27x2"),
        ("гайка М 27*2", "m27x2"),
        ("Бензин АИ-92", "aи-92"),
        ("Кабель ВВГ 3х2,5", "3x2.5"),
        ("Канат ГОСТ 2688-80", "2688-80"),
    ],
)
def test_technical_codes_stay_whole_and_look_alikes_fold(
    analyzer: Analyzer, line: str, code: str
) -> None:
    tokens = analyzer.tokens(line)
    assert code in [t.text for t in tokens if t.kind == CODE]


def test_cyrillic_and_latin_part_numbers_are_the_same_token(analyzer: Analyzer) -> None:
    # «6СТ-190» typed in Cyrillic or Latin; «СAT» typed with a Cyrillic С
    assert texts(analyzer, "Фильтр 6СТ-190 СAT") == texts(analyzer, "Фильтр 6CT-190 CAT")


def test_words_are_lemmatised(analyzer: Analyzer) -> None:
    assert texts(analyzer, "Огурцы свежие") == texts(analyzer, "огурец свежий")
    assert texts(analyzer, "подшипников") == ["подшипник"]


def test_numbers_with_units(analyzer: Analyzer) -> None:
    tokens = analyzer.tokens("Канат 15,0 мм, лист 10 мм")
    assert [t.text for t in tokens if t.kind == MEASURE] == ["15мм", "10мм"]


def test_procurement_boilerplate_is_dropped(analyzer: Analyzer) -> None:
    line = "Приобретение web camera согласно технической спецификации, поставка на склад"
    assert texts(analyzer, line) == ["web", "camera"]


def test_abbreviations_are_expanded(analyzer: Analyzer) -> None:
    assert texts(analyzer, "АКБ") == ["аккумуляторный", "батарея"]
    assert texts(analyzer, "Лицензия ПО") == ["лицензия", "программный", "обеспечение"]
    assert "по" not in texts(analyzer, "услуги по ремонту")
    assert "сталь" in texts(analyzer, "Круг ст.40Х")


def test_place_names_after_g_are_not_product_words(analyzer: Analyzer) -> None:
    assert texts(analyzer, "Цемент, доставка г. Усть-Каменогорск") == ["цемент", "доставка"]


def test_kazakh_words_lose_common_suffixes(analyzer: Analyzer) -> None:
    assert texts(analyzer, "ұйымдар") == texts(analyzer, "ұйымның") == ["ұйым"]


def test_snowball_is_available_for_comparison() -> None:
    assert Analyzer("snowball").terms("подшипников шариковых") == ["подшипник", "шариков"]
