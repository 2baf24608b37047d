"""Who is asking: session cookies for people, bearer tokens for machines; CSRF for forms.

The signed cookie holds the key of a session stored in the database (`accounts.service`),
so logging out, a password change or a deactivation ends it at once; a cookie without a
stored session is nobody's. A token's last use is written after the answer, at most once a
minute per token, in a short transaction of its own that never fails the request.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from typing import Annotated

from fastapi import BackgroundTasks, Depends, Request
from sqlalchemy.exc import SQLAlchemyError

from seriktes.accounts.models import User
from seriktes.accounts.service import (
    TOUCH_EVERY,
    token_in_force,
    touch_due,
    touch_token,
    user_by_session,
)
from seriktes.http.deps import DbSession, SideWrites, Writer
from seriktes.kit.errors import Forbidden, NotAuthenticated
from seriktes.kit.i18n import N_

SESSION_KEY = "sid"
SESSION_CSRF = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer …` header, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


_touched: dict[str, float] = {}  # token hash → when this process last wrote its use


async def current_user(
    request: Request, session: DbSession, writer: SideWrites, later: BackgroundTasks
) -> User | None:
    """The user of this request (token first, then session cookie), or None for the public;
    a look-up by key, quick enough to make on the event loop. Reads only."""
    if hasattr(request.state, "user"):
        cached: User | None = request.state.user
        return cached
    user: User | None = None
    token = bearer_token(request)
    if token is not None:
        found = token_in_force(session, token)
        if found is None:
            raise NotAuthenticated(N_("the API token is invalid, expired or revoked"))
        user = found.user
        request.state.via_token = True
        if touch_due(found) and _first_touch(found.token_hash):
            later.add_task(_write_last_use, writer, found.id)
    elif (key := request.session.get(SESSION_KEY)) is not None:
        user = user_by_session(session, str(key))
        if user is None:
            request.session.clear()
    request.state.user = user
    return user


def _first_touch(token_hash: str) -> bool:
    """Whether this process should write the token's use now (not already within the
    minute: concurrent requests all see the old time until the write commits)."""
    now = time.monotonic()
    if now - _touched.get(token_hash, -1e9) < TOUCH_EVERY.total_seconds():
        return False
    if len(_touched) > 10_000:
        _touched.clear()
    _touched[token_hash] = now
    return True


def _write_last_use(writer: Writer, token_id: int) -> None:
    """Write a token's last use after the answer; a busy database only loses this write."""
    try:
        with writer() as side:
            touch_token(side, token_id)
    except SQLAlchemyError:
        logging.getLogger(__name__).warning("could not write the last use of token %s", token_id)


async def require_user(user: Annotated[User | None, Depends(current_user)]) -> User:
    """The logged-in user; 401 for the public."""
    if user is None:
        raise NotAuthenticated(N_("log in or send an API token"))
    return user


def csrf_token(request: Request) -> str:
    """The CSRF token of this browser session (created on first use)."""
    token = request.session.get(SESSION_CSRF)
    if not token:
        token = request.session[SESSION_CSRF] = secrets.token_urlsafe(32)
    return str(token)


async def verify_csrf(request: Request) -> None:
    """Refuse a state-changing request from a browser session without the CSRF token."""
    if request.method in SAFE_METHODS or bearer_token(request) is not None:
        return
    expected = request.session.get(SESSION_CSRF)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(str(expected), sent):
        raise Forbidden(N_("the form has expired or did not come from this site; reload the page"))


def login_session(request: Request, user: User, key: str) -> None:
    """Put the key of `user`'s new stored session into a fresh cookie (a new CSRF token too)."""
    request.session.clear()
    request.session[SESSION_KEY] = key
    request.session[SESSION_CSRF] = secrets.token_urlsafe(32)
    request.session["lang"] = user.language


CurrentUser = Annotated[User | None, Depends(current_user)]
RequiredUser = Annotated[User, Depends(require_user)]
Csrf = Depends(verify_csrf)
