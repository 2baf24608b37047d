"""JSON API of the events domain (/api/v1/events…): events, participants, meeting requests,
site visits, the schedule and personal agendas (JSON, PDF, iCalendar)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.accounts.policy import may_read_representatives
from seriktes.events import agenda, checkin, requests, scheduling, service
from seriktes.events.models import Event, MeetingRequest, Participant, RequestState
from seriktes.events.policy import (
    can_manage_event,
    may_read_agenda,
    may_read_meeting_contacts,
    side_of,
)
from seriktes.events.schemas import (
    AgendaItemOut,
    AgendaOut,
    AnswerIn,
    CancelIn,
    EventChanges,
    EventIn,
    EventOut,
    MeetingDayOut,
    MeetingOut,
    ParticipantChangedOut,
    ParticipantChanges,
    ParticipantIn,
    ParticipantOut,
    ProposeIn,
    RegistrationIn,
    RequestIn,
    RequestOut,
    ScheduleOut,
    SignupIn,
    SolveIn,
    VisitIn,
    VisitOut,
)
from seriktes.http.auth import CurrentUser, RequiredUser
from seriktes.http.deps import DbSession
from seriktes.http.params import WRITE, PageNo, PerPage, errors
from seriktes.http.schemas import PageOut
from seriktes.kit import clock
from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import Forbidden, NotAuthenticated
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import PageRequest

router = APIRouter(prefix="/api/v1", tags=["events"])

EventId = Annotated[int, Path(ge=1, le=MAX_ID, description="Event id")]
ParticipantId = Annotated[int, Path(ge=1, le=MAX_ID, description="Participant id")]
RequestId = Annotated[int, Path(ge=1, le=MAX_ID, description="Meeting request id")]
VisitId = Annotated[int, Path(ge=1, le=MAX_ID, description="Site visit id")]
Lang = Annotated[Literal["ru", "kk", "en"], Query(description="Language of the PDF")]
IcsLang = Annotated[Literal["ru", "kk", "en"], Query(description="Language of the texts")]
READ_ERRORS = errors(404, 422)
WRITE_ERRORS = errors(401, 403, 404, 409, 422)


def request_out(request: MeetingRequest) -> RequestOut:
    """The view of a request with its state as of now."""
    now = clock.now()
    return RequestOut.of(
        request, requests.state_of(request, now), requests.needs_interpreter(request)
    )


def participant_outs(
    event: Event, found: list[Participant], people: bool = True
) -> list[ParticipantOut]:
    """Views of participants with their side (and, with `people`, their representatives)."""
    return [ParticipantOut.of(p, side_of(event, p.organisation) or "", people) for p in found]


@router.get("/events", responses=errors(422))
def events(
    session: DbSession,
    user: CurrentUser,
    page: Annotated[int, PageNo] = 1,
    per_page: Annotated[int, PerPage] = 25,
) -> PageOut[EventOut]:
    """Events you may read (published programmes for everyone), newest first."""
    found = service.list_events(session, user, PageRequest(page, per_page))
    return PageOut[EventOut].of(found, EventOut.of)


@router.get("/events/{event_id}", responses=READ_ERRORS)
def event(session: DbSession, user: CurrentUser, event_id: EventId) -> EventOut:
    """An event."""
    return EventOut.of(service.get_event(session, user, event_id))


@router.post("/events", status_code=201, dependencies=WRITE, responses=WRITE_ERRORS)
def create_event(session: DbSession, user: RequiredUser, data: EventIn) -> EventOut:
    """Create an event (coordinators of the host or guest region, administrators)."""
    return EventOut.of(service.create_event(session, user, data))


@router.patch("/events/{event_id}", dependencies=WRITE, responses=WRITE_ERRORS)
def change_event(
    session: DbSession, user: RequiredUser, event_id: EventId, changes: EventChanges
) -> EventOut:
    """Change an event (publish it with `{"status": "published"}`)."""
    return EventOut.of(service.update_event(session, user, event_id, changes))


@router.get("/events/{event_id}/participants", responses=READ_ERRORS)
def participants(session: DbSession, user: CurrentUser, event_id: EventId) -> list[ParticipantOut]:
    """The participants of an event (the names of representatives for signed-in users)."""
    found = service.participants(session, user, event_id)
    event = service.get_event(session, user, event_id)
    return participant_outs(event, found, may_read_representatives(user))


@router.post(
    "/events/{event_id}/participants",
    status_code=201,
    dependencies=WRITE,
    responses=WRITE_ERRORS,
)
def add_participant(
    session: DbSession, user: RequiredUser, event_id: EventId, data: ParticipantIn
) -> ParticipantOut:
    """Register an organisation of the host or guest region (organisers)."""
    participant = service.add_participant(session, user, event_id, data)
    return participant_outs(participant.event, [participant])[0]


@router.post(
    "/events/{event_id}/registrations",
    status_code=201,
    dependencies=WRITE,
    responses=WRITE_ERRORS,
)
def register(
    session: DbSession, user: RequiredUser, event_id: EventId, data: RegistrationIn
) -> ParticipantOut:
    """Register your own organisation for a published event of its region (members)."""
    participant = service.register_own(session, user, event_id, data)
    return participant_outs(participant.event, [participant])[0]


@router.patch(
    "/events/{event_id}/participants/{participant_id}",
    dependencies=WRITE,
    responses=WRITE_ERRORS,
)
def change_participant(
    session: DbSession,
    user: RequiredUser,
    event_id: EventId,
    participant_id: ParticipantId,
    changes: ParticipantChanges,
) -> ParticipantChangedOut:
    """Change a participant's availability (organisers; members for their organisation, not
    the priority). Meetings in slots no longer available refuse the change (409) unless an
    organiser sends `unschedule_conflicts`: they go back to waiting, listed in `unscheduled`."""
    done = scheduling.change_availability(session, user, event_id, participant_id, changes)
    out = participant_outs(done.participant.event, [done.participant])[0]
    return ParticipantChangedOut.model_construct(
        **dict(out), unscheduled=[r.id for r in done.unscheduled]
    )


@router.post(
    "/events/{event_id}/participants/{participant_id}/cancel",
    dependencies=WRITE,
    responses=WRITE_ERRORS,
)
def cancel_participant(
    session: DbSession,
    user: RequiredUser,
    event_id: EventId,
    participant_id: ParticipantId,
    data: CancelIn,
) -> dict[str, object]:
    """A participant cancels or did not come: its slots go to waiting requests (organisers)."""
    return scheduling.cancel_participant(
        session, user, event_id, participant_id, data.no_show, data.move_others
    )


@router.get("/events/{event_id}/requests", responses=READ_ERRORS)
def meeting_requests(
    session: DbSession,
    user: CurrentUser,
    event_id: EventId,
    state: Annotated[
        RequestState | None, Query(description="Only requests in this state (expiry applied)")
    ] = None,
    direction: Annotated[
        Literal["incoming", "outgoing"] | None,
        Query(description="Seen from your organisation's participants: asked or asking"),
    ] = None,
    participant: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only requests this participant is in")
    ] = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Words of the topic, message or the lines named"),
    ] = None,
) -> list[RequestOut]:
    """Requests you may read: all for organisers, your organisation's for members; filtered
    as the requests page filters them."""
    found = requests.visible_requests(session, user, event_id)
    filters = requests.RequestFilters(
        state=state, direction=direction, participant_id=participant, q=(q or "").strip() or None
    )
    mine = requests.own_participants(user, found)
    shown = requests.filter_requests(found, filters, mine, clock.now())
    return [request_out(r) for r in shown]


@router.post(
    "/events/{event_id}/requests", status_code=201, dependencies=WRITE, responses=WRITE_ERRORS
)
def create_request(
    session: DbSession, user: RequiredUser, event_id: EventId, data: RequestIn
) -> RequestOut:
    """Ask for a meeting on behalf of a participant you act for."""
    return request_out(requests.create_request(session, user, event_id, data))


@router.post("/events/{event_id}/requests/propose", dependencies=WRITE, responses=WRITE_ERRORS)
def propose(
    session: DbSession, user: RequiredUser, event_id: EventId, data: ProposeIn
) -> list[RequestOut]:
    """Propose requests from the stored matches: each need's best producers (organisers)."""
    made = requests.propose_requests(session, user, event_id, data.per_need)
    return [request_out(r) for r in made.created]


