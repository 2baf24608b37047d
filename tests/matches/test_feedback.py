"""Feedback on matches: who may mark a need's matches, answers recorded, changed and
withdrawn, and the stored matches following them in the same transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.catalog.models import Need, Offer
from seriktes.kit.errors import Forbidden, NotFound, ValidationFailed
from seriktes.kit.migrate import upgrade
from seriktes.matches import cache
from seriktes.matches.feedback import Answer, answers, record, withdraw
from seriktes.matches.incremental import keep_matches_current, match_lines
from seriktes.matches.models import Match, MatchFeedback, Reason, Verdict
from seriktes.matches.service import build_matcher, need_doc
from seriktes.registry.models import Organisation
from seriktes.registry.service import ensure_reference_data
from tests.webkit import make_need, make_offer, make_org, make_user

VKO, SKO = "630000000", "590000000"
NOT_SUITABLE = Answer(False, Reason.WRONG_PRODUCT, "нужен роликовый, а не шариковый")


@pytest.fixture(autouse=True)
def _fresh_engines() -> Iterator[None]:
    """Engines are cached per database; each test's rolled-back data needs its own."""
    keep_matches_current()
    cache.clear()
    yield
    cache.clear()


@dataclass
class Market:
    """A buyer's need for roller bearings, a similar need of another buyer, two producers."""

    buyer: Organisation
    producer: Organisation
    need: Need
    similar: Need
    roller: Offer
    other: Offer


def build_market(session: Session) -> Market:
    """Two needs for roller bearings matched to two producers' offers."""
    buyer, producer = make_org(session, VKO), make_org(session, SKO)
    roller = make_offer(session, producer, "Подшипник роликовый сферический 22312")
    other = make_offer(session, make_org(session, SKO), "Подшипник роликовый конический 7312")
    need = make_need(session, buyer, "Подшипник роликовый 22312")
    similar = make_need(session, make_org(session, VKO), "Подшипник роликовый 22316")
    match_lines(session, need_ids=[need.id, similar.id])
    return Market(buyer, producer, need, similar, roller, other)


@pytest.fixture
def market(db_session: Session) -> Market:
    return build_market(db_session)


def stored(session: Session, need: Need) -> dict[int, Match]:
    """The stored matches of a need by offer."""
    session.expire_all()
    found = session.scalars(select(Match).where(Match.need_id == need.id))
    return {match.offer_id: match for match in found}


def people(session: Session, market: Market) -> dict[str, User]:
    return {
        "member": make_user(session, Role.MEMBER, market.buyer),
        "coordinator": make_user(session, Role.COORDINATOR, kato=VKO),
        "admin": make_user(session, Role.ADMIN),
        "producer": make_user(session, Role.MEMBER, market.producer),
        "other_coordinator": make_user(session, Role.COORDINATOR, kato=SKO),
    }


@pytest.mark.parametrize("who", ["member", "coordinator", "admin"])
def test_the_buyers_side_marks_a_match(db_session: Session, market: Market, who: str) -> None:
    user = people(db_session, market)[who]
    row = record(db_session, user, market.need.id, market.roller.id, Answer(True))
    assert (row.verdict, row.user_id, row.reason) == (Verdict.SUITABLE, user.id, None)
    assert [a.offer_id for a in answers(db_session, user, market.need.id)] == [market.roller.id]


@pytest.mark.parametrize("who", ["producer", "other_coordinator"])
def test_others_may_not_mark_and_nothing_changes(
    db_session: Session, market: Market, who: str
) -> None:
    user = people(db_session, market)[who]
    before = stored(db_session, market.need).keys()
    with pytest.raises(Forbidden):
        record(db_session, user, market.need.id, market.roller.id, NOT_SUITABLE)
    assert db_session.scalars(select(MatchFeedback)).all() == []
    assert stored(db_session, market.need).keys() == before


def test_who_reads_the_answers(db_session: Session, market: Market) -> None:
    users = people(db_session, market)
    record(db_session, users["member"], market.need.id, market.roller.id, NOT_SUITABLE)
    assert len(answers(db_session, users["other_coordinator"], market.need.id)) == 1
    for reader in (users["producer"], None):
        with pytest.raises(Forbidden):
            answers(db_session, reader, market.need.id)


def test_an_answer_is_recorded_changed_and_withdrawn(db_session: Session, market: Market) -> None:
    users = people(db_session, market)
    first = record(db_session, users["member"], market.need.id, market.roller.id, NOT_SUITABLE)
    assert (first.reason, first.comment) == (Reason.WRONG_PRODUCT, NOT_SUITABLE.comment)
    changed = record(
        db_session, users["coordinator"], market.need.id, market.roller.id, Answer(True)
    )
    assert changed.id == first.id, "one current answer per pair"
    assert (changed.verdict, changed.reason, changed.comment) == (Verdict.SUITABLE, None, None)
    assert changed.user_id == users["coordinator"].id
    withdraw(db_session, users["admin"], market.need.id, market.roller.id)
    assert db_session.scalars(select(MatchFeedback)).all() == []
    with pytest.raises(NotFound):
        withdraw(db_session, users["admin"], market.need.id, market.roller.id)


