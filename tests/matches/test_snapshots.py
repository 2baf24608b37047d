"""Many processes, one index: the offers in a snapshot every process maps, the changes since
read from the change log; rankings are those of the matcher built in memory."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.catalog.editing import OfferIn, create_offer, delete_offer, update_offer
from seriktes.catalog.models import Need, NeedStatus, Offer
from seriktes.config import get_settings
from seriktes.demo.loader import load_demo
from seriktes.matches import cache, changelog, feedback, snapshots
from seriktes.matches.incremental import keep_matches_current
from seriktes.matches.models import ChangeKind, MatchingChange
from seriktes.matches.service import (
    build_classifier,
    build_matcher,
    need_doc,
    offer_changes,
    parse_partners,
    ranked_rows,
)
from seriktes.matching.matcher import Matcher, MemoryOffers
from seriktes.matching.snapshot import SnapshotIndex, current_name
from tests.webkit import make_offer, make_org, make_user

VKO, SKO = "630000000", "590000000"


@pytest.fixture(autouse=True)
def index_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Snapshots in a folder of this test; engines built afresh."""
    monkeypatch.setenv("SERIKTES_INDEX_DIR", str(tmp_path / "index"))
    get_settings.cache_clear()
    keep_matches_current()
    cache.clear()
    yield tmp_path / "index"
    cache.clear()
    get_settings.cache_clear()


@pytest.fixture
def admin(db_session: Session) -> User:
    return make_user(db_session, Role.ADMIN)


def in_memory(session: Session) -> Matcher:
    """The matcher as today: built in memory from what the session sees."""
    partners = parse_partners(get_settings().partner_regions)
    return build_matcher(session, partners, build_classifier(session))


def rankings(session: Session, matcher: Matcher, needs: list[Need]) -> list[object]:
    found = []
    with cache.reading():
        for need in needs:
            rows = ranked_rows(matcher, need_doc(need))
            found.append([(r["offer_id"], r["score"], r["explanation"]) for r in rows])
            found.append(matcher.search(need.title))
    return found


def sample_needs(session: Session, count: int = 60) -> list[Need]:
    stmt = select(Need).where(Need.status == NeedStatus.PUBLISHED).order_by(Need.id)
    needs = list(session.scalars(stmt))
    return random.Random(7).sample(needs, min(count, len(needs)))


def change_count(session: Session, **where: object) -> int:
    stmt = select(MatchingChange.id).filter_by(**where)
    return len(session.scalars(stmt).all())


def test_without_a_snapshot_the_matcher_is_built_in_memory(db_session: Session) -> None:
    make_offer(db_session, make_org(db_session, SKO))
    matcher = cache.cached_matcher(db_session)
    assert isinstance(matcher.offers, MemoryOffers)


def test_writes_are_logged_in_their_transaction(db_session: Session, admin: User) -> None:
    producer = make_org(db_session, SKO)
    bulk = {"producer_id": producer.id, "title": "Цемент", "status": "published"}
    db_session.execute(insert(Offer), [{**bulk, "external_id": "B-1"}])
    written = db_session.scalars(select(Offer.id).where(Offer.external_id == "B-1")).one()
    cache.updated_matcher(db_session, [written])  # as an import does: the ids are logged
    assert change_count(db_session, offer_id=written, kind=ChangeKind.UPSERT) == 1
    data = OfferIn(producer_id=producer.id, title="Канат стальной", status="published")
    offer = create_offer(db_session, admin, data)
    assert change_count(db_session, offer_id=offer.id, kind=ChangeKind.UPSERT) == 1
    delete_offer(db_session, admin, offer.id)
    assert change_count(db_session, offer_id=offer.id, kind=ChangeKind.DELETE) == 1
    db_session.commit()
    assert change_count(db_session, kind=ChangeKind.RESET) == 0


def test_offers_written_in_bulk_without_ids_log_a_reset(db_session: Session) -> None:
    producer = make_org(db_session, SKO)
    make_offer(db_session, producer)
    snapshots.build_snapshot(db_session)
    assert isinstance(cache.cached_matcher(db_session).index, SnapshotIndex)
    bulk = {"producer_id": producer.id, "title": "Цемент", "status": "published"}
    db_session.execute(insert(Offer), [{**bulk, "external_id": "B-2"}])
    db_session.commit()
    assert change_count(db_session, kind=ChangeKind.RESET) == 1
    matcher = cache.updated_matcher(db_session)  # the snapshot no longer holds: built again
    assert isinstance(matcher.offers, MemoryOffers) and len(matcher.offers) == 2


