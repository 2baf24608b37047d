"""Users, logins with throttling, and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import ApiToken, LoginAttempt, Role, User
from seriktes.accounts.passwords import hash_password, needs_rehash, verify_password
from seriktes.kit.db import get_by_id, utcnow
from seriktes.kit.errors import Conflict, NotFound, TooManyAttempts, ValidationFailed
from seriktes.registry.models import Organisation, Region

MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_CLIENT = 20
FAILURE_WINDOW = timedelta(minutes=15)
MIN_PASSWORD = 10
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def create_user(
    session: Session,
    email: str,
    password: str,
    full_name: str,
    role: Role,
    region_kato: str | None = None,
    organisation_bin: str | None = None,
) -> User:
    """Create a user; coordinators need a region, members an organisation."""
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise ValidationFailed(f"not an e-mail address: {email!r}")
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(f"the password must have at least {MIN_PASSWORD} characters")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"a user with e-mail {email} already exists")
    user = User(
        email=email,
        full_name=full_name.strip() or email,
        role=role,
        password_hash=hash_password(password),
    )
    if role is Role.COORDINATOR:
        if not region_kato:
            raise ValidationFailed("a regional coordinator needs a region (KATO code)")
        region = session.scalar(select(Region).where(Region.kato == region_kato.ljust(9, "0")))
        if region is None:
            raise NotFound(f"no region with KATO code {region_kato}")
        user.region_id = region.id
    if role is Role.MEMBER:
        if not organisation_bin:
            raise ValidationFailed("an organisation member needs an organisation (BIN)")
        org = session.scalar(select(Organisation).where(Organisation.bin == organisation_bin))
        if org is None:
            raise NotFound(f"no organisation with BIN {organisation_bin}")
        user.organisation_id = org.id
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str, client: str) -> User | None:
    """Return the user for correct credentials; throttle repeated failures."""
    email = email.strip().lower()
    keys = [f"account:{email}", f"client:{client}"]
    since = utcnow() - FAILURE_WINDOW
    failures = {
        key: session.scalar(
            select(func.count(LoginAttempt.id)).where(
                LoginAttempt.key == key, LoginAttempt.at >= since
            )
        )
        or 0
        for key in keys
    }
    if (
        failures[keys[0]] >= MAX_FAILURES_PER_ACCOUNT
        or failures[keys[1]] >= MAX_FAILURES_PER_CLIENT
    ):
        raise TooManyAttempts("too many failed logins; try again in 15 minutes")
    user = session.scalar(select(User).where(User.email == email))
    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        session.add_all(LoginAttempt(key=key) for key in keys)
        session.flush()
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.execute(delete(LoginAttempt).where(LoginAttempt.key == keys[0]))
    session.flush()
    return user


def token_digest(token: str) -> str:
    """SHA-256 of a token, as stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str) -> str:
    """Create an API token for `user`; return it (shown once, only its hash is kept)."""
    token = "srk_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, name=name, token_hash=token_digest(token)))
    session.flush()
    return token


def user_by_token(session: Session, token: str) -> User | None:
    """Return the active user of a valid, unrevoked token."""
    found = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == token_digest(token), ApiToken.revoked.is_(False)
        )
    )
    if found is None or not found.user.is_active:
        return None
    found.last_used_at = utcnow()
    return found.user


def user_by_id(session: Session, user_id: int) -> User | None:
    """Return an active user by id."""
    user = get_by_id(session, User, user_id)
    return user if user is not None and user.is_active else None
