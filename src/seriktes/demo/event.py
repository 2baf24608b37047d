"""The demo B2B days «Дни Северо-Казахстанской области в ВКО»: buyers of ВКО meet producers
of СКО on two meeting days (14 April all day, 15 April in the morning), with site visits
between them: a plant at the end of the first day, a farm at the start of the second.
Requests are proposed from the stored matches and answered (most accepted, some declined,
some expired, a few still awaiting an answer), the visits take sign-ups and the schedule is
solved across both days with a short time limit. Deterministic for a given seed."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus
from seriktes.events import repository
from seriktes.events.models import (
    Event,
    EventStatus,
    MeetingDay,
    Participant,
    RequestState,
    SessionWish,
    SiteVisit,
    VisitKind,
    VisitSignup,
)
from seriktes.events.requests import propose_requests
from seriktes.events.scheduling import schedule_event
from seriktes.kit import clock
from seriktes.matches.models import Match
from seriktes.registry.models import Organisation, Region

DEMO_EVENT_TITLE = "Дни Северо-Казахстанской области в ВКО"
HOST, GUEST = "630000000", "590000000"
BUYERS, PRODUCERS = 8, 10
FIRST_NAMES = ["Айгерим", "Ерлан", "Светлана", "Нурлан", "Ольга", "Данияр", "Марат", "Жанар"]
LAST_NAMES = ["Ахметова", "Козлов", "Сейткали", "Петренко", "Жумабаев", "Ким", "Омаров"]


def _busiest(
    session: Session, kato: str, owner: object, status: object, n: int
) -> list[Organisation]:
    """The `n` organisations of a region with the most published needs (or offers)."""
    column = Need.buyer_id if owner is Need else Offer.producer_id
    state = Need.status if owner is Need else Offer.status
    stmt = (
        select(Organisation)
        .join(Organisation.region)
        .join(owner, column == Organisation.id)  # type: ignore[arg-type]
        .where(Region.kato == kato, state == status)
        .group_by(Organisation.id)
        .order_by(func.count().desc(), Organisation.id)
        .limit(n)
    )
    return list(session.scalars(stmt))


def _ensure_matches(session: Session, buyers: list[Organisation]) -> None:
    """Match the buyers' needs when no matches are stored yet (`seriktes match` redoes all)."""
    ids = [org.id for org in buyers]
    stored = select(func.count()).select_from(Match).join(Match.need).where(Need.buyer_id.in_(ids))
    if session.scalar(stored):
        return
    from seriktes.matches.service import build_matcher, match_needs, parse_partners

    needs = session.scalars(
        select(Need.id).where(Need.buyer_id.in_(ids), Need.status == NeedStatus.PUBLISHED)
    ).all()
    if needs:
        matcher = build_matcher(session, parse_partners([f"{HOST}:{GUEST}"]))
        match_needs(session, matcher, list(needs), top=5)


def _people(rng: random.Random) -> str:
    count = rng.choice([1, 1, 2])
    return ", ".join(f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(count))


def _event(session: Session) -> Event:
    regions = {
        r.kato: r for r in session.scalars(select(Region).where(Region.kato.in_([HOST, GUEST])))
    }
    event = Event(
        title=DEMO_EVENT_TITLE,
        description=(
            "Деловые встречи закупщиков горно-металлургического комплекса ВКО "
            "с машиностроителями и аграриями Северо-Казахстанской области."
        ),
        host_region=regions[HOST],
        guest_region=regions[GUEST],
        venue="г. Усть-Каменогорск, Дворец культуры, пр. Независимости, 1",
        starts_on=date(2027, 4, 14),
        ends_on=date(2027, 4, 15),
        slot_minutes=20,
        days=[
            MeetingDay(
                position=0,
                meets_on=date(2027, 4, 14),
                morning_start=time(10, 0),
                afternoon_start=time(14, 30),
                morning_slots=6,
                afternoon_slots=6,
                tables=8,
                pause_after=[2, 8],
                pause_minutes=15,
            ),
            MeetingDay(
                position=1,
                meets_on=date(2027, 4, 15),
                morning_start=time(9, 30),
                afternoon_start=time(14, 0),
                morning_slots=6,
                afternoon_slots=2,
                tables=6,
                pause_after=[2],
                pause_minutes=15,
            ),
        ],
        answer_days=5,
        status=EventStatus.PUBLISHED,
        schedule_info={},
    )
    session.add(event)
    session.flush()
    return event


