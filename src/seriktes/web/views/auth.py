"""Log in and log out.

A login is three short steps so that SQLite's write lock is never held while a password is
hashed: the attempt is counted in a transaction of its own (committed before the password
is checked, so concurrent guesses are all counted), the password is checked reading only,
and a success starts the stored session in another short transaction.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from seriktes.accounts import throttle
from seriktes.accounts.service import check_credentials, end_session, logged_in
from seriktes.http.auth import SESSION_KEY, CurrentUser, login_session, verify_csrf
from seriktes.http.deps import DbSession, Language, SideWrites
from seriktes.kit.errors import TooManyAttempts
from seriktes.kit.i18n import N_
from seriktes.web.templating import render

router = APIRouter()


START = "/start"  # where a login leads when it was asked from no particular page


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect a user to another site after login. Without a page
    to go back to (none given, another site's, or the public dashboard that the menu's «Log
    in» sends from) the user's start page."""
    if target and target.startswith("/") and not target.startswith("//") and target != "/":
        return target
    return START


@router.get("/login", response_class=HTMLResponse, name="login")
def login_form(
    request: Request, lang: Language, user: CurrentUser, next: str | None = None
) -> HTMLResponse:
    """The login form."""
    return render(request, lang, "login.html", next=_safe_next(next), error=None)


@router.post("/login", response_model=None, dependencies=[Depends(verify_csrf)])
def login(
    request: Request,
    session: DbSession,
    writer: SideWrites,
    lang: Language,
    email: Annotated[str, Form(max_length=255)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str | None, Form()] = None,
) -> HTMLResponse | RedirectResponse:
    """Check the credentials; start a session or show the form again with the reason."""
    # the peer, or the client a trusted proxy names (SERIKTES_TRUSTED_PROXIES)
    client = request.client.host if request.client else "unknown"
    try:
        with writer() as side:
            throttle.reserve(side, email, client)
    except TooManyAttempts:
        return render(
            request,
            lang,
            "login.html",
            status=429,
            next=_safe_next(next),
            error=N_("Too many failed attempts. Wait a little and try again."),
        )
    user = check_credentials(session, email, password)
    if user is None:
        return render(
            request,
            lang,
            "login.html",
            status=401,
            next=_safe_next(next),
            error=N_("Wrong e-mail or password."),
        )
    with writer() as side:
        key = logged_in(side, user.id, email, password, client)
    login_session(request, user, key)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request, session: DbSession) -> RedirectResponse:
    """End the session: the stored one too, so the cookie is worth nothing if replayed."""
    if (key := request.session.get(SESSION_KEY)) is not None:
        end_session(session, str(key))
    request.session.clear()
    return RedirectResponse("/", status_code=303)
