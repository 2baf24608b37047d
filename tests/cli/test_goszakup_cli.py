"""`seriktes goszakup sync` as a user runs it, against a local OWS server serving the real
plan's items: through a 429 and a 500, the same needs as the file import, twice without
changes, and resumed after a run that stopped half-way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import stats
from tests.conftest import shared_file
from tests.goszakup_server import TOKEN, PlanService, plan_items, serve

BUYER = "030940003233"  # 35 lines of the file, four pages of ten


def seriktes(db: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SERIKTES_DATABASE_URL": f"sqlite:///{db}",
        "SERIKTES_GOSZAKUP_URL": url,
        "SERIKTES_GOSZAKUP_TOKEN": TOKEN,
        "COLUMNS": "200",
    }
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
    result = seriktes(path, "", "db", "upgrade")
    assert result.returncode == 0, result.stderr
    return path


def sync(db: Path, url: str, *args: str) -> dict[str, object]:
    result = seriktes(db, url, "goszakup", "sync", "--bin", BUYER, "--json", *args)
    assert result.returncode == 0, result.stderr
    shown: dict[str, object] = json.loads(result.stdout)
    return shown


def test_sync_through_a_429_and_a_500_imports_the_file_s_needs_twice_unchanged(
    db: Path,
) -> None:
    service = PlanService(plan_items(), limit=10, failures={2: 429, 3: 500})
    with serve(service):
        first = sync(db, service.url)
        again = sync(db, service.url)
        full = sync(db, service.url, "--full")
    assert (first["pages"], first["created"], first["retries"]) == (4, 35, 2)
    assert first["matched"] == {"needs": 0, "matches": 0}  # a closed need is not matched
    assert (again["fetched"], again["created"], again["updated"]) == (0, 0, 0)
    assert (full["fetched"], full["created"], full["updated"], full["unchanged"]) == (35, 0, 0, 35)
    assert stats(db)["needs"] == 35

    plans = str(shared_file("goszakup/plans_dev.json"))
    result = seriktes(db, "", "import", "needs", plans, "--only-bin", BUYER, "--json")
    assert result.returncode == 0, result.stderr
    imported = json.loads(result.stdout)
    assert (imported["created"], imported["updated"], imported["unchanged"]) == (0, 0, 35)
    assert imported["other_lines_skipped"] == 212 - 35
    assert imported["closed"] == 35  # the 2020 plan is over


def test_a_sync_that_stopped_half_way_resumes_where_it_stopped(db: Path) -> None:
    service = PlanService(plan_items(), limit=10, failures={3: 404})
    with serve(service):
        stopped = seriktes(db, service.url, "goszakup", "sync", "--bin", BUYER)
        assert stopped.returncode == 1
        assert "goszakup answered 404" in stopped.stderr
        assert "Traceback" not in stopped.stderr + stopped.stdout
        assert stats(db)["needs"] == 20  # the two pages read were committed
        resumed = sync(db, service.url)
    assert service.requests[3] == service.requests[2]  # the page it had not written
    assert (resumed["resumed"], resumed["created"], resumed["pages"]) == (True, 15, 2)
    assert stats(db)["needs"] == 35


def test_a_bad_target_is_refused_in_words(db: Path) -> None:
    result = seriktes(db, "", "goszakup", "sync", "--bin", "030940003234")
    assert result.returncode == 1
    assert "wrong check digit" in result.stderr and "Traceback" not in result.stderr
