"""Organisation look-up speed (`catalog.orgsearch.find_organisations`, the picker's search)
on a database given by URL — one with the real registers of producers imported
(`seriktes import producers ../shared/data/producers/*.csv`) — and, with `--pad N`, with N
more organisations with names and BINs like theirs, written in a transaction that is rolled
back at the end (the database is left as it was). Beside each kind of query that searches
names, the name search's SQL sieve alone, through the text index of names and, as the
baseline, by the scan it replaced (every name folded, the longest word anywhere in it).

    python benchmarks/bench_orgsearch.py sqlite:///state/b.db --pad 100000
    python benchmarks/bench_orgsearch.py postgresql+psycopg://user@host/db --pad 100000
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from sqlalchemy import ColumnElement, func, insert, or_, select, text
from sqlalchemy.orm import Session

from seriktes.catalog.models import Offer
from seriktes.catalog.orgsearch import find_organisations, search_words
from seriktes.kit.db import make_engine
from seriktes.registry.bin import complete_bin
from seriktes.registry.models import Organisation
from seriktes.registry.repository import CANDIDATES, contains_all, names_have_words


def _queries(session: Session, rng: random.Random) -> list[tuple[str, str]]:
    """Queries as people type them: name beginnings, two words in another order, a BIN
    and its first digits, a product word."""
    orgs = list(session.execute(select(Organisation.name_ru, Organisation.bin)).all())
    titles = list(session.scalars(select(Offer.title).limit(2000)))
    found: list[tuple[str, str]] = []
    for name, bin_value in rng.sample(orgs, min(40, len(orgs))):
        words = [w for w in search_words(name) if len(w) > 3]
        if words:
            found.append(("name prefix", words[0][:4]))
        if len(words) > 1:
            found.append(("two words, reversed", f"{words[1][:5]} {words[0][:5]}"))
        if bin_value:
            found.append(("BIN", bin_value))
            found.append(("BIN prefix", bin_value[:6]))
    for title in rng.sample(titles, min(20, len(titles))):
        words = [w for w in search_words(title) if len(w) > 4]
        if words:
            found.append(("product", words[0][:6]))
    return found


def _pad(session: Session, count: int, rng: random.Random) -> None:
    """`count` organisations more, named from the words of those stored."""
    names = list(session.scalars(select(Organisation.name_ru)))
    words = sorted({w for n in names for w in n.split() if len(w) > 3}) or ["Завод"]
    region = session.scalar(
        select(Organisation.region_id).where(Organisation.region_id.is_not(None))
    )
    rows = []
    for n in range(count):
        bin_value = complete_bin(f"99{n:09d}"[:11])
        name = "ТОО «" + " ".join(rng.sample(words, min(3, len(words)))) + f" {n}»"
        rows.append({"bin": bin_value, "identity_key": None if bin_value else f"pad-{n}",
                     "name_ru": name, "region_id": region, "certificates": [], "version": 1,
                     "field_versions": {}})  # fmt: skip
        if len(rows) == 5000:
            session.execute(insert(Organisation), rows)
            rows = []
    if rows:
        session.execute(insert(Organisation), rows)
    session.flush()
    session.execute(text("ANALYZE organisations"))  # as autovacuum would, for the planner


def _sieve(session: Session, where: ColumnElement[bool]) -> None:
    """The ids of the `CANDIDATES` shortest names the condition `where` keeps."""
    order = (func.length(Organisation.name_ru), Organisation.id)
    session.scalars(select(Organisation.id).where(where).order_by(*order).limit(CANDIDATES)).all()


def _sieves(session: Session, q: str) -> dict[str, float]:
    """Milliseconds of the name sieve of `q`: through the index, and by the former scan."""
    words = search_words(q)
    if not words or all(w.isdigit() and w.isascii() for w in words):
        return {}  # a BIN: no name is searched
    scan = or_(*(contains_all(c, words) for c in (Organisation.name_ru, Organisation.name_kk)))
    index = names_have_words(session.get_bind().dialect.name, words)
    spent = {}
    for name, where in (("index", index), ("scan", scan)):
        start = time.perf_counter()
        _sieve(session, where)
        spent[name] = (time.perf_counter() - start) * 1000
    return spent


def main() -> None:
    """Time each kind of query (median, 95th percentile, worst, in milliseconds)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--pad", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    engine = make_engine(args.url)
    rng = random.Random(20)
    with engine.connect() as connection:
        outer = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint")
        _pad(session, args.pad, rng)
        total = session.scalar(select(func.count()).select_from(Organisation))
        offers = session.scalar(select(func.count()).select_from(Offer))
        print(f"{engine.dialect.name}: {total} organisations, {offers} offers")
        times: dict[str, list[float]] = {}
        cpu: dict[str, list[float]] = {}
        sieves: dict[str, dict[str, list[float]]] = {}
        for kind, q in _queries(session, rng):
            for _ in range(args.repeat):
                start, started = time.perf_counter(), time.process_time()
                find_organisations(session, q, 10)
                times.setdefault(kind, []).append((time.perf_counter() - start) * 1000)
                cpu.setdefault(kind, []).append((time.process_time() - started) * 1000)
            for name, spent in _sieves(session, q).items():
                sieves.setdefault(kind, {}).setdefault(name, []).append(spent)
        print("  (wall time; this process's CPU time, which SQLite's work is part of, in [];")
        print("   the name sieve alone, medians: through the index | the former scan, baseline)")
        for kind, spent in times.items():
            spent.sort()
            p95 = spent[int(len(spent) * 0.95) - 1] if len(spent) > 1 else spent[0]
            own = statistics.median(cpu[kind])
            line = (
                f"  {kind:22} median {statistics.median(spent):7.1f} ms [{own:6.1f}]  "
                f"p95 {p95:7.1f} ms  worst {spent[-1]:7.1f} ms  ({len(spent)} runs)"
            )
            if sieve := sieves.get(kind):
                index, scan = statistics.median(sieve["index"]), statistics.median(sieve["scan"])
                line += f"  sieve {index:6.1f} | {scan:6.1f} ms"
            print(line)
        session.close()
        outer.rollback()


if __name__ == "__main__":
    main()
