"""events.policy as tables: who organises, reads and takes part in a B2B day (rows: the users
of tests.policykit). The event is hosted by HOME (the coordinator's region, where the
member's organisation is) and visited by PARTNER; OTHER has no part in it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.events import policy
from seriktes.events.models import Event, EventStatus, MeetingDay, MeetingRequest, Participant
from seriktes.kit.errors import Conflict, Forbidden
from seriktes.registry.models import Organisation
from tests.policykit import (
    HOME,
    OTHER,
    OTHER_ORG,
    OWN_ORG,
    PARTNER,
    PARTNER_ORG,
    USERS,
    grid,
    organisation,
    region,
    user,
)
from tests.webkit import make_org
from tests.webkit import region as stored_region

T, F = True, False


def event(status: EventStatus = EventStatus.PUBLISHED) -> Event:
    """HOME hosts, PARTNER visits."""
    return Event(id=1, host_region=region(HOME), guest_region=region(PARTNER), status=status)


def participant(day: Event, org_id: int) -> Participant:
    """An organisation of the cast taking part in `day`."""
    return Participant(event=day, organisation_id=org_id, organisation=organisation(org_id))


@grid(
    ("creates events",),
    {
        "anonymous": (F,),
        "admin": (T,),
        "inactive admin": (F,),
        "coordinator": (T,),
        "partner coordinator": (T,),
        "other coordinator": (T,),  # of their own region only: the service checks
        "coordinator without region": (F,),
        "inactive coordinator": (F,),
        "member": (F,),
        "partner member": (F,),
        "other member": (F,),
        "member without organisation": (F,),
        "inactive member": (F,),
    },
)
def test_who_creates_events(who: str, column: str, expected: bool) -> None:
    assert policy.can_organise_events(user(who)) is expected


EVENT_ACTIONS = (
    "manages",
    "sets priorities",
    "reads draft",
    "reads published",
    "reads closed",
    "registers for draft",
    "registers for published",
)


def _event_rule(column: str, reader: User | None) -> bool:
    if column in ("manages", "sets priorities"):
        rule = policy.can_manage_event if column == "manages" else policy.can_set_priority
        return rule(reader, event())
    status = EventStatus(column.rsplit(maxsplit=1)[-1])
    if column.startswith("reads"):
        return policy.can_read_event(reader, event(status))
    return policy.can_register_for(reader, event(status))


@grid(
    EVENT_ACTIONS,
    {
        #                    manage prio  draft  publ  closed reg-draft reg-publ
        "anonymous": (F, F, F, T, T, F, F),
        "admin": (T, T, T, T, T, F, F),
        "inactive admin": (F, F, F, T, T, F, F),
        "coordinator": (T, T, T, T, T, F, F),
        "partner coordinator": (T, T, T, T, T, F, F),
        "other coordinator": (F, F, T, T, T, F, F),
        "coordinator without region": (F, F, T, T, T, F, F),
        "inactive coordinator": (F, F, F, T, T, F, F),
        "member": (F, F, F, T, T, F, T),
        "partner member": (F, F, F, T, T, F, T),
        "other member": (F, F, F, T, T, F, T),  # the region is checked on registering
        "member without organisation": (F, F, F, T, T, F, F),
        "inactive member": (F, F, F, T, T, F, F),
    },
)
def test_who_organises_and_reads_an_event(who: str, column: str, expected: bool) -> None:
    assert _event_rule(column, user(who)) is expected


PARTICIPANT_ACTIONS = {
    "acts for own": (policy.acts_for_participant, OWN_ORG),
    "acts for partner's": (policy.acts_for_participant, PARTNER_ORG),
    "reads own agenda": (policy.may_read_agenda, OWN_ORG),
    "reads partner's agenda": (policy.may_read_agenda, PARTNER_ORG),
}


@grid(
    tuple(PARTICIPANT_ACTIONS),
    {
        #                      acts own, partner's; agenda own, partner's
        "anonymous": (F, F, F, F),
        "admin": (T, T, T, T),
        "inactive admin": (F, F, F, F),
        "coordinator": (T, T, T, T),
        "partner coordinator": (T, T, T, T),
        "other coordinator": (F, F, T, T),
        "coordinator without region": (F, F, T, T),
        "inactive coordinator": (F, F, F, F),
        "member": (T, F, T, F),
        "partner member": (F, T, F, T),
        "other member": (F, F, F, F),
        "member without organisation": (F, F, F, F),
        "inactive member": (F, F, F, F),
    },
)
def test_who_acts_for_a_participant_and_reads_its_agenda(
    who: str, column: str, expected: bool
) -> None:
    rule, org_id = PARTICIPANT_ACTIONS[column]
    assert rule(user(who), participant(event(), org_id)) is expected


@grid(
    ("reads a request between own and partner's",),
    {
        "anonymous": (F,),
        "admin": (T,),
        "inactive admin": (F,),
        "coordinator": (T,),
        "partner coordinator": (T,),
        "other coordinator": (F,),  # reads the agendas, not the requests
        "coordinator without region": (F,),
        "inactive coordinator": (F,),
        "member": (T,),
        "partner member": (T,),
        "other member": (F,),
        "member without organisation": (F,),
        "inactive member": (F,),
    },
)
def test_who_reads_a_meeting_request(who: str, column: str, expected: bool) -> None:
    day = event()
    request = MeetingRequest(
        event=day, requester=participant(day, OWN_ORG), recipient=participant(day, PARTNER_ORG)
    )
    assert policy.can_read_request(user(who), request) is expected


# --- with the database: registration and the SQL condition ------------------------------


def _stored_event(session: Session, status: EventStatus) -> Event:
    stored = Event(
        title=f"День {status}",
        host_region=stored_region(session, HOME),
        guest_region=stored_region(session, PARTNER),
        starts_on=date(2099, 5, 14),
        ends_on=date(2099, 5, 15),
        days=[MeetingDay(meets_on=date(2099, 5, 14))],
        status=status,
        schedule_info={},
    )
    session.add(stored)
    session.flush()
    return stored


def _stored_reader(session: Session, who: str) -> User | None:
    """The cast's user, their organisation (if any) stored in its region."""
    reader = user(who)
    if reader is not None and reader.organisation_id is not None:
        kato = {OWN_ORG: HOME, PARTNER_ORG: PARTNER, OTHER_ORG: OTHER}[reader.organisation_id]
        reader.organisation_id = make_org(session, kato).id
    return reader


