"""The CLI on files that are not what they say: the file and the line are named, the exit
code is 1, and never «unexpected UnicodeDecodeError / ValueError / RecursionError»."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_cli import seriktes
from tests.factories import ORG_HEADER, org_rows, write_xlsx


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    assert seriktes(path, "db", "upgrade").returncode == 0
    return path


@pytest.mark.parametrize(
    ("kind", "name", "content", "message"),
    [
        (
            "needs",
            "plan.csv",
            "ID;БИН заказчика;Наименование\n1;2;3".encode("cp1251") + b"\x98\n",
            "plan.csv: is neither UTF-8 nor Windows-1251 text (byte 0x98 at line 2",
        ),
        ("needs", "plan.json", b"[" * 200_000 + b"]" * 200_000, "plan.json: is nested too deeply"),
        (
            "needs",
            "big.json",
            b'{"items": [' + b"9" * 5000 + b"]}",
            "big.json: is not readable JSON",
        ),
        ("orgs", "nul.csv", b"a,b\n1,\x002\n", "nul.csv: row 2 holds a NUL byte"),
    ],
)
def test_a_file_that_cannot_be_read_is_named_with_its_line(
    db: Path,
    tmp_path: Path,
    kind: str,
    name: str,
    content: bytes,
    message: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = seriktes(db, "import", kind, str(path))
    assert result.returncode == 1, result.stderr
    assert message in result.stderr.replace("\n", " ")
    assert "unexpected" not in result.stderr and "Traceback" not in result.stderr


def test_a_workbook_saved_as_csv_is_imported(db: Path, tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "orgs.xlsx", ORG_HEADER, org_rows(2))
    renamed = tmp_path / "orgs.csv"
    renamed.write_bytes(workbook.read_bytes())
    result = seriktes(db, "import", "orgs", str(renamed))
    assert result.returncode == 0, result.stderr
    assert "2 created" in result.stdout
