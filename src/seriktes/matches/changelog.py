"""The log of the writes the matching engines follow (`matching_changes`), written in the
transaction that makes them and read by every process serving a snapshot of the offers.

Offers, needs and answers on pairs written through the ORM are logged when they are flushed.
Offers written by bulk statements are logged when their ids are handed to the matching
(`log_offers`, as `match_lines` does after an import); a transaction that wrote offers in bulk
and never said which is logged as a `reset` at its commit: no snapshot holds after it.

A reader keeps a `Cursor`: the last id it read and the ranges of lower ids it has not seen.
On PostgreSQL ids are given when a row is written, not when it is committed, so a change
may become visible after a later one was read; the missing ids are looked for again for
`GAP_SECONDS` (a transaction that stays open longer, or rolled back, leaves them missing).
On SQLite the writers take turns and ids are never given twice (AUTOINCREMENT).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, event, func, insert, or_, select
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, UOWTransaction

from seriktes.catalog.models import Need, Offer
from seriktes.kit import clock
from seriktes.matches.models import ChangeKind, MatchFeedback, MatchingChange

GAP_SECONDS = 900.0  # how long an id missing below the last one read is looked for
MAX_GAPS = 64  # ranges of missing ids kept (the oldest are given up first)
_BULK = "seriktes_offers_bulk_unlogged"  # offers written in bulk, ids not logged yet
_LOGGED = "seriktes_offers_logged"  # offer ids logged in this transaction
LOGGED_ANY = "seriktes_changes_logged"  # this transaction logged a change

_table = cast(Table, MatchingChange.__table__)


@dataclass(frozen=True)
class Change:
    """One logged change."""

    id: int
    offer_id: int | None
    need_id: int | None
    kind: ChangeKind


@dataclass
class Cursor:
    """Where a reader is in the log: the last id read and the ranges of lower ids not seen
    yet (first id, last id, when they were found missing)."""

    last: int = 0
    gaps: list[tuple[int, int, float]] = field(default_factory=list)


# --- writing -----------------------------------------------------------------------------
def _row(obj: object, kind: ChangeKind) -> dict[str, Any] | None:
    if isinstance(obj, Offer):
        return {"offer_id": obj.id, "need_id": None, "kind": kind}
    if isinstance(obj, Need):
        return {"offer_id": None, "need_id": obj.id, "kind": kind}
    if isinstance(obj, MatchFeedback):
        return {"offer_id": obj.offer_id, "need_id": obj.need_id, "kind": kind}
    return None


def _write(session: Session, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    now = clock.now()
    rows.sort(key=lambda r: (r["offer_id"] or 0, r["need_id"] or 0))
    session.connection().execute(insert(_table), [{**r, "created_at": now} for r in rows])
    session.info[LOGGED_ANY] = True
    logged = session.info.setdefault(_LOGGED, set())
    for r in rows:
        if r["offer_id"] is not None and r["need_id"] is None:
            # an id deleted may be given again (SQLite): log what is written with it then
            (logged.discard if r["kind"] is ChangeKind.DELETE else logged.add)(r["offer_id"])


@event.listens_for(Session, "after_flush")
def _log_flush(session: Session, _context: UOWTransaction) -> None:
    rows = [
        row
        for objects, kind in (
            (session.new, ChangeKind.UPSERT),
            (session.dirty, ChangeKind.UPSERT),
            (session.deleted, ChangeKind.DELETE),
        )
        for obj in objects
        if (row := _row(obj, kind)) is not None and (row["offer_id"] or row["need_id"])
    ]
    _write(session, rows)


@event.listens_for(Session, "do_orm_execute")
def _note_bulk(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", "") == Offer.__tablename__:
        state.session.info[_BULK] = True


def log_offers(session: Session, offer_ids: Iterable[int]) -> None:
    """Log these offers as written (those written in bulk), unless logged already."""
    logged = session.info.get(_LOGGED, set())
    wanted = sorted(set(offer_ids) - logged)
    _write(session, [{"offer_id": i, "need_id": None, "kind": ChangeKind.UPSERT} for i in wanted])
    session.info.pop(_BULK, None)


def bulk_included(session: Session) -> None:
    """Forget that this transaction wrote offers in bulk: a snapshot it built holds them."""
    session.info.pop(_BULK, None)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the transaction's commit logs it
    if session.info.pop(_BULK, False):
        _write(session, [{"offer_id": None, "need_id": None, "kind": ChangeKind.RESET}])


@event.listens_for(Session, "after_transaction_end")
def _forget_notes(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        for key in (_BULK, _LOGGED):
            session.info.pop(key, None)


# --- reading -----------------------------------------------------------------------------
def last_id(session: Session) -> int:
    """The id of the last change this session sees (0 when none)."""
    return int(session.scalar(select(func.max(MatchingChange.id))) or 0)


def missing_below(session: Session, last: int, window: int = 10_000) -> list[tuple[int, int]]:
    """The ranges of ids among the `window` ids up to `last` that this session does not see
    (changes of transactions still open, or rolled back)."""
    low = max(last - window, 0)
    stmt = select(MatchingChange.id).where(MatchingChange.id > low, MatchingChange.id <= last)
    seen = sorted(session.scalars(stmt))
    return _holes(low, seen)


def _holes(after: int, ids: Sequence[int]) -> list[tuple[int, int]]:
    holes, previous = [], after
    for change_id in ids:
        if change_id > previous + 1:
            holes.append((previous + 1, change_id - 1))
        previous = max(previous, change_id)
    return holes


def read(session: Session, cursor: Cursor) -> tuple[list[Change], Cursor]:
    """The changes after `cursor` (and those found in its gaps), oldest first, and the
    cursor after them."""
    column = MatchingChange.id
    wanted = or_(column > cursor.last, *(column.between(lo, hi) for lo, hi, _ in cursor.gaps))
    stmt = select(
        MatchingChange.id, MatchingChange.offer_id, MatchingChange.need_id, MatchingChange.kind
    ).where(wanted)
    changes = [Change(*row) for row in session.execute(stmt.order_by(column))]
    return changes, advance(cursor, [c.id for c in changes])


def advance(cursor: Cursor, ids: Sequence[int], now: float | None = None) -> Cursor:
    """The cursor once the changes `ids` were read."""
    now = time.monotonic() if now is None else now
    found = set(ids)
    gaps: list[tuple[int, int, float]] = []
    for lo, hi, since in cursor.gaps:
        if now - since > GAP_SECONDS:
            continue
        inside = sorted(i for i in found if lo <= i <= hi)
        gaps.extend((a, b, since) for a, b in _holes(lo - 1, [*inside, hi + 1]))
    newer = sorted(i for i in found if i > cursor.last)
    gaps.extend((a, b, now) for a, b in _holes(cursor.last, newer))
    return Cursor(max([cursor.last, *newer]), gaps[-MAX_GAPS:])


def prune(session: Session, upto: int, before: datetime | None = None) -> int:
    """Delete the changes up to id `upto` (every snapshot in use includes them), and with
    `before` only those logged earlier; return how many."""
    where = MatchingChange.id <= upto
    if before is not None:
        where = where & (MatchingChange.created_at < before)
    result = session.execute(delete(MatchingChange).where(where))
    return int(getattr(result, "rowcount", 0) or 0)
