"""Alembic migration scripts."""

from __future__ import annotations

# Kept by the migrations outside the models, as no model can say them portably: the text
# index of organisation names (0019) — SQLite's FTS5 table and the tables FTS5 keeps for it,
# PostgreSQL's GIN index.
UNMODELLED = ("organisation_words", "ix_organisations_name_words")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Whether autogenerate compares a schema object with the models: not those the
    migrations keep outside them (`UNMODELLED`)."""
    return not (name or "").startswith(UNMODELLED)