def test_an_incomplete_answer_is_refused(db_session: Session, market: Market) -> None:
    member = people(db_session, market)["member"]
    for answer, field in [
        (Answer(False), "reason"),
        (Answer(True, Reason.WRONG_CLASS), "reason"),
        (Answer(False, Reason.CANNOT_SUPPLY, "x" * 1001), "comment"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            record(db_session, member, market.need.id, market.roller.id, answer)
        assert refused.value.errors[0].loc == ("body", field)
    with pytest.raises(NotFound):
        record(db_session, member, market.need.id, 10**9, Answer(True))


def test_a_match_marked_not_suitable_leaves_at_once_and_returns_when_withdrawn(
    db_session: Session, market: Market
) -> None:
    member = people(db_session, market)["member"]
    assert market.roller.id in stored(db_session, market.need)
    record(db_session, member, market.need.id, market.roller.id, NOT_SUITABLE)
    assert market.roller.id not in stored(db_session, market.need)
    assert market.other.id in stored(db_session, market.need)
    withdraw(db_session, member, market.need.id, market.roller.id)
    assert market.roller.id in stored(db_session, market.need)


def test_a_match_marked_suitable_is_kept_strong_where_the_rules_refuse_it(
    db_session: Session, market: Market
) -> None:
    member = people(db_session, market)["member"]
    repair = make_offer(db_session, make_org(db_session, SKO), "Ремонт редукторов")
    repair.class_code = "33.12.11"
    db_session.flush()
    match_lines(db_session, need_ids=[market.need.id])
    assert repair.id not in stored(db_session, market.need), "works are not goods"
    record(db_session, member, market.need.id, repair.id, Answer(True))
    kept = stored(db_session, market.need)[repair.id]
    assert kept.explanation["band"] == "strong"
    assert kept.explanation["verdict"] == "marked suitable for this need"


def test_a_similar_needs_match_moves_with_the_answer(db_session: Session, market: Market) -> None:
    member = people(db_session, market)["member"]
    before = stored(db_session, market.similar)[market.roller.id].score
    record(db_session, member, market.need.id, market.roller.id, NOT_SUITABLE)
    lowered = stored(db_session, market.similar)[market.roller.id]
    assert lowered.score < before
    assert "not suitable for a similar need" in lowered.explanation["verdict"]
    record(db_session, member, market.need.id, market.roller.id, Answer(True))
    lifted = stored(db_session, market.similar)[market.roller.id]
    assert lifted.score > before


def test_an_engine_built_from_the_database_knows_the_stored_answers(
    db_session: Session, market: Market
) -> None:
    member = people(db_session, market)["member"]
    record(db_session, member, market.need.id, market.roller.id, NOT_SUITABLE)
    cache.clear()
    found = build_matcher(db_session).match(need_doc(market.need))
    assert market.roller.id not in {m.offer_id for m in found}
    assert market.other.id in {m.offer_id for m in found}


def test_an_answer_changes_the_cached_matcher_in_place_and_the_commit_keeps_it(
    db_session: Session, market: Market
) -> None:
    member = people(db_session, market)["member"]
    before = cache.updated_matcher(db_session)
    record(db_session, member, market.need.id, market.roller.id, NOT_SUITABLE)
    assert cache.updated_matcher(db_session) is before
    assert market.roller.id not in {m.offer_id for m in before.match(need_doc(market.need))}
    cache._mark_stale({"matcher"})  # as the commit does: the check finds the engine current
    assert cache.cached_matcher(db_session) is before


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_rolled_back_answer_is_taken_back_from_the_engine(
    backend: str, fresh_database: Callable[[str], Engine]
) -> None:
    engine = fresh_database(backend)
    upgrade(engine)
    with Session(engine) as session:
        ensure_reference_data(session)
        market = build_market(session)
        ids = (people(session, market)["member"].id, market.need.id, market.roller.id)
        session.commit()
    user_id, need_id, offer_id = ids
    with Session(engine) as session:
        assert len(cache.cached_matcher(session).feedback) == 0
        member = session.get(User, user_id)
        assert member is not None
        record(session, member, need_id, offer_id, NOT_SUITABLE)
        answered = cache.updated_matcher(session)
        assert len(answered.feedback) == 1
        session.rollback()
    with Session(engine) as session:
        fresh = cache.cached_matcher(session)
        assert fresh is not answered and len(fresh.feedback) == 0


def test_another_processs_answer_is_loaded_after_the_recheck_interval(
    db_session: Session, market: Market, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "RECHECK_SECONDS", 3600.0)
    matcher = cache.cached_matcher(db_session)
    # plain SQL passes by this process's notes, as another process's write would
    db_session.connection().execute(
        text(
            "INSERT INTO match_feedback (need_id, offer_id, verdict, created_at, updated_at) "
            "VALUES (:need, :offer, 'not_suitable', :now, :now)"
        ),
        {"need": market.need.id, "offer": market.roller.id, "now": datetime.now(UTC)},
    )
    assert cache.cached_matcher(db_session) is matcher  # within the interval
    monkeypatch.setattr(cache, "RECHECK_SECONDS", 0.0)
    rebuilt = cache.cached_matcher(db_session)
    assert rebuilt is not matcher
    assert market.roller.id not in {m.offer_id for m in rebuilt.match(need_doc(market.need))}
