"""CLI commands of the matching engine: classify, evaluate, match, show matches."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from seriktes.cli import runtime
from seriktes.cli.runtime import console, fail, refused, run
from seriktes.matching.classifier import Classifier

eval_app = typer.Typer(help="Measure the engine on labelled cases.", no_args_is_help=True)
index_app = typer.Typer(
    help="The offer index that server processes map from files.", no_args_is_help=True
)
ClassifierOpt = Annotated[
    Path | None,
    typer.Option("--classifier", help="OKPD2 tree JSON or classifier CSV (default: the database)."),
]


def load_classifier(path: Path | None) -> Classifier:
    """A classifier from a file, or from the database's KP VED codes and labelled needs."""
    from seriktes.matches.service import build_classifier
    from seriktes.registry.loaders import read_classifier_file

    if path is not None:
        try:
            return Classifier(read_classifier_file(path))
        except OSError as exc:
            raise fail(f"{path}: {exc.strerror or exc}") from None
        except runtime.SeriktesError as exc:
            raise refused(exc) from None
    classifier = run(build_classifier)
    if classifier is None:
        raise fail(
            "the database holds no KP VED codes; run `seriktes registry load-okpd2 FILE` "
            "or pass --classifier FILE"
        )
    return classifier


def classify(
    text: Annotated[str, typer.Argument(help="A procurement line, e.g. «Болт М12 ГОСТ 7798».")],
    classifier: ClassifierOpt = None,
    top: Annotated[int, typer.Option(help="How many classes to show.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the most likely KP VED classes of a text, with names and scores."""
    results = load_classifier(classifier).classify(text, top)
    if as_json:
        print(json.dumps([r.__dict__ for r in results], ensure_ascii=False))
        return
    if not results:
        console.print("No class found: the text has no word the classifier knows.")
    for rank, result in enumerate(results, start=1):
        console.print(
            f"{rank:>2}. {result.code}  {result.score:.3f}  {result.name}  [{result.evidence}]",
            soft_wrap=True,
        )


def read_cases(path: Path) -> list[object]:
    """Read labelled cases: one {"id", "text", "code"} JSON object per line, with an
    optional "buyer" that groups the folds of the cross-validation."""
    from seriktes.matching.evaluation import Case

    cases: list[object] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise fail(f"{path}: {exc.strerror or exc}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            group = str(data.get("buyer") or "")
            cases.append(Case(str(data["id"]), str(data["text"]), str(data["code"]), group))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise fail(
                f'{path.name}, line {number}: expected {{"id", "text", "code"}} '
                f"({type(exc).__name__}: {exc})"
            ) from None
    if not cases:
        raise fail(f"{path.name}: no cases")
    return cases


@eval_app.command("classify")
def eval_classify(
    cases_path: Annotated[Path, typer.Argument(help="CASES.jsonl with id, text, code.")],
    classifier: ClassifierOpt = None,
    train: Annotated[
        Path | None,
        typer.Option(
            "--train",
            help="Learn from these labelled cases (cross-validated "
            "where they overlap the scored cases).",
        ),
    ] = None,
    folds: Annotated[int, typer.Option(help="Folds of the cross-validation.")] = 10,
    plain: Annotated[
        bool,
        typer.Option("--plain", help="Interleaved folds even when the cases name their buyer."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Score the classifier on labelled cases: top-k accuracy, MRR, latency."""
    from seriktes.matching.evaluation import Case, evaluate

    cases = [c for c in read_cases(cases_path) if isinstance(c, Case)]
    training = [c for c in read_cases(train) if isinstance(c, Case)] if train else []
    if classifier is not None:
        from seriktes.registry.loaders import read_classifier_file

        try:
            entries = read_classifier_file(classifier)
        except runtime.SeriktesError as exc:
            raise refused(exc) from None
        result = evaluate(lambda: Classifier(entries), cases, training, folds, not plain)
    else:
        from seriktes.matches.repository import classifier_entries

        db_entries = run(classifier_entries)
        if not db_entries:
            raise fail("the database holds no KP VED codes; pass --classifier FILE")
        result = evaluate(lambda: Classifier(db_entries), cases, training, folds, not plain)
    if as_json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        console.print(f"{key:>12}  {value}")


def match(
    partner: Annotated[
        list[str] | None,
        typer.Option(
            "--partner", help="Partner regions A:B (KATO codes), e.g. 630000000:590000000."
        ),
    ] = None,
    need: Annotated[
        list[int] | None, typer.Option("--need", help="Match only these need ids.")
    ] = None,
    top: Annotated[int, typer.Option(help="Offers kept per need.")] = 10,
) -> None:
    """Match open needs to offers and store the ranked producers with explanations."""
    from seriktes.config import get_settings
    from seriktes.matches.service import (
        MatchRun,
        build_classifier,
        build_matcher,
        match_needs,
        parse_partners,
    )

    def action(session: Session) -> MatchRun:
        partners = parse_partners(partner or get_settings().partner_regions)
        matcher = build_matcher(session, partners, build_classifier(session))
        with runtime.progress_bar("Matching needs") as update:
            return match_needs(session, matcher, need, top, update)

    result = run(action)
    console.print(
        f"{result.needs} needs matched: {result.matches} matches stored; "
        f"{result.needs_without_match} needs without any offer."
    )


def show_matches(
    need_id: Annotated[int, typer.Argument(help="Id of the need.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show the stored matches of a need with their bands and explanations."""
    from seriktes.matches.bands import band_of, verdict_of
    from seriktes.matches.service import matches_for_need

    def action(session: Session) -> list[dict[str, object]]:
        return [
            {
                "rank": m.rank,
                "score": m.score,
                "band": band_of(m.explanation, m.score),
                "verdict": verdict_of(m.explanation),
                "offer_id": m.offer_id,
                "offer": m.offer.title,
                "producer": m.offer.producer.name_ru,
                "explanation": m.explanation,
            }
            for m in matches_for_need(session, need_id)
        ]

    rows = run(action)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        console.print(f"Need {need_id} has no stored matches: no published offer fits it.")
    for row in rows:
        explanation = row["explanation"]
        assert isinstance(explanation, dict)
        console.print(
            f"{row['rank']:>2}. {row['score']:.3f} {row['band']:<8}  {row['offer']} — "
            f"{row['producer']}",
            soft_wrap=True,
            markup=False,
        )
        if row["verdict"]:
            console.print(f"      why shown: {row['verdict']}", soft_wrap=True, markup=False)
        terms = ", ".join(explanation.get("matched_terms", []))
        factors = "; ".join(
            f"{f['name']} {f['value']}×{f['weight']} ({f['note']})"
            for f in explanation.get("factors", [])
        )
        console.print(f"      terms: {terms or '—'}", soft_wrap=True)
        console.print(f"      {factors}", soft_wrap=True)


@index_app.command("build")
def index_build() -> None:
    """Build the offer index into a new snapshot and make it current; every server process
    switches to it within a second."""
    from seriktes.config import get_settings
    from seriktes.matches.snapshots import build_snapshot

    settings = get_settings()
    if settings.index_folder() is None:
        raise fail("no index folder: set SERIKTES_INDEX_DIR (or SERIKTES_STATE_DIR)")
    folder = run(lambda session: build_snapshot(session, settings))
    console.print(f"Snapshot of the offer index written: {folder}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the matching commands to the main app."""
    app.command("classify")(classify)
    app.command("match")(match)
    app.command("matches")(show_matches)
    app.add_typer(eval_app, name="eval")
    app.add_typer(index_app, name="index")
