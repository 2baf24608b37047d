"""A committed database, a job queue (embedded or Redis) and real worker processes.

The worker is `seriktes worker` in a process of its own, as in production; the database
holds a small B2B day whose accepted requests wait for a schedule."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from seriktes.accounts.models import Role, User
from seriktes.config import Settings
from seriktes.events import requests, service
from seriktes.events.schemas import RequestIn
from seriktes.jobs import queue as job_queue
from seriktes.jobs import wiring
from seriktes.jobs.models import ACTIVE, Job
from seriktes.kit.db import make_engine, make_sessionmaker
from seriktes.kit.migrate import upgrade
from seriktes.registry.service import ensure_reference_data
from tests.conftest import IN_CI, PG_URL, _drop_schema, _postgres_engine
from tests.events.conftest import SKO, VKO, event_in
from tests.webkit import make_org, make_user

REDIS_URL = os.environ.get("SERIKTES_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_or_skip() -> str:
    """The test Redis URL, emptied; a skip (a failure in CI) when Redis is not reachable."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        message = f"Redis at {REDIS_URL} is not reachable ({exc})"
        if IN_CI:
            pytest.fail(message + "; CI requires it", pytrace=False)
        pytest.skip(message + "; the Redis queue tests are skipped (required when CI=true)")
    client.flushdb()
    return REDIS_URL


@dataclass
class World:
    """A committed database with an event whose requests are accepted, and its queue."""

    url: str
    engine: Engine
    factory: sessionmaker[Session]
    settings: Settings
    env: dict[str, str]
    organiser_id: int
    event_id: int
    queue: job_queue.JobQueue

    def job(self, job_id: int) -> Job:
        with self.factory() as session:
            return session.get_one(Job, job_id)

    def wait(self, job_id: int, until: Callable[[Job], bool], seconds: float = 90) -> Job:
        """The job once `until` holds (polled), failing the test after `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            job = self.job(job_id)
            if until(job):
                return job
            if time.monotonic() > deadline:
                pytest.fail(f"job {job_id} is {job.status} after {seconds} s", pytrace=False)
            time.sleep(0.2)

    def ended(self, job_id: int, seconds: float = 90) -> Job:
        return self.wait(job_id, lambda job: job.status not in ACTIVE, seconds)

    def submit(self, kind: str, **fields: object) -> int:
        with self.factory() as session:
            user = session.get_one(User, self.organiser_id)
            job = self.queue.submit(session, user, kind, **fields)  # type: ignore[arg-type]
            session.commit()
            return job.id


def committed_database(backend: str, folder: Path, name: str) -> Iterator[tuple[str, Engine]]:
    """A new database of `backend`, migrated, with the reference data committed: yields the
    URL a worker process connects with and this process's engine, then disposes of it (and
    drops its PostgreSQL schema) when advanced again."""
    schema = None
    if backend == "sqlite":
        url = f"sqlite:///{folder / f'{name}.db'}"
        engine = make_engine(url)
    else:
        schema = f"seriktes_{name}_{uuid.uuid4().hex[:10]}"
        engine = _postgres_engine(schema)
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    upgrade(engine)
    with Session(engine) as session:
        ensure_reference_data(session)
        session.commit()
    try:
        yield url, engine
    finally:
        engine.dispose()
        if schema is not None:
            _drop_schema(schema)


@pytest.fixture(params=["embedded", "redis"])
def queue_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, queue_kind: str, tmp_path: Path) -> Iterator[World]:
    """A new database of the backend, migrated, with a B2B day of 4 buyers and 4 producers
    whose 10 requests are accepted; the queue of the kind, attached to its sessions."""
    database = committed_database(request.param, tmp_path, "jobs")
    url, engine = next(database)
    jobs_url = redis_or_skip() if queue_kind == "redis" else ""
    factory = make_sessionmaker(engine)
    big = request.node.get_closest_marker("long_solve") is not None
    with factory() as session:
        organiser, event_id = _day(session, 10 if big else 4)
        session.commit()
    settings = Settings(
        database_url=url, state_dir=tmp_path / "state", jobs_url=jobs_url, job_stale_seconds=5
    )
    wiring.install()
    queue = job_queue.build(settings, factory)
    job_queue.attach(factory, queue)
    env = os.environ | {
        "SERIKTES_DATABASE_URL": url,
        "SERIKTES_STATE_DIR": str(tmp_path / "state"),
        "SERIKTES_JOBS_URL": jobs_url,
        "SERIKTES_JOB_STALE_SECONDS": "5",
        "SERIKTES_DATA_DIR": "",
    }
    yield World(url, engine, factory, settings, env, organiser, event_id, queue)
    next(database, None)  # disposed, its schema dropped


def _day(session: Session, size: int) -> tuple[int, int]:
    """`size` buyers and producers: 4 of them meet with 10 requests, solved in well under a
    second; 10 with 40 requests for 32 places, a search that takes seconds."""
    organiser = make_user(session, Role.COORDINATOR, kato=VKO)
    shape = {"tables": 2} if size <= 4 else {"tables": 4, "morning_slots": 4, "afternoon_slots": 4}
    event = service.create_event(session, organiser, event_in(**shape))
    people = []
    for n in range(size):
        for kato, name in ((VKO, "АО «Покупатель {}»"), (SKO, "ТОО «Производитель {}»")):
            org = make_org(session, kato, name.format(n))
            data = service.ParticipantIn.model_validate({"organisation_id": org.id})
            people.append(service.add_participant(session, organiser, event.id, data))
    buyers, producers = people[0::2], people[1::2]
    if size <= 4:
        pairs = [(b, p) for b in range(4) for p in range(4) if (b + p) % 3 != 2][:10]
    else:
        pairs = [(b, (b + k * 3) % size) for b in range(size) for k in range(4)]
    for b, p in pairs:
        asked = RequestIn(requester_id=buyers[b].id, recipient_id=producers[p].id)
        made = requests.create_request(session, organiser, event.id, asked)
        requests.answer_request(session, organiser, event.id, made.id, True)
    session.flush()
    return organiser.id, event.id


class Workers:
    """`seriktes worker` processes started by a test, stopped after it."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs, self.running = env, logs, list[subprocess.Popen[bytes]]()

    def start(self) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"worker-{len(self.running)}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "-m", "seriktes", "worker", "--threads", "2"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.running.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in self.running:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def workers(world: World, tmp_path: Path) -> Iterator[Workers]:
    started = Workers(world.env, tmp_path)
    yield started
    started.stop_all()
