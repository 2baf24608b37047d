"""Process-wide engine instances built from the database and rebuilt only when it changed.

The matcher of the search box and the classifier are derived data: they are rebuilt from
the database when the offers (or classifier codes) change, never the only copy of anything.

Asking the database whether the offers changed costs a scan of the offers table, too much
for every search. So this process notes its own writes to offers and codes (ORM flushes and
bulk statements) and re-checks at once after them: a request that follows such a write waits
for the engine that includes it. Writes by other processes (an import from the command line
while the server runs) are noticed within `RECHECK_SECONDS`: one request asks the database,
and the requests that come meanwhile go on with the engine they have rather than queue
behind it (under load, a queue of requests each repeating the scan cost a fifth of the
server's time).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import event, func, select
from sqlalchemy.orm import ORMExecuteState, Session

from seriktes.catalog.models import Offer
from seriktes.matches.service import build_classifier, build_matcher
from seriktes.matching.classifier import Classifier
from seriktes.matching.matcher import Matcher
from seriktes.registry.models import ClassifierCode

RECHECK_SECONDS = 2.0
WATCHED = {Offer.__tablename__: "matcher", ClassifierCode.__tablename__: "classifier"}

T = TypeVar("T")
_UNBUILT = object()


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


_lock = threading.Lock()
_entries: dict[tuple[str, str], _Entry] = {}


def _entry(key: tuple[str, str]) -> _Entry:
    with _lock:
        return _entries.setdefault(key, _Entry())


def _mark_stale(kinds: set[str]) -> None:
    with _lock:
        for (_database, kind), entry in _entries.items():
            if kind in kinds or (kind == "matcher" and "classifier" in kinds):
                entry.written += 1


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    kinds = {
        WATCHED[table]
        for obj in (*session.new, *session.dirty, *session.deleted)
        if (table := getattr(obj, "__tablename__", None)) in WATCHED
    }
    if kinds:
        session.info.setdefault("seriktes_engines_touched", set()).update(kinds)
        _mark_stale(kinds)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    kind = WATCHED.get(getattr(table, "name", ""))
    if kind:
        state.session.info.setdefault("seriktes_engines_touched", set()).add(kind)
        _mark_stale({kind})


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    # checks made between the flush and the commit saw the old data: check again
    touched = session.info.pop("seriktes_engines_touched", None)
    if touched:
        _mark_stale(touched)


def _offers_version(session: Session) -> Any:
    return tuple(session.execute(select(func.count(Offer.id), func.max(Offer.updated_at))).one())


def _codes_version(session: Session) -> Any:
    return session.scalar(select(func.count(ClassifierCode.id)))


def _database(session: Session) -> str:
    return str(session.get_bind().engine.url)


def _cached(
    session: Session,
    kind: str,
    version_of: Callable[[Session], Any],
    build: Callable[[Session], T],
) -> T:
    entry = _entry((_database(session), kind))
    if entry.fresh:
        return entry.engine  # type: ignore[no-any-return]
    if entry.current:
        # only the periodic look for other processes' writes is due: one request looks
        if not entry.build_lock.acquire(blocking=False):
            return entry.engine  # type: ignore[no-any-return]
    else:
        entry.build_lock.acquire()  # after a write of ours: wait for the engine with it
    try:
        if entry.fresh:  # built or checked while this request waited
            return entry.engine
        written, checked_at = entry.written, time.monotonic()
        version = version_of(session)
        if entry.version is _UNBUILT or entry.version != version:
            entry.engine = build(session)
            entry.version = version
        entry.seen, entry.checked_at = written, checked_at
        return entry.engine  # type: ignore[no-any-return]
    finally:
        entry.build_lock.release()


def engines_fresh(session: Session) -> bool:
    """Whether the classifier and the matcher can be had without asking the database
    (built, current and checked within `RECHECK_SECONDS`)."""
    database = _database(session)
    return all(_entry((database, kind)).fresh for kind in ("classifier", "matcher"))


def cached_classifier(session: Session) -> Classifier | None:
    """The classifier of this database's KP VED codes and labelled needs."""
    return _cached(session, "classifier", _codes_version, build_classifier)


def cached_matcher(session: Session) -> Matcher:
    """A matcher over this database's published offers."""
    return _cached(
        session,
        "matcher",
        _offers_version,
        lambda s: build_matcher(s, classifier=cached_classifier(s)),
    )


def clear() -> None:
    """Forget every cached engine (tests)."""
    with _lock:
        _entries.clear()
