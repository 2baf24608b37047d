"""Load benchmark of the web API: 50 clients for 60 s on a need's matches and on search,
then a busy day of 50 API token clients with logins and a burst of bad logins (0 errors).

A database gets 100,000 offers, a few thousand needs and their stored matches (the matching
engine ranks them, as `seriktes match` does), and the KP VED classes of
../shared/data/okpd2 when present. `seriktes serve` runs it in a subprocess on a free
loopback port; after a warm-up (the first search builds the search engine), concurrent
clients send GET /api/v1/needs/{id}/matches (random needs) and GET /api/v1/search?q=...
(queries written the way people type plan lines) without pause, half and half, and the
table reports requests per second, p50/p95/p99 latency and errors per endpoint, on SQLite
and on PostgreSQL (in a schema of its own, dropped afterwards; skipped when unreachable).

After the load, the same server gets a busy day (`bench_web_busy`): as many clients with
API tokens, clients logging in and out and a burst of 100 wrong logins, all at once, each
writing while the others read; its table reports requests, errors and p95 per kind.

    python benchmarks/bench_web.py [--seconds 60] [--clients 50] [--offers 100000]
        [--busy-seconds 60]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import psutil
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bench_http import Connection, Tally, one_request, percentile
from bench_matching_data import generate
from bench_web_busy import BURST_SIZE, BUSY_HEADER, LOGIN_CLIENTS, add_accounts, busy_day, busy_rows
from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus, Origin
from seriktes.kit.db import make_engine
from seriktes.kit.migrate import upgrade
from seriktes.matches.models import Match
from seriktes.matches.service import build_classifier, build_matcher, match_needs, parse_partners
from seriktes.matching.matcher import NeedDoc, OfferDoc
from seriktes.registry.bin import complete_bin
from seriktes.registry.loaders import load_okpd2
from seriktes.registry.models import Organisation, Region
from seriktes.registry.service import ensure_reference_data

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
OKPD2 = ROOT.parent / "shared" / "data" / "okpd2" / "okpd2_full_tree.json"
PG_URL = os.environ.get(
    "SERIKTES_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TARGET_P95_MS = 300.0
MATCHES, SEARCH = "GET /api/v1/needs/{id}/matches", "GET /api/v1/search?q=…"
CHUNK = 5000
HOST = "127.0.0.1"  # loopback only


@dataclass(frozen=True)
class Dataset:
    """Rows to load, identical in every database (explicit ids), and search queries."""

    organisations: list[dict[str, object]]
    offers: list[dict[str, object]]
    needs: list[dict[str, object]]
    queries: list[str]


def split(text_: str) -> tuple[str, str | None]:
    """A generated text as a title and the rest as a description."""
    title, _, rest = text_.partition(". ")
    return title[:500], rest or None


def organisations(count: int, first_id: int, rng: random.Random) -> list[dict[str, object]]:
    """Organisations with valid BINs spread over the top-level regions."""
    from seriktes.registry.facts import TOP_LEVEL_REGIONS

    rows: list[dict[str, object]] = []
    serial = first_id * 3
    while len(rows) < count:
        serial += 1
        bin_value = complete_bin(f"2001{serial:07d}")
        if bin_value is None:
            continue
        rows.append(
            {
                "id": first_id + len(rows),
                "bin": bin_value,
                "name_ru": f"ТОО «Бенч {first_id + len(rows)}»",
                "region": rng.choice(TOP_LEVEL_REGIONS).kato,
                "certificates": ["KZ 7 000 00001"] if rng.random() < 0.3 else [],
            }
        )
    return rows


def by_region(rows: list[dict[str, object]]) -> dict[str, list[int]]:
    """Organisation ids by region."""
    grouped: dict[str, list[int]] = {}
    for row in rows:
        grouped.setdefault(str(row["region"]), []).append(int(str(row["id"])))
    return grouped


def owner_of(region: str, by_region: dict[str, list[int]], rng: random.Random) -> int:
    """An organisation of the region (any organisation when the region has none)."""
    choices = by_region.get(region) or [i for ids in by_region.values() for i in ids]
    return rng.choice(choices)


def offer_row(doc: OfferDoc, producer: int, rng: random.Random) -> dict[str, object]:
    """An offers row from a generated offer."""
    title, description = split(doc.text)
    return {
        "id": doc.id,
        "producer_id": producer,
        "external_id": f"B-{doc.id}",
        "title": title,
        "description": description,
        "class_code": doc.class_code,
        "unit_code": doc.unit_code,
        "capacity_per_year": round(doc.capacity or 0, 3) or None,
        "price": rng.randint(100, 500_000),
        "certificates": ["ST-KZ"] if doc.certified else [],
        "status": OfferStatus.PUBLISHED if rng.random() < 0.95 else OfferStatus.DRAFT,
        "source": "bench",
    }


def need_row(doc: NeedDoc, buyer: int) -> dict[str, object]:
    """A needs row from a generated need."""
    title, description = split(doc.text)
    return {
        "id": doc.id,
        "buyer_id": buyer,
        "external_id": f"B-{doc.id}",
        "title": title,
        "description": description,
        "class_code": doc.class_code,
        "unit_code": doc.unit_code,
        "quantity": round(doc.quantity or 0, 3) or None,
        "origin": Origin(doc.origin),
        "status": NeedStatus.PUBLISHED,
        "source": "bench",
    }


def query_of(title: str, rng: random.Random) -> str:
    """What a person types for a plan line: its first one to four words."""
    words = re.findall(r"[\w\-]+", title)
    return " ".join(words[: rng.randint(1, 4)]) or "подшипник"


def make_dataset(offers: int, needs: int, seed: int) -> Dataset:
    """Generate the organisations, offers, needs and queries of one benchmark."""
    rng = random.Random(seed)
    offer_docs, need_docs = generate(offers, needs, seed)
    producers = organisations(max(20, offers // 50), 1, rng)
    buyers = organisations(max(10, needs // 6), len(producers) + 1, rng)
    sellers, purchasers = by_region(producers), by_region(buyers)
    offer_rows = [offer_row(d, owner_of(d.region or "", sellers, rng), rng) for d in offer_docs]
    need_rows = [need_row(d, owner_of(d.region or "", purchasers, rng)) for d in need_docs]
    queries = [query_of(str(rng.choice(need_rows)["title"]), rng) for _ in range(500)]
    return Dataset(producers + buyers, offer_rows, need_rows, queries)


def load(engine: Engine, data: Dataset, matches: list[dict[str, object]] | None) -> int:
    """Write the data set (and the given matches, or new ones) into a migrated database."""
    upgrade(engine)
    with Session(engine) as session:
        ensure_reference_data(session)
        if OKPD2.exists():
            load_okpd2(session, OKPD2)
        regions = {r.kato: r.id for r in session.scalars(select(Region))}
        orgs = [
            {key: value for key, value in row.items() if key != "region"}
            | {"region_id": regions[str(row["region"])]}
            for row in data.organisations
        ]
        for model, rows in ((Organisation, orgs), (Offer, data.offers), (Need, data.needs)):
            for start in range(0, len(rows), CHUNK):
                session.execute(insert(model), rows[start : start + CHUNK])
        if matches is None:
            classifier = build_classifier(session)
            matcher = build_matcher(session, parse_partners(["63:59"]), classifier)
            match_needs(session, matcher, top=10)
        else:
            for start in range(0, len(matches), CHUNK):
                session.execute(insert(Match), matches[start : start + CHUNK])
        count = int(session.scalar(select(func.count(Match.id))) or 0)
        session.commit()
    with engine.begin() as connection:
        # planner statistics, as autovacuum would gather them soon after a bulk load
        connection.execute(text("ANALYZE"))
    return count


def stored_matches(engine: Engine) -> list[dict[str, object]]:
    """Every stored match as plain rows (to copy them into another database)."""
    with engine.connect() as connection:
        rows = connection.execute(select(Match.__table__)).mappings().all()
    return [dict(row) for row in rows]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(url: str, log: Path, workers: int) -> Iterator[tuple[tuple[str, int], psutil.Process]]:
    """`seriktes serve --workers N` on a free loopback port for `url`; yields its address
    and process. The access log is off: one line per request would cost as much as a
    search."""
    port = free_port()
    env = {
        **os.environ,
        "SERIKTES_DATABASE_URL": url,
        "SERIKTES_TRUSTED_PROXIES": f'["{HOST}"]',  # the busy day's clients come through it
    }
    command = [sys.executable, "-m", "seriktes", "serve", "--workers", str(workers)]
    command.append("--no-access-log")
    with log.open("w") as output:
        process = subprocess.Popen(
            [*command, "--host", HOST, "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(f"http://{HOST}:{port}", process)
            yield (HOST, port), psutil.Process(process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_until_up(base: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Poll the server until it answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with code {process.returncode}; see its log")
        try:
            if httpx.get(f"{base}/api/v1/regions", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s")


def pick(rng: random.Random, need_ids: list[int], queries: list[str]) -> tuple[str, str]:
    """The next request of a client: a need's matches or a search, half and half."""
    if rng.random() < 0.5:
        return MATCHES, f"/api/v1/needs/{rng.choice(need_ids)}/matches"
    return SEARCH, f"/api/v1/search?q={quote(rng.choice(queries))}"


