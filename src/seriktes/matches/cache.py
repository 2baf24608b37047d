"""Process-wide engine instances built from the database, rebuilt when another process changed
the data and kept up to date in place with this process's own writes.

The matcher (search and matching), the classifier and the index of open needs are derived
data: built from the database, never the only copy of anything.

Asking the database whether the offers changed costs a scan of the offers table, too much
for every search. So this process notes its own writes to offers, needs and codes (ORM flushes
and bulk statements) and re-checks at once after them: a request that follows such a write
waits for the engine that includes it. Writes by other processes (an import from the command
line while the server runs) are noticed within `RECHECK_SECONDS`: one request asks the
database, and the requests that come meanwhile go on with the engine they have rather than
queue behind it (under load, a queue of requests each repeating the scan cost a fifth of the
server's time).

A transaction that wrote offers (needs) and asks for `updated_matcher` (`updated_need_index`)
gets the engine with its own writes applied in place, only the rows it wrote indexed again,
when the engine was current before those writes: the data's version read just before the
transaction's first write to the table is the engine's. Otherwise (another process wrote
meanwhile, or the engine was never built) the engine is built again from what the transaction
sees. The server's threads share the engines: readers (searching, ranking) hold `reading()`;
an in-place change waits for them and keeps new readers out while it runs (a millisecond).

When the index folder holds a snapshot of the offers for this database (`matches.snapshots`,
built by `seriktes index build` or a job), the matcher is not built: it is read from the
snapshot's mapped files, shared by every process, and follows the change log
(`matches.changelog`) at most every `SHARED_RECHECK_SECONDS`, or at once after a write of this
process; a transaction that logged changes and rolled back drops it (opened again from the
snapshot). Without a snapshot, or when none holds, all is as described above.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction

from seriktes.catalog.models import Need, Offer
from seriktes.config import get_settings
from seriktes.matches import changelog, snapshots
from seriktes.matches.models import MatchFeedback
from seriktes.matches.needindex import NeedIndex
from seriktes.matches.service import (
    build_classifier,
    build_matcher,
    build_need_index,
    need_changes,
    offer_changes,
    parse_partners,
)
from seriktes.matching.classifier import Classifier
from seriktes.matching.matcher import Matcher
from seriktes.matching.snapshot import current_name
from seriktes.registry.models import ClassifierCode

RECHECK_SECONDS = 2.0
SHARED_RECHECK_SECONDS = 1.0  # how often a matcher over a snapshot reads the change log
SHARED = "shared"  # the matcher over a snapshot (`matches.snapshots`), when one holds
WATCHED = {
    Offer.__tablename__: "matcher",
    Need.__tablename__: "needs",
    ClassifierCode.__tablename__: "classifier",
}
BUILT_WITH_CLASSIFIER = ("matcher", "needs")
_TOUCHED = "seriktes_engines_touched"  # kinds this transaction wrote
_BEFORE = "seriktes_versions_before"  # kind → version before the transaction's first write
_WRITTEN = "seriktes_rows_written"  # kind → ids its flushes wrote
_BULK = "seriktes_bulk_written"  # kinds its bulk statements wrote (ids not known)

T = TypeVar("T")
E = TypeVar("E")
_UNBUILT = object()


class _SharedLock:
    """Many readers at once or one writer; a waiting writer keeps new readers out."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        """Hold the lock with other readers."""
        with self._condition:
            self._condition.wait_for(lambda: not (self._writing or self._waiting))
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                self._condition.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the lock alone."""
        with self._condition:
            self._waiting += 1
            self._condition.wait_for(lambda: not (self._writing or self._readers))
            self._waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


_engines_lock = _SharedLock()


def reading() -> AbstractContextManager[None]:
    """Hold while reading an engine (search, ranking), so that no in-place change runs
    meanwhile; never ask for an engine while holding it."""
    return _engines_lock.shared()


class _Entry:
    """One cached engine, the data version it was built from and when that was checked.

    `written` counts this process's writes to the engine's tables; `seen` is the count the
    engine's last check started from, so the engine may miss a write while they differ.
    """

    def __init__(self) -> None:
        self.build_lock = threading.Lock()
        self.version: Any = _UNBUILT
        self.engine: Any = None
        self.checked_at = float("-inf")
        self.written = 1
        self.seen = 0

    @property
    def current(self) -> bool:
        """Built, and no write of this process since its last check began."""
        return self.version is not _UNBUILT and self.seen == self.written

    @property
    def fresh(self) -> bool:
        """Current, and checked against the database within `RECHECK_SECONDS`."""
        return self.current and time.monotonic() - self.checked_at < RECHECK_SECONDS

    @property
    def shared_fresh(self) -> bool:
        """Current, and checked within `SHARED_RECHECK_SECONDS` (the change log)."""
        return self.current and time.monotonic() - self.checked_at < SHARED_RECHECK_SECONDS


