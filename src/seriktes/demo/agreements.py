"""Demo agreements: the first «Дни Северо-Казахстанской области в ВКО» (13–14 November 2025,
closed, with its scheduled meetings), the ten memoranda signed there with their
commitments, and a year of deals and deliveries between ВКО and СКО (17 November 2025 –
13 November 2026), some from the meetings, most answering a need with a matching offer,
linked to the commitments of their sector, each confirmed by the coordinator of its buyer's
region with its contract number (so that they count in progress and reports). Deterministic
for a given seed.

The 2027 B2B day of `demo.event` is the next edition; deals cannot come from its meetings yet.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.agreements import audit, confirmation
from seriktes.agreements.models import (
    AuditAction,
    Commitment,
    CommitmentMilestone,
    Deal,
    DealStatus,
    Delivery,
    Memorandum,
    MemorandumParty,
    MemorandumSector,
    MemorandumStatus,
    PartyRole,
    ProgressReport,
)
from seriktes.agreements.progress import compute, convert
from seriktes.agreements.rates import RATES_TO_KZT, to_kzt
from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus
from seriktes.demo.memoranda import (
    BUYER_SIGNATORY,
    GUEST_SIGNATORY,
    HOST_SIGNATORY,
    MEMORANDA,
    PLACE,
    REPORTS,
    SIGNED_ON,
    SUPPLIER_SIGNATORY,
    MemorandumFact,
)
from seriktes.events.models import (
    Event,
    EventStatus,
    MeetingDay,
    MeetingRequest,
    MeetingStatus,
    Participant,
    RequestState,
)
from seriktes.registry.models import Organisation, Region

PAST_EVENT_TITLE = "Дни Северо-Казахстанской области в ВКО — 2025"
HOST, GUEST = "630000000", "590000000"
FIRST_DEAL, LAST_DEAL, LAST_DELIVERY = date(2025, 11, 17), date(2026, 11, 13), date(2026, 11, 20)
DEALS, MEETINGS, SLOTS, TABLES = 150, 36, 12, 8
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Pair:
    """A need and an offer of the same class, of organisations in the two regions."""

    need: Need
    offer: Offer


def load_demo_agreements(session: Session, seed: int = 2026) -> dict[str, int] | None:
    """Create the demo memoranda, the 2025 event and the deals unless the memoranda exist;
    return what was created (None when they existed or the demo data is missing)."""
    taken = select(Memorandum.id).where(Memorandum.number == MEMORANDA[0].number)
    if session.scalar(taken) is not None:
        return None
    regions = {
        r.kato: r for r in session.scalars(select(Region).where(Region.kato.in_([HOST, GUEST])))
    }
    pairs = _pairs(session)
    if len(regions) < 2 or not pairs:
        return None
    rng = random.Random(seed * 31 + 5)
    event, meetings = _past_event(session, regions, pairs, rng)
    deals = _deals(session, pairs, meetings, rng)
    deliveries = sum(_deliver(session, deal, rng) for deal in deals)
    _confirm(session, deals)
    memos, commitments = _memoranda(session, event, regions, deals)
    reports = _reports(session, memos)
    for deal in deals:
        audit.record(session, None, AuditAction.CREATE, deal, None)
    return {
        "memoranda": len(memos),
        "commitments": commitments,
        "progress reports": reports,
        "deals": len(deals),
        "deliveries": deliveries,
        "meetings of the 2025 event": len(meetings),
    }


def _pairs(session: Session) -> list[Pair]:
    """Needs of one region with offers of the other in the same class, ВКО buyers first."""
    in_region = {
        org.id: org.region.kato
        for org in session.scalars(select(Organisation).join(Organisation.region))
        if org.region is not None and org.region.kato in (HOST, GUEST)
    }
    offers: dict[tuple[str, str], list[Offer]] = {}
    for offer in session.scalars(
        select(Offer).where(Offer.status == OfferStatus.PUBLISHED).order_by(Offer.id)
    ):
        kato = in_region.get(offer.producer_id)
        if kato and offer.class_code:
            offers.setdefault((kato, offer.class_code), []).append(offer)
    pairs = []
    needs = select(Need).where(Need.status == NeedStatus.PUBLISHED).order_by(Need.id)
    for need in session.scalars(needs):
        kato = in_region.get(need.buyer_id)
        if not kato or not need.class_code:
            continue
        other = GUEST if kato == HOST else HOST
        found = offers.get((other, need.class_code))
        if found:
            pairs.append(Pair(need, found[need.id % len(found)]))
    return pairs


def _past_event(
    session: Session, regions: dict[str, Region], pairs: list[Pair], rng: random.Random
) -> tuple[Event, dict[tuple[int, int], MeetingRequest]]:
    """The closed 2025 event with ВКО buyers meeting СКО producers, slots and tables set."""
    event = Event(
        title=PAST_EVENT_TITLE,
        description="Первые Дни СКО в ВКО: B2B-встречи, подписание десяти меморандумов.",
        host_region=regions[HOST],
        guest_region=regions[GUEST],
        venue=PLACE,
        starts_on=date(2025, 11, 13),
        ends_on=date(2025, 11, 14),
        days=[
            MeetingDay(
                meets_on=date(2025, 11, 13),
                morning_start=time(10, 0),
                afternoon_start=time(14, 0),
                tables=TABLES,
                pause_after=[],
            )
        ],
        status=EventStatus.CLOSED,
        schedule_info={},
    )
    session.add(event)
    session.flush()
    hosted = [p for p in pairs if p.need.buyer.region and p.need.buyer.region.kato == HOST]
    chosen = rng.sample(hosted, min(len(hosted), MEETINGS * 3))
    people: dict[int, Participant] = {}
    meetings: dict[tuple[int, int], MeetingRequest] = {}
    busy: set[tuple[int, int]] = set()
    for pair in chosen:
        key = (pair.need.buyer_id, pair.offer.producer_id)
        if key in meetings or len(meetings) >= MEETINGS:
            continue
        buyer, producer = (_participant(session, event, org_id, people) for org_id in key)
        slot = next(
            (s for s in range(SLOTS) if (buyer.id, s) not in busy and (producer.id, s) not in busy),
            None,
        )
        table = sum(1 for m in meetings.values() if m.slot == slot)
        if slot is None or table >= TABLES:
            continue
        busy.update({(buyer.id, slot), (producer.id, slot)})
        meetings[key] = MeetingRequest(
            event_id=event.id,
            requester_id=buyer.id,
            recipient_id=producer.id,
            need_id=pair.need.id,
            offer_id=pair.offer.id,
            proposed=True,
            state=RequestState.ACCEPTED,
            deadline=datetime(2025, 11, 10, tzinfo=UTC),
            answered_at=datetime(2025, 11, 6, 9, 0, tzinfo=UTC),
            slot=slot,
            table_no=table,
            meeting_status=MeetingStatus.SCHEDULED,
        )
        session.add(meetings[key])
    session.flush()
    event.schedule_info = {"breaks": 0, "unscheduled": 0, "conflicts": []}
    return event, meetings


def _participant(
    session: Session, event: Event, org_id: int, people: dict[int, Participant]
) -> Participant:
    if org_id not in people:
        people[org_id] = Participant(
            event_id=event.id, organisation_id=org_id, languages=["ru"], blocked_slots=[]
        )
        session.add(people[org_id])
        session.flush()
    return people[org_id]


def _deals(
    session: Session,
    pairs: list[Pair],
    meetings: dict[tuple[int, int], MeetingRequest],
    rng: random.Random,
) -> list[Deal]:
    """Deals from most of the meetings, then from other pairs, ВКО buyers four times in five."""
    hosted = [p for p in pairs if p.need.buyer.region and p.need.buyer.region.kato == HOST]
    hosted_ids = {id(p) for p in hosted}
    guests = [p for p in pairs if id(p) not in hosted_ids]
    met = {(m.need_id, m.offer_id): m for m in meetings.values()}
    chosen = [p for p in pairs if (p.need.id, p.offer.id) in met][: int(len(met) * 0.6)]
    used = {p.need.id for p in chosen}
    while len(chosen) < DEALS:
        source = guests if guests and rng.random() < 0.2 else hosted
        pair = rng.choice(source)
        if pair.need.id not in used:
            used.add(pair.need.id)
            chosen.append(pair)
    drafts = [(_signed_on(rng), pair) for pair in chosen]
    deals = []
    for n, (signed, pair) in enumerate(sorted(drafts, key=lambda d: (d[0], d[1].need.id)), 1):
        meeting = met.get((pair.need.id, pair.offer.id))
        deals.append(_deal(n, signed, pair, meeting, rng))
    session.add_all(deals)
    session.flush()
    return deals


def _signed_on(rng: random.Random) -> date:
    return FIRST_DEAL + timedelta(days=rng.randint(0, (LAST_DEAL - FIRST_DEAL).days))


def _deal(
    n: int, signed: date, pair: Pair, meeting: MeetingRequest | None, rng: random.Random
) -> Deal:
    need, offer = pair.need, pair.offer
    share = Decimal(str(round(rng.uniform(0.35, 1.0), 2)))
    price = offer.price or need.unit_price
    if need.quantity and price:
        amount_kzt = min(Decimal(need.quantity) * Decimal(price) * share, Decimal(450_000_000))
    else:
        amount_kzt = Decimal(rng.randint(2, 60) * 1_000_000)
    amount_kzt = max(amount_kzt, Decimal(300_000)).quantize(CENT)
    currency = "RUB" if rng.random() < 0.06 else "KZT"
    rate = RATES_TO_KZT[currency]
    amount = (amount_kzt / rate).quantize(CENT)
    linked = meeting is not None or rng.random() < 0.75
    return Deal(
        number=f"ДП-{signed.year}/{n:03d}",
        signed_on=signed,
        buyer_id=need.buyer_id,
        supplier_id=offer.producer_id,
        subject=need.title[:500],
        class_code=need.class_code,
        quantity=(Decimal(need.quantity) * share).quantize(Decimal("0.001"))
        if need.quantity
        else None,
        unit_code=need.unit_code,
        amount=amount,
        currency=currency,
        rate_to_kzt=rate,
        amount_kzt=to_kzt(amount, rate),
        status=DealStatus.CANCELLED if rng.random() < 0.04 else DealStatus.SIGNED,
        need_id=need.id if linked else None,
        offer_id=offer.id if linked else None,
        meeting_id=meeting.id if meeting is not None else None,
        source="demo",
    )


def _deliver(session: Session, deal: Deal, rng: random.Random) -> int:
    """Deliveries after signing, up to 20 November 2026; a fully delivered deal is completed."""
    days = (LAST_DELIVERY - deal.signed_on).days
    if deal.status is DealStatus.CANCELLED or days < 21:
        return 0
    parts = rng.choice([1, 1, 2, 3, 4])
    whole = rng.random() < 0.45 and days > 120
    total = Decimal(1) if whole else Decimal(str(round(rng.uniform(0.3, 0.9), 2)))
    step = max(1, (min(days, 300) - 14) // parts)
    made = 0
    for i in range(parts):
        share = total / parts
        day = deal.signed_on + timedelta(days=14 + i * step + rng.randint(0, max(0, step // 3)))
        if day > LAST_DELIVERY:
            break
        session.add(
            Delivery(
                deal_id=deal.id,
                delivered_on=day,
                quantity=(Decimal(deal.quantity) * share).quantize(Decimal("0.001"))
                if deal.quantity
                else None,
                amount_kzt=(Decimal(deal.amount_kzt) * share).quantize(CENT),
                note=f"Накладная № {deal.id:04d}-{i + 1}",
            )
        )
        made += 1
    if whole and made == parts:
        deal.status = DealStatus.COMPLETED
    session.flush()
    return made


def _confirm(session: Session, deals: list[Deal]) -> None:
    """The coordinator of the buyer's region (the demo login, when it exists) confirms each
    deal by its contract number a week after signing."""
    coordinators = {
        user.region.kato: user
        for user in session.scalars(select(User).where(User.role == Role.COORDINATOR))
        if user.region is not None
    }
    for deal in deals:
        kato = deal.buyer.region.kato if deal.buyer.region is not None else ""
        deal.confirmed_at = datetime.combine(deal.signed_on + timedelta(days=7), time(10), UTC)
        coordinator = coordinators.get(kato)
        confirmation.confirm_as_coordinator(session, deal, coordinator, f"договор {deal.number}")
    session.flush()


def _memoranda(
    session: Session, event: Event, regions: dict[str, Region], deals: list[Deal]
) -> tuple[dict[str, Memorandum], int]:
    memos: dict[str, Memorandum] = {}
    count = 0
    for fact in MEMORANDA:
        memo = _memorandum(fact, event, regions, deals)
        session.add(memo)
        session.flush()
        audit.record(session, None, AuditAction.CREATE, memo, None)
        for position, item in enumerate(fact.commitments, 1):
            linked = _matching(deals, item.classes, item.unit) if item.kpi.from_deals else []
            responsible = regions[HOST if item.responsible == "host" else GUEST]
            company = next(
                (p.organisation_id for p in memo.parties if p.signatory == SUPPLIER_SIGNATORY[0]),
                None,
            )
            name, post, contact = item.person or (None, None, None)
            commitment = Commitment(
                memorandum=memo,
                position=position,
                title=item.title,
                kpi=item.kpi,
                sector=fact.sectors[0],
                target=Decimal(item.target or 1),
                unit_code=item.unit,
                start_on=SIGNED_ON,
                deadline=item.deadline,
                responsible_region_id=responsible.id,
                responsible_organisation_id=company if item.responsible == "company" else None,
                responsible_person=name,
                responsible_post=post,
                responsible_contact=contact,
                deals=linked,
            )
            session.add(commitment)
            session.flush()
            if item.kpi.from_deals:
                reached = compute(commitment, LAST_DELIVERY).value
                commitment.target = _nice(reached * Decimal(str(item.pace)))
            audit.record(session, None, AuditAction.CREATE, commitment, None)
            for day, share in item.milestones:
                milestone = CommitmentMilestone(
                    commitment=commitment,
                    due_on=day,
                    target=_nice(Decimal(commitment.target) * Decimal(str(share))),
                )
                session.add(milestone)
                audit.record(session, None, AuditAction.CREATE, milestone, None)
            count += 1
            for deal in linked:
                if deal.memorandum_id is None or fact.sectors[0].value != "trade":
                    deal.memorandum_id = memo.id
        memos[fact.number] = memo
    session.flush()
    return memos, count


def _memorandum(
    fact: MemorandumFact, event: Event, regions: dict[str, Region], deals: list[Deal]
) -> Memorandum:
    parties = [
        MemorandumParty(
            region_id=regions[HOST].id,
            role=PartyRole.HOST,
            signatory=HOST_SIGNATORY[0],
            signatory_post=HOST_SIGNATORY[1],
        ),
        MemorandumParty(
            region_id=regions[GUEST].id,
            role=PartyRole.GUEST,
            signatory=GUEST_SIGNATORY[0],
            signatory_post=GUEST_SIGNATORY[1],
        ),
    ]
    if fact.with_companies:
        classes = next((c.classes for c in fact.commitments if c.classes), ())
        sector_deals = _matching(deals, classes, None)
        if sector_deals:
            top = max(sector_deals, key=lambda d: d.amount_kzt)
            for org_id, (name, post) in (
                (top.buyer_id, BUYER_SIGNATORY),
                (top.supplier_id, SUPPLIER_SIGNATORY),
            ):
                parties.append(
                    MemorandumParty(
                        organisation_id=org_id,
                        role=PartyRole.PARTY,
                        signatory=name,
                        signatory_post=post,
                    )
                )
    return Memorandum(
        number=fact.number,
        title=fact.title,
        summary=fact.summary,
        signed_on=SIGNED_ON,
        place=PLACE,
        event_id=event.id,
        status=MemorandumStatus.PUBLISHED,
        parties=parties,
        sector_rows=[MemorandumSector(sector=s) for s in fact.sectors],
    )


def _matching(deals: list[Deal], classes: tuple[str, ...], unit: str | None) -> list[Deal]:
    """Deals of these KP VED prefixes (all when none), in a unit convertible to `unit`."""
    found = []
    for deal in deals:
        if classes and not (deal.class_code or "").startswith(classes):
            continue
        if unit is not None and convert(Decimal(1), deal.unit_code, unit) is None:
            continue
        found.append(deal)
    return found


def _nice(value: Decimal) -> Decimal:
    """A round target: two significant digits (at least 1)."""
    if value <= 0:
        return Decimal(1)
    digits = len(str(int(value))) - 2
    step = Decimal(10) ** max(digits, 0)
    return max(Decimal(1), (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)


def _reports(session: Session, memos: dict[str, Memorandum]) -> int:
    for number, index, day, value, evidence in REPORTS:
        commitment = memos[number].commitments[index]
        report = ProgressReport(
            commitment=commitment, reported_on=day, value=Decimal(value), evidence_text=evidence
        )
        session.add(report)
        audit.record(session, None, AuditAction.CREATE, report, None)
    return len(REPORTS)
