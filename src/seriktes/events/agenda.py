"""Outputs of a schedule: personal agendas (data; PDF and iCalendar in Russian, Kazakh or
English) and the organisers' table plan (PDF).

PDFs are documents of `kit.documents` (HTML laid out by WeasyPrint: Pango sets Cyrillic and
Kazakh letters in the DejaVu fonts of the system); their texts, and the iCalendar's, are
English message ids translated by the catalogues (`locales/<lang>/agenda.po`), so the CLI,
the API and the pages produce the same files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.events import repository
from seriktes.events.checkin import checkin_code
from seriktes.events.models import Event, MeetingRequest, MeetingStatus, Participant
from seriktes.events.policy import may_read_agenda, may_read_meeting_contacts
from seriktes.events.requests import needs_interpreter
from seriktes.events.scheduling import Grid
from seriktes.events.service import get_participant, slot_span, slot_times, visit_blocked_slots
from seriktes.kit import documents
from seriktes.kit.errors import Forbidden, NotAuthenticated
from seriktes.kit.i18n import N_, translate

PDF_LANGUAGES = ("ru", "kk", "en")
Translate = Callable[[str], str]


@dataclass(frozen=True)
class AgendaItem:
    """A meeting or a site visit in a participant's day."""

    kind: str  # "meeting" or "visit"
    slot: int
    last_slot: int
    day: int  # 0-based meeting day
    starts: datetime
    ends: datetime
    table: int | None  # 1-based
    title: str  # the meeting's topic: the request's, else its need's or offer's title
    with_organisation: str | None
    with_people: str | None
    interpreter: bool
    uid: str
    contact_person: str | None = None  # the other side's, when the reader may see it
    contact_phone: str | None = None
    online: bool = False
    meeting_url: str | None = None


def contact_of(participant: Participant) -> tuple[str | None, str | None]:
    """Whom the other side meets and their phone: the participant's own contact for the day,
    else its organisation's."""
    org = participant.organisation
    person = participant.contact_person or org.contact_person
    phone = participant.contact_phone or org.phone
    return person or None, phone or None


def topic_of(request: MeetingRequest) -> str:
    """What a meeting is about: the requester's topic, else its need's or offer's title."""
    if request.topic:
        return request.topic
    return request.need.title if request.need else (request.offer.title if request.offer else "")


def agenda_items(
    session: Session, participant: Participant, lang: str = "ru", contacts: bool = True
) -> list[AgendaItem]:
    """The scheduled meetings and site visits of a participant over the meeting days, in
    time order (organisation names in Kazakh for `lang` kk when they have one); the other
    sides' contact persons and phones only with `contacts` (see
    `policy.may_read_meeting_contacts`)."""
    event = participant.event
    times = slot_times(event)
    items = []
    for request in repository.requests(session, event.id, [participant.id]):
        if request.meeting_status is not MeetingStatus.SCHEDULED or request.slot is None:
            continue
        if request.slot >= event.n_slots:
            continue
        other = request.recipient if request.requester_id == participant.id else request.requester
        starts, ends = slot_span(event, request.slot, times=times)
        person, phone = contact_of(other) if contacts else (None, None)
        items.append(
            AgendaItem(
                kind="meeting",
                slot=request.slot,
                last_slot=request.slot,
                day=event.day_of(request.slot)[0],
                starts=starts,
                ends=ends,
                table=None if request.table_no is None else request.table_no + 1,
                title=topic_of(request),
                with_organisation=_name(other.organisation, lang),
                with_people=other.representatives or None,
                interpreter=needs_interpreter(request),
                uid=f"seriktes-meeting-{request.id}",
                contact_person=person,
                contact_phone=phone,
                online=request.online,
                meeting_url=request.meeting_url if request.online else None,
            )
        )
    for signup in repository.signups(session, event.id):
        if signup.participant_id != participant.id:
            continue
        visit = signup.visit
        blocked = sorted(visit_blocked_slots(event, visit))
        first, last = blocked[0], blocked[-1]
        starts, ends = slot_span(event, first, last, times)
        items.append(
            AgendaItem(
                kind="visit",
                slot=first,
                last_slot=last,
                day=event.day_of(first)[0],
                starts=starts,
                ends=ends,
                table=None,
                title=visit.title,
                with_organisation=_name(visit.organisation, lang) if visit.organisation else None,
                with_people=visit.address,
                interpreter=False,
                uid=f"seriktes-visit-{visit.id}-{participant.id}",
            )
        )
    return sorted(items, key=lambda item: (item.slot, item.kind))


def local_clock(event: Event, moment: datetime) -> str:
    """A moment as HH:MM in the event's time zone."""
    return _local(event, moment)


def _local(event: Event, moment: datetime) -> str:
    from zoneinfo import ZoneInfo

    try:
        return moment.astimezone(ZoneInfo(event.timezone)).strftime("%H:%M")
    except (KeyError, ValueError):
        return moment.strftime("%H:%M")


