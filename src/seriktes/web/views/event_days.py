"""The organisers' page of an event's meeting days: days added, changed and removed (the
fields are `web.views.day_fields`'s)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from seriktes.events import days as meeting_days
from seriktes.events import service
from seriktes.events.models import Event
from seriktes.events.schemas import EventChanges
from seriktes.http.auth import RequiredUser
from seriktes.http.deps import DbSession, Language
from seriktes.kit.errors import Conflict, Message, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.values import is_digits
from seriktes.web.forms import Form
from seriktes.web.views.day_fields import as_values, changed_rows, day_rows, days_from_form, row_of
from seriktes.web.views.events import (
    CSRF,
    back_to_event,
    event_form_errors,
    event_page,
)

router = APIRouter()

HAS_MEETINGS = N_("This day holds scheduled meetings or site visits: cancel or move them first.")


def _days_page(
    request: Request, lang: str, event: Event, values: dict[str, str], errors: dict[str, str]
) -> HTMLResponse:
    return event_page(
        request,
        lang,
        "events_days.html",
        event,
        status=(409 if any(v == HAS_MEETINGS for v in errors.values()) else 422) if errors else 200,
        rows=day_rows(values),
        values=values,
        errors=errors,
    )


@router.get("/events/{event_id}/days", response_class=HTMLResponse)
def days_form(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, event_id: int
) -> HTMLResponse:
    """The meeting days of an event, to add, change or remove (organisers)."""
    event = service.managed_event(session, user, event_id)
    values = as_values([row_of(day, day.id) for day in event.days])
    return _days_page(request, lang, event, values, {})


@router.post("/events/{event_id}/days", response_model=None, dependencies=CSRF)
def days_save(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    event_id: int,
    form: Form,
) -> HTMLResponse | RedirectResponse:
    """Save the meeting days; a day with meetings is not removed (the form says why)."""
    event = service.managed_event(session, user, event_id)
    remove = form.get("remove_day", "")
    if is_digits(remove) and len(remove) < 3:
        rows = day_rows(form)
        n = min(int(remove), len(rows) - 1)
        if meeting_days.holds_meetings(session, event, rows[n].get("id", "")):
            return _days_page(request, lang, event, form, {f"d{n}_meets_on": HAS_MEETINGS})
    changed = changed_rows(form)
    if changed is not None:
        return _days_page(request, lang, event, changed, {})
    days, errors = days_from_form(form)
    if errors:
        return _days_page(request, lang, event, form, errors)
    try:
        changes = EventChanges.model_validate({"days": days})
        with session.begin_nested():
            service.update_event(session, user, event_id, changes)
    except (ValidationError, ValidationFailed) as exc:
        return _days_page(request, lang, event, form, event_form_errors(exc))
    except Conflict as exc:
        session.refresh(event)
        return _days_page(request, lang, event, form, {"": Message(exc.template, exc.params)})
    return back_to_event(event_id, done="days")