_lock = threading.Lock()
_entries: dict[tuple[str, str], _Entry] = {}
_given_up: dict[str, str] = {}  # database → the snapshot a reset was logged after


def _entry(key: tuple[str, str]) -> _Entry:
    with _lock:
        return _entries.setdefault(key, _Entry())


def _mark_stale(kinds: set[str]) -> None:
    if "classifier" in kinds:
        kinds = kinds | set(BUILT_WITH_CLASSIFIER)
    if "matcher" in kinds:
        kinds = kinds | {SHARED}
    with _lock:
        for (_database, kind), entry in _entries.items():
            if kind in kinds:
                entry.written += 1


def _watched(objects: Iterable[object]) -> dict[str, set[Any]]:
    """The kinds of engine these ORM objects feed, with the objects' ids."""
    found: dict[str, set[Any]] = {}
    for obj in objects:
        kind = WATCHED.get(getattr(obj, "__tablename__", ""))
        if kind:
            found.setdefault(kind, set()).add(getattr(obj, "id", None))
    return found


def _note_version_before(session: Session, kinds: Iterable[str]) -> None:
    before = session.info.setdefault(_BEFORE, {})
    shared = _shared_active(session)
    for kind in kinds:
        if kind == "matcher" and shared:
            continue  # the change log, not a scan of the offers, tells what changed
        if kind in BUILT_WITH_CLASSIFIER and kind not in before:
            before[kind] = _version(kind, session)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    # inside a flush a query does not flush again: this reads the data as it was
    _note_version_before(session, _watched((*session.new, *session.dirty, *session.deleted)))


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: UOWTransaction) -> None:
    kinds = _watched((*session.new, *session.dirty, *session.deleted))
    if kinds:
        session.info.setdefault(_TOUCHED, set()).update(kinds)
        written = session.info.setdefault(_WRITTEN, {})
        for kind, ids in kinds.items():
            written.setdefault(kind, set()).update(i for i in ids if i is not None)
        _mark_stale(set(kinds))


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    kind = WATCHED.get(getattr(table, "name", ""))
    if kind:
        _note_version_before(state.session, [kind])
        state.session.info.setdefault(_BULK, set()).add(kind)
        state.session.info.setdefault(_TOUCHED, set()).add(kind)
        _mark_stale({kind})


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is not None:
        return
    # checks made between the flush and the commit saw the old data, and a rollback takes
    # back what an engine was given in place: check again
    touched = session.info.pop(_TOUCHED, None)
    for key in (_BEFORE, _WRITTEN, _BULK):
        session.info.pop(key, None)
    if touched:
        _mark_stale(touched)
    if session.info.pop(changelog.LOGGED_ANY, False):
        # rolled back: the matcher over a snapshot may hold changes never committed
        _drop_shared(session)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(changelog.LOGGED_ANY, None)


def _offers_version(session: Session) -> Any:
    codes = select(func.count(ClassifierCode.id)).scalar_subquery()
    answers = select(func.count(MatchFeedback.id), func.max(MatchFeedback.updated_at))
    stmt = select(func.count(Offer.id), func.max(Offer.updated_at), codes)
    return (*session.execute(stmt).one(), *session.execute(answers).one())


def _needs_version(session: Session) -> Any:
    codes = select(func.count(ClassifierCode.id)).scalar_subquery()
    stmt = select(func.count(Need.id), func.max(Need.updated_at), codes)
    return tuple(session.execute(stmt).one())


def _codes_version(session: Session) -> Any:
    return session.scalar(select(func.count(ClassifierCode.id)))


def _version(kind: str, session: Session) -> Any:
    """The version of the data the engine of `kind` is built from."""
    of = {"matcher": _offers_version, "needs": _needs_version, "classifier": _codes_version}
    return of[kind](session)


def _database(session: Session) -> str:
    return str(session.get_bind().engine.url)