@router.post(
    "/events/{event_id}/requests/{request_id}/answer",
    dependencies=WRITE,
    responses=WRITE_ERRORS,
)
def answer(
    session: DbSession, user: RequiredUser, event_id: EventId, request_id: RequestId, data: AnswerIn
) -> RequestOut:
    """Accept or decline a request made to your organisation."""
    return request_out(requests.answer_request(session, user, event_id, request_id, data.accept))


@router.get("/events/{event_id}/visits", responses=READ_ERRORS)
def visits(session: DbSession, user: CurrentUser, event_id: EventId) -> list[VisitOut]:
    """Site visits with the places taken."""
    return [
        VisitOut.of(v.visit, v.participant_ids) for v in service.visits(session, user, event_id)
    ]


@router.post(
    "/events/{event_id}/visits", status_code=201, dependencies=WRITE, responses=WRITE_ERRORS
)
def add_visit(session: DbSession, user: RequiredUser, event_id: EventId, data: VisitIn) -> VisitOut:
    """Add a site visit (organisers)."""
    return VisitOut.of(service.add_visit(session, user, event_id, data), [])


@router.post(
    "/events/{event_id}/visits/{visit_id}/signups",
    status_code=201,
    dependencies=WRITE,
    responses=WRITE_ERRORS,
)
def sign_up(
    session: DbSession, user: RequiredUser, event_id: EventId, visit_id: VisitId, data: SignupIn
) -> VisitOut:
    """Sign a participant you act for up for a visit (capacity enforced)."""
    service.sign_up(session, user, event_id, visit_id, data.participant_id)
    found = next(v for v in service.visits(session, user, event_id) if v.visit.id == visit_id)
    return VisitOut.of(found.visit, found.participant_ids)


