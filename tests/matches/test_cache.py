"""The per-process engine cache: rebuilt after this process's writes at once, after other
processes' writes within the re-check interval, and not rebuilt when nothing changed."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from seriktes.catalog.models import Offer
from seriktes.matches import cache, queries
from tests.webkit import make_offer, make_org


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    cache.clear()
    monkeypatch.setattr(cache, "RECHECK_SECONDS", 3600.0)
    yield
    cache.clear()


def test_unchanged_data_reuses_the_engine(db_session: Session) -> None:
    make_offer(db_session, make_org(db_session, "590000000"))
    first = cache.cached_matcher(db_session)
    cache._mark_stale({"matcher"})  # force a check
    assert cache.cached_matcher(db_session) is first


def test_an_offer_written_through_the_orm_is_searchable_at_once(db_session: Session) -> None:
    producer = make_org(db_session, "590000000")
    make_offer(db_session, producer)
    before = cache.cached_matcher(db_session)
    added = make_offer(db_session, producer, title="Канат стальной ГОСТ 2688-80")
    after = cache.cached_matcher(db_session)
    assert added.id not in before.offers
    assert added.id in after.offers
    assert after.search("канат стальной")[0][0] == added.id


def test_a_bulk_insert_is_noticed_at_once(db_session: Session) -> None:
    producer = make_org(db_session, "590000000")
    make_offer(db_session, producer)
    cache.cached_matcher(db_session)
    row = {
        "producer_id": producer.id,
        "external_id": "BULK-1",
        "title": "Цемент М400",
        "class_code": "23.51.12",
        "status": "published",
    }
    db_session.execute(insert(Offer), [row])
    assert len(cache.cached_matcher(db_session).offers) == 2


def test_another_process_write_is_noticed_after_the_recheck_interval(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    producer = make_org(db_session, "590000000")
    kept, gone = make_offer(db_session, producer), make_offer(db_session, producer)
    assert set(cache.cached_matcher(db_session).offers) == {kept.id, gone.id}
    # plain SQL passes by the ORM, as another process's write would
    db_session.connection().execute(text("DELETE FROM offers WHERE id = :id"), {"id": gone.id})
    assert gone.id in cache.cached_matcher(db_session).offers  # within the interval
    monkeypatch.setattr(cache, "RECHECK_SECONDS", 0.0)
    assert set(cache.cached_matcher(db_session).offers) == {kept.id}


def test_a_due_recheck_does_not_make_other_requests_wait(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    producer = make_org(db_session, "590000000")
    make_offer(db_session, producer)
    built = cache.cached_matcher(db_session)
    entry = cache._entries[(cache._database(db_session), "matcher")]
    monkeypatch.setattr(cache, "RECHECK_SECONDS", 0.0)
    asked: list[int] = []
    monkeypatch.setattr(cache, "_offers_version", lambda session: asked.append(1) or entry.version)
    with entry.build_lock:  # another request is asking the database
        assert cache.cached_matcher(db_session) is built
    assert asked == []
    assert cache.cached_matcher(db_session) is built  # nobody is asking now: this one asks
    assert asked == [1]


def test_after_a_write_of_this_process_requests_wait_for_the_new_engine(
    db_session: Session,
) -> None:
    producer = make_org(db_session, "590000000")
    make_offer(db_session, producer)
    before = cache.cached_matcher(db_session)
    added = make_offer(db_session, producer, title="Канат стальной ГОСТ 2688-80")
    entry = cache._entries[(cache._database(db_session), "matcher")]
    got: list[object] = []
    with entry.build_lock:  # another request is building
        waiting = threading.Thread(target=lambda: got.append(cache.cached_matcher(db_session)))
        waiting.start()
        waiting.join(0.3)
        assert waiting.is_alive() and got == []  # it waits rather than answer from `before`
    waiting.join(30)
    assert got and got[0] is not before and added.id in got[0].offers  # type: ignore[attr-defined]


def test_search_fills_its_page_when_found_offers_were_unpublished_meanwhile(
    db_session: Session,
) -> None:
    producer = make_org(db_session, "590000000")
    for n in range(4):
        make_offer(db_session, producer, title=f"Канат стальной ГОСТ 2688-80, партия {n}")
    first = queries.search(db_session, None, "канат стальной", limit=2)
    best = first.offers[0][0].id
    # another process unpublishes the best offer; this process's engine still holds it
    db_session.connection().execute(
        text("UPDATE offers SET status = 'draft' WHERE id = :id"), {"id": best}
    )
    again = queries.search(db_session, None, "канат стальной", limit=2)
    shown = [offer.id for offer, _ in again.offers]
    assert len(shown) == 2 and best not in shown
    assert [score for _, score in again.offers] == sorted(
        (score for _, score in again.offers), reverse=True
    )


def test_an_offer_written_here_is_applied_in_place_not_rebuilt(db_session: Session) -> None:
    producer = make_org(db_session, "590000000")
    make_offer(db_session, producer)
    before = cache.updated_matcher(db_session)
    added = make_offer(db_session, producer, title="Канат стальной ГОСТ 2688-80")
    after = cache.updated_matcher(db_session)
    assert after is before and added.id in after.offers
    assert after.search("канат стальной")[0][0] == added.id
    cache._mark_stale({"matcher"})  # as the commit does: the check finds the engine current
    assert cache.cached_matcher(db_session) is before


def test_an_engine_another_process_wrote_past_is_rebuilt_not_changed(db_session: Session) -> None:
    producer = make_org(db_session, "590000000")
    first = make_offer(db_session, producer)
    before = cache.updated_matcher(db_session)
    # plain SQL passes by the ORM, as another process's write would
    db_session.connection().execute(text("DELETE FROM offers WHERE id = :id"), {"id": first.id})
    db_session.expunge(first)
    added = make_offer(db_session, producer, title="Канат стальной ГОСТ 2688-80")
    after = cache.updated_matcher(db_session)
    assert after is not before and set(after.offers) == {added.id}


def test_bulk_writes_are_applied_in_place_only_when_their_ids_are_given(
    db_session: Session,
) -> None:
    producer = make_org(db_session, "590000000")
    make_offer(db_session, producer)
    before = cache.updated_matcher(db_session)
    row = {"producer_id": producer.id, "title": "Цемент М400", "status": "published"}
    db_session.execute(insert(Offer), [{**row, "external_id": "BULK-1"}])
    rebuilt = cache.updated_matcher(db_session)
    assert rebuilt is not before and len(rebuilt.offers) == 2
    db_session.execute(insert(Offer), [{**row, "external_id": "BULK-2"}])
    bulk = db_session.scalars(select(Offer.id).where(Offer.external_id == "BULK-2")).one()
    assert cache.updated_matcher(db_session, [bulk]) is rebuilt
    assert bulk in rebuilt.offers


def test_what_a_rolled_back_transaction_gave_the_engine_is_taken_back(
    db_engine: Engine,
) -> None:
    with Session(db_engine) as session:
        producer = make_org(session, "590000000")
        cache.updated_matcher(session)
        added = make_offer(session, producer, title="Канат стальной ГОСТ 2688-80")
        assert added.id in cache.updated_matcher(session).offers
        session.rollback()
    with Session(db_engine) as session:
        assert added.id not in cache.cached_matcher(session).offers


def test_an_in_place_change_waits_for_the_readers_of_the_engine(db_session: Session) -> None:
    producer = make_org(db_session, "590000000")
    make_offer(db_session, producer)
    matcher = cache.updated_matcher(db_session)
    added = make_offer(db_session, producer, title="Канат стальной ГОСТ 2688-80")
    done: list[bool] = []
    with cache.reading():  # a search is reading the engine
        writer = threading.Thread(
            target=lambda: done.append(bool(cache.updated_matcher(db_session)))
        )
        writer.start()
        writer.join(0.3)
        assert writer.is_alive() and added.id not in matcher.offers
    writer.join(30)
    assert done == [True] and added.id in matcher.offers
