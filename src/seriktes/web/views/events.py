"""HTML pages of B2B events: list, programme with participants and site visits, meeting
requests with answers, the schedule grid; forms for organisers and participants."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from seriktes.accounts.policy import acts_for_participant, can_manage_event
from seriktes.events import requests, scheduling, service
from seriktes.events.models import Event, Participant, RequestState
from seriktes.events.schemas import RequestIn
from seriktes.kit.errors import ErrorItem, ValidationFailed
from seriktes.kit.pagination import PageRequest
from seriktes.web.auth import CurrentUser, RequiredUser, verify_csrf
from seriktes.web.deps import DbSession, Language
from seriktes.web.i18n import N_
from seriktes.web.views.needs import Form
from seriktes.web.views.search import show

router = APIRouter()
CSRF = [Depends(verify_csrf)]

EVENT_STATUSES = {
    "draft": N_("Draft"),
    "published": N_("Published"),
    "closed": N_("Closed"),
}
REQUEST_STATES = {
    "requested": N_("Awaiting answer"),
    "accepted": N_("Accepted"),
    "declined": N_("Declined"),
    "expired": N_("Expired"),
}
MEETING_STATUSES = {
    "scheduled": N_("Scheduled"),
    "cancelled": N_("Cancelled"),
    "no_show": N_("No-show"),
}
PARTICIPANT_STATUSES = {
    "active": N_("Taking part"),
    "cancelled": N_("Withdrew"),
    "no_show": N_("Did not come"),
}
SIDES = {"host": N_("Host region"), "guest": N_("Guest region")}
WISHES = {"any": N_("All day"), "morning": N_("Morning only"), "afternoon": N_("Afternoon only")}
VISIT_KINDS = {"plant": N_("Plant"), "farm": N_("Farm")}
DONE = {
    "answered": N_("Your answer is saved."),
    "requested": N_("The request is sent."),
    "proposed": N_("Requests proposed from the matches: {n}."),
    "solved": N_("The schedule is built."),
    "signed": N_("Signed up for the visit."),
    "cancelled": N_("The participant is cancelled; freed slots went to waiting requests."),
}
EVENT_LABELS = {
    "event_statuses": EVENT_STATUSES,
    "request_states": REQUEST_STATES,
    "meeting_statuses": MEETING_STATUSES,
    "participant_statuses": PARTICIPANT_STATUSES,
    "sides": SIDES,
    "wishes": WISHES,
    "visit_kinds": VISIT_KINDS,
    "done_texts": DONE,
}


def _page(
    request: Request, lang: str, name: str, event: Event | None, **context: object
) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    manager = event is not None and can_manage_event(user, event)
    values: dict[str, Any] = {**EVENT_LABELS, **context, "event": event, "manager": manager}
    return show(request, lang, name, 200, **values)


def _sides(event: Event, found: list[Participant]) -> dict[int, str]:
    return {p.id: service.side_of(event, p.organisation) or "" for p in found}


@router.get("/events", response_class=HTMLResponse, name="events")
def events_list(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """B2B events: published programmes, and drafts for those who organise."""
    found = service.list_events(session, user, PageRequest(page, 50))
    return _page(request, lang, "events_list.html", None, found=found)


@router.get("/events/{event_id}", response_class=HTMLResponse, name="event")
def event_detail(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    event_id: int,
    done: str | None = None,
    n: int | None = None,
) -> HTMLResponse:
    """An event's programme: facts, participants with their agendas, site visits."""
    event = service.get_event(session, user, event_id)
    found = service.participants(session, user, event_id)
    mine = service.my_participants(user, found)
    sides = _sides(event, found)
    partners = {
        p.id: [q for q in found if sides[q.id] != sides[p.id] and q.status.value == "active"]
        for p in mine
    }
    return _page(
        request,
        lang,
        "events_detail.html",
        event,
        participants=found,
        side_of=sides,
        mine=[p for p in mine if p.status.value == "active"],
        partners=partners,
        visits=service.visits(session, user, event_id),
        names={p.id: p.organisation for p in found},
        times=service.slot_times(event),
        done=done if done in DONE else None,
        n=n,
    )


