"""Sending the outbox: claim due rows, send them over SMTP, mark them sent or retry later.

A worker claims rows in a short transaction of its own: it sets them `sending` with a lease
(`claimed_until`) and its own name (`claimed_by`). On PostgreSQL the due rows are selected
`FOR UPDATE SKIP LOCKED`, so two workers take different rows; on SQLite each row is claimed by
a conditional UPDATE (still due?) inside a transaction that holds the write lock, so one of
two workers finds it taken. Rows are sent outside any transaction; each result is written in
a short transaction by the worker that claimed it.

A failure counts an attempt and sets the next one after an exponential backoff (1 min, 2, 4, …,
at most 6 h); after `MAX_ATTEMPTS` (or a permanent 5xx refusal) the row is `failed` with its
last error. If a worker dies after the server accepted a message and before the row is marked
sent, the lease runs out and another worker sends it again — at least once, never lost — with
the same Message-ID (the row's idempotency key), by which receiving systems drop the copy.
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import unquote, urlsplit

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from seriktes.config import Settings, get_settings
from seriktes.kit import clock
from seriktes.kit.db import make_sessionmaker, transaction
from seriktes.notifications import mail
from seriktes.notifications.models import OutboxMessage, OutboxStatus

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
SMTP_TIMEOUT = 30.0
# Python 3.11 loses the space between two encoded words when it folds a long non-ASCII header
# («сіздің кездесу» arrives as «сіздіңкездесу»): headers are kept on one line (at most 998
# bytes, which a subject of 250 characters in UTF-8 and base64 stays within)
ONE_LINE_HEADERS = policy.SMTP.clone(max_line_length=998)
SUBJECT_CHARS = 250


@dataclass
class Counts:
    """What one round of delivery did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counts as plain data (for the job runner's log)."""
        return {"sent": self.sent, "retried": self.retried, "failed": self.failed}


def backoff(attempts: int) -> timedelta:
    """The wait before the next attempt after `attempts` failed ones."""
    wait: timedelta = BACKOFF_FIRST * (2 ** max(0, attempts - 1))
    return min(BACKOFF_MAX, wait)


def deliver_due(
    sessions: sessionmaker[Session] | Engine,
    settings: Settings | None = None,
    now: datetime | None = None,
    limit: int = 100,
) -> Counts:
    """Send up to `limit` due outbox rows; nothing when `SERIKTES_SMTP_URL` is unset."""
    settings = settings or get_settings()
    if not settings.smtp_url:
        return Counts()
    factory = make_sessionmaker(sessions) if isinstance(sessions, Engine) else sessions
    worker = uuid.uuid4().hex
    now = now or clock.now()
    messages = claim(factory, worker, now, limit, settings.smtp_from)
    counts = Counts()
    if not messages:
        return counts
    unsent = dict(messages)
    try:
        with smtp_connection(settings.smtp_url) as server:
            for row_id, message in messages:
                try:
                    server.send_message(message)
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
                    _failed(factory, worker, row_id, now, exc, counts)  # this message refused
                else:
                    _sent(factory, worker, row_id)
                    counts.sent += 1
                del unsent[row_id]
    except (smtplib.SMTPException, OSError) as exc:  # no connection, or it broke
        for row_id in unsent:
            _failed(factory, worker, row_id, now, exc, counts)
    return counts


def _due(now: datetime):  # type: ignore[no-untyped-def]
    """Pending rows whose time has come, and rows whose claim's lease ran out."""
    return or_(
        and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_until < now),
    )


def claim(
    factory: sessionmaker[Session], worker: str, now: datetime, limit: int, sender: str
) -> list[tuple[int, EmailMessage]]:
    """Claim due rows for `worker` (see the module docstring); return them as e-mails from
    `sender`."""
    with transaction(factory, writes=True) as session:
        due = (
            select(OutboxMessage.id)
            .where(_due(now))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
        postgres = session.get_bind().dialect.name == "postgresql"
        if postgres:
            due = due.with_for_update(skip_locked=True)
        ids = list(session.scalars(due))
        taken = []
        for row_id in ids:
            stmt = (
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, _due(now))
                .values(status=OutboxStatus.SENDING, claimed_until=now + LEASE, claimed_by=worker)
                .execution_options(synchronize_session=False)
            )
            if getattr(session.execute(stmt), "rowcount", 0) == 1:
                taken.append(row_id)
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(taken)))
        return [(row.id, email_of(row, sender)) for row in rows]


def email_of(row: OutboxMessage, sender: str) -> EmailMessage:
    """The e-mail of an outbox row, its idempotency key as its Message-ID."""
    message = EmailMessage(policy=ONE_LINE_HEADERS)
    message["From"] = sender
    message["To"] = row.recipient
    message["Subject"] = row.subject[:SUBJECT_CHARS]
    message["Message-ID"] = mail.message_id(row.idempotency_key)
    message["Date"] = format_datetime(row.created_at)
    message.set_content(row.body_text)
    message.add_alternative(row.body_html, subtype="html")
    for file in mail.unpacked(row):
        maintype, _, subtype = file.content_type.partition("/")
        message.add_attachment(
            file.data, maintype=maintype, subtype=subtype or "octet-stream", filename=file.filename
        )
    message["Content-Language"] = row.language  # after the body: set_content drops Content-*
    return message


@contextmanager
def smtp_connection(url: str) -> Iterator[smtplib.SMTP]:
    """A connection to the server of `url` (smtp:// with STARTTLS when offered, smtps://),
    logged in when the URL names a user."""
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    server: smtplib.SMTP
    if parts.scheme == "smtps":
        server = smtplib.SMTP_SSL(host, parts.port or 465, timeout=SMTP_TIMEOUT)
    else:
        server = smtplib.SMTP(host, parts.port or 25, timeout=SMTP_TIMEOUT)
    try:
        server.ehlo()
        if parts.scheme != "smtps" and server.has_extn("starttls"):
            server.starttls(context=ssl.create_default_context())
            server.ehlo()
        if parts.username:
            server.login(unquote(parts.username), unquote(parts.password or ""))
        yield server
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()


def _sent(factory: sessionmaker[Session], worker: str, row_id: int) -> None:
    with transaction(factory, writes=True) as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.claimed_by == worker)
            .values(
                status=OutboxStatus.SENT, sent_at=clock.now(), claimed_until=None, last_error=None
            )
            .execution_options(synchronize_session=False)
        )


def _failed(
    factory: sessionmaker[Session],
    worker: str,
    row_id: int,
    now: datetime,
    error: BaseException,
    counts: Counts,
) -> None:
    """Count a failed attempt: retry after the backoff, or give up."""
    permanent = isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500
    permanent = permanent or isinstance(error, smtplib.SMTPRecipientsRefused)
    with transaction(factory, writes=True) as session:
        row = session.get(OutboxMessage, row_id)
        if row is None or row.claimed_by != worker or row.status is not OutboxStatus.SENDING:
            return
        row.attempts += 1
        row.last_error = f"{type(error).__name__}: {error}"[:1000]
        row.claimed_until = None
        if permanent or row.attempts >= MAX_ATTEMPTS:
            row.status = OutboxStatus.FAILED
            counts.failed += 1
        else:
            row.status = OutboxStatus.PENDING
            row.next_attempt_at = now + backoff(row.attempts)
            counts.retried += 1
