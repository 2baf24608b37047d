"""Database plumbing: declarative base, engines and the one transaction boundary."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import DateTime, Dialect, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.orm.interfaces import ORMOption

from seriktes.kit import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL
BUSY_TIMEOUT_MS = 30_000  # how long a SQLite connection waits for another's write lock
IMMEDIATE = {"sqlite_begin": "IMMEDIATE"}  # execution options of a transaction that writes
T = TypeVar("T")


class Base(DeclarativeBase):
    """Declarative base of every table, with stable constraint names for migrations."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def get_by_id(
    session: Session, model: type[T], row_id: int, options: Sequence[ORMOption] = ()
) -> T | None:
    """The row with this id, None when there is none, whatever the id (no database integer
    holds an id beyond MAX_ID, and asking for one would be an error, not an answer);
    `options` load related rows in the same query."""
    if not 1 <= row_id <= MAX_ID:
        return None
    return session.get(model, row_id, options=options)


class UTCDateTime(TypeDecorator[datetime]):
    """A point in time, stored in UTC and read back as an aware UTC datetime on every backend
    (SQLite keeps no time zone and would give naive values back). A naive value is taken to
    be UTC already."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is None:
            return value
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is UTC:
            return value
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Timestamped:
    """Adds `created_at` / `updated_at` columns maintained by the ORM."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that
    # SAVEPOINT and transactional DDL behave as on PostgreSQL.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Wait for a writer to finish rather than fail at once with "database is locked".
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite's own lower() folds ASCII only; searches must fold Cyrillic and Kazakh too.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys on, WAL journaling and a busy timeout."""
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_begin(connection: Any) -> None:
    # A transaction that reads and then writes fails at once (SQLITE_BUSY_SNAPSHOT, no
    # waiting) when another connection wrote in between; one that takes the write lock as
    # it begins (IMMEDIATE) waits for it instead. Read transactions stay deferred.
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory bound to `engine`."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session], *, writes: bool = False) -> Iterator[Session]:
    """Open a session, commit if the block succeeds, roll back if it raises. `writes`: a short
    transaction that writes, begun holding SQLite's write lock (waiting for it up to the busy
    timeout) so that it never fails on a row another connection wrote meanwhile."""
    session = factory()
    try:
        if writes:
            session.connection(execution_options=IMMEDIATE)
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
