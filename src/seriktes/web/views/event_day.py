"""HTML pages of the meeting days: a participant's check-in link (opened by an organiser who
scanned its agenda's QR code), the organisers' arrivals list with its live count and the
absentees marked in one action, and a participant's meetings with the outcome each side
records after them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from seriktes.events import checkin, outcomes, repository, service
from seriktes.events.day_schemas import OutcomeIn
from seriktes.events.models import MeetingRequest, MeetingStatus, Participant
from seriktes.events.policy import can_check_in, may_read_agenda, may_record_outcome
from seriktes.http.auth import CurrentUser, RequiredUser
from seriktes.http.deps import DbSession, Language
from seriktes.kit import clock
from seriktes.kit.errors import ErrorItem, Forbidden, NotAuthenticated, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.web.forms import Form, form_id, form_ids
from seriktes.web.views.events import CSRF, event_page, validated

router = APIRouter()

Day = Annotated[int, Query(ge=0, le=30)]
DAY_DONE = {
    "arrived": N_("The arrival is recorded."),
    "undone": N_("The arrival is taken back."),
    "absent": N_("Marked absent: {n}. Their slots went to waiting requests."),
    "outcome": N_("The outcome of the meeting is saved."),
}
RESULTS = {
    "not_held": N_("Not held: the other side did not come"),
    "no_interest": N_("Held: no interest"),
    "cooperation_possible": N_("Held: cooperation possible"),
    "deal_expected": N_("Held: a deal is expected"),
    "contract_signed": N_("Held: a contract is signed"),
}
METHODS = {"qr": N_("by QR code"), "tick": N_("ticked on the list")}


def _done(done: str | None) -> str | None:
    return done if done in DAY_DONE else None


def _day_index(form: dict[str, str]) -> int:
    value = form.get("day", "0")
    if not value.isascii() or not value.isdigit() or len(value) > 2:
        detail = N_("Choose one of the options.")
        raise ValidationFailed(detail, [ErrorItem(("form", "day"), detail)])
    return int(value)


# --- the check-in link -------------------------------------------------------------------
@router.get("/events/{event_id}/checkin/{token}", response_class=HTMLResponse)
def checkin_page(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    event_id: int,
    token: str,
    day: Day = 0,
    done: str | None = None,
) -> HTMLResponse:
    """A scanned check-in code: organisers see the participant and confirm its arrival with
    one tap; anyone else is told to show the code at the registration desk (and learns
    nothing of the participant)."""
    event = service.get_event(session, user, event_id)
    days = checkin.meeting_days(event)
    if not can_check_in(user, event):
        return event_page(request, lang, "events_checkin_desk.html", event, status=200)
    participant = checkin.by_token(session, event_id, token)
    if participant is None:
        return event_page(
            request, lang, "events_checkin.html", event, participant=None, status=404, days=days
        )
    day = min(day, len(days) - 1)
    return event_page(
        request,
        lang,
        "events_checkin.html",
        event,
        participant=participant,
        day=day,
        days=days,
        arrived=repository.checkin_of(session, participant.id, day),
        methods=METHODS,
        local=lambda moment: checkin.local_time(event, moment),
        token=token,
        day_done=DAY_DONE,
        done=_done(done),
    )


@router.post("/events/{event_id}/checkin/{token}", dependencies=CSRF)
def checkin_confirm(
    session: DbSession, user: RequiredUser, event_id: int, token: str, form: Form
) -> RedirectResponse:
    """An organiser confirms the arrival of the participant whose code was scanned."""
    day = _day_index(form)
    checkin.check_in_by_token(session, user, event_id, token, day)
    return RedirectResponse(
        f"/events/{event_id}/checkin/{token}?day={day}&done=arrived", status_code=303
    )


# --- the arrivals list -------------------------------------------------------------------
@router.get("/events/{event_id}/arrivals", response_class=HTMLResponse)
def arrivals_page(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    event_id: int,
    day: Day = 0,
    q: Annotated[str, Query(max_length=100)] = "",
    done: str | None = None,
    n: Annotated[int | None, Query(ge=0, le=10_000)] = None,
) -> HTMLResponse:
    """Arrivals of a meeting day (organisers): search, tick or undo, the count kept current
    by static/arrivals.js, and those late for their first meeting marked absent at once."""
    found = checkin.arrivals(session, user, event_id, day, q)
    return event_page(
        request,
        lang,
        "events_arrivals.html",
        found.event,
        found=found,
        days=checkin.meeting_days(found.event),
        q=q,
        methods=METHODS,
        day_done=DAY_DONE,
        done=_done(done),
        n=n,
        local=lambda moment: checkin.local_time(found.event, moment),
    )


def _back(event_id: int, day: int, q: str = "", **params: object) -> RedirectResponse:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    search = f"&q={quote(q)}" if q else ""
    return RedirectResponse(
        f"/events/{event_id}/arrivals?day={day}{search}&{query}", status_code=303
    )


@router.post("/events/{event_id}/arrivals/tick", dependencies=CSRF)
def tick(session: DbSession, user: RequiredUser, event_id: int, form: Form) -> RedirectResponse:
    """Tick a participant arrived, or take the tick back (organisers)."""
    day = _day_index(form)
    pid = form_id(form, "participant_id")
    q = form.get("q", "")[:100]
    if form.get("action") == "undo":
        checkin.undo(session, user, event_id, pid, day)
        return _back(event_id, day, q, done="undone")
    checkin.check_in(session, user, event_id, pid, day)
    return _back(event_id, day, q, done="arrived")


@router.post("/events/{event_id}/arrivals/absent", dependencies=CSRF)
async def absent(
    request: Request, session: DbSession, user: RequiredUser, event_id: int
) -> RedirectResponse:
    """Mark the chosen late participants absent in one action (the no-show path)."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    day = _day_index(fields)
    ids = form_ids(form.getlist("participant_ids"), "participant_ids")
    done = checkin.mark_absent(session, user, event_id, ids, day)
    return _back(event_id, day, done="absent", n=len(done))


