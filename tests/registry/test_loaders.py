"""KATO, OKPD2 and classifier CSV loaders."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.kit.codes import classifier_parent
from seriktes.kit.importing import ImportFailed
from seriktes.registry.loaders import load_classifier_csv, load_kato, load_okpd2
from seriktes.registry.models import ClassifierCode, ClassifierSystem, Region
from tests.conftest import shared_file
from tests.factories import write_csv

KATO_HEADER = ["kato", "kato_version", "level", "type_code", "name_ru", "name_kk"]


def region(session: Session, kato: str) -> Region:
    return session.scalars(select(Region).where(Region.kato == kato)).one()


def test_real_kato_file_loads_every_unit_with_parents(db_session: Session) -> None:
    path = shared_file("kato/kato.csv")
    first = load_kato(db_session, path)
    second = load_kato(db_session, path)

    assert db_session.scalar(select(func.count(Region.id))) == 15594
    assert (first.created, first.unchanged) == (15574, 20)
    assert (second.created, second.updated) == (0, 0)
    town = region(db_session, "101010000")
    assert town.parent is not None and town.parent.kato == "101000000"
    assert town.parent.parent is not None and town.parent.parent.kato == "100000000"


def test_small_kato_file_and_its_parent_chain(db_session: Session, tmp_path: Path) -> None:
    rows = [
        ["631000000", "v", "district", "1", "Усть-Каменогорск Г.А.", "Өскемен Қ.Ә."],
        ["631010000", "v", "sub_district", "1", "г.Усть-Каменогорск", "Өскемен қ."],
        ["631010001", "v", "settlement", "1", "пос. Тестовый", "Тест ауылы"],
    ]
    load_kato(db_session, write_csv(tmp_path / "k.csv", KATO_HEADER, rows))
    settlement = region(db_session, "631010001")
    assert settlement.parent is not None and settlement.parent.kato == "631010000"
    assert region(db_session, "631000000").parent == region(db_session, "630000000")


def test_bad_kato_rows_are_located_and_nothing_is_loaded(
    db_session: Session, tmp_path: Path
) -> None:
    rows = [
        ["631000000", "v", "district", "1", "А", "А"],
        ["63100", "v", "district", "1", "Б", "Б"],
        ["632000000", "v", "county", "1", "В", "В"],
    ]
    before = db_session.scalar(select(func.count(Region.id)))
    with pytest.raises(ImportFailed) as caught:
        load_kato(db_session, write_csv(tmp_path / "k.csv", KATO_HEADER, rows))
    assert "k.csv, row 3, column «kato»: KATO code must be 9 digits" in str(caught.value)
    assert "k.csv, row 4, column «level»: level must be one of" in str(caught.value)
    assert db_session.scalar(select(func.count(Region.id))) == before


def test_okpd2_tree_loads_as_kpved(db_session: Session) -> None:
    load_okpd2(db_session, shared_file("okpd2/okpd2_full_tree.json"))
    codes = {
        c.code: c
        for c in db_session.scalars(
            select(ClassifierCode).where(ClassifierCode.code.in_(["25.94.11", "25.94.1"]))
        )
    }
    assert db_session.scalar(select(func.count(ClassifierCode.id))) == 20006
    assert codes["25.94.11"].parent_code == "25.94.1"
    assert codes["25.94.11"].level == 6
    assert codes["25.94.11"].name_ru.startswith("Изделия крепежные резьбовые")


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("01.11.11.110", "01.11.11"),
        ("01.11.11", "01.11.1"),
        ("01.11.1", "01.11"),
        ("01.11", "01.1"),
        ("01.1", "01"),
        ("01", None),
    ],
)
def test_classifier_parents(code: str, parent: str | None) -> None:
    assert classifier_parent(code) == parent


def test_classifier_csv_with_explicit_parents(db_session: Session, tmp_path: Path) -> None:
    rows = [
        ["24", "Металлы основные", "Негізгі металдар", ""],
        ["24.10", "Чугун, сталь", "Шойын, болат", "24"],
    ]
    path = write_csv(tmp_path / "c.csv", ["code", "name_ru", "name_kk", "parent"], rows)
    result = load_classifier_csv(db_session, path, ClassifierSystem.OKED)
    again = load_classifier_csv(db_session, path, ClassifierSystem.OKED)
    assert (result.created, again.unchanged) == (2, 2)
    child = db_session.scalars(select(ClassifierCode).where(ClassifierCode.code == "24.10")).one()
    assert (child.system, child.parent_code, child.name_kk) == (
        ClassifierSystem.OKED,
        "24",
        "Шойын, болат",
    )