async def client_loop(
    base: tuple[str, int], until: float, seed: int, data: Dataset, tallies: dict[str, Tally]
) -> None:
    """One client: requests back to back on its own connection until the deadline."""
    rng = random.Random(seed)
    need_ids = [int(str(row["id"])) for row in data.needs]
    connection = Connection(*base)
    while time.perf_counter() < until:
        name, target = pick(rng, need_ids, data.queries)
        seconds, problem = await one_request(connection, target)
        tallies[name].add(seconds, problem)
    await connection.close()


async def hammer(
    base: tuple[str, int], data: Dataset, clients: int, seconds: float
) -> dict[str, Tally]:
    """Run `clients` concurrent clients for `seconds`; return the tallies per endpoint."""
    tallies = {MATCHES: Tally(), SEARCH: Tally()}
    until = time.perf_counter() + seconds
    await asyncio.gather(*(client_loop(base, until, n, data, tallies) for n in range(clients)))
    return tallies


def warm_up(base: tuple[str, int], data: Dataset, workers: int, seconds: float = 10) -> float:
    """Searches one at a time until every worker has built its search engine (a run of
    quick answers), then a few seconds of light traffic; return the time of the builds."""
    started, quick = time.perf_counter(), 0
    url = f"http://{base[0]}:{base[1]}/api/v1/search"
    while quick < 3 * workers:
        asked = time.perf_counter()
        httpx.get(url, params={"q": data.queries[quick]}, timeout=900).raise_for_status()
        quick = quick + 1 if time.perf_counter() - asked < 2 else 0
    build = time.perf_counter() - started
    asyncio.run(hammer(base, data, 4, seconds))
    return build


