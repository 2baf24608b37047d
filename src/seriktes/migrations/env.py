"""Alembic environment: runs migrations on the engine handed over by `seriktes.kit.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlalchemy.engine import Connection

import seriktes.models  # noqa: F401  (registers every table on the metadata)
from seriktes.kit.db import Base
from seriktes.migrations import include_name

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    """Run migrations online, on a given engine or one built from the config URL."""
    engine = config.attributes.get("engine")
    if engine is None:
        engine = engine_from_config(
            config.get_section(config.config_ini_section, {}),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=sqlite,
            compare_type=True,
            include_name=include_name,
        )
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        try:
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    _check_sqlite_foreign_keys(connection)
            connection.commit()
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    """Switch SQLite's foreign keys, outside any transaction as SQLite requires.

    A batch migration that changes a column rebuilds the table (copy, drop, rename); with
    foreign keys on, dropping a table that other rows point at would fail.
    """
    cursor = connection.connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    cursor.close()


def _check_sqlite_foreign_keys(connection: Connection) -> None:
    """Refuse to commit a migration that left a row pointing at nothing."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"the migration broke foreign keys: {broken[:5]}")


run_migrations()
