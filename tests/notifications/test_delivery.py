"""Sending the outbox to a real SMTP server in-process (aiosmtpd), on committed data (SQLite
and PostgreSQL): one e-mail per member in their language and never twice, retries with backoff,
a crash between sending and marking sent, two deliverers at once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from seriktes.accounts.models import User
from seriktes.config import Settings
from seriktes.events.requests import answer_request, create_request
from seriktes.events.schemas import RequestIn
from seriktes.kit import clock
from seriktes.kit.db import make_sessionmaker, transaction
from seriktes.kit.migrate import upgrade
from seriktes.notifications import delivery, digest, mail, service
from seriktes.notifications.kinds import Kind
from seriktes.notifications.models import Mode, OutboxMessage, OutboxStatus
from seriktes.registry.service import ensure_reference_data
from tests.notifications.conftest import Inbox, free_port, make_fair


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, fresh_database: Callable[[str], Engine]) -> Engine:
    """A migrated database of its own: these tests commit."""
    created = fresh_database(request.param)
    upgrade(created)
    with Session(created) as session:
        ensure_reference_data(session)
        session.commit()
    return created


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """Sessions of the database, its outbox emptied first."""
    with engine.begin() as connection:
        connection.execute(delete(OutboxMessage))
    return make_sessionmaker(engine)


def _settings(url: str) -> Settings:
    return Settings(database_url="sqlite://", smtp_url=url, smtp_from="Seriktes <no@seriktes.kz>")


def _rows(sessions: sessionmaker[Session], count: int, prefix: str) -> list[str]:
    """`count` outbox rows written directly; their idempotency keys."""
    keys = [f"{prefix}.{n}" for n in range(count)]
    with transaction(sessions) as session:
        for key in keys:
            entry = mail.Entry("job_done", {"job": key, "summary": ""}, "/")
            session.add(mail.compose(key, f"{key}@example.kz", "en", [entry], "http://x"))
    return keys


def _status(sessions: sessionmaker[Session], key: str) -> OutboxMessage:
    with sessions() as session:
        row = session.scalars(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == key)
        ).one()
        session.expunge(row)
        return row


def test_a_request_and_its_acceptance_are_emailed_once_to_each_member(
    sessions: sessionmaker[Session], smtp_env: Inbox
) -> None:
    with transaction(sessions) as session:
        fair = make_fair(session)
        event_id, requester, recipient = fair.event.id, fair.producer.id, fair.buyer.id
        producer_user, buyer_user = fair.producer_users[0].id, fair.buyer_users[0].id
        buyers = {u.email: u.language for u in fair.buyer_users}
        producers = {u.email: u.language for u in fair.producer_users}
    with transaction(sessions) as session:
        user = session.get(User, producer_user)
        assert user is not None
        data = RequestIn(requester_id=requester, recipient_id=recipient)
        request_id = create_request(session, user, event_id, data).id
        assert session.info["outbox_pending"] is True

    assert delivery.deliver_due(sessions).sent == 2
    assert delivery.deliver_due(sessions).sent == 0  # nothing twice
    received = {m["To"]: m for m in smtp_env.messages}
    assert set(received) == set(buyers)
    for address, lang in buyers.items():
        message = received[address]
        assert message["Content-Language"] == lang
        assert (
            message["Message-ID"]
            == f"<request.{request_id}.received.u{_user_id(sessions, address)}@seriktes>"
        )
        expected = "Запрос на встречу от" if lang == "ru" else "кездесуге сұраныс жіберді"
        assert expected in str(message["Subject"])
        text = message.get_body(("plain",))
        assert text is not None
        assert f"https://seriktes.example.kz/events/{event_id}/requests" in text.get_content()

    with transaction(sessions) as session:
        user = session.get(User, buyer_user)
        assert user is not None
        answer_request(session, user, event_id, request_id, True)
    assert delivery.deliver_due(sessions).sent == 1
    [accepted] = [m for m in smtp_env.messages if m["To"] in producers]
    assert str(accepted["Subject"]) == "АО «Покупатель» сіздің кездесу сұранысыңызды қабылдады"
    assert len(smtp_env.messages) == 3


def _user_id(sessions: sessionmaker[Session], email: str) -> int:
    with sessions() as session:
        return int(session.scalars(select(User.id).where(User.email == email)).one())


def test_a_digest_bundles_the_days_notifications_into_one_email(
    sessions: sessionmaker[Session], smtp_env: Inbox
) -> None:
    with transaction(sessions) as session:
        fair = make_fair(session)
        user = fair.buyer_users[1]  # reads Kazakh
        service.set_modes(session, user, {Kind.IMPORT_DONE: Mode.DIGEST})
        for name in ("needs.xlsx", "offers.csv"):
            params = {"filename": name, "created": 3, "updated": 1, "unchanged": 0}
            service.notify(session, Kind.IMPORT_DONE, [user], params, "/import", f"t.{name}")
        address = user.email
    assert delivery.deliver_due(sessions).sent == 0  # waiting for the digest
    with transaction(sessions) as session:
        assert digest.send_digests(session) == 1
    assert delivery.deliver_due(sessions).sent == 1
    [message] = smtp_env.to(address)
    assert str(message["Subject"]) == "Seriktes: күн ішіндегі хабарламалар (2)"
    body = message.get_body(("plain",))
    assert body is not None
    assert "needs.xlsx" in body.get_content() and "offers.csv" in body.get_content()


def test_a_server_down_is_retried_with_backoff_then_sent(
    sessions: sessionmaker[Session], smtp: tuple[Inbox, str]
) -> None:
    inbox, url = smtp
    [key] = _rows(sessions, 1, "down")
    down = _settings(f"smtp://127.0.0.1:{free_port()}")
    start = clock.now()

    counts = delivery.deliver_due(sessions, down, now=start)
    assert counts.as_dict() == {"sent": 0, "retried": 1, "failed": 0}
    row = _status(sessions, key)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
    assert row.next_attempt_at == start + delivery.BACKOFF_FIRST
    assert row.last_error

    counts = delivery.deliver_due(sessions, down, now=start + timedelta(seconds=61))
    assert counts.retried == 1
    row = _status(sessions, key)
    assert row.next_attempt_at == start + timedelta(seconds=61) + 2 * delivery.BACKOFF_FIRST

    live = _settings(url)
    assert delivery.deliver_due(sessions, live, now=start + timedelta(seconds=62)).sent == 0
    assert delivery.deliver_due(sessions, live, now=start + timedelta(minutes=4)).sent == 1
    assert _status(sessions, key).status is OutboxStatus.SENT
    assert [m["Message-ID"] for m in inbox.messages] == [mail.message_id(key)]


def test_the_last_attempt_gives_up(sessions: sessionmaker[Session]) -> None:
    [key] = _rows(sessions, 1, "hopeless")
    with transaction(sessions) as session:
        row = session.scalars(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == key)
        ).one()
        row.attempts = delivery.MAX_ATTEMPTS - 1
    counts = delivery.deliver_due(sessions, _settings(f"smtp://127.0.0.1:{free_port()}"))
    assert counts.failed == 1
    row = _status(sessions, key)
    assert row.status is OutboxStatus.FAILED
    assert row.attempts == delivery.MAX_ATTEMPTS
    assert "Connection" in (row.last_error or "") or "Errno" in (row.last_error or "")
    assert delivery.backoff(1) == timedelta(minutes=1)
    assert delivery.backoff(4) == timedelta(minutes=8)
    assert delivery.backoff(20) == delivery.BACKOFF_MAX


def test_a_crash_after_sending_sends_again_with_the_same_message_id(
    sessions: sessionmaker[Session], smtp: tuple[Inbox, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server accepted the message, then the worker died before marking it sent: the
    lease runs out and another worker sends it again — at least once, never lost — with the
    same Message-ID, by which mail systems recognise the copy."""
    inbox, url = smtp
    [key] = _rows(sessions, 1, "crash")
    start = clock.now()

    def crash(*_args: object) -> None:
        raise SystemExit("the worker died")

    with monkeypatch.context() as patched:
        patched.setattr(delivery, "_sent", crash)
        with pytest.raises(SystemExit):
            delivery.deliver_due(sessions, _settings(url), now=start)
    assert _status(sessions, key).status is OutboxStatus.SENDING
    assert (
        delivery.deliver_due(sessions, _settings(url), now=start + timedelta(minutes=1)).sent == 0
    )
    later = start + delivery.LEASE + timedelta(seconds=1)
    assert delivery.deliver_due(sessions, _settings(url), now=later).sent == 1
    assert _status(sessions, key).status is OutboxStatus.SENT
    assert [m["Message-ID"] for m in inbox.messages] == [mail.message_id(key)] * 2


def test_two_deliverers_at_once_never_send_a_row_twice(
    sessions: sessionmaker[Session], smtp: tuple[Inbox, str]
) -> None:
    inbox, url = smtp
    inbox.delay = 0.01
    keys = _rows(sessions, 24, "parallel")
    settings = _settings(url)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            while delivery.deliver_due(sessions, settings, limit=3).sent:
                pass
        except BaseException as exc:  # reported below
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert errors == []
    sent = Counter(m["Message-ID"] for m in inbox.messages)
    assert sent == Counter({mail.message_id(key): 1 for key in keys})
    assert {_status(sessions, key).status for key in keys} == {OutboxStatus.SENT}


def test_without_smtp_the_outbox_is_left_alone(sessions: sessionmaker[Session]) -> None:
    [key] = _rows(sessions, 1, "unset")
    assert delivery.deliver_due(sessions, Settings(database_url="sqlite://", smtp_url="")).sent == 0
    assert _status(sessions, key).status is OutboxStatus.PENDING
