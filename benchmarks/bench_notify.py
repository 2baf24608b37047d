"""Notifications under load: from a meeting request sent to its e-mail accepted by the SMTP
server, and the outbox's throughput with one worker.

Per setup — SQLite with the embedded queue, PostgreSQL with Redis — a fresh database holds
an event with producers that each have one member. An SMTP server runs in this process
(aiosmtpd) and one `seriktes worker` in another, as `make run` starts it.

1. Latency: `--requests` meeting requests (500) are sent, each in its own committed
   transaction at `--rate` per second, every one to another producer; the time from the
   commit to the SMTP server accepting that member's e-mail gives p50, p95 and max — the
   commit wakes the worker. Beside it, the baseline of a worker that only sweeps the outbox
   (once a minute, the worker's periodic delivery), measured on `--baseline` requests (20)
   sent over a minute in the same run.
2. Throughput: with the worker stopped, `--backlog` requests (2,000) fill the outbox; a new
   worker is started and the messages per second from its first delivered message to the
   last are reported.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from seriktes.accounts.models import Role, User
from seriktes.config import Settings, get_settings
from seriktes.events import requests, service
from seriktes.events.models import EventStatus
from seriktes.events.schemas import EventIn, ParticipantIn, RequestIn
from seriktes.jobs import queue as job_queue
from seriktes.jobs import wiring
from seriktes.kit.db import make_engine, make_sessionmaker, transaction
from seriktes.kit.migrate import upgrade
from seriktes.registry.bin import complete_bin
from seriktes.registry.models import Organisation
from seriktes.registry.repository import region_by_kato
from seriktes.registry.service import ensure_reference_data

PG_URL = os.environ.get(
    "SERIKTES_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("SERIKTES_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
VKO, SKO = "630000000", "590000000"


class Inbox:
    """aiosmtpd's handler: the time each recipient's message was accepted."""

    def __init__(self) -> None:
        self.received: dict[str, float] = {}
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.monotonic()
        with self.lock:
            self.count += 1
            for address in envelope.rcpt_tos:
                self.received.setdefault(address, now)
        return "250 accepted"

    def wait(self, count: int, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while self.count < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.count >= count


@dataclass
class Day:
    event_id: int
    organiser_id: int
    buyers: list[int]
    producers: list[tuple[int, str]]  # participant id, the member's address


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def make_day(factory: sessionmaker[Session], producers: int) -> Day:
    """An event of ВКО and СКО: buyers without users (one per 10 requests: a participant has
    at most one open request per slot), `producers` producers with one member each."""
    with transaction(factory, writes=True) as session:
        host = region_by_kato(session, VKO)
        organiser = User(email="organiser@bench.kz", full_name="Organiser", password_hash="-",
                         role=Role.COORDINATOR, region_id=host.id if host else None)  # fmt: skip
        session.add(organiser)
        session.flush()
        event = service.create_event(session, organiser, EventIn.model_validate({
            "title": "Bench day", "host_region": VKO, "guest_region": SKO, "venue": "Hall",
            "starts_on": date(2099, 5, 14), "ends_on": date(2099, 5, 15),
            "meetings_on": date(2099, 5, 14), "morning_slots": 6, "afternoon_slots": 6,
            "tables": 50, "status": EventStatus.PUBLISHED,
        }))  # fmt: skip

        serial = iter(range(10**6))

        def join(kato: str, n: int) -> tuple[int, Organisation]:
            region = region_by_kato(session, kato)
            bin_value = None
            while bin_value is None:
                bin_value = complete_bin(f"19044{next(serial):06d}")
            org = Organisation(bin=bin_value, name_ru=f"ТОО «Участник {n}»", certificates=[],
                               region_id=region.id if region else None)  # fmt: skip
            session.add(org)
            session.flush()
            data = ParticipantIn.model_validate({"organisation_id": org.id})
            return service.add_participant(session, organiser, event.id, data).id, org

        buyers = [join(VKO, n)[0] for n in range(producers // 10 + 1)]  # 10 requests each
        made = []
        for n in range(producers):
            pid, org = join(SKO, 1000 + n)
            address = f"member{n}@bench.kz"
            lang = ("ru", "kk")[n % 2]
            member = User(email=address, full_name=f"Member {n}", password_hash="-",
                          role=Role.MEMBER, organisation_id=org.id, language=lang)  # fmt: skip
            session.add(member)
            made.append((pid, address))
        session.flush()
        return Day(event.id, organiser.id, buyers, made)


def send(factory: sessionmaker[Session], day: Day, index: int) -> float:
    """Send request `index` (to producer `index`) in its own transaction; the commit's time."""
    with transaction(factory, writes=True) as session:
        organiser = session.get_one(User, day.organiser_id)
        asked = RequestIn(
            requester_id=day.buyers[index // 10], recipient_id=day.producers[index][0]
        )
        requests.create_request(session, organiser, day.event_id, asked)
    return time.monotonic()


@contextmanager
def worker(env: dict[str, str], log: Path) -> Iterator[None]:
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "seriktes", "worker"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            time.sleep(0.5)
            yield
        finally:
            process.terminate()
            process.wait(30)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run_setup(
    name: str, url: str, jobs_url: str, args: argparse.Namespace, folder: Path, schema: str = ""
) -> None:
    """Both measures on one database and queue, printed. `url` is the workers'; this process
    connects to PostgreSQL's `schema` through the connection options instead (Alembic's
    configuration cannot hold the URL's escaped options)."""
    engine = (
        make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
        if schema
        else make_engine(url)
    )
    upgrade(engine)
    factory = make_sessionmaker(engine)
    with factory() as session:
        ensure_reference_data(session)
        session.commit()
    day = make_day(factory, args.requests + args.baseline + args.backlog)
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    smtp_url = f"smtp://127.0.0.1:{port}"
    os.environ["SERIKTES_SMTP_URL"] = smtp_url  # this process writes the outbox rows
    get_settings.cache_clear()
    state = folder / f"state-{name.split(maxsplit=1)[0]}"
    queue = job_queue.build(Settings(database_url=url, state_dir=state, jobs_url=jobs_url), factory)
    job_queue.attach(factory, queue)
    env = os.environ | {
        "SERIKTES_DATABASE_URL": url,
        "SERIKTES_STATE_DIR": str(state),
        "SERIKTES_JOBS_URL": jobs_url,
        "SERIKTES_SMTP_URL": smtp_url,
        "SERIKTES_DATA_DIR": "",
    }
    quiet = make_sessionmaker(engine)  # its commits wake nobody: the minute's sweep finds them
    try:
        with worker(env, folder / "worker.log"):
            woken = latencies(factory, day, inbox, range(args.requests), args.rate)
            swept = latencies(
                quiet, day, inbox, range(args.requests, args.requests + args.baseline), args.rate
            )
        first = args.requests + args.baseline
        backlog = range(first, first + args.backlog)
        for i in backlog:
            send(quiet, day, i)
        with worker(env, folder / "worker.log"):
            queue.wake_delivery()
            inbox.wait(first + args.backlog, 600)
        stamps = sorted(
            inbox.received[a] for i in backlog if (a := day.producers[i][1]) in inbox.received
        )
        rate = (len(stamps) - 1) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0
        report(name, args, woken, swept, len(stamps), rate)
    finally:
        controller.stop()
        engine.dispose()


def latencies(
    factory: sessionmaker[Session], day: Day, inbox: Inbox, indices: range, rate: float
) -> list[float]:
    """Send the requests of `indices` at `rate` per second; the seconds from each commit to
    its e-mail accepted (those received within two minutes of the last)."""
    sent = {}
    for i in indices:
        sent[day.producers[i][1]] = send(factory, day, i)
        time.sleep(1 / rate)
    inbox.wait(indices.stop, 130)
    return [inbox.received[a] - t for a, t in sent.items() if a in inbox.received]


def report(
    name: str,
    args: argparse.Namespace,
    woken: list[float],
    swept: list[float],
    delivered: int,
    rate: float,
) -> None:
    print(f"\n{name}")
    print(f"  request → e-mail accepted: {len(woken)} of {args.requests} requests received")
    if woken:
        p95 = percentile(woken, 0.95)
        verdict = "PASS" if p95 <= args.target else "FAIL"
        print(
            f"    p50 {statistics.median(woken):.2f} s · p95 {p95:.2f} s · max {max(woken):.2f} s"
            f"   target p95 ≤ {args.target:.0f} s {verdict}"
        )
    if swept:
        print(
            f"    baseline, commits that wake nobody (the worker's periodic sweep), "
            f"{len(swept)} requests: "
            f"p50 {statistics.median(swept):.2f} s · p95 {percentile(swept, 0.95):.2f} s"
        )
    print(f"  outbox, one worker: {delivered} of {args.backlog} messages at {rate:.1f} messages/s")


def sessionmaker_without_hooks(engine: Any) -> sessionmaker[Session]:
    """Sessions whose commits wake nobody (no `jobs.queue.attach`)."""
    return make_sessionmaker(engine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--rate", type=float, default=10.0, help="requests sent per second")
    parser.add_argument("--baseline", type=int, default=20)
    parser.add_argument("--backlog", type=int, default=2000)
    parser.add_argument("--target", type=float, default=5.0, help="p95 target, seconds")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    wiring.install()
    with tempfile.TemporaryDirectory(prefix="bench-notify-") as temp:
        folder = Path(temp)
        run_setup("SQLite, embedded queue", f"sqlite:///{folder / 'bench.db'}", "", args, folder)
        if args.skip_postgres:
            return
        schema = f"bench_notify_{uuid.uuid4().hex[:8]}"
        admin = make_engine(PG_URL, connect_args={"connect_timeout": 3})
        try:
            with admin.begin() as connection:
                connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        except Exception as exc:
            print(f"PostgreSQL at {PG_URL} is not reachable ({exc}); skipped.")
            return
        try:
            import redis

            redis.Redis.from_url(REDIS_URL).flushdb()
            url = f"{PG_URL}?options=-csearch_path%3D{schema}"
            run_setup("PostgreSQL, Redis queue", url, REDIS_URL, args, folder, schema)
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
