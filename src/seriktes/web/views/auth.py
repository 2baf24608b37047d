"""Log in and log out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from seriktes.accounts.service import authenticate
from seriktes.kit.errors import TooManyAttempts
from seriktes.web.auth import CurrentUser, login_session, verify_csrf
from seriktes.web.deps import DbSession, Language
from seriktes.web.i18n import N_
from seriktes.web.templating import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect a user to another site after login."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


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
    lang: Language,
    email: Annotated[str, Form(max_length=255)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str | None, Form()] = None,
) -> HTMLResponse | RedirectResponse:
    """Check the credentials; start a session or show the form again with the reason."""
    client = request.client.host if request.client else "unknown"
    try:
        user = authenticate(session, email, password, client)
    except TooManyAttempts:
        return render(
            request,
            lang,
            "login.html",
            status=429,
            next=_safe_next(next),
            error=N_("Too many failed attempts. Try again in 15 minutes."),
        )
    if user is None:
        return render(
            request,
            lang,
            "login.html",
            status=401,
            next=_safe_next(next),
            error=N_("Wrong e-mail or password."),
        )
    login_session(request, user)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request) -> RedirectResponse:
    """End the session."""
    request.session.clear()
    return RedirectResponse("/", status_code=303)
