"""Alembic environment: runs migrations on the engine handed over by `seriktes.kit.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

import seriktes.models  # noqa: F401  (registers every table on the metadata)
from seriktes.kit.db import Base

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
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
