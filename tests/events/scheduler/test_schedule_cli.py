"""`seriktes schedule solve`: JSON summary, --out file, exit codes and error messages."""

from __future__ import annotations

import json
from pathlib import Path

from seriktes.events.scheduler import check, read_dzn
from tests.cli.test_cli import seriktes

SMALL = """\
nBusiness = 4;
nMeetings = 4;
nTables = 2;
nTotalSlots = 4;
nMorningSlots = 2;
requested = [| 1, 3, 3
             | 1, 4, 3
             | 2, 3, 1
             | 2, 4, 2 |];
forbidden = [{0}, {4}, {}, {0}];
fixed = [0, 0, 0, 3];
precedences = [{}, {1}, {}, {}];
"""


def write(tmp_path: Path, text: str, name: str = "small.dzn") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_summary_and_out_file(tmp_path: Path) -> None:
    instance = write(tmp_path, SMALL)
    out = tmp_path / "slots.json"
    result = seriktes(
        tmp_path / "x.db", "schedule", "solve", str(instance),
        "--time-limit", "5", "--json", "--out", str(out), "--seed", "1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert set(summary) == {"instance", "meetings", "scheduled", "breaks", "valid", "seconds"}
    assert summary["instance"] == "small.dzn"
    assert (summary["meetings"], summary["scheduled"], summary["valid"]) == (4, 4, True)
    slots = json.loads(out.read_text(encoding="utf-8"))["slots"]
    assert sorted(slots) == ["1", "2", "3", "4"]
    assert slots["4"] == 3  # fixed in the file, 1-based
    assert slots["1"] < slots["2"]  # precedence: meeting 1 before meeting 2
    assert slots["3"] <= 2  # morning only
    problem = read_dzn(instance)
    verdict = check(problem, {int(m) - 1: s - 1 for m, s in slots.items()})
    assert verdict.valid, verdict.problems
    assert verdict.breaks == summary["breaks"]


def test_no_complete_schedule_exits_non_zero_with_the_reason(tmp_path: Path) -> None:
    clash = SMALL.replace("fixed = [0, 0, 0, 3];", "fixed = [2, 2, 0, 3];")
    result = seriktes(
        tmp_path / "x.db", "schedule", "solve", str(write(tmp_path, clash)),
        "--time-limit", "5", "--json",
    )  # fmt: skip
    assert result.returncode == 1
    assert json.loads(result.stdout)["scheduled"] == 3
    assert "fixed to slot 2" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_file_names_the_file_and_the_problem(tmp_path: Path) -> None:
    broken = write(tmp_path, SMALL.replace("nMeetings = 4;", "nMeetings = 5;"), "broken.dzn")
    result = seriktes(tmp_path / "x.db", "schedule", "solve", str(broken), "--json")
    assert result.returncode == 1
    assert "broken.dzn" in result.stderr
    assert "nMeetings" in result.stderr
    assert "Traceback" not in result.stderr
    missing = seriktes(tmp_path / "x.db", "schedule", "solve", str(tmp_path / "none.dzn"))
    assert missing.returncode == 1
    assert "none.dzn" in missing.stderr