REGISTRATION = ("published", "draft", "closed", "published, already taking part")


@grid(
    REGISTRATION,
    {
        "anonymous": ("forbidden",) * 4,
        "admin": ("forbidden",) * 4,
        "inactive admin": ("forbidden",) * 4,
        "coordinator": ("forbidden",) * 4,
        "partner coordinator": ("forbidden",) * 4,
        "other coordinator": ("forbidden",) * 4,
        "coordinator without region": ("forbidden",) * 4,
        "inactive coordinator": ("forbidden",) * 4,
        "member": ("registers", "forbidden", "conflict", "conflict"),
        "partner member": ("registers", "forbidden", "conflict", "conflict"),
        "other member": ("forbidden", "forbidden", "conflict", "forbidden"),
        "member without organisation": ("forbidden",) * 4,
        "inactive member": ("forbidden",) * 4,
    },
)
def test_who_registers_their_organisation(
    db_session: Session, who: str, column: str, expected: str
) -> None:
    day = _stored_event(db_session, EventStatus(column.split(",", maxsplit=1)[0]))
    reader = _stored_reader(db_session, who)
    if column.endswith("already taking part") and reader and reader.organisation_id:
        db_session.add(Participant(event=day, organisation_id=reader.organisation_id))
        db_session.flush()
    assert policy.may_register(db_session, reader, day) is (expected == "registers")
    if reader is None:
        assert expected == "forbidden"  # the routes ask anonymous visitors to sign in
        return
    refusal = {"registers": None, "forbidden": Forbidden, "conflict": Conflict}[expected]
    if refusal is None:
        org = policy.registering(db_session, reader, day)
        assert org == db_session.get(Organisation, reader.organisation_id)
    else:
        with pytest.raises(refusal):
            policy.registering(db_session, reader, day)


@pytest.mark.parametrize("who", USERS)
def test_the_sql_condition_selects_the_events_the_rule_allows(
    db_session: Session, who: str
) -> None:
    days = [_stored_event(db_session, status) for status in EventStatus]
    reader = user(who)
    shown = db_session.scalars(
        select(Event.id).where(Event.id.in_([d.id for d in days]), policy.visible_events(reader))
    ).all()
    assert sorted(shown) == sorted(d.id for d in days if policy.can_read_event(reader, d))


def test_sides_are_the_host_s_and_the_guest_s_regions() -> None:
    day = event()
    sides = [policy.side_of(day, organisation(org)) for org in (OWN_ORG, PARTNER_ORG, OTHER_ORG)]
    assert sides == [policy.HOST, policy.GUEST, None]