def cpu_seconds(process: psutil.Process) -> float:
    """CPU time used so far by the server and its worker processes."""
    return sum(sum(p.cpu_times()[:2]) for p in [process, *process.children(recursive=True)])


@dataclass(frozen=True)
class Run:
    """What one backend's load run measured besides the latencies."""

    backend: str
    seconds: float
    server_cpu: float  # CPU seconds the server process used during the run
    load: float  # the machine's load average when the run started


def report(run: Run, tallies: dict[str, Tally]) -> list[str]:
    """Table rows of one backend, with the verdict against the target next to the figures."""
    rows = []
    total = sum(len(t.latencies) + sum(t.errors.values()) for t in tallies.values())
    for name, tally in tallies.items():
        done, errors = tally.latencies, sum(tally.errors.values())
        p50, p95, p99 = (percentile(done, q) if done else float("nan") for q in (0.5, 0.95, 0.99))
        ok = bool(done) and p95 <= TARGET_P95_MS and errors == 0
        kinds = ", ".join(f"{k} ×{v}" for k, v in tally.errors.items())
        rows.append(
            f"{run.backend:<11}{name:<33}{len(done) + errors:>9}"
            f"{(len(done) + errors) / run.seconds:>8.1f}{p50:>8.0f}{p95:>8.0f}{p99:>8.0f}"
            f"{errors:>8}  {'meets' if ok else 'MISSES'} target{f' ({kinds})' if kinds else ''}"
        )
    rows.append(
        f"{'':<11}server CPU {run.server_cpu / max(total, 1) * 1000:.1f} ms per request "
        f"({run.server_cpu / run.seconds:.0%} of one core); machine load average "
        f"{run.load:.1f} on {os.cpu_count()} cores at the start"
    )
    return rows


HEADER = (
    f"{'backend':<11}{'endpoint':<33}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
    f"{'p99 ms':>8}{'errors':>8}  target: p95 ≤ {TARGET_P95_MS:.0f} ms and no errors"
)


