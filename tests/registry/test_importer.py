"""Organisations import: validation with located errors, all-or-nothing, upsert by BIN."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.kit.importing import ImportFailed
from seriktes.registry.importer import import_organisations
from seriktes.registry.models import Organisation, SizeClass
from tests.conftest import shared_file
from tests.factories import ORG_HEADER, org_rows, write_csv, write_xlsx, wrong_check_digit


def org_count(session: Session) -> int:
    return int(session.scalar(select(func.count(Organisation.id))) or 0)


def test_wrong_bin_in_row_57_is_refused_and_nothing_is_written(
    db_session: Session, tmp_path: Path
) -> None:
    rows = org_rows(80)
    rows[55][0] = wrong_check_digit(str(rows[55][0]))  # data row 56 is file row 57
    path = write_csv(tmp_path / "orgs.csv", ORG_HEADER, rows)
    before = org_count(db_session)

    with pytest.raises(ImportFailed) as caught:
        import_organisations(db_session, path)

    message = str(caught.value)
    assert "orgs.csv, row 57, column «БИН»" in message
    assert "wrong check digit" in message
    assert len(caught.value.errors) == 1
    assert caught.value.errors[0].loc == ("orgs.csv", 57, "БИН")
    assert org_count(db_session) == before


def test_skip_invalid_imports_the_good_rows_and_reports_the_bad(
    db_session: Session, tmp_path: Path
) -> None:
    rows = org_rows(10)
    rows[2][0] = "12345"
    rows[4][3] = "огромный"
    path = write_csv(tmp_path / "orgs.csv", ORG_HEADER, rows)
    before = org_count(db_session)

    report = import_organisations(db_session, path, skip_invalid=True)

    assert (report.created, report.skipped) == (8, 2)
    assert {(e.row, e.column) for e in report.errors} == {(4, "БИН"), (6, "Размер")}
    assert org_count(db_session) == before + 8


def test_reimport_changes_nothing_and_edits_are_updates(
    db_session: Session, tmp_path: Path
) -> None:
    rows = org_rows(5)
    path = write_csv(tmp_path / "orgs.csv", ORG_HEADER, rows)
    first = import_organisations(db_session, path)
    second = import_organisations(db_session, path)
    rows[1][1] = "ТОО «Новое имя»"
    write_csv(path, ORG_HEADER, rows)
    third = import_organisations(db_session, path)

    assert (first.created, second.created, second.unchanged) == (5, 0, 5)
    assert (third.updated, third.unchanged) == (1, 4)
    org = db_session.scalars(select(Organisation).where(Organisation.bin == rows[1][0])).one()
    assert org.name_ru == "ТОО «Новое имя»"
    assert org.size_class is SizeClass.SMALL
    assert org.region is not None and org.region.kato == "630000000"
    assert org.certificates == ["KZ 7 630 00002"]


def test_cp1251_semicolon_csv_and_xlsx_read_the_same(db_session: Session, tmp_path: Path) -> None:
    rows = org_rows(3, region="59")
    cp = write_csv(tmp_path / "a.csv", ORG_HEADER, rows, encoding="cp1251", delimiter=";")
    report = import_organisations(db_session, cp)
    xlsx = write_xlsx(tmp_path / "a.xlsx", ORG_HEADER, rows)
    again = import_organisations(db_session, xlsx)

    assert (report.created, again.unchanged) == (3, 3)
    names = db_session.scalars(select(Organisation.name_ru).where(Organisation.bin == rows[0][0]))
    assert names.one() == "ТОО «Тестовый завод 1»"


def test_missing_required_column_is_named(db_session: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "orgs.csv", ["Наименование", "Регион"], [["ТОО «А»", "ВКО"]])
    with pytest.raises(ImportFailed, match=r"row 1: required column missing: one of «bin»"):
        import_organisations(db_session, path)


def test_repeated_bin_in_a_file_names_the_first_row(db_session: Session, tmp_path: Path) -> None:
    rows = org_rows(3)
    rows[2][0] = rows[0][0]
    path = write_csv(tmp_path / "orgs.csv", ORG_HEADER, rows)
    with pytest.raises(ImportFailed, match=r"row 4, column «БИН»: BIN \d{12} repeats row 2 with"):
        import_organisations(db_session, path)


def test_leading_zero_lost_by_a_spreadsheet_is_restored(
    db_session: Session, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "o.xlsx", ["БИН", "Наименование"], [[40840001112, "ТОО «Н»"]])
    import_organisations(db_session, path)
    found = db_session.scalars(select(Organisation.bin).where(Organisation.name_ru == "ТОО «Н»"))
    assert found.one() == "040840001112"


def test_one_row_per_product_registry_merges_repeated_bins(
    db_session: Session, tmp_path: Path
) -> None:
    rows = org_rows(2)
    third = [*rows[0]]
    third[5] = "KZ 7 630 09999"
    path = write_csv(tmp_path / "orgs.csv", ORG_HEADER, [*rows, third])
    report = import_organisations(db_session, path)
    org = db_session.scalars(select(Organisation).where(Organisation.bin == rows[0][0])).one()
    assert report.created == 2
    assert org.certificates == ["KZ 7 630 00001", "KZ 7 630 09999"]


def test_real_industrial_registry_sample(db_session: Session) -> None:
    path = shared_file("producers/industrial_registry_sample.csv")
    report = import_organisations(db_session, path, skip_invalid=True)
    assert report.created == 5  # 6 BINs in the file; one has an obsolete KATO code 41201
    assert {e.column for e in report.errors} <= {"БИН/ИИН", "Регион согласно КАТО"}
    deaf = db_session.scalars(select(Organisation).where(Organisation.bin == "370340000015")).one()
    assert deaf.oked == "88100"
    assert deaf.region is not None and deaf.region.kato == "750000000"
    assert deaf.certificates == ["102 0 00089"]
