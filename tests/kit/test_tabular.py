"""Reading CSV (encodings, delimiters) and XLSX files."""

from __future__ import annotations

from pathlib import Path

import pytest

from seriktes.kit.errors import ValidationFailed
from seriktes.kit.tabular import open_table
from tests.factories import write_csv, write_xlsx

HEADER = ["БИН", "Наименование"]
ROWS = [["100240018397", "ГКП «Талгарская ЦРБ»"], ["370340000015", "Учреждение «АУПП №1»"]]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("cp1251", ";"), ("cp1251", "\t")],
)
def test_csv_encodings_and_delimiters_are_detected(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = write_csv(tmp_path / "t.csv", HEADER, ROWS, encoding=encoding, delimiter=delimiter)
    table = open_table(path)
    assert table.header == HEADER
    assert [cells for _row, cells in table.rows] == ROWS


def test_blank_lines_are_skipped_but_row_numbers_stay_true(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", HEADER, [ROWS[0], ["", ""], ROWS[1]])
    assert [row for row, _cells in open_table(path).rows] == [2, 4]


def test_xlsx_rows_carry_spreadsheet_row_numbers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", HEADER, [ROWS[0], [None, None], ROWS[1]])
    table = open_table(path)
    assert table.header == HEADER
    assert [(row, cells[1]) for row, cells in table.rows] == [
        (2, "ГКП «Талгарская ЦРБ»"),
        (4, "Учреждение «АУПП №1»"),
    ]


def test_unsupported_and_broken_files_are_refused_with_the_file_named(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / "b.xlsx").write_bytes(b"not a zip")
    with pytest.raises(ValidationFailed, match=r"a\.pdf: unsupported file type"):
        open_table(tmp_path / "a.pdf")
    with pytest.raises(ValidationFailed, match=r"b\.xlsx: not a readable XLSX"):
        open_table(tmp_path / "b.xlsx")
    with pytest.raises(ValidationFailed, match=r"no such file"):
        open_table(tmp_path / "missing.csv")
