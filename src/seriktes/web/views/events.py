"""HTML pages of B2B events: list, programme with participants and site visits, meeting
requests with answers, the schedule grid; forms for organisers and participants."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from seriktes.accounts.policy import may_read_representatives
from seriktes.agreements.funnel import funnel_for_page
from seriktes.events import conflicts, requests, scheduling, service
from seriktes.events.agenda import topic_of
from seriktes.events.days import DAY_RULES
from seriktes.events.models import Event, EventStatus, Participant
from seriktes.events.policy import (
    can_manage_event,
    can_organise_events,
    may_read_agenda,
    may_register,
    side_of,
)
from seriktes.events.schemas import (
    EventChanges,
    EventIn,
)
from seriktes.http.auth import CurrentUser, RequiredUser, verify_csrf
from seriktes.http.deps import DbSession, Language
from seriktes.jobs import kinds as job_kinds
from seriktes.jobs import service as job_service
from seriktes.jobs.models import JobStatus
from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import ErrorItem, Forbidden, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import PageRequest
from seriktes.registry.repository import top_level_regions
from seriktes.web.forms import ERROR_TEXTS, Form, clean, form_errors
from seriktes.web.views import day_fields
from seriktes.web.views.day_fields import day_field
from seriktes.web.views.pages import show

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
SCHEDULING_KINDS = (job_kinds.SCHEDULE, job_kinds.PLACE)
SOLVE_CHOICES = {"10": N_("10 seconds"), "30": N_("30 seconds"), "60": N_("1 minute"),
                 "120": N_("2 minutes"), "300": N_("5 minutes")}  # fmt: skip
DONE = {
    "answered": N_("Your answer is saved."),
    "requested": N_("The request is sent."),
    "proposed": N_("Requests proposed from the matches: {n}."),
    "solved": N_("The schedule is built."),
    "placed": N_("Waiting requests got the free slots; other meetings stayed where they were."),
    "signed": N_("Signed up for the visit."),
    "cancelled": N_("The participant is cancelled; freed slots went to waiting requests."),
    "created": N_("The event is created."),
    "added": N_("The participant is added."),
    "visit": N_("The site visit is added."),
    "status": N_("The status of the event is changed."),
    "joined": N_("Your organisation takes part in the event."),
    "availability": N_("The availability is saved."),
    "days": N_("The meeting days are saved."),
    "unscheduled": N_(
        "The availability is saved; meetings sent back to waiting: {n}. "
        "Place the waiting requests on the schedule page."
    ),
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


def event_page(
    request: Request, lang: str, name: str, event: Event | None, **context: object
) -> HTMLResponse:
    """Render an events template with the label texts and whether the user organises it."""
    user = getattr(request.state, "user", None)
    manager = event is not None and can_manage_event(user, event)
    status = int(str(context.pop("status", 200)))
    values: dict[str, Any] = {**EVENT_LABELS, **context, "event": event, "manager": manager}
    return show(request, lang, name, status, **values)


def _sides(event: Event, found: list[Participant]) -> dict[int, str]:
    return {p.id: side_of(event, p.organisation) or "" for p in found}


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
    may_organise = can_organise_events(user)
    return event_page(
        request, lang, "events_list.html", None, found=found, may_organise=may_organise
    )


# /events/new comes before /events/{event_id}, which would take «new» for an id.
@router.get("/events/new", response_class=HTMLResponse)
def event_new(
    request: Request, session: DbSession, lang: Language, user: RequiredUser
) -> HTMLResponse:
    """The form of a new event (coordinators and administrators)."""
    if not can_organise_events(user):
        raise Forbidden(N_("only coordinators and administrators organise events"))
    mine = user.region.kato if user.region is not None else "630000000"
    values = {
        "host_region": mine,
        "slot_minutes": "20",
        "answer_days": "3",
        "status": "draft",
        **day_fields.as_values(day_fields.day_rows({})),
    }
    return _event_form(request, session, lang, values, {})


@router.post("/events/new", response_model=None, dependencies=CSRF)
def event_create(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, form: Form
) -> HTMLResponse | RedirectResponse:
    """Create an event; show the form again with the errors next to the fields."""
    if not can_organise_events(user):
        raise Forbidden(N_("only coordinators and administrators organise events"))
    changed = day_fields.changed_rows(form)  # a day added or removed: the form again
    if changed is not None:
        return _event_form(request, session, lang, changed, {})
    data = {k: v for k, v in clean(form, EVENT_FIELDS, ()).items() if v is not None}
    data["days"], errors = day_fields.days_from_form(form)
    if errors:
        return _event_form(request, session, lang, form, errors)
    try:
        event = service.create_event(session, user, EventIn.model_validate(data))
    except (ValidationError, ValidationFailed) as exc:
        return _event_form(request, session, lang, form, event_form_errors(exc))
    return RedirectResponse(f"/events/{event.id}?done=created", status_code=303)


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
    """An event's programme: facts, participants (their representatives for signed-in users,
    their agendas for those who may read them), site visits."""
    event = service.get_event(session, user, event_id)
    found = service.participants(session, user, event_id)
    mine = service.my_participants(user, found)
    sides = _sides(event, found)
    editable = [p for p in mine if p.status.value == "active"]
    partners = {p.id: requests.askable(session, event, p) for p in editable}
    return event_page(
        request,
        lang,
        "events_detail.html",
        event,
        participants=found,
        people=may_read_representatives(user),
        agendas={p.id for p in found if may_read_agenda(user, p)},
        side_of=sides,
        mine=editable,
        editable=editable,
        may_register=may_register(session, user, event),
        partners=partners,
        visits=service.visits(session, user, event_id),
        names={p.id: p.organisation for p in found},
        times=service.slot_times(event),
        done=done if done in DONE else None,
        n=n,
        funnel=funnel_for_page(session, user, event_id),
    )


# the requests list and the request form: views/event_requests


@router.get("/events/{event_id}/schedule", response_class=HTMLResponse)
def event_schedule(
    request: Request,
    session: DbSession,
    lang: Language,
    user: CurrentUser,
    event_id: int,
    done: str | None = None,
    job: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    """The schedule grid: a row per slot, a column per table, interpreters marked; while a
    build runs, its progress."""
    grid = scheduling.grid(session, user, event_id)
    building = None
    if user is not None and can_manage_event(user, grid.event):
        building = job_service.latest_for(session, SCHEDULING_KINDS, "event", event_id)
        if building is not None and not (job_service.is_active(building) or job == building.id):
            building = None
    return event_page(
        request,
        lang,
        "events_schedule.html",
        grid.event,
        grid=grid,
        conflicts=conflicts.shown_conflicts(session, grid.event, lang),
        interpreters=sum(1 for c in grid.cells if c.interpreter),
        done=done if done in DONE else None,
        building=building,
        solve_choices=SOLVE_CHOICES,
        topic_of=topic_of,
    )


# --- forms -------------------------------------------------------------------------------
def back_to_event(event_id: int, page: str = "", **params: object) -> RedirectResponse:
    """Redirect to a page of the event after a form, with what was done in the query."""
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return RedirectResponse(f"/events/{event_id}{page}?{query}", status_code=303)


@router.post("/events/{event_id}/requests/{request_id}/answer", dependencies=CSRF)
def answer(
    session: DbSession, user: RequiredUser, event_id: int, request_id: int, form: Form
) -> RedirectResponse:
    """Accept or decline a request made to your organisation."""
    accept = form.get("answer") == "accept"
    requests.answer_request(session, user, event_id, request_id, accept)
    return back_to_event(event_id, "/requests", done="answered")


@router.post("/events/{event_id}/propose", dependencies=CSRF)
def propose(session: DbSession, user: RequiredUser, event_id: int) -> RedirectResponse:
    """Propose requests from the stored matches (organisers)."""
    made = requests.propose_requests(session, user, event_id)
    return back_to_event(event_id, "/requests", done="proposed", n=len(made.created))


@router.post("/events/{event_id}/schedule", dependencies=CSRF)
def solve(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, event_id: int,
    form: Form,
) -> RedirectResponse:  # fmt: skip
    """Build the schedule from the accepted requests (organisers), in the background: the
    page follows the job and shows the grid when it ends."""
    service.managed_event(session, user, event_id)
    chosen = form.get("time_limit")
    seconds = int(chosen) if isinstance(chosen, str) and chosen in SOLVE_CHOICES else 10
    job = request.app.state.jobs.submit(
        session,
        user,
        job_kinds.SCHEDULE,
        object_type="event",
        object_id=event_id,
        params={"time_limit": seconds},
        language=lang,
    )
    if job.status is JobStatus.DONE:  # run inline: a database in memory
        return back_to_event(event_id, "/schedule", done="solved")
    return back_to_event(event_id, "/schedule", job=job.id)


@router.post("/events/{event_id}/schedule/waiting", dependencies=CSRF)
def place(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, event_id: int
) -> RedirectResponse:
    """Place the waiting accepted requests without moving scheduled meetings (organisers), in
    the background like a build."""
    service.managed_event(session, user, event_id)
    job = request.app.state.jobs.submit(
        session,
        user,
        job_kinds.PLACE,
        object_type="event",
        object_id=event_id,
        params={"time_limit": 5},
        language=lang,
    )
    if job.status is JobStatus.DONE:  # run inline: a database in memory
        return back_to_event(event_id, "/schedule", done="placed")
    return back_to_event(event_id, "/schedule", job=job.id)


# --- organisers' forms -------------------------------------------------------------------
EVENT_FIELDS = (
    "title", "description", "host_region", "guest_region", "venue", "starts_on", "ends_on",
    "slot_minutes", "answer_days", "status",
)  # fmt: skip
FORM_ERRORS = {
    "time_parsing": N_("Enter a time such as 10:00."),
    "time_type": N_("Enter a time such as 10:00."),
    "date_type": N_("Enter a date."),
    "less_than_equal": N_("The number is too large."),
    "less_than": N_("The number is too large."),
    "greater_than_equal": N_("The number is too small."),
    "greater_than": N_("The number is too small."),
    "string_too_short": N_("Too short."),
}
RULES = {
    "the host and guest regions must differ": N_("The host and guest regions must differ."),
    "the meeting day must fall between": N_(
        "The meeting day must fall between the first and last day."
    ),
    "the meeting day needs at least one slot": N_("The meeting day needs at least one slot."),
    "a pause must come after a slot": N_(
        "A pause must come after a slot of the day, not after the last."
    ),
    "the morning session runs into": N_("The morning session runs into the afternoon session."),
    **DAY_RULES,
}


def event_form_errors(exc: ValidationError | ValidationFailed) -> dict[str, str]:
    """Field → message id for the events forms (rules of the whole form under "")."""
    if isinstance(exc, ValidationFailed):
        return form_errors(exc)
    errors: dict[str, str] = {}
    for error in exc.errors():
        field = day_field(error["loc"]) or (str(error["loc"][0]) if error["loc"] else "")
        message = str(error["msg"]).removeprefix("Value error, ")
        rule = next((text for start, text in RULES.items() if message.startswith(start)), None)
        kind = str(error["type"])
        errors.setdefault(field, rule or FORM_ERRORS.get(kind) or ERROR_TEXTS.get(kind) or message)
    return errors


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: dict[str, Any]) -> M:
    """A form's data as `model`; invalid fields are a located ValidationFailed."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        items = [ErrorItem(("form", *map(str, e["loc"])), str(e["msg"])) for e in exc.errors()]
        names = ", ".join(str(e["loc"][0]) for e in exc.errors() if e["loc"])
        raise ValidationFailed(
            N_("check the fields: %(names)s"), items, params={"names": names}
        ) from None


def _event_form(
    request: Request,
    session: Session,
    lang: str,
    values: dict[str, str],
    errors: dict[str, str],
) -> HTMLResponse:
    return event_page(
        request,
        lang,
        "events_form.html",
        None,
        status=422 if errors else 200,
        values=values,
        errors=errors,
        rows=day_fields.day_rows(values),
        regions=top_level_regions(session),
    )


@router.post("/events/{event_id}/status", dependencies=CSRF)
def event_status(
    session: DbSession, user: RequiredUser, event_id: int, form: Form
) -> RedirectResponse:
    """Publish, close or hide an event (organisers)."""
    chosen = form.get("status", "")
    if chosen not in EVENT_STATUSES:
        raise ValidationFailed(N_("unknown status"), [ErrorItem(("form", "status"), N_("unknown"))])
    service.update_event(session, user, event_id, EventChanges(status=EventStatus(chosen)))
    return back_to_event(event_id, done="status")
