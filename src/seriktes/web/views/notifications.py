"""Notification pages: the list (mark one or all read), the settings per kind with the
calendar feed's address, and the feed itself (`/calendar/<token>.ics`, no login: the secret
token is the key). Plain POST forms; no JavaScript needed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from seriktes.events.feed import feed_ics
from seriktes.http.auth import RequiredUser, verify_csrf
from seriktes.http.deps import DbSession, Language
from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import NotFound
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import PageRequest
from seriktes.notifications import feeds, kinds, service
from seriktes.notifications.kinds import Kind
from seriktes.notifications.models import Mode
from seriktes.web.flash import flash
from seriktes.web.forms import Form
from seriktes.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(verify_csrf)]
PER_PAGE = 20
NotificationId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/notifications", response_class=HTMLResponse, name="notifications")
def notifications_page(
    request: Request,
    session: DbSession,
    user: RequiredUser,
    lang: Language,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """Your notifications, newest first, unread ones marked."""
    found = service.page_of(session, user, PageRequest(page, PER_PAGE))
    shown = [
        {
            "row": row,
            "subject": kinds.subject(row.kind, lang, row.params),
            "text": kinds.body(row.kind, lang, row.params),
        }
        for row in found.items
    ]
    return render(
        request,
        lang,
        "notifications.html",
        found=found,
        shown=shown,
        link=lambda **values: f"/notifications?page={values.get('page') or 1}",
    )


@router.post("/notifications/{notification_id}/read", dependencies=CSRF)
def notification_read(
    session: DbSession, user: RequiredUser, notification_id: NotificationId, form: Form
) -> RedirectResponse:
    """Mark one notification read; back to the list's page it was on."""
    service.mark_read(session, user, notification_id)
    return RedirectResponse(_back(form), status_code=303)


@router.post("/notifications/read", dependencies=CSRF)
def notifications_read(
    request: Request, session: DbSession, user: RequiredUser, form: Form
) -> RedirectResponse:
    """Mark every notification read."""
    service.mark_all_read(session, user)
    flash(request, N_("Every notification is marked as read."))
    return RedirectResponse(_back(form), status_code=303)


def _back(form: dict[str, str]) -> str:
    page = form.get("page", "1")
    return f"/notifications?page={page}" if page.isascii() and page.isdigit() else "/notifications"


@router.get("/notifications/settings", response_class=HTMLResponse)
def notification_settings(
    request: Request, session: DbSession, user: RequiredUser, lang: Language
) -> HTMLResponse:
    """Your choice per kind of notification, and your calendar feed."""
    feed = feeds.feed_of(session, user)
    base_url = request.app.state.settings.base_url
    return render(
        request,
        lang,
        "notifications_settings.html",
        modes=service.modes_of(session, user),
        texts=kinds.TEXTS,
        mode_labels=kinds.MODE_LABELS,
        feed_urls=feeds.feed_urls(base_url, feed) if feed else None,
        email=bool(request.app.state.settings.smtp_url),
    )


@router.post("/notifications/settings", dependencies=CSRF)
def notification_settings_save(
    request: Request, session: DbSession, user: RequiredUser, form: Form
) -> RedirectResponse:
    """Store the choices sent (a kind not sent, or an unknown value, keeps its mode)."""
    chosen = {}
    for kind in Kind:
        value = form.get(f"mode_{kind.value}")
        if value in {mode.value for mode in Mode}:
            chosen[kind] = Mode(value)
    service.set_modes(session, user, chosen)
    flash(request, N_("Your notification settings are saved."))
    return RedirectResponse("/notifications/settings", status_code=303)


@router.post("/notifications/calendar", dependencies=CSRF)
def calendar_reset(request: Request, session: DbSession, user: RequiredUser) -> RedirectResponse:
    """Make your calendar address, or replace it (the old one stops working)."""
    feeds.reset_feed(session, user)
    flash(request, N_("Your calendar has a new address; the old one no longer works."))
    return RedirectResponse("/notifications/settings#calendar", status_code=303)


@router.get("/calendar/{token}.ics")
def calendar_feed(session: DbSession, token: Annotated[str, Path(max_length=64)]) -> Response:
    """The meetings of the token's owner's organisation, always current (no login)."""
    owner = feeds.feed_owner(session, token)
    if owner is None:
        raise NotFound(N_("no such calendar"))
    return Response(
        feed_ics(session, owner),
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )
