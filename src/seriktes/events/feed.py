"""A user's calendar feed: the meetings and site visits of their organisation in every event
that is not a draft, as one iCalendar, always current (read on each request)."""

from __future__ import annotations

from icalendar import Calendar
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.events import repository
from seriktes.events.agenda import agenda_ics, agenda_items

REFRESH = "PT1H"  # how often calendar programs should read the feed again


def feed_ics(session: Session, user: User) -> bytes:
    """The user's organisation's agendas across events, in the user's language."""
    lang = user.language if user.language in ("ru", "kk", "en") else "ru"
    calendar = Calendar()
    calendar.add("prodid", f"-//Seriktes//B2B calendar//{lang.upper()}")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Seriktes")
    calendar.add("refresh-interval;value=duration", REFRESH)
    calendar.add("x-published-ttl", REFRESH)
    if user.organisation_id is not None:
        for participant in repository.participations(session, user.organisation_id):
            items = agenda_items(session, participant, lang)
            one = Calendar.from_ical(agenda_ics(participant.event, participant, items, lang))
            for component in one.walk("VEVENT"):
                calendar.add_component(component)
    return bytes(calendar.to_ical())
