"""One import at a time: two imports that run at once would both insert the same new
organisations and lines, and one of them would end in a raw duplicate-key error
(PostgreSQL) or "database is locked" (SQLite). The second one is told to try again."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from seriktes.kit.errors import Conflict, ErrorItem
from seriktes.kit.i18n import N_

# the key of PostgreSQL's transaction-level advisory lock held by an import
IMPORT_LOCK_KEY = 0x5E41_4B7E_1A01
BUSY = N_("another import is running; try again when it has finished")


def hold_import_lock(session: Session) -> None:
    """Hold the import lock until the session's transaction ends; Conflict (409) when
    another transaction holds it. Taking it again in the same transaction is a no-op.

    PostgreSQL: a transaction-level advisory lock, tried without waiting. SQLite: the
    database's write lock, taken now by a write that changes nothing (it waits for the
    connection's busy timeout, then refuses)."""
    try:
        if session.get_bind().dialect.name == "postgresql":
            query = text("SELECT pg_try_advisory_xact_lock(:key)")
            held = bool(session.scalar(query, {"key": IMPORT_LOCK_KEY}))
        else:
            session.execute(text("UPDATE alembic_version SET version_num = version_num WHERE 0"))
            held = True
    except OperationalError as exc:
        if "locked" not in str(exc) and "busy" not in str(exc):
            raise
        held = False
    if not held:
        raise Conflict(BUSY, [ErrorItem(("file",), BUSY)])
