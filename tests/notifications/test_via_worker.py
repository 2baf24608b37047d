"""The issue's case end to end: a meeting request sent in one process is e-mailed by a
`seriktes worker` in another, woken by the commit, on the embedded queue and on Redis, with
SQLite and PostgreSQL — one e-mail per member of the recipient organisation in their
language, and one per member of the requester's when it is accepted."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from seriktes.config import Settings, get_settings
from seriktes.events import requests
from seriktes.events.schemas import RequestIn
from seriktes.jobs import queue as job_queue
from seriktes.jobs import wiring
from seriktes.kit.db import make_sessionmaker, transaction
from tests.jobs.conftest import Workers, committed_database, redis_or_skip
from tests.notifications.conftest import Inbox, make_fair


@pytest.fixture(
    params=["sqlite-embedded", "sqlite-redis", "postgresql-embedded", "postgresql-redis"]
)
def setup(
    request: pytest.FixtureRequest, smtp_env: Inbox, smtp: tuple[Inbox, str], tmp_path: Path
) -> Iterator[tuple[sessionmaker, Workers, Inbox]]:  # type: ignore[type-arg]
    backend, kind = str(request.param).split("-")
    database = committed_database(backend, tmp_path, "mail")
    url, engine = next(database)
    jobs_url = redis_or_skip() if kind == "redis" else ""
    factory = make_sessionmaker(engine)
    settings = Settings(database_url=url, state_dir=tmp_path / "state", jobs_url=jobs_url)
    wiring.install()
    job_queue.attach(factory, job_queue.build(settings, factory))
    env = os.environ | {
        "SERIKTES_DATABASE_URL": url,
        "SERIKTES_STATE_DIR": str(tmp_path / "state"),
        "SERIKTES_JOBS_URL": jobs_url,
        "SERIKTES_SMTP_URL": smtp[1],
        "SERIKTES_BASE_URL": "https://seriktes.example.kz",
        "SERIKTES_DATA_DIR": "",
    }
    workers = Workers(env, tmp_path)
    try:
        yield factory, workers, smtp_env
    finally:
        workers.stop_all()
        next(database, None)  # disposed, its schema dropped


def _received(inbox: Inbox, count: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.1)


def test_a_request_and_its_answer_are_mailed_by_the_worker(
    setup: tuple[sessionmaker, Workers, Inbox],  # type: ignore[type-arg]
) -> None:
    factory, workers, inbox = setup
    assert get_settings().smtp_url  # this process writes the outbox rows, the worker sends
    workers.start()
    with transaction(factory, writes=True) as session:
        fair = make_fair(session)
        asked = RequestIn(requester_id=fair.buyer.id, recipient_id=fair.producer.id)
        made = requests.create_request(session, fair.organiser, fair.event.id, asked)
        ids = made.id, fair.event.id, fair.organiser.id
        producers = [(u.email, u.language) for u in fair.producer_users]
        buyers = [(u.email, u.language) for u in fair.buyer_users]
    _received(inbox, len(producers))
    assert sorted(m["To"] for m in inbox.messages) == sorted(e for e, _ in producers)
    assert all("Subject" in m and m["Subject"] for m in inbox.messages)
    kk = inbox.to(producers[0][0])[0]
    assert producers[0][1] == "kk" and "https://seriktes.example.kz/" in kk.get_body().get_content()  # type: ignore[union-attr]

    from seriktes.accounts.models import User

    with transaction(factory, writes=True) as session:
        organiser = session.get_one(User, ids[2])
        requests.answer_request(session, organiser, ids[1], ids[0], True)
    _received(inbox, len(producers) + len(buyers))
    assert sorted(m["To"] for m in inbox.messages[len(producers) :]) == sorted(e for e, _ in buyers)
    time.sleep(2)  # nothing more arrives: each message once
    assert len(inbox.messages) == len(producers) + len(buyers)
    subjects = {m["To"]: m["Subject"] for m in inbox.messages[len(producers) :]}
    ru, kk_buyer = (subjects[e] for e, _ in buyers)
    assert ru != kk_buyer  # one in Russian, one in Kazakh
