"""HTML pages of an event's meeting requests: the list with its filters (state, direction,
participant, topic text), and the request form — a topic (pre-filled from the best match)
and a message, offering only participants not yet asked; every refusal comes back on the
form next to its field, in the page's language, with what was typed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from seriktes.accounts.models import User
from seriktes.events import requests, service
from seriktes.events.models import Event, Participant, RequestState
from seriktes.events.policy import acts_for_participant
from seriktes.events.schemas import TOPIC_LENGTH, RequestIn
from seriktes.http.auth import RequiredUser
from seriktes.http.deps import DbSession, Language
from seriktes.kit import clock
from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import ErrorItem, Message, SeriktesError, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.values import parse_id
from seriktes.web.forms import Form, form_id
from seriktes.web.views.events import CSRF, DONE, back_to_event, event_page, validated

router = APIRouter()

REQUEST_FIELDS = ("requester_id", "recipient_id", "topic", "note")
DIRECTIONS = {"incoming": N_("Incoming"), "outgoing": N_("Outgoing")}
ENTER_TOPIC = N_("Enter what you want to discuss.")
NOBODY_LEFT = N_("Every participant of the other region has been asked already.")


@router.get("/events/{event_id}/requests", response_class=HTMLResponse)
def event_requests(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    event_id: int,
    done: str | None = None,
    n: int | None = None,
    state: Annotated[str | None, Query(max_length=20)] = None,
    direction: Annotated[str | None, Query(max_length=20)] = None,
    participant: Annotated[str | None, Query(max_length=12)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    """Meeting requests: all for organisers, your organisation's for members, filtered by
    state, direction, participant and topic text; answer forms where you may answer."""
    event = service.get_event(session, user, event_id)
    found = requests.visible_requests(session, user, event_id)
    now = clock.now()
    mine = requests.own_participants(user, found)
    filters = requests.RequestFilters(
        state=next((s for s in RequestState if s.value == state), None),
        direction=direction if direction in DIRECTIONS and mine else None,
        participant_id=parse_id(participant or ""),
        q=(q or "").strip() or None,
    )
    counts: dict[str, int] = {}
    for r in found:
        key = requests.state_of(r, now).value
        counts[key] = counts.get(key, 0) + 1
    shown = requests.filter_requests(found, filters, mine, now)
    rows = [
        (
            r,
            requests.state_of(r, now),
            requests.needs_interpreter(r),
            requests.state_of(r, now) is RequestState.REQUESTED
            and acts_for_participant(user, r.recipient),
        )
        for r in shown
    ]
    sides = {p.id: p for r in found for p in (r.requester, r.recipient)}
    return event_page(
        request,
        lang,
        "events_requests.html",
        event,
        rows=rows,
        counts=counts,
        total=len(found),
        filters=filters,
        directions=DIRECTIONS if mine else {},
        among=sorted(sides.values(), key=lambda p: p.organisation.name_ru),
        done=done if done in DONE else None,
        n=n,
    )


@router.get("/events/{event_id}/requests/new", response_class=HTMLResponse)
def request_new(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    event_id: int,
    requester: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    recipient: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    topic: Annotated[str | None, Query(max_length=TOPIC_LENGTH)] = None,
) -> HTMLResponse:
    """The request form, for a participant you act for (`requester`, else your first);
    with `recipient` (from the catalogue), the topic comes from the two sides' best match."""
    event = service.get_event(session, user, event_id)
    values = {"requester_id": str(requester or ""), "recipient_id": str(recipient or "")}
    if topic:
        values["topic"] = topic
    return _request_form(request, session, lang, user, event, values, {})


