"""Migrations: the schema they build equals the models, and they go down and up again."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from seriktes.kit.db import Base
from seriktes.kit.migrate import current_revision, downgrade, upgrade


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_match_models_and_round_trip(
    backend: str, fresh_database: Callable[[str], Engine]
) -> None:
    engine = fresh_database(backend)
    upgrade(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []
    head = current_revision(engine)
    assert head is not None

    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert current_revision(engine) == head
    assert {"regions", "organisations", "needs", "offers"} <= set(inspect(engine).get_table_names())