def test_demo_rankings_are_those_of_the_memory_matcher_before_and_after_edits(
    db_session: Session, admin: User
) -> None:
    load_demo(db_session)
    snapshots.build_snapshot(db_session)
    memory = in_memory(db_session)
    shared = cache.cached_matcher(db_session)
    assert isinstance(shared.index, SnapshotIndex)
    needs = sample_needs(db_session)
    assert rankings(db_session, shared, needs) == rankings(db_session, memory, needs)

    # edits through the editing service and an answer on a pair, each followed in place
    offers = list(db_session.scalars(select(Offer).order_by(Offer.id)))
    producer = offers[0].producer_id
    data = OfferIn(producer_id=producer, title="Подшипник 6205-2RS шариковый", status="published")
    created = create_offer(db_session, admin, data)
    update_offer(db_session, admin, offers[3].id, {"title": "Насос центробежный К 80-50-200"})
    delete_offer(db_session, admin, offers[5].id)
    need = needs[0]
    found = ranked_rows(shared, need_doc(need))
    if found:
        answer = feedback.Answer(False, feedback.Reason.WRONG_PRODUCT)
        feedback.record(db_session, admin, need.id, int(str(found[0]["offer_id"])), answer)
        memory.add_feedback(need_doc(need), int(str(found[0]["offer_id"])), False)
    for offer_id in (created.id, offers[3].id, offers[5].id):
        offer_changes(db_session, [offer_id])(memory)

    after = cache.cached_matcher(db_session)
    assert after is shared  # changed in place, not rebuilt
    assert created.id in after.offers and offers[5].id not in after.offers
    assert rankings(db_session, after, needs) == rankings(db_session, memory, needs)
    assert rankings(db_session, after, needs) == rankings(db_session, in_memory(db_session), needs)


