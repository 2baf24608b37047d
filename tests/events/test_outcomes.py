"""Outcomes of meetings: each side's own record after the meeting, who may record it, the deal
form pre-filled from a meeting, the deal awaiting the other side, and the event's funnel."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from seriktes.accounts.models import Role
from seriktes.agreements import confirmation, deals
from seriktes.agreements.funnel import event_funnel
from seriktes.agreements.models import Confirmation
from seriktes.agreements.schemas import ConfirmIn, DealIn
from seriktes.events import outcomes, requests, scheduling
from seriktes.events.day_schemas import OutcomeIn
from seriktes.events.models import MeetingRequest, MeetingStatus, Outcome
from seriktes.events.schemas import RequestIn
from seriktes.kit import clock
from seriktes.kit.errors import Conflict, Forbidden, NotAuthenticated, NotFound, ValidationFailed
from tests.events.conftest import Day
from tests.webkit import make_need, make_offer, make_user

AFTER_THE_DAY = datetime(2099, 5, 14, 18, 0, tzinfo=UTC)
BEFORE_THE_DAY = datetime(2099, 5, 14, 3, 0, tzinfo=UTC)


def scheduled(day: Day, **fields: object) -> MeetingRequest:
    """A scheduled meeting of the first producer with the first buyer (the producer asked)."""
    data = RequestIn.model_validate(
        {"requester_id": day.producers[0].id, "recipient_id": day.buyers[0].id, **fields}
    )
    request = requests.create_request(day.session, day.organiser, day.event.id, data)
    requests.answer_request(day.session, day.organiser, day.event.id, request.id, True)
    scheduling.schedule_event(day.session, day.event.id, time_limit=2)
    assert request.meeting_status is MeetingStatus.SCHEDULED
    return request


def at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


def said(pid: int, outcome: Outcome | None, comment: str | None = None) -> OutcomeIn:
    return OutcomeIn(participant_id=pid, held=outcome is not None, outcome=outcome, comment=comment)


def test_each_side_records_its_own_outcome_after_the_meeting(
    day: Day, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = scheduled(day)
    buyer_member = make_user(day.session, Role.MEMBER, day.buyers[0].organisation)
    producer_member = make_user(day.session, Role.MEMBER, day.producers[0].organisation)
    eid, mid = day.event.id, meeting.id
    at(monkeypatch, BEFORE_THE_DAY)
    with pytest.raises(Conflict):  # the meeting has not taken place yet
        outcomes.record_outcome(
            day.session, buyer_member, eid, mid, said(day.buyers[0].id, Outcome.NO_INTEREST)
        )
    at(monkeypatch, AFTER_THE_DAY)
    mine = outcomes.record_outcome(
        day.session, buyer_member, eid, mid, said(day.buyers[0].id, Outcome.DEAL_EXPECTED, "КП")
    )
    theirs = outcomes.record_outcome(
        day.session, producer_member, eid, mid, said(day.producers[0].id, None)
    )
    assert (mine.held, mine.outcome, mine.comment) == (True, Outcome.DEAL_EXPECTED, "КП")
    assert (theirs.held, theirs.outcome) == (False, None)  # the other side did not come
    changed = outcomes.record_outcome(
        day.session, buyer_member, eid, mid, said(day.buyers[0].id, Outcome.CONTRACT_SIGNED)
    )
    assert changed.id == mine.id and changed.outcome is Outcome.CONTRACT_SIGNED
    both = outcomes.meeting_outcomes(day.session, producer_member, eid, mid)
    assert sorted(o.participant_id for o in both) == sorted([day.buyers[0].id, day.producers[0].id])
    assert outcomes.leads_to_deal(changed) and not outcomes.leads_to_deal(theirs)


def test_who_may_record_an_outcome(day: Day, monkeypatch: pytest.MonkeyPatch) -> None:
    meeting = scheduled(day)
    eid, mid = day.event.id, meeting.id
    buyer_side = day.buyers[0].id
    producer_member = make_user(day.session, Role.MEMBER, day.producers[0].organisation)
    outsider = make_user(day.session, Role.MEMBER, day.producers[1].organisation)
    at(monkeypatch, BEFORE_THE_DAY)
    # organisers record at any time, for either side
    by_organiser = outcomes.record_outcome(
        day.session, day.organiser, eid, mid, said(buyer_side, Outcome.COOPERATION_POSSIBLE)
    )
    assert by_organiser.recorded_by_id == day.organiser.id
    at(monkeypatch, AFTER_THE_DAY)
    with pytest.raises(Forbidden):  # a side records only its own outcome
        outcomes.record_outcome(
            day.session, producer_member, eid, mid, said(buyer_side, Outcome.NO_INTEREST)
        )
    with pytest.raises(NotFound):  # another participant does not even see the meeting
        outcomes.record_outcome(
            day.session, outsider, eid, mid, said(day.producers[1].id, Outcome.NO_INTEREST)
        )
    with pytest.raises(ValidationFailed):  # not a side of this meeting
        outcomes.record_outcome(
            day.session, day.organiser, eid, mid, said(day.producers[1].id, Outcome.NO_INTEREST)
        )
    with pytest.raises(NotFound):
        outcomes.meeting_outcomes(day.session, None, eid, mid)
    assert by_organiser.outcome is Outcome.COOPERATION_POSSIBLE


def test_an_outcome_that_was_held_needs_its_outcome() -> None:
    with pytest.raises(ValueError):
        OutcomeIn(participant_id=1, held=True)
    assert OutcomeIn(participant_id=1, held=False, outcome=Outcome.DEAL_EXPECTED).outcome is None


def test_a_meeting_never_scheduled_has_no_outcome(day: Day) -> None:
    data = RequestIn(requester_id=day.producers[1].id, recipient_id=day.buyers[1].id)
    request = requests.create_request(day.session, day.organiser, day.event.id, data)
    with pytest.raises(Conflict):
        outcomes.record_outcome(
            day.session,
            day.organiser,
            day.event.id,
            request.id,
            said(day.buyers[1].id, Outcome.NO_INTEREST),
        )


def test_a_deal_from_a_meeting_is_prefilled_and_awaits_the_other_side(
    day: Day, monkeypatch: pytest.MonkeyPatch
) -> None:
    buyer_org, producer_org = day.buyers[0].organisation, day.producers[0].organisation
    need = make_need(day.session, buyer_org, "Футеровка мельницы")
    offer = make_offer(day.session, producer_org, "Футеровочные плиты")
    meeting = scheduled(day, need_id=need.id, offer_id=offer.id)
    producer_member = make_user(day.session, Role.MEMBER, producer_org)
    buyer_member = make_user(day.session, Role.MEMBER, buyer_org)
    outsider = make_user(day.session, Role.MEMBER, day.producers[1].organisation)
    with pytest.raises(NotFound):  # the meeting of others is not revealed
        outcomes.deal_prefill(day.session, outsider, meeting.id)
    prefill = outcomes.deal_prefill(day.session, producer_member, meeting.id)
    # the producer asked for the meeting, yet the need's owner is the buyer
    assert (prefill.buyer.id, prefill.supplier.id) == (day.buyers[0].id, day.producers[0].id)
    values = prefill.values
    assert values["buyer_bin"] == buyer_org.bin and values["supplier_bin"] == producer_org.bin
    assert (values["need_id"], values["offer_id"], values["meeting_id"]) == (
        str(need.id),
        str(offer.id),
        str(meeting.id),
    )
    assert values["subject"] == "Футеровка мельницы"
    deal = deals.create_deal(
        day.session,
        producer_member,
        DealIn(
            number="Д-1",
            signed_on=date(2099, 5, 14),
            buyer_id=int(values["buyer_id"]),
            supplier_id=int(values["supplier_id"]),
            subject=values["subject"],
            amount=Decimal("12000000"),
            need_id=need.id,
            offer_id=offer.id,
            meeting_id=meeting.id,
        ),
    )
    day.session.flush()
    assert deal.confirmation is Confirmation.AWAITING
    assert (deal.supplier_confirmed, deal.buyer_confirmed) == (True, False)
    confirmation.confirm(day.session, buyer_member, deal.id, ConfirmIn())
    assert deal.confirmation is Confirmation.CONFIRMED


def test_without_a_need_the_host_side_buys(day: Day) -> None:
    meeting = scheduled(day)  # the producer (guest region) asked the buyer (host region)
    buyer, supplier = outcomes.buyer_and_supplier(meeting)
    assert (buyer.id, supplier.id) == (day.buyers[0].id, day.producers[0].id)


def test_the_funnel_counts_each_step(day: Day, monkeypatch: pytest.MonkeyPatch) -> None:
    buyer_org, producer_org = day.buyers[0].organisation, day.producers[0].organisation
    meeting = scheduled(day)
    declined = requests.create_request(
        day.session,
        day.organiser,
        day.event.id,
        RequestIn(requester_id=day.producers[1].id, recipient_id=day.buyers[1].id),
    )
    requests.answer_request(day.session, day.organiser, day.event.id, declined.id, False)
    requests.create_request(  # still waiting for an answer
        day.session,
        day.organiser,
        day.event.id,
        RequestIn(requester_id=day.producers[2].id, recipient_id=day.buyers[1].id),
    )
    at(monkeypatch, AFTER_THE_DAY)
    empty = event_funnel(day.session, day.organiser, day.event.id)
    assert (empty.requests, empty.accepted, empty.scheduled, empty.held) == (3, 1, 1, 0)
    outcomes.record_outcome(
        day.session,
        day.organiser,
        day.event.id,
        meeting.id,
        said(day.buyers[0].id, Outcome.DEAL_EXPECTED),
    )
    outcomes.record_outcome(  # the other side's word on the same meeting counts it once
        day.session,
        day.organiser,
        day.event.id,
        meeting.id,
        said(day.producers[0].id, Outcome.COOPERATION_POSSIBLE),
    )
    member = make_user(day.session, Role.MEMBER, buyer_org)
    deal = deals.create_deal(
        day.session,
        member,
        DealIn(
            number="Д-7",
            signed_on=date(2099, 5, 20),
            buyer_id=buyer_org.id,
            supplier_id=producer_org.id,
            subject="Плиты",
            amount=Decimal("5000000"),
            meeting_id=meeting.id,
        ),
    )
    day.session.flush()
    half = event_funnel(day.session, day.organiser, day.event.id)
    assert (half.held, half.cooperation, half.deals, half.confirmed_deals) == (1, 1, 1, 0)
    assert half.confirmed_amount_kzt == 0  # awaiting the other side: it counts for nothing
    confirmation.confirm(
        day.session, make_user(day.session, Role.MEMBER, producer_org), deal.id, ConfirmIn()
    )
    full = event_funnel(day.session, day.organiser, day.event.id)
    assert (full.confirmed_deals, full.confirmed_amount_kzt) == (1, Decimal("5000000"))
    with pytest.raises(Forbidden):
        event_funnel(day.session, member, day.event.id)
    with pytest.raises(NotAuthenticated):
        event_funnel(day.session, None, day.event.id)
