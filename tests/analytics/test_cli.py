"""`seriktes report pair` as a user runs it: the file, the figures printed, the errors."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from seriktes.kit.db import make_engine
from seriktes.kit.migrate import upgrade
from seriktes.registry.service import ensure_reference_data
from tests.analytics.builders import pair_world


@pytest.fixture(scope="module")
def world_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with Session(engine) as session:
        ensure_reference_data(session)
        pair_world(session)
        session.commit()
    engine.dispose()
    return path


def report(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SERIKTES_DATABASE_URL": f"sqlite:///{db}",
        "SERIKTES_DATA_DIR": str(db.parent / "no-data"),
        "COLUMNS": "200",
    }
    return subprocess.run(
        [sys.executable, "-m", "seriktes", "report", "pair", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_report_pair_writes_the_file_and_prints_the_figures(world_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "vko-sko.xlsx"
    result = report(world_db, "ВКО", "590000000", "--format", "xlsx", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "turnover  13,0 млн ₸" in result.stdout
    assert "deals  3" in result.stdout
    assert "Note: gross regional product not shown" in result.stdout
    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert book.sheetnames[0] == "Сводка"

    page = tmp_path / "vko-sko.html"
    result = report(world_db, "63", "СҚО", "--out", str(page), "--lang", "kk", "--year", "2025")
    assert result.returncode == 0, result.stderr
    text = page.read_text(encoding="utf-8")
    assert "2025 жыл" in text and "4,0 млн ₸" in text  # the 2025 deal, nothing delivered


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ВКО", "Марс"), "unknown region 'Марс'"),
        (("ВКО", "ВКО"), "two different regions"),
        (("ВКО", "СКО", "--format", "doc"), "unknown format 'doc'"),
        (("ВКО", "СКО", "--lang", "de"), "unknown language 'de'"),
    ],
)
def test_report_pair_errors(
    world_db: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    out = tmp_path / "x.html"
    result = report(world_db, *args, "--out", str(out))
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
