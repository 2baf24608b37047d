"""Many processes, one index: the offer index built once into a snapshot that every process
maps, against the matcher each process builds in memory today.

Generated offers (as `bench_matching_scale` makes them) are written to a SQLite database in a
temporary folder. A builder process builds today's in-memory matcher (its time and memory are
one web process's today) and writes it as the current snapshot (`build_snapshot`). Then web-like
processes start one after the other: each opens the snapshot through `matches.cache` as the
server does and answers a search (time from its start to that answer), then matches a sample of
needs and searches their texts (so that it touches the pages a server would). Memory is the
proportional set size (PSS: a shared page counts 1/n in each of the n processes mapping it)
summed over the processes, beside the resident sets (RSS counts shared pages in each). Last,
one process changes an offer and commits while another searches for it: the time until the
other sees it.

    python benchmarks/bench_index.py               # 1,000,000 offers
    python benchmarks/bench_index.py --offers 100000
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import psutil

GIB = 1024**3
MIB = 1024**2
TARGET_OFFERS = 1_000_000
TARGET_MEMORY_RATIO = 1.5  # four processes together, against one alone
TARGET_FIRST_SEARCH_S = 10.0
TARGET_CHANGE_SEEN_S = 2.0
PRODUCERS = 20_000
BATCH = 20_000
HERE = Path(__file__).resolve().parent


# --- the database ------------------------------------------------------------------------
def environment(folder: Path) -> dict[str, str]:
    """The settings every process of the run reads."""
    return {
        **os.environ,
        "SERIKTES_DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
        "SERIKTES_INDEX_DIR": str(folder / "index"),
        "SERIKTES_DATA_DIR": "",
        "SERIKTES_ENVIRONMENT": "development",
        "PYTHONPATH": os.pathsep.join([str(HERE.parent / "src"), str(HERE)]),
    }


def populate(offers: int, seed: int) -> float:
    """Write the generated offers and their producers; return the seconds it took."""
    import random

    from sqlalchemy import insert, select
    from sqlalchemy.orm import Session

    from bench_matching_data import generate
    from seriktes.catalog.models import Offer
    from seriktes.config import get_settings
    from seriktes.kit.db import make_engine
    from seriktes.kit.migrate import upgrade
    from seriktes.registry.models import Organisation, Region
    from seriktes.registry.service import ensure_reference_data

    started = time.perf_counter()
    engine = make_engine(get_settings().database_url)
    upgrade(engine)
    with Session(engine) as session:
        ensure_reference_data(session)
        session.commit()
        regions = {kato: rid for rid, kato in session.execute(select(Region.id, Region.kato))}
        rng = random.Random(seed)
        wanted = [kato for kato in regions if kato.endswith("0000000")] or list(regions)
        orgs = [
            {
                "name_ru": f"ТОО «Производитель {n}»",
                "identity_key": f"bench-{n}",
                "region_id": regions[rng.choice(wanted)],
            }
            for n in range(1, PRODUCERS + 1)
        ]
        session.execute(insert(Organisation), orgs)
        producer_ids = list(session.scalars(select(Organisation.id).order_by(Organisation.id)))
        docs, _needs = generate(offers, 0, seed)
        for start in range(0, len(docs), BATCH):
            rows = [
                {
                    "producer_id": producer_ids[(doc.producer_id - 1) % len(producer_ids)],
                    "external_id": f"B-{doc.id}",
                    "title": doc.text[:500],
                    "class_code": doc.class_code,
                    "unit_code": doc.unit_code,
                    "capacity_per_year": Decimal(f"{doc.capacity:.3f}") if doc.capacity else None,
                    "status": "published",
                    "source": "bench",
                }
                for doc in docs[start : start + BATCH]
            ]
            session.execute(insert(Offer), rows)
        session.info.pop("seriktes_offers_bulk_unlogged", None)  # a snapshot follows: no reset
        session.commit()
    engine.dispose()
    return time.perf_counter() - started


# --- the processes -----------------------------------------------------------------------
def memory_of(pid: int) -> dict[str, int]:
    """PSS, RSS and USS of a process, in bytes."""
    info = psutil.Process(pid).memory_full_info()
    return {"pss": info.pss, "rss": info.rss, "uss": info.uss}


def role_build() -> None:
    """Build today's matcher in memory, measure it, and write it as the current snapshot."""
    from seriktes.config import get_settings
    from seriktes.kit.db import make_engine, make_sessionmaker
    from seriktes.matches.snapshots import build_snapshot
    from seriktes.matching.matcher import Matcher

    figures: dict[str, Any] = {}
    started = [time.perf_counter(), time.process_time()]

    def built(matcher: Matcher) -> None:
        figures["memory_build_s"] = time.perf_counter() - started[0]
        figures["memory_build_cpu_s"] = time.process_time() - started[1]
        figures["memory_offers"] = len(matcher.offers)
        figures.update({f"memory_{k}": v for k, v in memory_of(os.getpid()).items()})
        started[:] = [time.perf_counter(), time.process_time()]

    factory = make_sessionmaker(make_engine(get_settings().database_url))
    with factory() as session:
        folder = build_snapshot(session, built=built)
        session.commit()
    figures["write_s"] = time.perf_counter() - started[0]
    figures["snapshot_bytes"] = sum(p.stat().st_size for p in folder.iterdir())
    print(json.dumps(figures), flush=True)


