"""Files that are not what they say, and files too large to read: a clear error that names
the file (and the line or row), raised while reading, never an unexpected exception."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from seriktes.kit.errors import ValidationFailed
from seriktes.kit.importing import RowError, RowErrors, error_rows, error_total
from seriktes.kit.tabular import UPLOAD_LIMITS, Limits, open_table, reading_limits
from tests.factories import write_csv, write_xlsx

HEADER = ["БИН", "Наименование"]
ROWS = [["100240018397", "ГКП «Талгарская ЦРБ»"], ["370340000015", "Учреждение «АУПП №1»"]]


def test_a_byte_that_is_neither_utf8_nor_cp1251_names_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "plan.csv"
    path.write_bytes("БИН;Наименование\n100240018397;Труба".encode("cp1251") + b"\x98\n")
    with pytest.raises(ValidationFailed) as refused:
        list(open_table(path).rows)
    assert refused.value.detail.startswith("plan.csv: is neither UTF-8 nor Windows-1251 text")
    assert "byte 0x98 at line 2, column 19" in refused.value.detail
    assert [item.loc for item in refused.value.errors] == [("plan.csv", 2, "")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
def test_the_three_encodings_of_russian_csv_files_are_read(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "t.csv", HEADER, ROWS, encoding=encoding, delimiter=";")
    table = open_table(path)
    assert table.header == HEADER
    assert [cells for _row, cells in table.rows] == ROWS


def test_a_workbook_saved_under_a_csv_name_is_read_as_the_workbook(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "t.xlsx", HEADER, ROWS)
    renamed = tmp_path / "renamed.csv"
    renamed.write_bytes(workbook.read_bytes())
    table = open_table(renamed)
    assert table.header == HEADER
    assert [cells for _row, cells in table.rows] == ROWS


def test_an_old_excel_file_under_a_csv_name_is_named_for_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ValidationFailed, match=r"old\.csv: is an Excel 97-2003 workbook"):
        open_table(path)


def test_a_nul_byte_in_a_csv_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(b"a,b\n1,2\n3,\x004\n")
    with pytest.raises(ValidationFailed, match=r"nul\.csv: row 3 holds a NUL byte"):
        list(open_table(path).rows)


def _many_rows_xlsx(path: Path, rows: int) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["ID", "Наименование"])
    for number in range(rows):
        sheet.append([number, "x"])
    book.save(path)
    return path


def test_rows_beyond_the_limit_are_refused_at_the_first_row_too_many(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", ["a"], [[str(n)] for n in range(50)])
    read: list[int] = []
    with reading_limits(Limits(rows=10)), pytest.raises(ValidationFailed) as refused:
        for number, _cells in open_table(path).rows:
            read.append(number)
    assert read == list(range(2, 12)), "the ten rows within the limit were read, no more"
    assert "t.csv: has more than 10 rows; split it" in refused.value.detail
    assert refused.value.errors[0].loc == ("t.csv", 12, "")


def test_an_upload_of_more_rows_than_allowed_is_refused_before_its_rows_are_read(
    tmp_path: Path,
) -> None:
    limit = UPLOAD_LIMITS.rows or 0
    path = _many_rows_xlsx(tmp_path / "big.xlsx", limit + 1)
    with reading_limits(UPLOAD_LIMITS), pytest.raises(ValidationFailed) as refused:
        open_table(path)  # refused on opening: no row reached the parsers
    assert f"big.xlsx: has more than {limit:,} rows" in refused.value.detail
    assert len(open_table(path).header) == 2, "the CLI's limits take the same file"


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused_before_calamine_reads_it(
    tmp_path: Path,
) -> None:
    path = _many_rows_xlsx(tmp_path / "wide.xlsx", 2_000)
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    with reading_limits(Limits(unpacked_bytes=unpacked - 1)), pytest.raises(ValidationFailed) as e:
        open_table(path)
    assert "wide.xlsx: unpacks to 0 MB, more than 0 MB; split it" in e.value.detail
    with reading_limits(Limits(unpacked_bytes=unpacked)):
        assert len(list(open_table(path).rows)) == 2_000


def test_cells_beyond_the_limit_are_refused_before_the_csv_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "commas.csv"
    path.write_bytes(b"a,b\n" + b"," * 1_000 + b"\n")
    with reading_limits(Limits(cells=500)), pytest.raises(ValidationFailed, match="500 cells"):
        open_table(path)


def test_row_errors_keep_the_first_and_count_the_rest() -> None:
    errors = RowErrors(3, (RowError("f.csv", row, "A", "bad") for row in range(2, 12)))
    assert [error.row for error in errors] == [2, 3, 4]
    assert (error_total(errors), len(error_rows(errors))) == (10, 10)
    assert error_rows([RowError("f.csv", 5, "A", "bad")]) == {5}
