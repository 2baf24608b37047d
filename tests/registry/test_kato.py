"""KATO codes: the top-level region of a code, in Python and in SQL alike."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.registry.kato import oblast_kato, oblast_of, oblast_sql, padded
from seriktes.registry.models import Region


def test_a_short_code_is_padded_and_a_full_one_kept() -> None:
    assert padded("63") == "630000000"
    assert padded("631010000") == "631010000"


def test_a_district_lies_in_its_oblast() -> None:
    assert oblast_of("631010000") == "63"
    assert oblast_kato("631010000") == "630000000"
    assert oblast_kato("59") == "590000000"


def test_sql_names_the_same_oblast_as_python(db_session: Session) -> None:
    rows = db_session.execute(select(Region.kato, oblast_sql(Region.kato))).all()
    assert rows and all(prefix == oblast_of(kato) for kato, prefix in rows)
