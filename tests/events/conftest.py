"""A small B2B day for the events tests: ВКО hosts, СКО visits, a coordinator organises."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.events import service
from seriktes.events.models import Event, EventStatus, Participant
from seriktes.events.schemas import EventIn, ParticipantIn
from seriktes.registry.models import Organisation
from tests.webkit import make_org, make_user

VKO, SKO = "630000000", "590000000"


@dataclass
class Day:
    """An event with `buyers` (ВКО) and `producers` (СКО) taking part."""

    session: Session
    organiser: User
    event: Event
    buyers: list[Participant] = field(default_factory=list)
    producers: list[Participant] = field(default_factory=list)

    def join(self, org: Organisation, **fields: object) -> Participant:
        """Add an organisation as a participant."""
        data = ParticipantIn.model_validate({"organisation_id": org.id, **fields})
        return service.add_participant(self.session, self.organiser, self.event.id, data)


def event_in(**fields: object) -> EventIn:
    """An event of ВКО and СКО on a future day: 3 morning and 3 afternoon slots, 2 tables."""
    values: dict[str, object] = {
        "title": "Дни Северо-Казахстанской области в ВКО",
        "host_region": VKO,
        "guest_region": SKO,
        "venue": "Усть-Каменогорск, Дом дружбы",
        "starts_on": date(2099, 5, 14),
        "ends_on": date(2099, 5, 15),
        "meetings_on": date(2099, 5, 14),
        "morning_slots": 3,
        "afternoon_slots": 3,
        "tables": 2,
        "status": EventStatus.PUBLISHED,
        **fields,
    }
    return EventIn.model_validate(values)


@pytest.fixture
def day(db_session: Session) -> Day:
    """The event with two buyers of ВКО and three producers of СКО."""
    organiser = make_user(db_session, Role.COORDINATOR, kato=VKO)
    event = service.create_event(db_session, organiser, event_in())
    result = Day(db_session, organiser, event)
    for n in range(2):
        org = make_org(db_session, VKO, f"АО «Покупатель {n}»")
        result.buyers.append(result.join(org, representatives=f"Иванов {n}", languages=["ru"]))
    for n in range(3):
        org = make_org(db_session, SKO, f"ТОО «Производитель {n}»")
        result.producers.append(result.join(org, languages=["ru", "kk"]))
    return result
