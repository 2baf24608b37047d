"""HTML forms of an event's participants: adding them (organisers) or taking part
(members), their availability, withdrawals and no-shows, site visits and sign-ups."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from seriktes.events import scheduling, service
from seriktes.events.models import Event
from seriktes.events.schemas import ParticipantChanges, ParticipantIn, RegistrationIn, VisitIn
from seriktes.http.auth import RequiredUser
from seriktes.http.deps import DbSession, Language
from seriktes.kit.errors import Conflict, ErrorItem, Message, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.values import is_digits
from seriktes.web.forms import Form, form_errors, form_id
from seriktes.web.listing import blank
from seriktes.web.orgpick import Picked, pick
from seriktes.web.views.events import CSRF, back_to_event, event_page, validated

router = APIRouter()


@router.post("/events/{event_id}/visits/{visit_id}/signup", dependencies=CSRF)
def sign_up(
    session: DbSession, user: RequiredUser, event_id: int, visit_id: int, form: Form
) -> RedirectResponse:
    """Sign a participant you act for up for a site visit."""
    service.sign_up(session, user, event_id, visit_id, form_id(form, "participant_id"))
    return back_to_event(event_id, done="signed")


@router.post("/events/{event_id}/participants/{participant_id}/cancel", dependencies=CSRF)
def cancel(
    session: DbSession, user: RequiredUser, event_id: int, participant_id: int, form: Form
) -> RedirectResponse:
    """Cancel a participant (or mark a no-show) and give its slots to waiting requests."""
    scheduling.cancel_participant(
        session, user, event_id, participant_id, no_show=form.get("no_show") == "1"
    )
    return back_to_event(event_id, "/schedule", done="cancelled")


@router.get("/events/{event_id}/participants/new", response_class=HTMLResponse)
def participant_new(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, event_id: int
) -> HTMLResponse:
    """The form adding a participant, found by name, BIN or product (organisers); the page a
    search without JavaScript comes back to with its matches."""
    event = service.managed_event(session, user, event_id)
    return _participant_form(request, lang, event, {}, Picked(), {})


@router.post("/events/{event_id}/participants/new", response_model=None, dependencies=CSRF)
def participant_add(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    event_id: int,
    form: Form,
) -> HTMLResponse | RedirectResponse:
    """Register an organisation as a participant (organisers): the one chosen in the picker,
    or found by the BIN or the words typed; several matches come back to choose from."""
    event = service.managed_event(session, user, event_id)
    values = dict(form)
    if "organisation" not in values and "bin" in values:  # the BIN field of before
        values["organisation"] = values["bin"]
    regions = [event.host_region.kato, event.guest_region.kato]
    picked = pick(session, values, "organisation", regions=regions)
    try:
        org = picked.required("organisation")
        values_in = {**_availability(form, event), **_targets(form), "organisation_id": org.id}
        data = validated(ParticipantIn, {**values_in, "priority": form.get("priority") or 0})
        service.add_participant(session, user, event_id, data)
    except (ValidationFailed, Conflict) as exc:
        errors: dict[str, Any] = form_errors(exc) if isinstance(exc, ValidationFailed) else {}
        if isinstance(exc, Conflict) or "organisation_id" in errors:
            why = errors.pop("organisation_id", None) or Message(exc.template, exc.params)
            errors = {"organisation": why}
        return _participant_form(request, lang, event, values, picked, errors)
    return back_to_event(event_id, done="added")


def _participant_form(
    request: Request,
    lang: str,
    event: Event,
    values: dict[str, str],
    picked: Picked,
    errors: dict[str, Any],
) -> HTMLResponse:
    return event_page(
        request,
        lang,
        "events_participant_new.html",
        event,
        status=422 if errors else 200,
        values=values,
        errors=errors,
        choices=picked.choices,
        regions=[event.host_region.kato, event.guest_region.kato],
        times=service.slot_times(event),
    )


def _availability(form: dict[str, str], event: Event) -> dict[str, Any]:
    """Representatives, contacts, online, languages, session wish and blocked slots
    (`slot_<n>` boxes, and every slot of a day whose `attend_<n>` box is off) of a
    participant's form."""
    languages = [lang for lang in ("ru", "kk", "en") if form.get(f"lang_{lang}")]
    boxes = [key for key in form if key.startswith("slot_")]
    odd = next((key for key in boxes if not is_digits(key[5:]) or len(key) > 8), None)
    if odd is not None:  # a box the form never has: «slot_²», «slot_٣»
        detail = N_("Choose one of the options.")
        raise ValidationFailed(detail, [ErrorItem(("form", odd), detail)])
    blocked = {int(key[5:]) for key in boxes}
    for n, (first, day) in enumerate(zip(event.day_starts, event.days, strict=True)):
        slots = set(range(first, first + day.n_slots))
        if f"day_{n}" not in form or len(event.days) == 1:
            continue  # a form of before several days, or the one day: its boxes say it all
        if not form.get(f"attend_{n}"):
            blocked |= slots
        elif slots <= blocked:  # attends again a day it had all busy
            blocked -= slots
    return {
        "representatives": form.get("representatives", ""),
        "contact_person": blank(form.get("contact_person")),
        "contact_phone": blank(form.get("contact_phone")),
        "online": bool(form.get("online")),
        "languages": languages or ["ru"],
        "session_wish": form.get("session_wish") or "any",
        "blocked_slots": sorted(blocked),
    }


