"""A participant's agenda as a page: its meetings and site visits day by day, with each
meeting's topic, the other side's contact (for the meeting's sides and organisers), the table
or the online meeting's link, and the PDF in each language named in itself."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from seriktes.events import agenda
from seriktes.http.auth import CurrentUser
from seriktes.http.deps import DbSession, Language
from seriktes.web.views.events import event_page

router = APIRouter()

# each language's PDF, named in that language
PDF_NAMES = (("ru", "PDF на русском"), ("kk", "PDF қазақша"), ("en", "PDF in English"))


@router.get("/events/{event_id}/participants/{participant_id}/agenda", response_class=HTMLResponse)
def agenda_page(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    event_id: int,
    participant_id: int,
) -> HTMLResponse:
    """A participant's agenda (its organisation, the organisers, coordinators and
    administrators)."""
    participant, items = agenda.readable_agenda(session, user, event_id, participant_id, lang)
    event = participant.event
    days = [(n, day, [item for item in items if item.day == n]) for n, day in enumerate(event.days)]
    return event_page(
        request,
        lang,
        "events_agenda.html",
        event,
        participant=participant,
        days=days,
        pdf_names=PDF_NAMES,
        clock=lambda moment: agenda.local_clock(event, moment),
    )