def test_another_process_change_is_seen_at_the_next_look_at_the_log(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    producer = make_org(db_session, SKO)
    kept, gone = make_offer(db_session, producer), make_offer(db_session, producer)
    snapshots.build_snapshot(db_session)
    assert gone.id in cache.cached_matcher(db_session).offers
    # plain SQL passes by this process's ORM, as another process's write and its log would
    db_session.connection().execute(text("DELETE FROM offers WHERE id = :id"), {"id": gone.id})
    db_session.connection().execute(
        insert(MatchingChange), [{"offer_id": gone.id, "kind": ChangeKind.DELETE}]
    )
    monkeypatch.setattr(cache, "SHARED_RECHECK_SECONDS", 3600.0)
    assert gone.id in cache.cached_matcher(db_session).offers  # within the interval
    monkeypatch.setattr(cache, "SHARED_RECHECK_SECONDS", 0.0)
    matcher = cache.cached_matcher(db_session)
    assert gone.id not in matcher.offers and kept.id in matcher.offers
    assert isinstance(matcher.index, SnapshotIndex)


def test_a_new_snapshot_is_taken_up_and_the_log_pruned(db_session: Session) -> None:
    producer = make_org(db_session, SKO)
    make_offer(db_session, producer)
    first = snapshots.build_snapshot(db_session)
    before = cache.cached_matcher(db_session)
    added = make_offer(db_session, producer, title="Канат стальной ГОСТ 2688-80")
    assert added.id in cache.cached_matcher(db_session).offers
    logged = changelog.last_id(db_session)
    second = snapshots.build_snapshot(db_session)
    assert not first.exists() and current_name(second.parent) == second.name
    cache._mark_stale({"matcher"})
    after = cache.cached_matcher(db_session)
    assert after is not before and isinstance(after.index, SnapshotIndex)
    assert added.id in after.offers and after.index.changed == 0
    snapshots.build_snapshot(db_session)  # prunes the log up to the second one's last change
    assert changelog.last_id(db_session) in (0, logged) and change_count(db_session) == 0


def test_a_snapshot_of_other_classifier_codes_is_not_used(db_session: Session) -> None:
    make_offer(db_session, make_org(db_session, SKO))
    snapshots.build_snapshot(db_session)
    root = snapshots.index_folder()
    assert root is not None and snapshots.usable_meta(db_session, root) is not None
    meta_path = root / (current_name(root) or "") / "meta.json"
    meta_path.write_text(meta_path.read_text().replace('"codes": ', '"codes": 1000'))
    assert isinstance(cache.cached_matcher(db_session).offers, MemoryOffers)


def test_a_rolled_back_write_is_taken_back_from_the_snapshot_matcher(db_engine: Engine) -> None:
    with Session(db_engine) as session:
        producer = make_org(session, SKO)
        make_offer(session, producer)
        snapshots.build_snapshot(session)
        assert isinstance(cache.cached_matcher(session).index, SnapshotIndex)
        added = make_offer(session, producer, title="Канат стальной ГОСТ 2688-80")
        assert added.id in cache.updated_matcher(session).offers
        session.rollback()
    with Session(db_engine) as session:
        assert added.id not in cache.cached_matcher(session).offers


def test_a_committed_write_keeps_the_snapshot_matcher(db_session: Session) -> None:
    producer = make_org(db_session, SKO)
    make_offer(db_session, producer)
    snapshots.build_snapshot(db_session)
    before = cache.cached_matcher(db_session)
    added = make_offer(db_session, producer, title="Канат стальной ГОСТ 2688-80")
    db_session.commit()
    after = cache.updated_matcher(db_session)
    assert after is before and added.id in after.offers


def test_ids_missing_below_the_last_read_are_looked_for_again() -> None:
    cursor = changelog.advance(changelog.Cursor(10), [11, 14, 15], now=100.0)
    assert cursor.last == 15 and [(lo, hi) for lo, hi, _ in cursor.gaps] == [(12, 13)]
    cursor = changelog.advance(cursor, [13, 16], now=101.0)  # 13 committed late
    assert cursor.last == 16 and [(lo, hi) for lo, hi, _ in cursor.gaps] == [(12, 12)]
    later = 100.0 + changelog.GAP_SECONDS + 1
    assert changelog.advance(cursor, [], now=later).gaps == []  # given up: rolled back


def test_a_rebuild_is_due_past_a_share_of_changes(db_session: Session) -> None:
    producer = make_org(db_session, SKO)
    for n in range(3):
        make_offer(db_session, producer, title=f"Подшипник {n}")
    snapshots.build_snapshot(db_session)
    cache.cached_matcher(db_session)
    shared = cache._shared(db_session)
    assert shared is not None and not shared.rebuild_due
    make_offer(db_session, producer, title="Канат стальной ГОСТ 2688-80")
    cache.cached_matcher(db_session)
    assert shared.rebuild_due  # one change in three offers is past 5 %


def test_a_snapshot_is_due_when_none_holds_or_past_the_bound(db_session: Session) -> None:
    producer = make_org(db_session, SKO)
    make_offer(db_session, producer)
    assert not cache.snapshot_due(db_session)  # none yet: built in memory, as before
    snapshots.build_snapshot(db_session)
    assert not cache.snapshot_due(db_session)
    db_session.execute(insert(MatchingChange), [{"kind": ChangeKind.RESET}])
    cache._mark_stale({"matcher"})
    assert cache.snapshot_due(db_session)
    assert isinstance(cache.cached_matcher(db_session).offers, MemoryOffers)


def test_a_change_committed_after_a_later_one_is_still_read(db_engine: Engine) -> None:
    """On PostgreSQL a change may become visible after one with a higher id was read."""
    slow, quick, reader = Session(db_engine), Session(db_engine), Session(db_engine)
    try:
        cursor = changelog.Cursor(changelog.last_id(reader))
        reader.rollback()
        slow.execute(insert(MatchingChange), [{"offer_id": 10**6, "kind": ChangeKind.UPSERT}])
        slow_id = changelog.last_id(slow)
        if db_engine.dialect.name == "sqlite":
            slow.commit()  # SQLite writers take turns: ids follow the commits
        quick.execute(insert(MatchingChange), [{"offer_id": 10**6 + 1, "kind": ChangeKind.UPSERT}])
        quick.commit()
        changes, cursor = changelog.read(reader, cursor)
        reader.rollback()
        seen = {change.offer_id for change in changes}
        if db_engine.dialect.name != "sqlite":
            assert seen == {10**6 + 1}
            assert any(lo <= slow_id <= hi for lo, hi, _ in cursor.gaps)
            slow.commit()
            late, cursor = changelog.read(reader, cursor)
            seen |= {change.offer_id for change in late}
            assert not any(lo <= slow_id <= hi for lo, hi, _ in cursor.gaps)
        assert seen == {10**6, 10**6 + 1}
    finally:
        for session in (slow, quick, reader):
            session.rollback()
        with Session(db_engine) as cleanup:
            cleanup.execute(text("DELETE FROM matching_changes WHERE offer_id >= 1000000"))
            cleanup.commit()
        for session in (slow, quick, reader):
            session.close()


def test_the_log_keeps_what_a_snapshot_in_use_or_one_being_built_needs(
    db_session: Session,
) -> None:
    producer = make_org(db_session, SKO)
    make_offer(db_session, producer)
    assert change_count(db_session) >= 1
    assert snapshots.prune_log(db_session) == 0  # no snapshot: kept a day
    snapshots.build_snapshot(db_session)
    make_offer(db_session, producer, title="Канат стальной ГОСТ 2688-80")
    newer = changelog.last_id(db_session)
    assert snapshots.prune_log(db_session) >= 1  # those the snapshot includes
    assert [c.id for c in changelog.read(db_session, changelog.Cursor())[0]] == [newer]