@router.get("/events/{event_id}/requests", response_class=HTMLResponse)
def event_requests(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    event_id: int,
    done: str | None = None,
    n: int | None = None,
) -> HTMLResponse:
    """Meeting requests: all for organisers, your organisation's for members; answer forms
    where you may answer."""
    event = service.get_event(session, user, event_id)
    found = requests.visible_requests(session, user, event_id)
    now = service.now_utc()
    rows = [
        (
            r,
            requests.state_of(r, now),
            requests.needs_interpreter(r),
            requests.state_of(r, now) is RequestState.REQUESTED
            and acts_for_participant(user, r.recipient),
        )
        for r in found
    ]
    counts: dict[str, int] = {}
    for _r, state, _i, _a in rows:
        counts[state.value] = counts.get(state.value, 0) + 1
    return _page(
        request,
        lang,
        "events_requests.html",
        event,
        rows=rows,
        counts=counts,
        done=done if done in DONE else None,
        n=n,
    )


@router.get("/events/{event_id}/schedule", response_class=HTMLResponse)
def event_schedule(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    event_id: int,
    done: str | None = None,
) -> HTMLResponse:
    """The schedule grid: a row per slot, a column per table, interpreters marked."""
    grid = scheduling.grid(session, user, event_id)
    return _page(
        request,
        lang,
        "events_schedule.html",
        grid.event,
        grid=grid,
        interpreters=sum(1 for c in grid.cells if c.interpreter),
        done=done if done in DONE else None,
    )


# --- forms -------------------------------------------------------------------------------
def _number(form: dict[str, str], field: str) -> int:
    value = form.get(field, "").strip()
    if not value.isdigit() or len(value) > 9:
        raise ValidationFailed(f"choose {field}", [ErrorItem(("form", field), "required")])
    return int(value)


def _back(event_id: int, page: str = "", **params: object) -> RedirectResponse:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return RedirectResponse(f"/events/{event_id}{page}?{query}", status_code=303)


@router.post("/events/{event_id}/requests/{request_id}/answer", dependencies=CSRF)
def answer(
    session: DbSession, user: RequiredUser, event_id: int, request_id: int, form: Form
) -> RedirectResponse:
    """Accept or decline a request made to your organisation."""
    accept = form.get("answer") == "accept"
    requests.answer_request(session, user, event_id, request_id, accept)
    return _back(event_id, "/requests", done="answered")


@router.post("/events/{event_id}/requests/new", dependencies=CSRF)
def ask(session: DbSession, user: RequiredUser, event_id: int, form: Form) -> RedirectResponse:
    """Ask for a meeting on behalf of a participant you act for."""
    data = RequestIn(
        requester_id=_number(form, "requester_id"), recipient_id=_number(form, "recipient_id")
    )
    requests.create_request(session, user, event_id, data)
    return _back(event_id, "/requests", done="requested")


@router.post("/events/{event_id}/propose", dependencies=CSRF)
def propose(session: DbSession, user: RequiredUser, event_id: int) -> RedirectResponse:
    """Propose requests from the stored matches (organisers)."""
    made = requests.propose_requests(session, user, event_id)
    return _back(event_id, "/requests", done="proposed", n=len(made.created))


@router.post("/events/{event_id}/schedule", dependencies=CSRF)
def solve(session: DbSession, user: RequiredUser, event_id: int) -> RedirectResponse:
    """Build the schedule from the accepted requests (organisers)."""
    scheduling.solve_for(session, user, event_id, time_limit=10.0)
    return _back(event_id, "/schedule", done="solved")


@router.post("/events/{event_id}/visits/{visit_id}/signup", dependencies=CSRF)
def sign_up(
    session: DbSession, user: RequiredUser, event_id: int, visit_id: int, form: Form
) -> RedirectResponse:
    """Sign a participant you act for up for a site visit."""
    service.sign_up(session, user, event_id, visit_id, _number(form, "participant_id"))
    return _back(event_id, done="signed")


@router.post("/events/{event_id}/participants/{participant_id}/cancel", dependencies=CSRF)
def cancel(
    session: DbSession, user: RequiredUser, event_id: int, participant_id: int, form: Form
) -> RedirectResponse:
    """Cancel a participant (or mark a no-show) and give its slots to waiting requests."""
    scheduling.cancel_participant(
        session, user, event_id, participant_id, no_show=form.get("no_show") == "1"
    )
    return _back(event_id, "/schedule", done="cancelled")
