"""Users, their passwords, logins and browser sessions, and API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from seriktes.accounts import throttle
from seriktes.accounts.models import ApiToken, Role, User, UserSession
from seriktes.accounts.passwords import (
    check_password_rule,
    hash_password,
    needs_rehash,
    verify_nothing,
    verify_password,
)
from seriktes.kit import clock
from seriktes.kit.db import get_by_id
from seriktes.kit.errors import Conflict, NotFound, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.registry import repository as registry_repository

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SESSION_LIFETIME = timedelta(days=14)
TOKEN_DAYS = 90  # how long a new API token lasts unless asked otherwise
MAX_TOKEN_DAYS = 3650
TOUCH_EVERY = timedelta(minutes=1)  # a token's last use is kept to the minute


def create_user(
    session: Session,
    email: str,
    password: str,
    full_name: str,
    role: Role,
    region_kato: str | None = None,
    organisation_bin: str | None = None,
) -> User:
    """Create a user; coordinators need a region, members an organisation, and everyone a
    password that is not easy to guess."""
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise ValidationFailed(
            N_("not an e-mail address: %(email)s"), params={"email": repr(email)}
        )
    check_password_rule(password, email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(N_("a user with e-mail %(email)s already exists"), params={"email": email})
    user = User(
        email=email,
        full_name=full_name.strip() or email,
        role=role,
        password_hash=hash_password(password),
    )
    if role is Role.COORDINATOR:
        if not region_kato:
            raise ValidationFailed(N_("a regional coordinator needs a region (KATO code)"))
        region = registry_repository.region_by_kato(session, region_kato)
        if region is None:
            raise NotFound(
                N_("no region with KATO code %(region_kato)s"), params={"region_kato": region_kato}
            )
        user.region_id = region.id
    if role is Role.MEMBER:
        if not organisation_bin:
            raise ValidationFailed(N_("an organisation member needs an organisation (BIN)"))
        org = registry_repository.organisation_by_bin(session, organisation_bin)
        if org is None:
            raise NotFound(
                N_("no organisation with BIN %(organisation_bin)s"),
                params={"organisation_bin": organisation_bin},
            )
        user.organisation_id = org.id
    session.add(user)
    session.flush()
    return user


def all_users(session: Session) -> list[User]:
    """Every user, by e-mail."""
    return list(session.scalars(select(User).order_by(User.email)))


def user_by_email(session: Session, email: str) -> User:
    """The user with this e-mail (any case); NotFound when there is none."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(N_("no user with e-mail %(value)s"), params={"value": email.strip()})
    return user


def change_password(session: Session, user: User, password: str) -> None:
    """Set a new password (under the password rule) and end every session of the user."""
    check_password_rule(password, user.email)
    user.password_hash = hash_password(password)
    end_sessions(session, user.id)
    session.flush()


def deactivate(session: Session, user: User) -> None:
    """Stop a user from logging in: end their sessions and revoke their API tokens."""
    user.is_active = False
    end_sessions(session, user.id)
    session.execute(update(ApiToken).where(ApiToken.user_id == user.id).values(revoked=True))
    session.flush()


def check_credentials(session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None. Reads only. An unknown or
    inactive account costs a password verification too (against a dummy hash), so the time
    of the answer does not tell whether the account exists."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        verify_nothing(password)
        return None
    return user if verify_password(user.password_hash, password) else None


def logged_in(session: Session, user_id: int, email: str, password: str, client: str) -> str:
    """After a correct password: forget the failed attempts, rehash the password when its
    parameters are outdated, and start a browser session; return its key (for the cookie)."""
    throttle.succeeded(session, email, client)
    user = session.get(User, user_id)
    if user is not None and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return start_session(session, user_id)


def authenticate(session: Session, email: str, password: str, client: str) -> User | None:
    """Check a login in one transaction (the web splits these steps over short transactions):
    count the attempt (TooManyAttempts when it must wait), check the password, and on
    success forget the failures."""
    throttle.reserve(session, email, client)
    user = check_credentials(session, email, password)
    if user is not None:
        throttle.succeeded(session, email, client)
    session.flush()
    return user


def digest(secret: str) -> str:
    """SHA-256 of a session key or token, as stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


def start_session(session: Session, user_id: int) -> str:
    """Store a new browser session of the user (dropping their expired ones); return its key."""
    now = clock.now()
    session.execute(
        delete(UserSession).where(UserSession.user_id == user_id, UserSession.expires_at <= now)
    )
    key = secrets.token_urlsafe(32)
    session.add(
        UserSession(user_id=user_id, key_hash=digest(key), expires_at=now + SESSION_LIFETIME)
    )
    session.flush()
    return key


def end_session(session: Session, key: str) -> None:
    """End the browser session with this key (logging out)."""
    session.execute(delete(UserSession).where(UserSession.key_hash == digest(key)))


def end_sessions(session: Session, user_id: int) -> None:
    """End every browser session of a user."""
    session.execute(delete(UserSession).where(UserSession.user_id == user_id))


def user_by_session(session: Session, key: str) -> User | None:
    """The active user of a current browser session, else None."""
    return session.scalar(
        select(User)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.key_hash == digest(key),
            UserSession.expires_at > clock.now(),
            User.is_active.is_(True),
        )
    )


def create_token(session: Session, user: User, name: str, days: int = TOKEN_DAYS) -> str:
    """Create an API token for `user` lasting `days`; return it (shown once, only its hash
    is kept)."""
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationFailed(
            N_("a token lasts from 1 to %(MAX_TOKEN_DAYS)s days, not %(days)s"),
            params={"MAX_TOKEN_DAYS": MAX_TOKEN_DAYS, "days": days},
        )
    token = "srk_" + secrets.token_urlsafe(32)
    expires = clock.now() + timedelta(days=days)
    session.add(ApiToken(user_id=user.id, name=name, token_hash=digest(token), expires_at=expires))
    session.flush()
    return token


def token_in_force(session: Session, token: str) -> ApiToken | None:
    """The unrevoked, unexpired token of an active user, with its user; reads only."""
    found = session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == digest(token),
            ApiToken.revoked.is_(False),
            ApiToken.expires_at > clock.now(),
        )
    )
    return found if found is not None and found.user.is_active else None


def touch_due(token: ApiToken, now: datetime | None = None) -> bool:
    """Whether the token's last use is older than a minute (and should be written)."""
    last = token.last_used_at
    return last is None or (now or clock.now()) - last >= TOUCH_EVERY


def touch_token(session: Session, token_id: int, now: datetime | None = None) -> None:
    """Write the token's last use, unless another request wrote it within the minute."""
    now = now or clock.now()
    session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            (ApiToken.last_used_at.is_(None)) | (ApiToken.last_used_at <= now - TOUCH_EVERY),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """Every API token of a user, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(session: Session, token_id: int) -> ApiToken:
    """Revoke an API token by its id; NotFound when there is none."""
    token = get_by_id(session, ApiToken, token_id)
    if token is None:
        raise NotFound(N_("no API token with id %(token_id)s"), params={"token_id": token_id})
    token.revoked = True
    session.flush()
    return token