def _cached(session: Session, kind: str, build: Callable[[Session], T], check: bool = False) -> T:
    """The engine of `kind`, built or checked when needed (always checked with `check`)."""
    entry = _entry((_database(session), kind))
    if entry.fresh and not check:
        return entry.engine  # type: ignore[no-any-return]
    if entry.current and not check:
        # only the periodic look for other processes' writes is due: one request looks
        if not entry.build_lock.acquire(blocking=False):
            return entry.engine  # type: ignore[no-any-return]
    else:
        entry.build_lock.acquire()  # after a write of ours: wait for the engine with it
    try:
        if entry.fresh and not check:  # built or checked while this request waited
            return entry.engine  # type: ignore[no-any-return]
        written, checked_at = entry.written, time.monotonic()
        version = _version(kind, session)
        if entry.version is _UNBUILT or entry.version != version:
            entry.engine = build(session)
            entry.version = version
        entry.seen, entry.checked_at = written, checked_at
        return entry.engine  # type: ignore[no-any-return]
    finally:
        entry.build_lock.release()


def _updated(
    session: Session,
    kind: str,
    build: Callable[[Session], E],
    changes: Callable[[Session, Iterable[int]], Callable[[E], None]],
    ids: Iterable[int] | None,
    lazy: bool = False,
) -> E | None:
    """The engine of `kind` with this transaction's writes to its table (and the rows `ids`,
    which may have been written by bulk statements) applied in place when it was current
    before them; built again otherwise. `lazy`: None rather than build it."""
    info = session.info
    before = info.get(_BEFORE, {}).pop(kind, _UNBUILT)
    written = set(info.get(_WRITTEN, {}).pop(kind, ())) | set(ids or ())
    bulk_unknown = kind in info.get(_BULK, ()) and ids is None
    info.get(_BULK, set()).discard(kind)
    entry = _entry((_database(session), kind))
    if lazy and entry.version is _UNBUILT:
        return None  # built from the database when first needed
    if before is _UNBUILT:  # nothing written here: written before, and maybe by others
        return _cached(session, kind, build, check=bool(written))
    apply = changes(session, written)  # reads the rows before the lock is taken
    with entry.build_lock:
        count, checked_at = entry.written, time.monotonic()
        if entry.version is not _UNBUILT and entry.version == before and not bulk_unknown:
            with _engines_lock.exclusive():
                apply(entry.engine)
        else:
            entry.engine = build(session)
        entry.version = _version(kind, session)
        entry.seen, entry.checked_at = count, checked_at
        return entry.engine  # type: ignore[no-any-return]


def _build_matcher(session: Session) -> Matcher:
    partners = parse_partners(get_settings().partner_regions)
    return build_matcher(session, partners, cached_classifier(session))


def _build_need_index(session: Session) -> NeedIndex:
    return build_need_index(session, cached_classifier(session))


def engines_fresh(session: Session) -> bool:
    """Whether the classifier and the matcher can be had without asking the database
    (built, current and checked within `RECHECK_SECONDS`)."""
    database = _database(session)
    shared = _entry((database, SHARED))
    matcher = shared.engine is not None and shared.shared_fresh
    return _entry((database, "classifier")).fresh and (
        matcher or _entry((database, "matcher")).fresh
    )


def cached_classifier(session: Session) -> Classifier | None:
    """The classifier of this database's KP VED codes and labelled needs."""
    return _cached(session, "classifier", build_classifier)


def _shared_active(session: Session) -> bool:
    """Whether this process serves the matcher over a snapshot of this database."""
    with _lock:
        entry = _entries.get((_database(session), SHARED))
    return entry is not None and entry.engine is not None


def _drop_shared(session: Session) -> None:
    with _lock:
        _entries.pop((_database(session), SHARED), None)


def _shared(session: Session, check: bool = False) -> snapshots.Shared | None:
    """The matcher over the current snapshot, caught up with the change log at most every
    `SHARED_RECHECK_SECONDS` (at once with `check`, or after a write of this process); None
    when no snapshot holds for this database (the matcher is then built in memory)."""
    root = snapshots.index_folder()
    if root is None:
        return None
    entry = _entry((_database(session), SHARED))
    if entry.shared_fresh and not check:
        return entry.engine  # type: ignore[no-any-return]
    if entry.current and not check:
        if not entry.build_lock.acquire(blocking=False):
            return entry.engine  # type: ignore[no-any-return]
    else:
        entry.build_lock.acquire()
    try:
        if entry.shared_fresh and not check:
            return entry.engine  # type: ignore[no-any-return]
        written, checked_at = entry.written, time.monotonic()
        entry.engine = _shared_checked(session, root, entry.engine)
        entry.version = entry.engine is not None
        entry.seen, entry.checked_at = written, checked_at
        return entry.engine  # type: ignore[no-any-return]
    finally:
        entry.build_lock.release()


