"""`seriktes classify`, `seriktes eval classify`, `seriktes match` and `seriktes matches`."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import seriktes
from tests.conftest import shared_file
from tests.factories import write_csv

CLASSES = [
    ["25.94.11", "Изделия крепежные резьбовые из черных металлов", "", ""],
    ["25.94.11.130", "Гайки из черных металлов", "", "25.94.11"],
    ["28.15.10", "Подшипники шариковые или роликовые", "", ""],
    ["22.29.29", "Изделия пластмассовые прочие", "", ""],
]


def classifier_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "kpved.csv", ["code", "name_ru", "name_kk", "parent"], CLASSES)


def test_classify_prints_classes_with_names_and_scores(tmp_path: Path) -> None:
    path = classifier_csv(tmp_path)
    result = seriktes(tmp_path / "x.db", "classify", "Гайка М24", "--classifier", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith(" 1. 25.94.11  1.000  Изделия крепежные")
    as_json = seriktes(
        tmp_path / "x.db", "classify", "Гайка М24", "--classifier", str(path), "--json"
    )
    assert json.loads(as_json.stdout)[0]["code"] == "25.94.11"


def test_classify_without_any_classifier_says_what_to_do(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    seriktes(db, "db", "upgrade")
    result = seriktes(db, "classify", "Гайка")
    assert result.returncode == 1
    assert "seriktes registry load-okpd2 FILE" in result.stderr


def test_eval_classify_on_the_real_dev_cases() -> None:
    cases = shared_file("../eval/classify_dev.jsonl")
    okpd2 = shared_file("okpd2/okpd2_full_tree.json")
    result = seriktes(
        Path("unused.db"), "eval", "classify", str(cases), "--classifier", str(okpd2), "--json"
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    for key in ("n", "top1", "top5", "top10", "top1_4digit", "mrr", "p50_ms", "p95_ms"):
        assert key in figures
    assert figures["n"] == 262
    assert figures["top1"] <= figures["top5"] <= figures["top10"]
    assert figures["learned"] == 0


def test_eval_with_train_cross_validates(tmp_path: Path) -> None:
    lines = [
        {"id": f"m{i}", "text": f"Коврик дезинфицирующий {i}", "code": "22.29.29"} for i in range(4)
    ] + [{"id": "g", "text": "Гайка М10", "code": "25.94.11"}]
    cases = tmp_path / "cases.jsonl"
    cases.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), "utf-8")
    base = ["eval", "classify", str(cases), "--classifier", str(classifier_csv(tmp_path)), "--json"]
    alone = json.loads(seriktes(tmp_path / "x.db", *base).stdout)
    learned = json.loads(
        seriktes(tmp_path / "x.db", *base, "--train", str(cases), "--folds", "5").stdout
    )
    assert alone["top1"] < learned["top1"]
    assert (learned["learned"], learned["folds"]) == (5, 5)


def test_bad_cases_file_names_the_line(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"id": "1", "text": "Гайка", "code": "25.94.11"}\n{"id": 2}\n', "utf-8")
    result = seriktes(
        tmp_path / "x.db",
        "eval",
        "classify",
        str(cases),
        "--classifier",
        str(classifier_csv(tmp_path)),
    )
    assert result.returncode == 1
    assert "cases.jsonl, line 2" in result.stderr


def test_match_demo_and_show_a_need(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    for command in (["db", "upgrade"], ["demo"]):
        assert seriktes(db, *command).returncode == 0
    result = seriktes(db, "match", "--top", "3")
    assert result.returncode == 0, result.stderr
    counts = json.loads(seriktes(db, "stats", "--json").stdout)
    assert counts["matches"] > 0
    assert f"{counts['matches']} matches stored" in result.stdout
    shown = json.loads(seriktes(db, "matches", "1", "--json").stdout)
    assert shown and shown[0]["rank"] == 1
    assert shown[0]["band"] in ("strong", "possible", "weak") and shown[0]["verdict"]
    assert {"matched_terms", "class_level", "factors"} <= set(shown[0]["explanation"])


def test_index_build_writes_a_snapshot_beside_the_database(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    for command in (["db", "upgrade"], ["demo"]):
        assert seriktes(db, *command).returncode == 0
    result = seriktes(db, "index", "build")
    assert result.returncode == 0, result.stderr
    name = (tmp_path / "index" / "current").read_text().strip()
    assert name in result.stdout and (tmp_path / "index" / name / "post_rows.npy").is_file()
    meta = json.loads((tmp_path / "index" / name / "meta.json").read_text())
    offers = json.loads(seriktes(db, "stats", "--json").stdout)["offers"]
    assert 0.5 * offers < meta["live"] <= offers  # the published ones
