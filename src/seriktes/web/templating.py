"""Rendering HTML pages: templates with translation, numbers, the user and the CSRF token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import object_session

from seriktes.accounts.models import User
from seriktes.http.auth import CSRF_FIELD, csrf_token
from seriktes.jobs import texts as job_texts
from seriktes.kit.errors import Message
from seriktes.kit.i18n import LANGUAGE_NAMES, LANGUAGES, format_number, translate
from seriktes.notifications.service import unread_count
from seriktes.web.flash import take_flashes

templates = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")


def shown(lang: str, message: str) -> str:
    """`message` in `lang`: an English text, or a `Message` with its parameters."""
    return message.text(lang) if isinstance(message, Message) else translate(lang, message)


def render(
    request: Request, lang: str, name: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """Render a page; `_` translates English texts into the page's language,
    `pgettext(context, text)` an English text in a message context."""
    response = templates.TemplateResponse(
        request,
        name,
        {
            "lang": lang,
            "_": lambda message: shown(lang, message),
            "pgettext": lambda context, message: translate(lang, message, context),
            "num": lambda value: format_number(value, lang),
            "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            "user": getattr(request.state, "user", None),
            "csrf_field": CSRF_FIELD,
            "csrf_token": csrf_token(request),
            "path": request.url.path,
            "lang_url": lambda code: _with_query(request, lang=code),
            "flashes": take_flashes(request, lang),
            "job_label": job_texts.label,
            "job_status": job_texts.status,
            "job_error": lambda job: job_texts.error(lang, job),
            "unread_notifications": lambda: _unread(request),
            **context,
        },
        status_code=status,
    )
    if request.query_params.get("lang") == lang:
        secure = bool(getattr(request.app.state, "https", False))
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax", secure=secure)
    return response


def _unread(request: Request) -> int:
    """The signed-in user's unread notifications (the bell); 0 when the page has no user or
    its session is gone (an error page)."""
    user: User | None = getattr(request.state, "user", None)
    session = object_session(user) if user is not None else None
    return unread_count(session, user) if session is not None and user is not None else 0


def _with_query(request: Request, **params: str) -> str:
    """The current path and query with `params` replaced (keeps filters when switching)."""
    url = request.url.include_query_params(**params)
    return f"{url.path}?{url.query}"