@router.get("/events/{event_id}/schedule", responses=READ_ERRORS)
def schedule(session: DbSession, user: CurrentUser, event_id: EventId) -> ScheduleOut:
    """The stored schedule: meetings by slot and table, waiting requests, the last run."""
    grid = scheduling.grid(session, user, event_id)
    event = grid.event

    def moment(slot: int | None, end: int) -> datetime:
        return service.slot_span(event, slot or 0, times=grid.times)[end]

    meetings = [
        MeetingOut(
            request_id=c.request.id,
            slot=c.request.slot or 0,
            day=event.day_of(c.request.slot or 0)[0],
            table=None if c.request.table_no is None else c.request.table_no + 1,
            online=c.request.online,
            starts=moment(c.request.slot, 0),
            ends=moment(c.request.slot, 1),
            requester_id=c.request.requester_id,
            recipient_id=c.request.recipient_id,
            requester=c.request.requester.organisation.name_ru,
            recipient=c.request.recipient.organisation.name_ru,
            interpreter=c.interpreter,
        )
        for c in grid.cells
    ]
    manager = can_manage_event(user, grid.event)
    return ScheduleOut(
        event_id=event_id,
        slots=event.n_slots,
        tables=event.max_tables,
        days=[MeetingDayOut.of(d, s) for d, s in zip(event.days, event.day_starts, strict=True)],
        meetings=meetings,
        waiting=[r.id for r in grid.waiting] if manager else [],
        info=grid.info if manager else {},
    )


@router.post("/events/{event_id}/schedule", dependencies=WRITE, responses=WRITE_ERRORS)
def solve(
    session: DbSession, user: RequiredUser, event_id: EventId, data: SolveIn
) -> dict[str, object]:
    """Schedule the accepted requests from scratch (organisers); returns the run's summary."""
    return scheduling.solve_for(session, user, event_id, data.time_limit, data.seed)


@router.post("/events/{event_id}/schedule/waiting", dependencies=WRITE, responses=WRITE_ERRORS)
def place_waiting(session: DbSession, user: RequiredUser, event_id: EventId) -> dict[str, object]:
    """Give free slots to accepted requests not yet scheduled, moving no scheduled meeting
    (organisers); returns the run's summary."""
    return scheduling.place_waiting(session, user, event_id)


