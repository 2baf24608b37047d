"""Login throttling: a growing wait per account and client, and per client, never a lockout.

Every attempt is counted before its password is checked, with one atomic statement per key
(an INSERT … ON CONFLICT DO UPDATE that only counts when the key may try now), so a burst of
concurrent guesses cannot all be judged against the same count. A key's first attempts are
free; after them each attempt sets a wait that doubles, up to `MAX_WAIT`. The account is
counted per client: guesses from elsewhere never keep the owner out. A success forgets the
account's count on that client and gives the client its attempt back.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from seriktes.accounts.models import LoginThrottle
from seriktes.kit import clock
from seriktes.kit.errors import TooManyAttempts
from seriktes.kit.i18n import N_

FREE_PER_ACCOUNT = 5  # attempts at one account from one client before waits begin
FREE_PER_CLIENT = 20  # attempts from one client, at any accounts, before waits begin
FIRST_WAIT = timedelta(seconds=1)
MAX_WAIT = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)  # a key idle this long starts counting afresh


def account_key(email: str, client: str) -> str:
    """The key counting attempts at `email` from `client` (hashed: e-mails may be long)."""
    digest = hashlib.sha256(f"{email.strip().lower()}\0{client}".encode()).hexdigest()
    return f"account:{digest}"


def client_key(client: str) -> str:
    """The key counting attempts from `client` at any account."""
    return f"client:{client}"[:255]


def wait_after(failures: int, free: int) -> timedelta:
    """How long a key must wait after its `failures`-th attempt counted."""
    if failures < free:
        return timedelta(0)
    wait: timedelta = FIRST_WAIT * 2 ** min(failures - free, 20)
    return min(wait, MAX_WAIT)


def reserve(session: Session, email: str, client: str, now: datetime | None = None) -> None:
    """Count an attempt at `email` from `client` before its password is checked; raise
    TooManyAttempts when either key must wait. Call it in a short transaction of its own,
    committed before the password is checked."""
    now = now or clock.now()
    if not _count(session, client_key(client), FREE_PER_CLIENT, now):
        raise TooManyAttempts(N_("too many failed logins from this address; wait and try again"))
    if not _count(session, account_key(email, client), FREE_PER_ACCOUNT, now):
        _refund(session, client_key(client))
        raise TooManyAttempts(N_("too many failed logins to this account; wait and try again"))


def succeeded(session: Session, email: str, client: str, now: datetime | None = None) -> None:
    """Forget the account's attempts from this client, give the client its attempt back and
    drop keys idle for long."""
    now = now or clock.now()
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == account_key(email, client)))
    _refund(session, client_key(client))
    session.execute(delete(LoginThrottle).where(LoginThrottle.last_at < now - FORGET_AFTER))
    session.flush()


def _count(session: Session, key: str, free: int, now: datetime) -> bool:
    """Count one attempt of `key` if it may try now; False (nothing counted) when it waits.
    The row stays locked until the transaction ends, so the wait set next is seen by any
    concurrent attempt of the same key."""
    failures = case(
        (LoginThrottle.last_at < now - FORGET_AFTER, 1), else_=LoginThrottle.failures + 1
    )
    statement = (
        _insert(session)
        .values(key=key, failures=1, last_at=now, allowed_at=now)
        .on_conflict_do_update(
            index_elements=[LoginThrottle.key],
            set_={"failures": failures, "last_at": now},
            where=LoginThrottle.allowed_at <= now,
        )
        .returning(LoginThrottle.failures)
    )
    counted = session.execute(statement).scalar()
    if counted is None:
        return False
    wait = wait_after(counted, free)
    if wait:
        session.execute(
            update(LoginThrottle).where(LoginThrottle.key == key).values(allowed_at=now + wait)
        )
    return True


def _refund(session: Session, key: str) -> None:
    """Take back one counted attempt of `key` (it turned out not to be a failure)."""
    session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == key, LoginThrottle.failures > 0)
        .values(failures=LoginThrottle.failures - 1)
    )


def _insert(session: Session) -> Any:
    """The INSERT with ON CONFLICT of the session's database (both spell it the same way)."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(LoginThrottle)
