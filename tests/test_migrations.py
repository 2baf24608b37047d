"""Migrations: the schema they build equals the models, and they go down and up again."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from seriktes.kit.db import Base
from seriktes.kit.migrate import current_revision, downgrade, upgrade
from seriktes.migrations import include_name
from seriktes.registry.models import Organisation
from seriktes.registry.repository import look_up_organisations


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_match_models_and_round_trip(
    backend: str, fresh_database: Callable[[str], Engine]
) -> None:
    engine = fresh_database(backend)
    upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
    head = current_revision(engine)
    assert head is not None

    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert current_revision(engine) == head
    assert {"regions", "organisations", "needs", "offers"} <= set(inspect(engine).get_table_names())


NAME_WORDS_OBJECTS = {
    "sqlite": "SELECT name FROM sqlite_master WHERE name LIKE 'organisation_words%' ORDER BY name",
    "postgresql": "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
    "AND indexname = 'ix_organisations_name_words' UNION ALL SELECT proname FROM pg_proc "
    "WHERE pronamespace = to_regnamespace(current_schema()) "
    "AND proname = 'organisation_name_words'",
}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_index_of_names_is_filled_from_stored_organisations_and_dropped_going_down(
    backend: str, fresh_database: Callable[[str], Engine]
) -> None:
    """0019 indexes the organisations stored before it; its triggers (SQLite) or its index
    (PostgreSQL) are there at head — a later migration that rebuilds the table keeps them."""
    engine = fresh_database(backend)
    upgrade(engine, "0018_memorandum_parties")
    row = {"identity_key": "m-1", "name_ru": "ТОО «Прежняя Фирма»", "certificates": []}
    with engine.begin() as connection:
        connection.execute(insert(Organisation).values(version=1, **row))

    def names_found() -> list[str]:
        with Session(engine) as session:
            found = look_up_organisations(session, ["прежн"], None, 10)
            return [org.name_ru for org, _rank in found]

    def objects() -> list[str]:
        with engine.connect() as connection:
            return list(connection.scalars(text(NAME_WORDS_OBJECTS[backend])))

    upgrade(engine)
    assert names_found() == ["ТОО «Прежняя Фирма»"]
    held = objects()
    if backend == "sqlite":
        triggers = {
            "organisation_words_insert",
            "organisation_words_update",
            "organisation_words_delete",
        }
        assert {"organisation_words", *triggers} <= set(held)
    else:
        assert held == ["ix_organisations_name_words", "organisation_name_words"]
    downgrade(engine, "0018_memorandum_parties")
    assert objects() == []
    upgrade(engine)
    assert names_found() == ["ТОО «Прежняя Фирма»"]