def _agenda_of(
    session: Session, user: User | None, event_id: int, participant_id: int, lang: str = "ru"
) -> tuple[Participant, list[agenda.AgendaItem]]:
    participant = service.get_participant(session, user, event_id, participant_id)
    if not may_read_agenda(user, participant):
        message = N_("an agenda is for its organisation and the event's organisers")
        raise Forbidden(message) if user is not None else NotAuthenticated(message)
    checkin.ensure_token(session, participant)  # its agenda carries the check-in code
    contacts = may_read_meeting_contacts(user, participant)
    return participant, agenda.agenda_items(session, participant, lang, contacts)


AGENDA_ERRORS = errors(401, 403, 404, 422)


@router.get("/events/{event_id}/participants/{participant_id}/agenda", responses=AGENDA_ERRORS)
def agenda_json(
    session: DbSession, user: CurrentUser, event_id: EventId, participant_id: ParticipantId
) -> AgendaOut:
    """A participant's agenda: its meetings and site visits in time order (its organisation's
    members, the organisers, coordinators and administrators)."""
    participant, items = _agenda_of(session, user, event_id, participant_id)
    return AgendaOut(
        event_id=event_id,
        participant_id=participant.id,
        organisation=participant.organisation.name_ru,
        items=[
            AgendaItemOut(
                kind=i.kind,
                slot=i.slot,
                day=i.day,
                starts=i.starts,
                ends=i.ends,
                table=i.table,
                title=i.title,
                with_organisation=i.with_organisation,
                with_people=i.with_people,
                contact_person=i.contact_person,
                contact_phone=i.contact_phone,
                online=i.online,
                meeting_url=i.meeting_url,
                interpreter=i.interpreter,
            )
            for i in items
        ],
    )


PDF = {200: {"content": {"application/pdf": {}}, "description": "PDF"}, **AGENDA_ERRORS}
ICS = {200: {"content": {"text/calendar": {}}, "description": "iCalendar"}, **AGENDA_ERRORS}


@router.get(
    "/events/{event_id}/participants/{participant_id}/agenda.pdf",
    response_class=Response,
    responses=PDF,
)
def agenda_pdf(
    session: DbSession,
    user: CurrentUser,
    event_id: EventId,
    participant_id: ParticipantId,
    lang: Lang = "ru",
) -> Response:
    """A participant's agenda as PDF in Russian, Kazakh or English."""
    participant, items = _agenda_of(session, user, event_id, participant_id, lang)
    content = agenda.agenda_pdf(participant.event, participant, items, lang)
    name = f"agenda-{event_id}-{participant_id}-{lang}.pdf"
    return _file(content, "application/pdf", name)


@router.get(
    "/events/{event_id}/participants/{participant_id}/agenda.ics",
    response_class=Response,
    responses=ICS,
)
def agenda_ics(
    session: DbSession,
    user: CurrentUser,
    event_id: EventId,
    participant_id: ParticipantId,
    lang: IcsLang = "ru",
) -> Response:
    """A participant's agenda as an iCalendar file in Russian, Kazakh or English."""
    participant, items = _agenda_of(session, user, event_id, participant_id, lang)
    content = agenda.agenda_ics(participant.event, participant, items, lang)
    name = f"agenda-{event_id}-{participant_id}-{lang}.ics"
    return _file(content, "text/calendar; charset=utf-8", name)


@router.get(
    "/events/{event_id}/table-plan.pdf",
    response_class=Response,
    responses={**PDF, **errors(403)},
)
def table_plan(
    session: DbSession, user: CurrentUser, event_id: EventId, lang: Lang = "ru"
) -> Response:
    """The organisers' table plan as PDF (organisers only)."""
    grid = scheduling.grid(session, user, event_id)
    if not can_manage_event(user, grid.event):
        raise Forbidden(N_("the table plan is for the organisers"))
    return _file(agenda.table_plan_pdf(grid, lang), "application/pdf", f"tables-{event_id}.pdf")


def _file(content: bytes, media_type: str, name: str) -> Response:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
