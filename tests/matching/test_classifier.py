"""The KP VED classifier: from class names alone, and learning from examples."""

from __future__ import annotations

import json

import pytest

from seriktes.matching.classifier import Classifier, ClassifierParams
from seriktes.matching.concordance import divisions_for_hs
from seriktes.matching.evaluation import Case, evaluate, fold_of, score_cases
from tests.conftest import shared_file

ENTRIES = [
    ("25.94", "Изделия крепежные"),
    ("25.94.1", "Изделия крепежные резьбовые"),
    ("25.94.11", "Изделия крепежные резьбовые из черных металлов"),
    ("25.94.11.110", "Болты и винты из черных металлов"),
    ("25.94.11.130", "Гайки из черных металлов"),
    ("28.15", "Подшипники, зубчатые передачи"),
    ("28.15.10", "Подшипники шариковые или роликовые"),
    ("28.15.10.120", "Подшипники шариковые радиальные однорядные"),
    ("01.13", "Овощи и культуры бахчевые"),
    ("01.13.32", "Огурцы"),
    ("45.20", "Услуги по техническому обслуживанию и ремонту автотранспортных средств"),
    ("45.20.11", "Услуги по обычному техническому обслуживанию и ремонту легковых автомобилей"),
    ("29.10", "Средства автотранспортные"),
    ("29.10.21", "Автомобили легковые"),
]


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(ENTRIES)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Гайка М24", "25.94.11"),
        ("Подшипник 22312 ЕК", "28.15.10"),
        ("свежий Огурец", "01.13.32"),
        ("Текущий ремонт служебного автомобиля", "45.20.11"),
        ("Автомобиль легковой", "29.10.21"),
    ],
)
def test_names_of_sub_codes_find_the_class(classifier: Classifier, text: str, code: str) -> None:
    assert classifier.classify(text, 3)[0].code == code


def test_service_words_prefer_service_classes(classifier: Classifier) -> None:
    assert classifier.classify("ремонт автомобиля", 1)[0].code == "45.20.11"
    assert classifier.classify("автомобиль", 1)[0].code == "29.10.21"


def test_unknown_text_has_no_class(classifier: Classifier) -> None:
    assert classifier.classify("абырвалг") == []


def test_learned_examples_add_classes_the_names_miss() -> None:
    classifier = Classifier(ENTRIES)
    assert classifier.classify("Коврик дезинфицирующий 65*100") == []
    classifier.learn([("Дезинфицирующий коврик, размер 100*100", "222929.900.000129")])
    best = classifier.classify("Коврик дезинфицирующий 65*100", 1)[0]
    assert (best.code, best.evidence) == ("22.29.29", "examples")


def test_cross_validation_never_scores_a_case_it_learned() -> None:
    cases = [Case(str(i), "Коврик дезинфицирующий", "22.29.29") for i in range(1)]
    cases += [Case("g", "Гайка М10", "25.94.11")]
    # the only mat case is held out of its own training fold: it cannot be found
    result = evaluate(lambda: Classifier(ENTRIES), cases, train=cases, folds=2)
    assert result["top1"] == 0.5
    assert result["folds"] == 2


def test_grouped_folds_keep_a_buyers_lines_together() -> None:
    # two buyers buy the same mat: learned across buyers it is found, within one buyer not
    mat = "Коврик дезинфицирующий"
    cases = [Case("a1", mat, "22.29.29", "A"), Case("a2", mat, "22.29.29", "A")]
    cases += [Case("b1", "Гайка М10", "25.94.11", "B"), Case("b2", "Гайка М12", "25.94.11", "B")]
    assign = fold_of(cases, 2)
    assert assign["a1"] == assign["a2"] != assign["b1"] == assign["b2"]
    grouped = evaluate(lambda: Classifier(ENTRIES), cases, train=cases, folds=2)
    plain = evaluate(lambda: Classifier(ENTRIES), cases, train=cases, folds=2, grouped=False)
    assert grouped["top1"] == 0.5  # a buyer's own mat never teaches its other mat
    assert plain["top1"] == 1.0  # interleaved folds leak it


def test_score_cases_counts_top_k_and_four_digits() -> None:
    cases = [Case("1", "a", "25.94.11"), Case("2", "b", "28.15.10")]
    answers = {"a": ["25.94.11"], "b": ["28.15.23", "01.13.32", "28.15.10"]}
    result = score_cases(lambda text: answers[text], cases)
    assert (result["top1"], result["top5"], result["top1_4digit"]) == (0.5, 1.0, 1.0)
    assert result["mrr"] == pytest.approx((1 + 1 / 3) / 2, abs=1e-4)


def test_real_dev_cases_beat_the_bm25_baseline_without_learning() -> None:
    tree = json.loads(shared_file("okpd2/okpd2_full_tree.json").read_text(encoding="utf-8"))
    entries = [(code, name) for section in tree.values() for code, name in section.items()]
    lines = shared_file("../eval/classify_dev.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [Case(d["id"], d["text"], d["code"]) for d in map(json.loads, lines)]
    result = evaluate(lambda: Classifier(entries), cases)
    # the baseline: BM25 over class names, top-1 0.20 and top-5 0.39
    assert result["top1"] > 0.25
    assert result["top5"] > 0.42


def test_classes_within_divisions_keep_a_product_out_of_a_homonyms_class() -> None:
    classifier = Classifier(
        [
            ("32.91.11", "Метлы и щетки, кисти"),
            ("10.12.40", "Субпродукты и части тушек кур: крылья, кисти крыла"),
        ]
    )
    text = "Кисть крыла цыпленка"
    assert {score.code for score in classifier.classify(text)} == {"32.91.11", "10.12.40"}
    within = divisions_for_hs("0207140001")  # HS 02: meat
    assert [score.code for score in classifier.classify(text, within=within)] == ["10.12.40"]


def test_hs_chapters_name_their_kp_ved_divisions() -> None:
    assert divisions_for_hs("8421 23 000 0") == frozenset({"28", "25", "26", "27"})
    assert divisions_for_hs("0207") == frozenset({"10"})
    assert divisions_for_hs("") is None
    assert divisions_for_hs("77") is None  # a chapter the nomenclature keeps in reserve


def test_a_class_whose_names_begin_with_the_product_noun_gains() -> None:
    entries = [
        ("28.15.10", "Подшипники шариковые или роликовые"),
        ("28.22.19", "Ролики конвейерные с подшипниками, части конвейеров"),
    ]
    text = "Подшипник ролика"
    unlifted = Classifier(entries, params=ClassifierParams(head_class=0))
    plain = {s.code: s.score for s in unlifted.classify(text)}
    lifted = {s.code: s.score for s in Classifier(entries).classify(text)}
    assert lifted["28.15.10"] > plain["28.15.10"]  # «Подшипники …» names the product
    assert lifted["28.22.19"] == plain["28.22.19"]  # rollers only mention bearings
