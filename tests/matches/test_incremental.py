"""Matching as data arrives: needs and offers written through the editing service or an
import have their stored matches brought up to date in the same transaction."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.catalog.editing import (
    NeedIn,
    OfferIn,
    create_need,
    create_offer,
    delete_need,
    delete_offer,
    update_need,
    update_offer,
)
from seriktes.catalog.models import Need, Offer
from seriktes.matches import cache, incremental
from seriktes.matches.incremental import keep_matches_current, match_lines
from seriktes.matches.models import Match
from seriktes.matches.service import build_matcher, match_needs, parse_partners
from seriktes.registry.models import Organisation
from tests.webkit import make_need, make_offer, make_org, make_user

VKO, SKO = "630000000", "590000000"


@pytest.fixture(autouse=True)
def _fresh_engines() -> Iterator[None]:
    """Engines are cached per database; each test's rolled-back data needs its own."""
    keep_matches_current()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin(db_session: Session) -> User:
    return make_user(db_session, Role.ADMIN)


def stored(session: Session, need: Need) -> list[int]:
    """The offers of a need's stored matches, by rank."""
    stmt = select(Match.offer_id).where(Match.need_id == need.id).order_by(Match.rank)
    return list(session.scalars(stmt))


def published_need(
    session: Session, user: User, buyer_id: int, title: str, code: str = "28.15.10"
) -> Need:
    data = NeedIn(buyer_id=buyer_id, title=title, class_code=code, status="published")
    return create_need(session, user, data)


def published_offer(
    session: Session, user: User, producer_id: int, title: str, code: str = "28.15.10"
) -> Offer:
    data = OfferIn(producer_id=producer_id, title=title, class_code=code, status="published")
    return create_offer(session, user, data)


def offer_of(session: Session, producer: Organisation, title: str, code: str) -> Offer:
    """An offer written without the editing service (as an import or a factory does)."""
    offer = make_offer(session, producer, title)
    offer.class_code = code
    session.flush()
    return offer


def test_a_need_created_has_its_matches_stored_at_once(db_session: Session, admin: User) -> None:
    buyer, producer = make_org(db_session, VKO), make_org(db_session, SKO)
    bearing = make_offer(db_session, producer, "Подшипник 6205-2RS шариковый")
    offer_of(db_session, producer, "Цемент М500", "23.51.12")
    need = published_need(db_session, admin, buyer.id, "Подшипник 6205-2RS")
    assert stored(db_session, need) == [bearing.id]
    match = db_session.scalars(select(Match).where(Match.need_id == need.id)).one()
    assert match.rank == 1 and match.explanation["matched_terms"]


def test_a_draft_is_not_matched_and_a_need_unpublished_loses_its_matches(
    db_session: Session, admin: User
) -> None:
    buyer, producer = make_org(db_session, VKO), make_org(db_session, SKO)
    make_offer(db_session, producer, "Подшипник 6205-2RS шариковый")
    draft = create_need(db_session, admin, NeedIn(buyer_id=buyer.id, title="Подшипник 6205-2RS"))
    assert stored(db_session, draft) == []
    update_need(db_session, admin, draft.id, {"status": "published"})
    assert len(stored(db_session, draft)) == 1
    update_need(db_session, admin, draft.id, {"status": "closed"})
    assert stored(db_session, draft) == []


def test_a_need_changed_is_ranked_again(db_session: Session, admin: User) -> None:
    buyer, producer = make_org(db_session, VKO), make_org(db_session, SKO)
    bearing = make_offer(db_session, producer, "Подшипник 6205-2RS шариковый")
    rope = offer_of(db_session, make_org(db_session, SKO), "Канат стальной 2688-80", "25.93.11")
    need = published_need(db_session, admin, buyer.id, "Подшипник 6205-2RS")
    assert stored(db_session, need) == [bearing.id]
    changes = {"title": "Канат стальной 2688-80", "class_code": "25.93.11"}
    update_need(db_session, admin, need.id, changes)
    assert stored(db_session, need) == [rope.id]


def test_an_offer_added_joins_the_matches_of_an_existing_need(
    db_session: Session, admin: User
) -> None:
    buyer, producer = make_org(db_session, VKO), make_org(db_session, SKO)
    need = published_need(db_session, admin, buyer.id, "Футеровка мельницы МШЦ 3600")
    assert stored(db_session, need) == []
    offer = published_offer(db_session, admin, producer.id, "Футеровка мельницы МШЦ 3600×5500")
    assert stored(db_session, need) == [offer.id]


