"""Who is asking: session cookies for people, bearer tokens for machines; CSRF for forms."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request

from seriktes.accounts.models import User
from seriktes.accounts.service import user_by_id, user_by_token
from seriktes.kit.errors import Forbidden, NotAuthenticated
from seriktes.web.deps import DbSession

SESSION_USER = "user_id"
SESSION_CSRF = "csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer …` header, if any."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def current_user(request: Request, session: DbSession) -> User | None:
    """The user of this request (token first, then session cookie), or None for the public;
    a look-up by key, quick enough to make on the event loop."""
    if hasattr(request.state, "user"):
        cached: User | None = request.state.user
        return cached
    user: User | None = None
    token = bearer_token(request)
    if token is not None:
        user = user_by_token(session, token)
        if user is None:
            raise NotAuthenticated("the API token is invalid or revoked")
        request.state.via_token = True
    elif (user_id := request.session.get(SESSION_USER)) is not None:
        user = user_by_id(session, int(user_id))
        if user is None:
            request.session.clear()
    request.state.user = user
    return user


async def require_user(user: Annotated[User | None, Depends(current_user)]) -> User:
    """The logged-in user; 401 for the public."""
    if user is None:
        raise NotAuthenticated("log in or send an API token")
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
        raise Forbidden("the form has expired or did not come from this site; reload the page")


def login_session(request: Request, user: User) -> None:
    """Start a fresh session for `user` (a new CSRF token too)."""
    request.session.clear()
    request.session[SESSION_USER] = user.id
    request.session[SESSION_CSRF] = secrets.token_urlsafe(32)
    request.session["lang"] = user.language


CurrentUser = Annotated[User | None, Depends(current_user)]
RequiredUser = Annotated[User, Depends(require_user)]
Csrf = Depends(verify_csrf)