def _participants(
    session: Session,
    event: Event,
    buyers: list[Organisation],
    producers: list[Organisation],
    rng: random.Random,
) -> list[Participant]:
    found = []
    for n, org in enumerate(buyers):
        found.append(
            Participant(
                event_id=event.id,
                organisation_id=org.id,
                representatives=_people(rng),
                languages=["ru", "en"] if n == 3 else ["ru"] if n % 2 else ["ru", "kk"],
                priority=2 if n < 2 else 0,
                session_wish=SessionWish.ANY,
                blocked_slots=[11] if n == 5 else [],
            )
        )
    for n, org in enumerate(producers):
        found.append(
            Participant(
                event_id=event.id,
                organisation_id=org.id,
                representatives=_people(rng),
                languages=["kk"] if n in (2, 7) else ["ru", "kk"],
                session_wish=SessionWish.MORNING if n == 4 else SessionWish.ANY,
                blocked_slots=[0, 1] if n == 6 else [],
            )
        )
    session.add_all(found)
    session.flush()
    return found


def _answer(
    session: Session, event: Event, rng: random.Random, producer_org: int | None
) -> dict[str, int]:
    """Most requests accepted, some declined, some expired; a few to the demo producer wait."""
    now = clock.now()
    counts = {state.value: 0 for state in RequestState}
    waiting_left = 3
    for request in repository.requests(session, event.id):
        if request.recipient.organisation_id == producer_org and waiting_left:
            waiting_left -= 1
            counts["requested"] += 1
            continue
        roll = rng.random()
        if roll < 0.78:
            request.state, request.answered_at = RequestState.ACCEPTED, now
        elif roll < 0.9:
            request.state, request.answered_at = RequestState.DECLINED, now
        else:
            request.deadline = now - timedelta(days=1)
            request.state = RequestState.EXPIRED
        counts[request.state.value] += 1
    session.flush()
    return counts


def _visits(
    session: Session, event: Event, host_plant: Organisation, people: list[Participant]
) -> int:
    plant = SiteVisit(
        event_id=event.id,
        title=f"Экскурсия на производство: {host_plant.name_ru}",
        kind=VisitKind.PLANT,
        organisation_id=host_plant.id,
        address="г. Усть-Каменогорск, промзона",
        capacity=4,
        travel_minutes=20,
        first_slot=9,
        slot_count=2,
    )
    farm = SiteVisit(
        event_id=event.id,
        title="Крестьянское хозяйство «Алтай Агро»: теплицы и молочная ферма",
        kind=VisitKind.FARM,
        address="Глубоковский район, с. Прапорщиково",
        capacity=3,
        travel_minutes=40,
        first_slot=12,  # the second day's first slots: the morning after the plant
        slot_count=2,
    )
    session.add_all([plant, farm])
    session.flush()
    guests = [p for p in people if p.organisation.region and p.organisation.region.kato == GUEST]
    signups = [VisitSignup(visit_id=plant.id, participant_id=p.id) for p in guests[-3:]]
    signups.append(VisitSignup(visit_id=farm.id, participant_id=guests[-4].id))
    session.add_all(signups)
    session.flush()
    return len(signups)


def load_demo_event(
    session: Session, seed: int = 2026, time_limit: float = 3.0
) -> dict[str, int] | None:
    """Create the demo event unless it exists; return what was created (None if it existed)."""
    if session.scalar(select(Event.id).where(Event.title == DEMO_EVENT_TITLE)) is not None:
        return None
    buyers = _busiest(session, HOST, Need, NeedStatus.PUBLISHED, BUYERS)
    producers = _busiest(session, GUEST, Offer, OfferStatus.PUBLISHED, PRODUCERS)
    if not buyers or not producers:
        return None
    rng = random.Random(seed)
    _ensure_matches(session, buyers)
    event = _event(session)
    people = _participants(session, event, buyers, producers, rng)
    visits = _visits(session, event, buyers[0], people)
    proposed = propose_requests(session, None, event.id, per_need=1)
    answers = _answer(session, event, rng, producers[0].id)
    _, schedule = schedule_event(session, event.id, time_limit=time_limit, seed=seed)
    return {
        "participants": len(people),
        "requests": len(proposed.created),
        **{f"requests {state}": n for state, n in answers.items() if n},
        "visit sign-ups": visits,
        "meetings scheduled": len(schedule.slots),
        "breaks": schedule.breaks,
    }