def _language(lang: str) -> str:
    return lang if lang in PDF_LANGUAGES else "ru"


def _pdf(template: str, lang: str, **context: Any) -> bytes:
    html = documents.render_html(f"events/{template}", _language(lang), **context)
    return documents.pdf(html)


def _name(org: Any, lang: str) -> str:
    return str(org.name_kk if lang == "kk" and org.name_kk else org.name_ru)


def agenda_pdf(
    event: Event, participant: Participant, items: list[AgendaItem], lang: str = "ru"
) -> bytes:
    """A participant's agenda as a one-page PDF in `lang` (ru, kk or en)."""
    region = event.host_region.name(lang)
    return _pdf(
        "agenda.html",
        lang,
        event=event,
        region=region,
        organisation=_name(participant.organisation, lang),
        participant=participant,
        days=_by_day(event, items),
        clock=lambda moment: _local(event, moment),
        checkin=checkin_code(participant),
    )


def _by_day(event: Event, items: list[AgendaItem]) -> list[tuple[Any, list[AgendaItem]]]:
    """The agenda's items under each meeting day's date (days without items left out)."""
    return [
        (day.meets_on, [item for item in items if item.day == n])
        for n, day in enumerate(event.days)
        if any(item.day == n for item in items)
    ]


def table_plan_pdf(plan: Grid, lang: str = "ru") -> bytes:
    """The organisers' table plan: a row per slot, a column per table, interpreters marked."""
    return _pdf("table_plan.html", lang, grid=plan, event=plan.event)


def agenda_ics(
    event: Event, participant: Participant, items: list[AgendaItem], lang: str = "ru"
) -> bytes:
    """A participant's agenda as an iCalendar file in `lang` (ru, kk or en): times in UTC,
    one calendar event per item."""
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    lang = _language(lang)
    _ = partial(translate, lang)
    calendar = Calendar()
    calendar.add("prodid", f"-//Seriktes//B2B agenda//{lang.upper()}")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{event.title}: {_name(participant.organisation, lang)}")
    stamp = max((item.starts for item in items), default=None)
    for item in items:
        entry = CalendarEvent()
        entry.add("uid", f"{item.uid}@seriktes")
        entry.add("dtstamp", stamp or item.starts)
        entry.add("dtstart", item.starts)
        entry.add("dtend", item.ends)
        entry.add("summary", _summary(item, _))
        if item.meeting_url:
            entry.add("url", item.meeting_url)
        where = _where(event, item, _)
        if where:
            entry.add("location", where)
        details = _details(item, _)
        if details:
            entry.add("description", "\n".join(details))
        calendar.add_component(entry)
    return bytes(calendar.to_ical())


def _summary(item: AgendaItem, _: Translate) -> str:
    if item.kind == "meeting":
        return _("B2B meeting: {org}").format(org=item.with_organisation or "")
    return _("Site visit: {title}").format(title=item.title)


def _where(event: Event, item: AgendaItem, _: Translate) -> str:
    if item.kind != "meeting":
        return item.with_people or ""
    if item.online and not item.table:
        return item.meeting_url or ""
    table = f"{_('Table').lower()} {item.table}" if item.table else ""
    return ", ".join(part for part in (event.venue or "", table) if part)


def _details(item: AgendaItem, _: Translate) -> list[str]:
    details = []
    if item.kind == "meeting" and item.title:
        details.append(f"{_('Topic')}: {item.title}")
    if item.kind == "meeting" and item.with_people:
        details.append(f"{_('Representatives')}: {item.with_people}")
    if item.contact_person or item.contact_phone:
        contact = ", ".join(p for p in (item.contact_person, item.contact_phone) if p)
        details.append(f"{_('Contact')}: {contact}")
    if item.online and item.meeting_url:
        details.append(f"{_('Online meeting')}: {item.meeting_url}")
    if item.kind == "visit" and item.with_organisation:
        details.append(item.with_organisation)
    if item.interpreter:
        details.append(_("interpreter needed").capitalize())
    return details


def readable_agenda(
    session: Session, user: User | None, event_id: int, participant_id: int, lang: str = "ru"
) -> tuple[Participant, list[AgendaItem]]:
    """A participant's agenda as `user` may read it (`policy.may_read_agenda`), the other
    sides' contacts only for the meeting's sides and organisers; Forbidden (or
    NotAuthenticated for the public) otherwise."""
    participant = get_participant(session, user, event_id, participant_id)
    if not may_read_agenda(user, participant):
        message = N_("an agenda is for its organisation and the event's organisers")
        raise Forbidden(message) if user is not None else NotAuthenticated(message)
    contacts = may_read_meeting_contacts(user, participant)
    return participant, agenda_items(session, participant, lang, contacts)