def _shared_checked(
    session: Session, root: Path, shared: snapshots.Shared | None
) -> snapshots.Shared | None:
    """`shared` caught up with the change log, or the current snapshot opened anew when it
    is another one; None when none holds (or a reset was logged after it)."""
    name = current_name(root)
    database = _database(session)
    if name is None or _given_up.get(database) == name:
        return None  # none, or a reset was logged after it: wait for the next one
    current = shared is not None and shared.name == name
    if shared is not None and current and shared.codes == snapshots.codes_count(session):
        apply, cursor, reset = snapshots.catch_up(session, shared)
        with _engines_lock.exclusive():
            apply(shared.matcher)
        shared.cursor, shared.reset = cursor, reset
        if reset:
            _given_up[database] = name
        return None if reset else shared
    partners = parse_partners(get_settings().partner_regions)
    opened = snapshots.open_current_shared(session, root, cached_classifier(session), partners)
    if opened is not None and opened.reset:
        _given_up[database] = name
        return None
    if opened is not None:
        with _lock:  # the matcher built in memory before the snapshot is no longer needed
            _entries.pop((database, "matcher"), None)
    return opened


def snapshot_due(session: Session) -> bool:
    """Whether a new snapshot of the offers should be built (`snapshots.build_snapshot`, a
    job): the changes since the current one are past `snapshots.REBUILD_SHARE` of its offers
    or `REBUILD_CHANGES`, or it no longer holds (a reset was logged after it, the classifier
    codes changed). False when there is no snapshot at all (the matcher is built in memory)."""
    root = snapshots.index_folder()
    if root is None or current_name(root) is None:
        return False
    shared = _shared(session)
    return shared is None or shared.rebuild_due


def cached_matcher(session: Session) -> Matcher:
    """A matcher over this database's published offers."""
    shared = _shared(session)
    if shared is not None:
        return shared.matcher
    return _cached(session, "matcher", _build_matcher)


def updated_matcher(session: Session, offer_ids: Iterable[int] | None = None) -> Matcher:
    """The matcher with every offer this transaction wrote (and `offer_ids`) as it is now."""
    if offer_ids is not None:
        offer_ids = list(offer_ids)
        changelog.log_offers(session, offer_ids)  # written in bulk: the log names them
    shared = _shared(session, check=True)
    if shared is not None:
        for key in (_BEFORE, _WRITTEN):
            session.info.get(key, {}).pop("matcher", None)
        session.info.get(_BULK, set()).discard("matcher")
        return shared.matcher
    matcher = _updated(session, "matcher", _build_matcher, offer_changes, offer_ids)
    assert matcher is not None
    return matcher


def matcher_with(session: Session, change: Callable[[Matcher], None]) -> Matcher:
    """The matcher with this transaction's writes and `change` (feedback on a pair, just
    stored) applied in place. Its version then counts the stored feedback, so a rollback
    (or another process's answer) has it built again, with the feedback in the database.
    A matcher over a snapshot reads the answer from the change log instead."""
    matcher = updated_matcher(session)
    if _shared_active(session):
        return matcher
    entry = _entry((_database(session), "matcher"))
    with entry.build_lock:
        if entry.engine is matcher:
            with _engines_lock.exclusive():
                change(matcher)
        else:  # built again meanwhile from another transaction: build it from this one
            entry.engine = _build_matcher(session)
        entry.version = _version("matcher", session)
        session.info.setdefault(_TOUCHED, set()).add("matcher")
        engine: Matcher = entry.engine
        return engine


def updated_need_index(
    session: Session, need_ids: Iterable[int] | None = None, lazy: bool = False
) -> NeedIndex | None:
    """The index of published needs with every need this transaction wrote (and `need_ids`)
    as it is now; with `lazy`, None when it was never built (nothing to keep current)."""
    return _updated(session, "needs", _build_need_index, need_changes, need_ids, lazy)


def forget(session: Session) -> None:
    """Drop this database's engines: a failure may have left one half-changed."""
    database = _database(session)
    with _lock:
        for key in [key for key in _entries if key[0] == database]:
            del _entries[key]


def clear() -> None:
    """Forget every cached engine (tests)."""
    with _lock:
        _entries.clear()
        _given_up.clear()
