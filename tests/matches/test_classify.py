"""A register's product is classed within the KP VED divisions its HS code allows."""

from __future__ import annotations

from seriktes.matches.classify import product_classifier
from seriktes.matching.classifier import Classifier
from seriktes.matching.matcher import Matcher, OfferDoc

ENTRIES = [
    ("01.21.12", "Виноград свежий прочих сортов"),
    ("10.12.10", "Мясо птицы охлажденное первого и второго сорта, части и субпродукты прочие"),
    ("32.91.11", "Метлы и щетки"),
]


def test_the_hs_chapter_keeps_the_class_among_the_products_of_its_kind() -> None:
    classify = product_classifier(Classifier(ENTRIES))
    assert classify("Крыло ЦБ, 1 сорт", None) == "01.21.12", "«сорт» alone reads as grapes"
    assert classify("Крыло ЦБ, 1 сорт", "0207141001") == "10.12.10", "HS 02: meat"


def test_a_name_no_class_of_those_divisions_knows_stays_unclassified() -> None:
    classify = product_classifier(Classifier(ENTRIES))
    assert classify("Щетки", None) == "32.91.11"
    assert classify("Щетки", "0207141001") is None, "a brush class would contradict HS 02"
    assert classify("Нечто", None) is None


def test_the_matcher_classes_an_offer_without_a_class_within_its_hs_chapter() -> None:
    matcher = Matcher(classifier=Classifier(ENTRIES))
    matcher.add_offers([OfferDoc(1, 10, "Щетки", hs_code="0207141001"), OfferDoc(2, 11, "Щетки")])
    assert (matcher.offers[1].class_code, matcher.offers[2].class_code) == (None, "32.91.11")
