"""Combined cells of the producer registers, split as a reader of the register would."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from seriktes.catalog.models import CertificateStatus
from seriktes.catalog.producers import cells
from seriktes.kit.importing import CellError


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("KZ EA 4 102 00005", ("KZ EA 4 102 00005", None)),
        ("KZ EA 4 102 00005 от 12.03.2021", ("KZ EA 4 102 00005", date(2021, 3, 12))),
        ("KZ EA 4 102 00005\nот 12.03.2021 г.", ("KZ EA 4 102 00005", date(2021, 3, 12))),
        ("№ KZ EA 3 107 00001 (2022-11-30)", ("KZ EA 3 107 00001", date(2022, 11, 30))),
        ("KZ EA 2 101 00003, 01/02/2020", ("KZ EA 2 101 00003", date(2020, 2, 1))),
    ],
)
def test_number_and_date_of_issue(cell: str, expected: tuple[str, date | None]) -> None:
    assert cells.number_and_date(cell) == expected


@pytest.mark.parametrize("cell", ["KZ EA 4 102 00005 от 31.02.2021", "KZ EA 4 102 00005 от 12.13"])
def test_a_bad_date_next_to_the_number_is_an_error(cell: str) -> None:
    with pytest.raises(CellError, match="cannot read the date"):
        cells.number_and_date(cell)


def test_chamber_code_inside_st_kz_numbers() -> None:
    assert cells.chamber_code("KZ EA 4 102 00005") == "102"
    assert cells.chamber_code("KZ 5 120 00012") == "120"
    assert cells.chamber_code("102 0 00089") is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("ТОО «Макинская Птицефабрика»", ("ТОО «Макинская Птицефабрика»", None)),
        (
            "ТОО «Ромашка»\n(г. Алматы, ул. Абая, 1)",
            ("ТОО «Ромашка»", "г. Алматы, ул. Абая, 1"),
        ),
        (
            'АО "Алель Агро" (ВКО, Бородулихинский район, с. Алгабас)',
            ('АО "Алель Агро"', "ВКО, Бородулихинский район, с. Алгабас"),
        ),
        ('ТОО "Best Module" (Бест Модуль)', ('ТОО "Best Module" (Бест Модуль)', None)),
        (
            "ТОО «Жас-Канат 2006»\nобл. Ұлытау,\nг. Жезказган",
            ("ТОО «Жас-Канат 2006»", "обл. Ұлытау, г. Жезказган"),
        ),
    ],
)
def test_producer_and_address(cell: str, expected: tuple[str, str | None]) -> None:
    assert cells.producer_and_address(cell) == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Филе ЦБ, на подложке, зам.", ("Филе ЦБ, на подложке, зам.", None)),
        ("Филе ЦБ (0207141001)", ("Филе ЦБ", "0207141001")),
        ("Филе ЦБ\n(код ТН ВЭД ЕАЭС 0207 14 100 1)", ("Филе ЦБ", "0207141001")),
        ("Филе ЦБ\n0207141001", ("Филе ЦБ", "0207141001")),
        ("Кефир 2,5% ТН ВЭД 0403", ("Кефир 2,5%", "0403")),
        ("Филе ЦБ кусковое (монолит)", ("Филе ЦБ кусковое (монолит)", None)),
        ("ЦБ 1 кат. (фас) (1,3 - 1,4 кг)", ("ЦБ 1 кат. (фас) (1,3 - 1,4 кг)", None)),
        (
            "Лапки Кур, замороженные \n СТ РК 2059-2010",
            ("Лапки Кур, замороженные СТ РК 2059-2010", None),
        ),
        ("Шкаф (2019)", ("Шкаф (2019)", None)),
    ],
)
def test_product_and_hs_code(cell: str, expected: tuple[str, str | None]) -> None:
    assert cells.product_and_hs(cell) == expected


def test_a_labelled_hs_code_that_is_not_one_is_an_error() -> None:
    with pytest.raises(CellError, match="HS code must be 4 to 10 digits"):
        cells.product_and_hs("Филе ЦБ (код ТН ВЭД 02-07)")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Действителен до", (CertificateStatus.VALID, None)),
        ("Действителен до 31.12.2025", (CertificateStatus.VALID, date(2025, 12, 31))),
        ("Действителен до\n(31.12.2025)", (CertificateStatus.VALID, date(2025, 12, 31))),
        ("Действующий", (CertificateStatus.VALID, None)),
        ("Срок действия истек", (CertificateStatus.EXPIRED, None)),
        ("Недействителен", (CertificateStatus.EXPIRED, None)),
        ("Отозван 01.02.2024", (CertificateStatus.REVOKED, date(2024, 2, 1))),
        ("Приостановлен", (CertificateStatus.SUSPENDED, None)),
        ("Мерзімі өтті", (CertificateStatus.EXPIRED, None)),
        ("", (CertificateStatus.VALID, None)),
    ],
)
def test_status_and_end_date(cell: str, expected: tuple[CertificateStatus, date | None]) -> None:
    assert cells.status_and_end(cell) == expected


def test_an_unknown_status_is_an_error() -> None:
    with pytest.raises(CellError, match="unknown certificate status 'На проверке'"):
        cells.status_and_end("На проверке")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("68,23", Decimal("68.23")),
        ("87", Decimal("87.00")),
        ("55.5 %", Decimal("55.50")),
        ("-", None),
    ],
)
def test_local_content_share(cell: str, expected: Decimal | None) -> None:
    assert cells.share(cell) == expected


@pytest.mark.parametrize("cell", ["много", "120,5", "-3"])
def test_a_share_outside_0_to_100_percent_is_an_error(cell: str) -> None:
    with pytest.raises(CellError, match="local-content share must be"):
        cells.share(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("492000", (Decimal(492000), None)),
        ("1 968 000", (Decimal(1968000), None)),
        ("49 договоров", (Decimal(49), "договоров")),
        ("2,5 тонн", (Decimal("2.5"), "тонн")),
        ("-", (None, None)),
    ],
)
def test_capacity_and_its_unit_word(cell: str, expected: tuple[Decimal | None, str | None]) -> None:
    assert cells.capacity_and_unit(cell) == expected


def test_capacity_must_start_with_a_number() -> None:
    with pytest.raises(CellError, match="expected a number"):
        cells.capacity_and_unit("по договору")


def test_names_differing_in_quotes_case_and_legal_form_are_the_same_producer() -> None:
    one = cells.identity_key('Акционерное общество "Усть-Каменогорская Птицефабрика"', None)
    other = cells.identity_key("АО «усть-каменогорская птицефабрика»", None)
    assert one == other
    assert one != cells.identity_key("АО «Усть-Каменогорская Птицефабрика»", "г. Семей")


def test_product_ids_fold_case_and_spaces_but_keep_codes_apart() -> None:
    assert cells.product_id("Шкаф  для одежды", "9403", None) == cells.product_id(
        "шкаф для одежды", "9403", None
    )
    assert cells.product_id("Шкаф", "9403", "31.01.12") != cells.product_id(
        "Шкаф", "9403", "31.09.12"
    )