def role_web(seed: int) -> None:
    """A web-like process: answer a first search, then obey commands on stdin."""
    from seriktes.config import get_settings
    from seriktes.kit.db import make_engine, make_sessionmaker
    from seriktes.matches import cache
    from seriktes.matching.snapshot import SnapshotIndex

    factory = make_sessionmaker(make_engine(get_settings().database_url))

    def search(text: str) -> list[tuple[int, float]]:
        with factory() as session:  # one session a request, as the server
            matcher = cache.cached_matcher(session)
            with cache.reading():
                return matcher.search(text)

    first = search("подшипник шариковый")
    with factory() as session:
        shared = isinstance(cache.cached_matcher(session).index, SnapshotIndex)
    reply({"ready": time.time(), "found": len(first), "snapshot": shared})
    for line in sys.stdin:
        command = json.loads(line)
        if command["do"] == "warm":
            reply(warm(factory, int(command["needs"]), seed))
        elif command["do"] == "write":
            reply(write(factory, int(command["offer"]), str(command["word"])))
        elif command["do"] == "watch":
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if any(found == command["offer"] for found, _ in search(command["word"])):
                    break
                time.sleep(0.01)
            reply({"seen": time.time()})
        elif command["do"] == "quit":
            return


def reply(data: dict[str, Any]) -> None:
    print(json.dumps(data), flush=True)


def warm(factory: Any, count: int, seed: int) -> dict[str, Any]:
    """Match `count` generated needs and search their texts; return the p50 and p95 ms."""
    from bench_matching_data import generate
    from seriktes.matches import cache

    _offers, needs = generate(0, count, seed)
    times = []
    for need in needs:
        started = time.perf_counter()
        with factory() as session:
            matcher = cache.cached_matcher(session)
            with cache.reading():
                matcher.match(need, top=10)
                matcher.search(need.text)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50_ms": times[len(times) // 2], "p95_ms": times[int(len(times) * 0.95) - 1]}


def write(factory: Any, offer_id: int, word: str) -> dict[str, Any]:
    """Change an offer's title through the ORM and commit; return when it was committed."""
    from seriktes.catalog.models import Offer

    with factory() as session:
        offer = session.get(Offer, offer_id)
        assert offer is not None
        offer.title = f"{offer.title} {word}"
        session.commit()
        return {"committed": time.time()}