def run_backend(
    backend: str, url: str, data: Dataset, args: argparse.Namespace
) -> tuple[list[str], list[str]]:
    """Serve one database, warm up, load it, then its busy day; return both tables' rows."""
    log = OUT / f"bench_web_{backend}_server.log"
    engine = make_engine(url)
    accounts = add_accounts(engine, args.clients)
    engine.dispose()
    busy: list[str] = []
    with server(url, log, args.workers) as (address, process):
        build = warm_up(address, data, args.workers)
        print(f"  {backend}: the first searches built the search engine in {build:.1f} s")
        load, cpu = os.getloadavg()[0], cpu_seconds(process)
        tallies = asyncio.run(hammer(address, data, args.clients, args.seconds))
        used = cpu_seconds(process) - cpu
        if args.busy_seconds > 0:
            need_ids = [int(str(row["id"])) for row in data.needs]
            day = asyncio.run(busy_day(address, accounts, need_ids, args.busy_seconds))
            busy = busy_rows(backend, args.busy_seconds, day)
    return report(Run(backend, args.seconds, used, load), tallies), busy


def postgres_schema() -> str | None:
    """Create a schema of its own on PostgreSQL; None (with a message) when unreachable."""
    schema = f"bench_web_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        print(f"PostgreSQL at {PG_URL} is not reachable ({str(exc).splitlines()[0]}); skipped.")
        return None
    finally:
        admin.dispose()
    return schema


def drop_schema(schema: str) -> None:
    """Drop the benchmark's PostgreSQL schema."""
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def build_sqlite(path: Path, data: Dataset) -> list[dict[str, object]]:
    """The SQLite database with matches found by the engine; return the matches."""
    started = time.perf_counter()
    engine = make_engine(f"sqlite:///{path}")
    count = load(engine, data, None)
    seconds = time.perf_counter() - started
    print(f"  sqlite: loaded and matched in {seconds:.0f} s ({count:,} matches)")
    matches = stored_matches(engine)
    engine.dispose()
    return matches


def build_postgres(schema: str, data: Dataset, matches: list[dict[str, object]]) -> str:
    """The same data in a PostgreSQL schema; return its URL."""
    started = time.perf_counter()
    engine = make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    load(engine, data, matches)
    engine.dispose()
    print(f"  postgresql: loaded in {time.perf_counter() - started:.0f} s")
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


def main() -> None:
    """Build the databases, run the load on each backend and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="load duration per backend")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--offers", type=int, default=100_000, help="offers in the database")
    parser.add_argument("--needs", type=int, default=3_000, help="needs (all matched)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--workers", type=int, default=2, help="server processes (`seriktes serve --workers`)"
    )
    parser.add_argument(
        "--busy-seconds",
        type=float,
        default=60,
        help="the busy day per backend: token clients, logins and a burst of bad ones (0: none)",
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"Generating {args.offers:,} offers and {args.needs:,} needs…")
    data = make_dataset(args.offers, args.needs, args.seed)
    rows: list[str] = []
    busy: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        path = Path(folder) / "bench_web.db"
        matches = build_sqlite(path, data)
        load_rows, busy_day_rows = run_backend("sqlite", f"sqlite:///{path}", data, args)
        rows, busy = rows + load_rows, busy + busy_day_rows
    print("\n".join(rows + busy), flush=True)  # kept even if the next backend fails
    schema = postgres_schema()
    if schema is not None:
        try:
            url = build_postgres(schema, data, matches)
            load_rows, busy_day_rows = run_backend("postgresql", url, data, args)
            rows, busy = rows + load_rows, busy + busy_day_rows
        finally:
            drop_schema(schema)
    print(
        f"\n{args.clients} clients, {args.seconds:.0f} s per backend, {args.workers} server "
        f"process(es), {args.offers:,} offers, "
        f"{args.needs:,} needs; each client sends requests back to back, half to each "
        "endpoint\n"
    )
    print(HEADER)
    print("\n".join(rows))
    if busy:
        print(
            f"\nBusy day, {args.busy_seconds:.0f} s per backend: {args.clients} clients with API "
            f"tokens, {LOGIN_CLIENTS} clients logging in and out, and a burst of {BURST_SIZE} "
            "wrong logins at once, all together\n"
        )
        print(BUSY_HEADER)
        print("\n".join(busy))


if __name__ == "__main__":
    main()
