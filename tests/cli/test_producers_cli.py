"""`seriktes import producers` as a user runs it: counts per kind, errors on stderr, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.catalog.producers.files import (
    INDUSTRIAL_HEADER,
    SERIAL_HEADER,
    industrial_row,
    write_register,
)
from tests.cli.test_cli import seriktes, stats
from tests.factories import valid_bins, wrong_check_digit


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    result = seriktes(path, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    return path


def test_help_says_what_the_registers_are(tmp_path: Path) -> None:
    result = seriktes(tmp_path / "x.db", "import", "producers", "--help")
    assert result.returncode == 0
    for words in ("industrial certificates", "ST-KZ certificates of origin", "serial production"):
        assert words in result.stdout
    assert "producers" in seriktes(tmp_path / "x.db", "import", "--help").stdout


def test_a_register_imports_once_and_then_changes_nothing(db: Path, tmp_path: Path) -> None:
    rows = [
        ["KZ EA 4 102 00005 от 12.03.2021", "ТОО «Восток»\n(ВКО, г. Усть-Каменогорск)",
         "Кирпич (6904100000)", "Действителен до 12.03.2030"],
        ["KZ EA 4 102 00005 от 12.03.2021", "ТОО «Восток»\n(ВКО, г. Усть-Каменогорск)",
         "Щебень", "Действителен до 12.03.2030"],
    ]  # fmt: skip
    path = write_register(tmp_path / "serial.csv", SERIAL_HEADER, rows)

    first = seriktes(db, "import", "producers", str(path))
    assert first.returncode == 0, first.stderr
    assert "organisations: 1 created, 0 updated, 0 unchanged." in first.stdout
    assert "certificates: 2 created" in first.stdout
    assert "No classifier loaded" in first.stdout and "2 offers left without a KP VED class" in (
        first.stdout
    )
    again = seriktes(db, "import", "producers", str(path), "--json")
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert report["parts"] == {
        "organisations": {"created": 0, "updated": 0, "unchanged": 1},
        "offers": {"created": 0, "updated": 0, "unchanged": 2},
        "certificates": {"created": 0, "updated": 0, "unchanged": 2},
    }
    counts = stats(db)
    assert (counts["organisations"], counts["offers"], counts["certificates"]) == (1, 2, 2)


def test_a_bad_register_writes_nothing_and_says_where(db: Path, tmp_path: Path) -> None:
    bad_bin = wrong_check_digit(next(valid_bins(950)))
    rows = [
        industrial_row("102 0 00001", bad_bin, "ТОО «А»", "751510000", "г. Алматы", "Стол", "10")
    ]
    path = write_register(tmp_path / "registry.csv", INDUSTRIAL_HEADER, rows)
    result = seriktes(db, "import", "producers", str(path))
    assert result.returncode == 1
    assert "registry.csv, row 2, column «БИН/ИИН»: BIN" in result.stderr
    assert "Traceback" not in result.stderr
    assert stats(db)["organisations"] == 0

    skipped = seriktes(db, "import", "producers", str(path), "--skip-invalid")
    assert skipped.returncode == 0
    assert (tmp_path / "registry.csv.errors.csv").exists()
    assert "1 invalid row(s) skipped" in skipped.stderr


def test_a_file_that_is_no_register_is_refused(db: Path, tmp_path: Path) -> None:
    path = write_register(tmp_path / "orgs.csv", ["БИН", "Наименование"], [["1", "2"]])
    result = seriktes(db, "import", "producers", str(path))
    assert result.returncode == 1
    assert "not a register of producers" in result.stderr