# --- a participant's meetings and their outcomes -----------------------------------------
def _meetings(session: DbSession, participant: Participant) -> list[MeetingRequest]:
    placed = (MeetingStatus.SCHEDULED, MeetingStatus.NO_SHOW)
    found = [
        r
        for r in repository.requests(session, participant.event_id, [participant.id])
        if r.meeting_status in placed
    ]
    return sorted(found, key=lambda r: (r.slot is None, r.slot or 0, r.id))


@router.get(
    "/events/{event_id}/participants/{participant_id}/meetings", response_class=HTMLResponse
)
def meetings_page(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    event_id: int,
    participant_id: int,
    done: str | None = None,
) -> HTMLResponse:
    """A participant's meetings with their times, the outcome its side recorded (a form once
    a meeting is over) and, after a deal is expected, the way to record it; its check-in
    code."""
    participant = service.get_participant(session, user, event_id, participant_id)
    if not may_read_agenda(user, participant):
        message = N_("an agenda is for its organisation and the event's organisers")
        raise Forbidden(message) if user is not None else NotAuthenticated(message)
    checkin.ensure_token(session, participant)
    event = participant.event
    found = _meetings(session, participant)
    recorded = outcomes.outcomes_of(session, found)
    now = clock.now()
    times = service.slot_times(event)
    ends: dict[int, datetime | None] = {m.id: outcomes.meeting_end(m) for m in found}
    return event_page(
        request,
        lang,
        "events_meetings.html",
        event,
        participant=participant,
        meetings=found,
        others={
            m.id: m.recipient if m.requester_id == participant.id else m.requester for m in found
        },
        mine={m.id: recorded.get((m.id, participant.id)) for m in found},
        open_now={m.id: outcomes.may_record_now(user, m, now) for m in found},
        may_record=may_record_outcome(user, participant),
        leads_to_deal=outcomes.leads_to_deal,
        ends=ends,
        times=times,
        results=RESULTS,
        code=checkin.checkin_code(participant, request.app.state.settings.base_url),
        day_done=DAY_DONE,
        done=_done(done),
    )


@router.post("/events/{event_id}/meetings/{meeting_id}/outcome", dependencies=CSRF)
def outcome(
    session: DbSession, user: RequiredUser, event_id: int, meeting_id: int, form: Form
) -> RedirectResponse:
    """Record or change your side's outcome of a meeting."""
    result = form.get("result", "")
    if result not in RESULTS:
        detail = N_("Choose one of the options.")
        raise ValidationFailed(detail, [ErrorItem(("form", "result"), detail)])
    pid = form_id(form, "participant_id")
    held = result != "not_held"
    data = validated(
        OutcomeIn,
        {
            "participant_id": pid,
            "held": held,
            "outcome": result if held else None,
            "comment": form.get("comment") or None,
        },
    )
    outcomes.record_outcome(session, user, event_id, meeting_id, data)
    return RedirectResponse(
        f"/events/{event_id}/participants/{pid}/meetings?done=outcome#meeting-{meeting_id}",
        status_code=303,
    )