@router.post("/events/{event_id}/requests/new", response_model=None, dependencies=CSRF)
def ask(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    event_id: int,
    form: Form,
) -> HTMLResponse | RedirectResponse:
    """Ask for a meeting on behalf of a participant you act for; a refusal comes back on the
    form with its reason next to the field (the requests list when sent)."""
    values = {name: form.get(name, "") for name in REQUEST_FIELDS}
    try:
        ids = {name: form_id(form, name) for name in ("requester_id", "recipient_id")}
        topic = values["topic"].strip()
        if "topic" in form and not topic and not _default_topic(session, user, event_id, ids):
            raise ValidationFailed(ENTER_TOPIC, [ErrorItem(("form", "topic"), ENTER_TOPIC)])
        data = validated(RequestIn, {**ids, "topic": topic or None,
                                     "note": values["note"].strip() or None})  # fmt: skip
        requests.create_request(session, user, event_id, data)
    except SeriktesError as exc:
        event = service.get_event(session, user, event_id)
        errors = located(exc)
        return _request_form(request, session, lang, user, event, values, errors,
                             exc.status_code)  # fmt: skip
    return back_to_event(event_id, "/requests", done="requested")


def _default_topic(session: Any, user: User, event_id: int, ids: dict[str, int]) -> str | None:
    """The topic the service would give a request between the two, if they are valid."""
    try:
        first = service.get_participant(session, user, event_id, ids["requester_id"])
        second = service.get_participant(session, user, event_id, ids["recipient_id"])
    except SeriktesError:
        return "-"  # the service refuses them with its own reason
    return requests.default_topic(session, first, second)


def located(exc: SeriktesError) -> dict[str, Any]:
    """A refusal as the form shows it: each located problem at its field (a form's field
    name, or a JSON body's: requester_id, recipient_id, topic, note), the rest above the
    form — each a `Message` shown in the page's language."""
    errors: dict[str, Any] = {}
    whole = Message(exc.template, exc.params)
    for item in exc.errors:
        field = str(item.loc[-1]) if item.loc else ""
        if field not in REQUEST_FIELDS:
            field = ""
        short = " " not in item.template  # a code such as «same»: the error says more
        errors.setdefault(field, whole if short else Message(item.template, item.params))
    if not errors:
        field = str(exc.params.get("field", ""))  # «you may not act for … (requester_id)»
        errors[field if field in REQUEST_FIELDS else ""] = whole
    return errors


def _request_form(
    request: Request,
    session: DbSession,
    lang: str,
    user: User,
    event: Event,
    values: dict[str, str],
    errors: dict[str, Any],
    status: int = 200,
) -> HTMLResponse:
    everyone = service.participants(session, user, event.id)
    mine = [p for p in service.my_participants(user, everyone) if p.status.value == "active"]
    chosen = parse_id(values.get("requester_id", ""))
    requester = next((p for p in mine if p.id == chosen), mine[0] if mine else None)
    partners: list[Participant] = (
        requests.askable(session, event, requester) if requester is not None else []
    )
    wanted = parse_id(values.get("recipient_id", ""))
    recipient = next((p for p in partners if p.id == wanted), None)
    if recipient is None and wanted is not None:  # asked already, or cancelled: still shown
        recipient = next((p for p in everyone if p.id == wanted), None)
        if recipient is not None and errors == {} and requester is not None:
            errors = {"recipient_id": _why_not(session, user, event, requester, recipient)}
            status = 409
    if requester is not None and recipient is not None and not values.get("topic"):
        values["topic"] = requests.default_topic(session, requester, recipient) or ""
    if requester is not None and not partners and not errors:
        errors = {"": NOBODY_LEFT}
    return event_page(
        request,
        lang,
        "events_request_new.html",
        event,
        status=status,
        values=values,
        errors=errors,
        mine=mine,
        requester=requester,
        partners=partners,
        recipient=recipient,
        topic_length=TOPIC_LENGTH,
    )


def _why_not(
    session: DbSession, user: User, event: Event, requester: Participant, recipient: Participant
) -> Message:
    """Why `requester` may not ask `recipient` now, in the service's words."""
    try:
        requests.check_request(session, event, requester, recipient)
    except SeriktesError as exc:
        return Message(exc.template, exc.params)
    return Message(NOBODY_LEFT)