def _targets(form: dict[str, str]) -> dict[str, Any]:
    """The meeting targets of an organiser's participant form (blank: none)."""
    return {name: blank(form.get(name)) for name in ("min_meetings", "max_meetings")}


@router.post("/events/{event_id}/register", dependencies=CSRF)
def register(session: DbSession, user: RequiredUser, event_id: int, form: Form) -> RedirectResponse:
    """A member registers their own organisation for the event ("Take part")."""
    event = service.get_event(session, user, event_id)
    data = validated(RegistrationIn, _availability(form, event))
    service.register_own(session, user, event_id, data)
    return back_to_event(event_id, done="joined")


@router.post(
    "/events/{event_id}/participants/{participant_id}/availability",
    response_model=None,
    dependencies=CSRF,
)
def availability(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    event_id: int,
    participant_id: int,
    form: Form,
) -> HTMLResponse | RedirectResponse:
    """Change a participant's availability; organisers also set the priority and may send
    conflicting meetings back to waiting. Meetings in the way are listed on a page."""
    event = service.get_event(session, user, event_id)
    values = _availability(form, event)
    if "priority" in form:
        values["priority"] = form.get("priority") or 0
    if "min_meetings" in form or "max_meetings" in form:
        values.update(_targets(form))
    if form.get("unschedule") == "1":
        values["unschedule_conflicts"] = True
    changes = validated(ParticipantChanges, values)
    try:
        done = scheduling.change_availability(session, user, event_id, participant_id, changes)
    except Conflict:
        participant = service.get_participant(session, user, event_id, participant_id)
        clashes = scheduling.clashing_meetings(session, participant, changes)
        if not clashes:
            raise
        return event_page(
            request,
            lang,
            "events_conflict.html",
            participant.event,
            status=409,
            participant=participant,
            clashes=clashes,
            times=service.slot_times(participant.event),
        )
    if done.unscheduled:
        return back_to_event(event_id, done="unscheduled", n=len(done.unscheduled))
    return back_to_event(event_id, done="availability")


@router.post("/events/{event_id}/visits/new", dependencies=CSRF)
def visit_add(
    session: DbSession, user: RequiredUser, event_id: int, form: Form
) -> RedirectResponse:
    """Add a site visit (organisers)."""
    data = validated(
        VisitIn,
        {
            "title": form.get("title", ""),
            "kind": form.get("kind") or "plant",
            "address": blank(form.get("address")),
            "capacity": form.get("capacity") or 0,
            "travel_minutes": form.get("travel_minutes") or 0,
            "first_slot": form.get("first_slot") or 0,
            "slot_count": form.get("slot_count") or 1,
        },
    )
    service.add_visit(session, user, event_id, data)
    return back_to_event(event_id, done="visit")
