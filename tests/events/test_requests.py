"""Meeting requests: sending, answering, expiring and proposing them from the matches."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.events import requests
from seriktes.events.models import MeetingRequest, RequestState
from seriktes.events.schemas import RequestIn
from seriktes.kit import clock
from seriktes.kit.errors import Conflict, Forbidden, ValidationFailed
from seriktes.matches.models import Match
from tests.events.conftest import Day
from tests.webkit import make_need, make_offer, make_user


def ask(day: Day, first: int, second: int, user: User | None = None) -> MeetingRequest:
    """Buyer `first` asks producer `second` for a meeting."""
    data = RequestIn(requester_id=day.buyers[first].id, recipient_id=day.producers[second].id)
    return requests.create_request(day.session, user or day.organiser, day.event.id, data)


def test_a_member_asks_and_the_other_side_answers(day: Day) -> None:
    buyer = make_user(day.session, Role.MEMBER, day.buyers[0].organisation)
    producer = make_user(day.session, Role.MEMBER, day.producers[0].organisation)
    request = ask(day, 0, 0, buyer)
    with pytest.raises(Forbidden):
        requests.answer_request(day.session, buyer, day.event.id, request.id, True)
    requests.answer_request(day.session, producer, day.event.id, request.id, True)
    assert request.state is RequestState.ACCEPTED
    with pytest.raises(Conflict, match="already accepted"):
        requests.answer_request(day.session, producer, day.event.id, request.id, False)


def test_a_member_cannot_ask_for_another_organisation(day: Day) -> None:
    stranger = make_user(day.session, Role.MEMBER, day.buyers[1].organisation)
    with pytest.raises(Forbidden):
        ask(day, 0, 0, stranger)


def test_an_open_request_blocks_a_second_one_until_its_deadline(
    day: Day, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = ask(day, 0, 0)
    with pytest.raises(Conflict, match="open request"):
        requests.create_request(
            day.session,
            day.organiser,
            day.event.id,
            RequestIn(requester_id=day.producers[0].id, recipient_id=day.buyers[0].id),
        )
    later = clock.now() + timedelta(days=day.event.answer_days, hours=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert requests.state_of(first, later) is RequestState.EXPIRED
    with pytest.raises(Conflict, match="expired"):
        requests.answer_request(day.session, day.organiser, day.event.id, first.id, True)
    again = ask(day, 0, 0)
    assert again.state is RequestState.REQUESTED


def test_requests_stay_between_the_two_regions(day: Day) -> None:
    with pytest.raises(ValidationFailed):
        requests.create_request(
            day.session,
            day.organiser,
            day.event.id,
            RequestIn(requester_id=day.buyers[0].id, recipient_id=day.buyers[1].id),
        )


def test_no_more_open_requests_than_slots(day: Day) -> None:
    day.event.days[0].morning_slots, day.event.days[0].afternoon_slots = 1, 1
    ask(day, 0, 0)
    ask(day, 0, 1)
    with pytest.raises(Conflict, match="open requests"):
        ask(day, 0, 2)


def test_members_see_only_their_own_requests(day: Day) -> None:
    ask(day, 0, 0)
    ask(day, 1, 1)
    member = make_user(day.session, Role.MEMBER, day.producers[1].organisation)
    seen = requests.visible_requests(day.session, member, day.event.id)
    assert [r.recipient_id for r in seen] == [day.producers[1].id]
    assert requests.visible_requests(day.session, None, day.event.id) == []
    assert len(requests.visible_requests(day.session, day.organiser, day.event.id)) == 2


def _match(session: Session, need_id: int, offer_id: int, rank: int) -> Match:
    match = Match(need_id=need_id, offer_id=offer_id, rank=rank, score=1.0 / rank, explanation={})
    session.add(match)
    session.flush()
    return match


def test_proposals_take_each_need_s_best_producers_of_the_other_region(day: Day) -> None:
    s = day.session
    need = make_need(s, day.buyers[0].organisation)
    offers = [make_offer(s, p.organisation) for p in day.producers]
    for rank, offer in enumerate(reversed(offers), start=1):
        _match(s, need.id, offer.id, rank)
    same_region = make_offer(s, day.buyers[1].organisation)
    _match(s, need.id, same_region.id, 1)
    made = requests.propose_requests(s, day.organiser, day.event.id, per_need=2)
    assert [r.recipient_id for r in made.created] == [day.producers[2].id, day.producers[1].id]
    assert all(r.proposed and r.need_id == need.id for r in made.created)
    again = requests.propose_requests(s, day.organiser, day.event.id, per_need=2)
    assert again.created == []


def test_interpreter_when_no_language_is_shared(day: Day) -> None:
    day.producers[0].languages = ["kk"]
    request = ask(day, 0, 0)
    assert requests.needs_interpreter(request)
    day.producers[0].languages = ["kk", "ru"]
    assert not requests.needs_interpreter(request)
