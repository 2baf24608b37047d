"""The `seriktes` command as a user runs it: messages on stderr, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_file
from tests.factories import ORG_HEADER, org_rows, write_csv, wrong_check_digit


def seriktes(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{db}", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "seriktes", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    result = seriktes(path, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    return path


def stats(db: Path) -> dict[str, int]:
    result = seriktes(db, "stats", "--json")
    assert result.returncode == 0, result.stderr
    counts: dict[str, int] = json.loads(result.stdout)
    return counts


def test_help_lists_every_command_with_a_sentence(tmp_path: Path) -> None:
    result = seriktes(tmp_path / "x.db", "--help")
    assert result.returncode == 0
    for command in ("demo", "stats", "serve", "db", "registry", "import"):
        assert command in result.stdout
    sub = seriktes(tmp_path / "x.db", "import", "--help")
    for command in ("orgs", "needs", "offers", "columns"):
        assert command in sub.stdout


def test_stats_json_has_every_main_table(db: Path) -> None:
    counts = stats(db)
    assert {"regions", "organisations", "needs", "offers"} <= set(counts)
    assert counts["regions"] == 20
    assert counts["organisations"] == counts["needs"] == counts["offers"] == 0


def test_goszakup_import_twice(db: Path) -> None:
    plans = shared_file("goszakup/plans_dev.json")
    first = seriktes(db, "import", "needs", str(plans))
    after_first = stats(db)
    second = seriktes(db, "import", "needs", str(plans), "--json")

    assert first.returncode == 0, first.stderr
    assert "212 created" in first.stdout
    assert (after_first["needs"], after_first["organisations"]) == (212, 51)
    assert json.loads(second.stdout)["unchanged"] == 212
    assert stats(db) == after_first


def test_wrong_bin_row_57_exits_non_zero_without_traceback(db: Path, tmp_path: Path) -> None:
    rows = org_rows(70)
    rows[55][0] = wrong_check_digit(str(rows[55][0]))
    path = write_csv(tmp_path / "orgs.csv", ORG_HEADER, rows)
    result = seriktes(db, "import", "orgs", str(path))

    assert result.returncode == 1
    assert "orgs.csv, row 57, column «БИН»" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert stats(db)["organisations"] == 0


def test_skip_invalid_writes_a_report(db: Path, tmp_path: Path) -> None:
    rows = org_rows(5)
    rows[1][0] = "123"
    path = write_csv(tmp_path / "orgs.csv", ORG_HEADER, rows)
    result = seriktes(db, "import", "orgs", str(path), "--skip-invalid")

    assert result.returncode == 0, result.stderr
    report = (tmp_path / "orgs.csv.errors.csv").read_text(encoding="utf-8-sig")
    assert "orgs.csv,3,БИН,\"BIN must be 12 digits, got '123'\"" in report
    assert stats(db)["organisations"] == 4


def test_unmigrated_database_gets_a_hint(tmp_path: Path) -> None:
    result = seriktes(tmp_path / "empty.db", "stats")
    assert result.returncode == 1
    assert "run `seriktes db upgrade` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_file_is_reported(db: Path, tmp_path: Path) -> None:
    result = seriktes(db, "import", "needs", str(tmp_path / "nope.xlsx"))
    assert result.returncode == 1
    assert "nope.xlsx: no such file" in result.stderr
