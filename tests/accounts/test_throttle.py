"""Login throttling: waits per account and client, never a lockout of the owner, and every
attempt counted atomically even when a burst of guesses arrives at once."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from seriktes.accounts import passwords, throttle
from seriktes.accounts.models import LoginThrottle, Role
from seriktes.accounts.service import authenticate, check_credentials
from seriktes.accounts.throttle import FREE_PER_ACCOUNT, FREE_PER_CLIENT
from seriktes.kit import clock
from seriktes.kit.db import make_sessionmaker, transaction
from seriktes.kit.errors import TooManyAttempts
from tests.webkit import PASSWORD, make_user


def test_guesses_from_elsewhere_never_keep_the_owner_out(db_session: Session) -> None:
    user = make_user(db_session, Role.ADMIN)
    for _ in range(FREE_PER_ACCOUNT):
        assert authenticate(db_session, user.email, "a wrong guess", "203.0.113.5") is None
    with pytest.raises(TooManyAttempts):
        authenticate(db_session, user.email, "another guess", "203.0.113.5")
    assert authenticate(db_session, user.email, PASSWORD, "198.51.100.7") is user


def test_waits_grow_after_the_free_attempts_and_end(db_session: Session) -> None:
    start = clock.now()
    for _ in range(FREE_PER_ACCOUNT):
        throttle.reserve(db_session, "who@example.kz", "10.0.0.8", start)
    with pytest.raises(TooManyAttempts):
        throttle.reserve(db_session, "who@example.kz", "10.0.0.8", start + timedelta(seconds=0.5))
    throttle.reserve(db_session, "who@example.kz", "10.0.0.8", start + timedelta(seconds=1))
    later = start + timedelta(seconds=2)  # the next wait is two seconds
    with pytest.raises(TooManyAttempts):
        throttle.reserve(db_session, "who@example.kz", "10.0.0.8", later)
    throttle.reserve(db_session, "who@example.kz", "10.0.0.8", start + timedelta(seconds=3))
    assert throttle.wait_after(100, FREE_PER_ACCOUNT) == throttle.MAX_WAIT


def test_one_client_guessing_many_accounts_is_slowed_too(db_session: Session) -> None:
    now = clock.now()
    for number in range(FREE_PER_CLIENT):
        throttle.reserve(db_session, f"user{number}@example.kz", "10.0.0.9", now)
    with pytest.raises(TooManyAttempts, match="from this address"):
        throttle.reserve(db_session, "user-next@example.kz", "10.0.0.9", now)


def test_a_success_gives_the_attempt_back(db_session: Session) -> None:
    user = make_user(db_session, Role.ADMIN)
    for _ in range(FREE_PER_ACCOUNT * 3):  # more logins than free attempts: all succeed
        assert authenticate(db_session, user.email, PASSWORD, "10.0.0.10") is user


@pytest.mark.parametrize("guesses", [22])
def test_a_burst_of_concurrent_guesses_is_counted_atomically(
    db_engine: Engine, guesses: int
) -> None:
    email, client = f"burst-{uuid.uuid4().hex[:8]}@example.kz", "192.0.2.44"
    factory = make_sessionmaker(db_engine)
    start = threading.Barrier(guesses)
    now = clock.now()  # every guess at the same instant: only the count can refuse them

    def guess(_: int) -> str:
        start.wait()
        try:
            with transaction(factory, writes=True) as session:
                throttle.reserve(session, email, client, now)
        except TooManyAttempts:
            return "refused"
        return "judged"

    try:
        with ThreadPoolExecutor(guesses) as pool:
            outcomes = list(pool.map(guess, range(guesses)))
    finally:
        with transaction(factory) as session:
            keys = [throttle.account_key(email, client), throttle.client_key(client)]
            session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(keys)))
    assert outcomes.count("judged") == FREE_PER_ACCOUNT
    assert outcomes.count("refused") == guesses - FREE_PER_ACCOUNT


def test_unknown_and_inactive_accounts_cost_a_password_verification(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified: list[str] = []
    real = passwords.verify_password

    def counting(password_hash: str, password: str) -> bool:
        verified.append(password_hash)
        return real(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", counting)
    user = make_user(db_session, Role.ADMIN)
    user.is_active = False
    assert check_credentials(db_session, "nobody@example.kz", PASSWORD) is None
    assert check_credentials(db_session, user.email, PASSWORD) is None
    assert len(verified) == 2 and all(h.startswith("$argon2id$") for h in verified)
    assert user.password_hash not in verified  # a dummy hash: nobody's password is tried
