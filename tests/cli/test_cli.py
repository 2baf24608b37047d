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
    assert {"events", "meetings", "memoranda", "deals"} <= set(counts)
    assert counts["regions"] == 20
    assert counts["organisations"] == counts["needs"] == counts["offers"] == 0
    assert counts["events"] == counts["meetings"] == counts["memoranda"] == counts["deals"] == 0


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


OKPD2_TREE = {
    "28": {
        "28": "Машины и оборудование, не включенные в другие группировки",
        "28.15": "Подшипники, зубчатые передачи, элементы зубчатых передач и приводов",
        "28.15.10": "Подшипники шариковые или роликовые",
    }
}


def data_folder(tmp_path: Path) -> Path:
    """A data folder with a tiny OKPD2 tree."""
    folder = tmp_path / "data"
    (folder / "okpd2").mkdir(parents=True)
    (folder / "okpd2" / "okpd2_full_tree.json").write_text(
        json.dumps(OKPD2_TREE, ensure_ascii=False), encoding="utf-8"
    )
    return folder


def upgrade_with(db: Path, folder: Path | str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SERIKTES_DATABASE_URL": f"sqlite:///{db}",
        "SERIKTES_DATA_DIR": str(folder),
    }
    return subprocess.run(
        [sys.executable, "-m", "seriktes", "db", "upgrade"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_db_upgrade_loads_the_data_folder_once_and_says_so(tmp_path: Path) -> None:
    db, folder = tmp_path / "x.db", data_folder(tmp_path)
    first = upgrade_with(db, folder)
    assert first.returncode == 0, first.stderr
    okpd2 = folder / "okpd2" / "okpd2_full_tree.json"
    assert f"KP VED classes: 3 loaded from {okpd2}" in first.stdout
    assert stats(db)["classifier_codes"] == 3
    second = upgrade_with(db, folder)
    assert second.returncode == 0, second.stderr
    assert "KP VED classes: already loaded." in second.stdout
    assert stats(db)["classifier_codes"] == 3
    classified = seriktes(db, "classify", "Подшипник 6205-2RS", "--json")
    assert json.loads(classified.stdout)[0]["code"] == "28.15.10"


def test_db_upgrade_without_a_data_folder_loads_no_classes(tmp_path: Path) -> None:
    result = upgrade_with(tmp_path / "x.db", "")
    assert result.returncode == 0, result.stderr
    assert "KP VED classes: no data folder" in result.stdout
    assert stats(tmp_path / "x.db")["classifier_codes"] == 0


def test_db_upgrade_loads_the_real_okpd2_tree(tmp_path: Path) -> None:
    okpd2 = shared_file("okpd2/okpd2_full_tree.json")
    result = upgrade_with(tmp_path / "x.db", okpd2.parents[1])
    assert result.returncode == 0, result.stderr
    assert f"KP VED classes: 20,006 loaded from {okpd2}" in result.stdout
    assert stats(tmp_path / "x.db")["classifier_codes"] == 20006


NEED_HEADER = ["ID", "БИН заказчика", "Наименование", "Кол-во", "Ед. изм.", "Происхождение"]
OFFER_HEADER = ["ID", "БИН производителя", "Наименование", "Мощность в год", "Ед. изм."]


def test_an_import_of_needs_stores_their_matches(db: Path, tmp_path: Path) -> None:
    buyers, producers = org_rows(1, region="ВКО"), org_rows(2, region="СКО")
    seriktes(db, "import", "orgs", str(write_csv(tmp_path / "o.csv", ORG_HEADER, buyers)))
    seriktes(db, "import", "orgs", str(write_csv(tmp_path / "p.csv", ORG_HEADER, producers[1:])))
    offers = [["O1", producers[1][0], "Футеровка мельницы МШЦ 3600 резиновая", 50, "компл"]]
    offer_file = write_csv(tmp_path / "offers.csv", OFFER_HEADER, offers)
    assert seriktes(db, "import", "offers", str(offer_file)).returncode == 0
    needs = [[f"N{i}", buyers[0][0], f"Футеровка мельницы МШЦ 3600 партия {i}", 2, "компл",
              "far_abroad"] for i in range(3)] + [
        ["N9", buyers[0][0], "Услуги по уборке помещений", 1, "компл", "domestic"]
    ]  # fmt: skip
    result = seriktes(db, "import", "needs", str(write_csv(tmp_path / "n.csv", NEED_HEADER, needs)))
    assert result.returncode == 0, result.stderr
    assert "4 needs matched: 3 matches stored; 1 needs without any offer." in result.stdout
    assert stats(db)["matches"] == 3
    shown = seriktes(db, "matches", "1", "--json")
    assert json.loads(shown.stdout)[0]["offer"] == "Футеровка мельницы МШЦ 3600 резиновая"


def test_an_import_of_offers_matches_the_needs_they_fit(db: Path, tmp_path: Path) -> None:
    buyers, producers = org_rows(1, region="ВКО"), org_rows(2, region="СКО")
    for name, rows in (("o.csv", buyers), ("p.csv", producers[1:])):
        seriktes(db, "import", "orgs", str(write_csv(tmp_path / name, ORG_HEADER, rows)))
    needs = [["N1", buyers[0][0], "Футеровка мельницы МШЦ 3600", 2, "компл", "far_abroad"]]
    seriktes(db, "import", "needs", str(write_csv(tmp_path / "n.csv", NEED_HEADER, needs)))
    assert stats(db)["matches"] == 0
    offers = [["O1", producers[1][0], "Футеровка мельницы МШЦ 3600 резиновая", 50, "компл"]]
    path = write_csv(tmp_path / "offers.csv", OFFER_HEADER, offers)
    result = seriktes(db, "import", "offers", str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["matched"] == {"needs": 1, "matches": 1}
    assert stats(db)["matches"] == 1
