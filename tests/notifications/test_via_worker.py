"""The issue's case end to end: a meeting request sent in one process is e-mailed by a
`seriktes worker` in another, woken by the commit, on the embedded queue and on Redis, with
SQLite and PostgreSQL — one e-mail per member of the recipient organisation in their
language, and one per member of the requester's when it is accepted."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from seriktes.config import Settings, get_settings
from seriktes.events import requests
from seriktes.events.schemas import RequestIn
from seriktes.jobs import queue as job_queue
from seriktes.jobs import wiring
from seriktes.kit.db import make_engine, make_sessionmaker, transaction
from seriktes.kit.migrate import upgrade
from seriktes.registry.service import ensure_reference_data
from tests.conftest import PG_URL, _drop_schema, _postgres_engine
from tests.jobs.conftest import Workers, redis_or_skip
from tests.notifications.conftest import Inbox, make_fair


@pytest.fixture(
    params=["sqlite-embedded", "sqlite-redis", "postgresql-embedded", "postgresql-redis"]
)
def setup(
    request: pytest.FixtureRequest, smtp_env: Inbox, smtp: tuple[Inbox, str], tmp_path: Path
) -> Iterator[tuple[sessionmaker, Workers, Inbox]]:  # type: ignore[type-arg]
    backend, kind = str(request.param).split("-")
    schema = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'mail.db'}"
        engine = make_engine(url)
    else:
        schema = f"seriktes_mail_{uuid.uuid4().hex[:10]}"
        engine = _postgres_engine(schema)
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    jobs_url = redis_or_skip() if kind == "redis" else ""
    upgrade(engine)
    factory = make_sessionmaker(engine)
    with factory() as session:
        ensure_reference_data(session)
        session.commit()
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
        engine.dispose()
        if schema is not None:
            _drop_schema(schema)


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