class Worker:
    """A web-like process started by this benchmark."""

    def __init__(self, env: dict[str, str], seed: int) -> None:
        self.started = time.time()
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--role", "web", "--seed", str(seed)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.replies: queue.Queue[dict[str, Any]] = queue.Queue()
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()
        self.ready = self.answer(timeout=600)

    def _read(self, stream: TextIO) -> None:
        for line in stream:
            if line.startswith("{"):
                self.replies.put(json.loads(line))

    def ask(self, **command: Any) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def answer(self, timeout: float = 600) -> dict[str, Any]:
        return self.replies.get(timeout=timeout)

    @property
    def first_search_s(self) -> float:
        return float(self.ready["ready"]) - self.started

    def stop(self) -> None:
        try:
            self.ask(do="quit")
            self.process.wait(10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()


# --- the run -----------------------------------------------------------------------------
def row(name: str, value: str, target: str = "", verdict: str = "") -> None:
    print(f"{name:<58} {value:<34} {target:<16} {verdict}", flush=True)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def gib(value: float) -> str:
    return f"{value / GIB:.2f} GiB"


def run_builder(env: dict[str, str]) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--role", "build"],
        env=env,
        check=False,
        stdout=subprocess.PIPE,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"the builder failed (exit {out.returncode})")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run(offers: int, workers: int, needs: int, changes: int, seed: int, keep: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-index-"))
    env = environment(folder)
    os.environ.update({k: v for k, v in env.items() if k.startswith("SERIKTES_")})
    sys.path[:0] = env["PYTHONPATH"].split(os.pathsep)
    row("machine: cores / load average before", f"{os.cpu_count()} / {load()}")
    try:
        row(f"write {offers:,} generated offers to SQLite", f"{populate(offers, seed):.1f} s")
        started = time.perf_counter()
        built = run_builder(env)
        total = time.perf_counter() - started
        row(
            "today: one process builds its matcher in memory",
            f"{built['memory_build_s']:.1f} s wall, {built['memory_build_cpu_s']:.1f} s cpu",
        )
        row(
            "today: that process's memory (RSS / PSS)",
            f"{gib(built['memory_rss'])} / {gib(built['memory_pss'])}",
        )
        row(
            "snapshot build: the same matcher + writing it (job)",
            f"{built['memory_build_s'] + built['write_s']:.1f} s "
            f"(write {built['write_s']:.1f} s; process {total:.1f} s)",
        )
        row("snapshot size on disk", f"{built['snapshot_bytes'] / MIB:,.0f} MiB")
        web_figures(env, workers, needs, changes, seed, built)
        row("machine: load average after", load())
    finally:
        if keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def web_figures(
    env: dict[str, str], count: int, needs: int, changes: int, seed: int, built: dict[str, Any]
) -> None:
    started: list[Worker] = []
    try:
        first = Worker(env, seed)
        started.append(first)
        first.ask(do="warm", needs=needs)
        warm = first.answer()
        alone = memory_of(first.process.pid)
        row(
            "one snapshot process alone, after its searches (RSS / PSS)",
            f"{gib(alone['rss'])} / {gib(alone['pss'])}",
        )
        for n in range(1, count):
            started.append(Worker(env, seed + n))
        for worker in started[1:]:
            worker.ask(do="warm", needs=needs)
        for worker in started[1:]:
            worker.answer()
        assert all(w.ready["snapshot"] for w in started), "a process did not use the snapshot"
        firsts = [w.first_search_s for w in started]
        row(
            f"start to first search answer ({count} processes, max)",
            f"{max(firsts):.1f} s (each: {', '.join(f'{t:.1f}' for t in firsts)})",
            f"≤ {TARGET_FIRST_SEARCH_S:.0f} s",
            verdict(max(firsts) <= TARGET_FIRST_SEARCH_S),
        )
        row(
            f"match + search of one need, p50 / p95 ({needs} needs)",
            f"{warm['p50_ms']:.1f} / {warm['p95_ms']:.1f} ms",
        )
        memories = [memory_of(w.process.pid) for w in started]
        pss = sum(m["pss"] for m in memories)
        rss = sum(m["rss"] for m in memories)
        row(f"{count} snapshot processes together: RSS (double counts)", gib(rss))
        row(f"{count} snapshot processes together: PSS", gib(pss))
        today = built["memory_rss"]
        row(
            "  against one process today (its matcher in memory, RSS)",
            f"{pss / today:.2f} × {gib(today)}",
            f"≤ {TARGET_MEMORY_RATIO} ×",
            verdict(pss <= TARGET_MEMORY_RATIO * today),
        )
        row(
            "  against one snapshot process alone (RSS)",
            f"{pss / alone['rss']:.2f} × {gib(alone['rss'])}",
            f"≤ {TARGET_MEMORY_RATIO} ×",
            verdict(pss <= TARGET_MEMORY_RATIO * alone["rss"]),
        )
        row(
            "  private to each snapshot process (USS, mean)",
            gib(sum(m["uss"] for m in memories) / count),
        )
        row(
            f"{count} in-memory processes today (projected: {count} × one)",
            gib(count * today),
        )
        seen = change_seen(started, changes, built["memory_offers"])
        row(
            f"change committed in one process seen by a search in another ({changes}×, max)",
            f"{max(seen):.2f} s (median {statistics.median(seen):.2f} s)",
            f"≤ {TARGET_CHANGE_SEEN_S:.0f} s",
            verdict(max(seen) <= TARGET_CHANGE_SEEN_S),
        )
    finally:
        for worker in started:
            worker.stop()


def change_seen(workers: list[Worker], changes: int, offers: int) -> list[float]:
    """Seconds from a commit in one process to a search in another that finds the change."""
    seen = []
    for n in range(changes):
        writer, watcher = workers[n % len(workers)], workers[(n + 1) % len(workers)]
        word = f"метка{n}x{os.getpid()}"
        offer = 1 + (n * 7919) % offers
        watcher.ask(do="watch", word=word, offer=offer)
        time.sleep(0.3)  # the watcher is searching
        writer.ask(do="write", offer=offer, word=word)
        committed = writer.answer()["committed"]
        seen.append(float(watcher.answer(timeout=60)["seen"]) - float(committed))
    return seen


def load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=TARGET_OFFERS)
    parser.add_argument("--workers", type=int, default=4, help="web-like processes")
    parser.add_argument("--needs", type=int, default=200, help="needs each process matches")
    parser.add_argument("--changes", type=int, default=5, help="changes timed across processes")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--role", choices=["main", "build", "web"], default="main")
    args = parser.parse_args(argv)
    if args.role == "build":
        role_build()
    elif args.role == "web":
        role_web(args.seed)
    else:
        run(args.offers, args.workers, args.needs, args.changes, args.seed, args.keep)


if __name__ == "__main__":
    main()
