"""The scene of the events API tests: a published event hosted by ВКО (the API world's owner
organisation's region) with Павлодар as guest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.events import requests, service
from seriktes.events.models import Event, EventStatus, MeetingRequest, Participant, SiteVisit
from seriktes.events.schemas import EventIn, ParticipantIn, RequestIn, VisitIn
from tests.api.conftest import VKO, World
from tests.webkit import make_org, make_user

PAVLODAR = "550000000"


@dataclass(frozen=True)
class Scene:
    """An event with the owner (ВКО) and a Павлодар firm taking part."""

    event: Event
    owner: Participant  # the API world's owner organisation
    guest: Participant
    asked: MeetingRequest  # guest → owner, awaiting the owner's answer
    visit: SiteVisit
    spare_org_id: int  # a ВКО organisation not yet taking part


def published_event(
    db_session: Session, organiser: User, ends_on: date = date(2099, 6, 1)
) -> Event:
    """A published ВКО–Павлодар day on 1 June 2099: meetings that day, 3 + 3 slots, 2 tables."""
    return service.create_event(
        db_session,
        organiser,
        EventIn(
            title="Дни Павлодарской области в ВКО",
            host_region=VKO,
            guest_region=PAVLODAR,
            starts_on=date(2099, 6, 1),
            ends_on=ends_on,
            meetings_on=date(2099, 6, 1),
            morning_slots=3,
            afternoon_slots=3,
            tables=2,
            status=EventStatus.PUBLISHED,
        ),
    )


def make_scene(world: World, db_session: Session) -> Scene:
    """The event, its two participants, a request awaiting the owner's answer, a visit."""
    organiser = make_user(db_session, Role.ADMIN)
    event = published_event(db_session, organiser, ends_on=date(2099, 6, 2))
    owner = service.add_participant(
        db_session, organiser, event.id, ParticipantIn(organisation_id=world.owner.id)
    )
    guest_org = make_org(db_session, PAVLODAR, "ТОО «Павлодар Машзавод»")
    guest = service.add_participant(
        db_session, organiser, event.id, ParticipantIn(organisation_id=guest_org.id)
    )
    asked = requests.create_request(
        db_session, organiser, event.id, RequestIn(requester_id=guest.id, recipient_id=owner.id)
    )
    visit = service.add_visit(
        db_session, organiser, event.id, VisitIn(title="ТЭЦ", capacity=5, first_slot=3)
    )
    spare = make_org(db_session, VKO, "ТОО «Запасной»")
    return Scene(event, owner, guest, asked, visit, spare.id)