def test_an_offer_unpublished_or_deleted_leaves_the_needs_matches(
    db_session: Session, admin: User
) -> None:
    buyer = make_org(db_session, VKO)
    first = published_offer(db_session, admin, make_org(db_session, SKO).id, "Подшипник 6205")
    second = published_offer(db_session, admin, make_org(db_session, SKO).id, "Подшипник 6205")
    need = published_need(db_session, admin, buyer.id, "Подшипник 6205")
    other = published_need(db_session, admin, buyer.id, "Подшипник 6205 2RS")
    assert set(stored(db_session, need)) == {first.id, second.id}
    update_offer(db_session, admin, first.id, {"status": "archived"})
    assert stored(db_session, need) == [second.id]
    assert stored(db_session, other) == [second.id]
    delete_offer(db_session, admin, second.id)
    assert stored(db_session, need) == stored(db_session, other) == []
    # ranks stay 1, 2, … after a removal: republishing brings it back first
    update_offer(db_session, admin, first.id, {"status": "published"})
    ranks = db_session.scalars(select(Match.rank).where(Match.need_id == need.id)).all()
    assert stored(db_session, need) == [first.id] and ranks == [1]


def test_an_offer_changed_is_reindexed_in_place_and_ranked_again(
    db_session: Session, admin: User
) -> None:
    buyer, producer = make_org(db_session, VKO), make_org(db_session, SKO)
    offer = published_offer(db_session, admin, producer.id, "Подшипник 6205-2RS")
    bearings = published_need(db_session, admin, buyer.id, "Подшипник 6205-2RS")
    cement = published_need(db_session, admin, buyer.id, "Цемент М500 навалом", "23.51.12")
    matcher = cache.updated_matcher(db_session)
    update_offer(db_session, admin, offer.id, {"title": "Цемент М500", "class_code": "23.51.12"})
    assert cache.updated_matcher(db_session) is matcher, "changed in place, not rebuilt"
    assert stored(db_session, bearings) == []
    assert stored(db_session, cement) == [offer.id]


def test_a_need_deleted_drops_its_matches(db_session: Session, admin: User) -> None:
    buyer, producer = make_org(db_session, VKO), make_org(db_session, SKO)
    make_offer(db_session, producer, "Подшипник 6205-2RS")
    need = published_need(db_session, admin, buyer.id, "Подшипник 6205-2RS")
    need_id = need.id
    delete_need(db_session, admin, need_id)
    assert db_session.scalars(select(Match).where(Match.need_id == need_id)).all() == []
    later = published_offer(db_session, admin, producer.id, "Подшипник 6205-2RS закрытый")
    assert db_session.scalars(select(Match.need_id).where(Match.offer_id == later.id)).all() == []


def test_incremental_matches_equal_a_full_match(db_session: Session, admin: User) -> None:
    buyer = make_org(db_session, VKO)
    producers = [make_org(db_session, kato) for kato in (SKO, SKO, "470000000")]
    needs = [
        published_need(db_session, admin, buyer.id, title)
        for title in ("Подшипник 6205-2RS", "Подшипник роликовый 3182120", "Канат стальной 12 мм")
    ]
    for producer, title in zip(
        producers * 2,
        [
            "Подшипник 6205-2RS шариковый",
            "Подшипник роликовый конический 3182120",
            "Канат стальной двойной свивки",
            "Подшипник 6205 закрытый",
            "Канат стальной 12 мм ГОСТ",
            "Цемент М500",
        ],
        strict=True,
    ):
        published_offer(db_session, admin, producer.id, title)
    incremental = {need.id: stored(db_session, need) for need in needs}
    partners = parse_partners([f"{VKO}:{SKO}"])
    match_needs(db_session, build_matcher(db_session, partners), [need.id for need in needs])
    assert incremental == {need.id: stored(db_session, need) for need in needs}
    assert all(incremental.values())


def test_match_lines_takes_ids_written_by_bulk_statements(db_session: Session) -> None:
    buyer, producer = make_org(db_session, VKO), make_org(db_session, SKO)
    need = make_need(db_session, buyer, "Подшипник 6205-2RS")
    cache.updated_matcher(db_session)  # built before the offer arrives
    offer = make_offer(db_session, producer, "Подшипник 6205-2RS шариковый")
    run = match_lines(db_session, offer_ids=[offer.id])
    assert stored(db_session, need) == [offer.id]
    assert (run.needs, run.matches) == (1, 1)


def test_a_matching_failure_keeps_the_users_change_and_the_old_matches(
    db_session: Session, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    buyer, producer = make_org(db_session, VKO), make_org(db_session, SKO)
    bearing = make_offer(db_session, producer, "Подшипник 6205-2RS шариковый")
    need = published_need(db_session, admin, buyer.id, "Подшипник 6205-2RS")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("engine broke")

    monkeypatch.setattr(incremental, "match_lines", broken)
    update_need(db_session, admin, need.id, {"title": "Подшипник 6205-2RS закрытый"})
    db_session.refresh(need)
    assert need.title == "Подшипник 6205-2RS закрытый"
    assert stored(db_session, need) == [bearing.id]
