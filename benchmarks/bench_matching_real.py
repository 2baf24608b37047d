"""Real plan lines against offers: the real goszakup lines of ../shared/data/goszakup/plans_dev.json
imported into a database holding the demo data (or the real registers of domestic producers),
matched by the engine the server uses, and judged by the lines' own ENS TRU classes.

- precision: of the lines shown a top match, the share whose offer's class agrees with the
  line's ENS TRU class to four digits;
- recall: of the lines whose four-digit class has an offer at all, the share that get such
  an offer on top;
- bands: how the shown top matches split into strong, possible and weak, with the precision
  of each band (what the pages show by default is strong and possible).

Every row is computed from the same database and lines in the same run: Seriktes, Seriktes
without its precision rules, and the best lexical (BM25) hit as a baseline.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.catalog.importer import NEEDS, import_file
from seriktes.catalog.models import Need, Offer
from seriktes.kit.codes import class_of
from seriktes.kit.db import make_engine, make_sessionmaker, transaction
from seriktes.kit.migrate import upgrade
from seriktes.matches.service import build_classifier, build_matcher, need_doc, parse_partners
from seriktes.matching.matcher import Matcher, NeedDoc
from seriktes.matching.precision import BANDS, POSSIBLE, STRONG
from seriktes.registry.loaders import load_okpd2
from seriktes.registry.service import ensure_reference_data

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PLANS = SHARED / "goszakup" / "plans_dev.json"
TREE = SHARED / "okpd2" / "okpd2_full_tree.json"
PRODUCERS = SHARED / "producers"
PARTNERS = ("630000000:590000000",)
TARGETS = {"precision": 0.80, "recall": 0.70}

# A need → the offer ids shown, best first, with the band of each.
Ranker = Callable[[NeedDoc], list[tuple[int, str]]]


@dataclass(frozen=True)
class Line:
    """A real plan line as imported: the need the engine sees and its ENS TRU class."""

    doc: NeedDoc
    gold: str


def build_database(path: Path, offers: str) -> str:
    """Migrate a new SQLite file, load KP VED, the offers ("demo" or "registers") and the
    plan lines; return the database URL."""
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        ensure_reference_data(session)
        load_okpd2(session, TREE)
        if offers == "demo":
            from seriktes.demo.loader import load_demo

            load_demo(session)
        else:
            load_registers(session)
        import_file(session, NEEDS, PLANS)
    engine.dispose()
    return url


def load_registers(session: Session) -> None:
    """Import the three real register files of ../shared/data/producers as offers, the
    products without a KP VED code classified as `seriktes import producers` does."""
    from seriktes.catalog.producers import import_producers
    from seriktes.matches.classify import product_classifier

    classifier = build_classifier(session)
    assert classifier is not None
    classify = product_classifier(classifier)

    for name in (
        "industrial_registry_sample.csv",
        "origin_certificates_sample.csv",
        "stkz_serial_certificates.csv",
    ):
        import_producers(session, PRODUCERS / name, classify=classify)


def plan_lines(session: Session, source: str = "goszakup") -> list[Line]:
    """The needs of a source (the imported plan lines, or the demo's own) with their ENS TRU
    six-digit class."""
    needs = session.scalars(
        select(Need).where(Need.source == source, Need.enstru_code.is_not(None))
    ).all()
    return [Line(need_doc(need), class_of(need.enstru_code or "")) for need in needs]


def offer_groups(session: Session) -> dict[int, str]:
    """The four-digit class of every published offer that has one."""
    rows = session.execute(select(Offer.id, Offer.class_code).where(Offer.class_code.is_not(None)))
    return {offer_id: class_of(code, 4) for offer_id, code in rows}


def engine_ranker(matcher: Matcher) -> Ranker:
    """The engine's shown matches with their bands."""

    def rank(need: NeedDoc) -> list[tuple[int, str]]:
        return [(m.offer_id, m.band) for m in matcher.match(need, top=10)]

    return rank


def lexical_ranker(matcher: Matcher) -> Ranker:
    """The baseline: offers by BM25 over the texts alone, every hit shown as strong."""

    def rank(need: NeedDoc) -> list[tuple[int, str]]:
        query = dict.fromkeys(matcher.analyzer.terms(need.text), 1.0)
        hits = matcher.index.top(query, 10) if query else []
        own = need.buyer_id
        return [
            (int(k), STRONG)  # type: ignore[call-overload]
            for k, _ in hits
            if matcher.offers[int(k)].producer_id != own  # type: ignore[call-overload]
        ]

    return rank


def figures(lines: Sequence[Line], groups: dict[int, str], rank: Ranker) -> dict[str, float | int]:
    """Precision and recall of the top match, shown lines and bands with their precision."""
    available = set(groups.values())
    shown = right = has = found = 0
    per_band = {name: [0, 0] for name in BANDS}
    default_shown = default_right = 0
    for line in lines:
        wanted = class_of(line.gold, 4)
        top = rank(line.doc)
        has += wanted in available
        if not top:
            continue
        offer_id, band = top[0]
        agrees = groups.get(offer_id) == wanted
        shown += 1
        right += agrees
        found += agrees and wanted in available
        per_band[band][0] += 1
        per_band[band][1] += agrees
        if band in (STRONG, POSSIBLE):
            default_shown += 1
            default_right += agrees
    out: dict[str, float | int] = {
        "lines": len(lines),
        "shown": shown,
        "precision": right / shown if shown else 0.0,
        "has_class": has,
        "recall": found / has if has else 0.0,
        "default_shown": default_shown,
        "default_precision": default_right / default_shown if default_shown else 0.0,
    }
    for name, (count, agree) in per_band.items():
        out[f"{name}_share"] = count / shown if shown else 0.0
        out[f"{name}_precision"] = agree / count if count else float("nan")
    return out


def run(offers: str) -> list[tuple[str, dict[str, float | int]]] | str:
    """Build the database for `offers` and score each system on the plan lines."""
    if not PLANS.exists() or not TREE.exists():
        return f"skipped: {PLANS} or {TREE} is missing"
    with tempfile.TemporaryDirectory() as folder:
        try:
            url = build_database(Path(folder) / "real.db", offers)
        except ImportError as error:
            return f"skipped: {error}"
        engine = make_engine(url)
        with Session(engine) as session:
            lines, groups = plan_lines(session), offer_groups(session)
            demo_lines = plan_lines(session, "demo") if offers == "demo" else []
            classifier = build_classifier(session)
            matcher = build_matcher(session, parse_partners(PARTNERS), classifier)
        engine.dispose()
    loose = Matcher(
        matcher.analyzer,
        classifier,
        matcher.geography,
        matcher.units,
        matcher.weights,
        rules=False,
    )
    loose.add_offers(matcher.offers.values())
    rows = [
        ("Seriktes", figures(lines, groups, engine_ranker(matcher))),
        ("Seriktes without precision rules", figures(lines, groups, engine_ranker(loose))),
        ("BM25 over the texts (baseline)", figures(lines, groups, lexical_ranker(matcher))),
    ]
    if demo_lines:  # the demo's own needs, written by the same code as its offers
        rows += [
            ("demo needs: Seriktes", figures(demo_lines, groups, engine_ranker(matcher))),
            ("demo needs: without rules", figures(demo_lines, groups, engine_ranker(loose))),
        ]
    return rows


def summary(rows: list[tuple[str, dict[str, float | int]]]) -> str:
    """One JSON object per system, for scripts comparing runs."""
    return "\n".join(json.dumps({"system": name, **values}) for name, values in rows)
