"""Database plumbing on both backends: times come back aware and in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.registry.models import Organisation
from tests.webkit import make_org

ALMATY = timezone(timedelta(hours=5))


def test_stored_times_come_back_aware_in_utc(db_session: Session) -> None:
    org = make_org(db_session)
    org.created_at = datetime(2026, 11, 27, 14, 30, tzinfo=ALMATY)  # 09:30 UTC
    db_session.flush()
    created = db_session.scalar(select(Organisation.created_at).where(Organisation.id == org.id))
    assert created == datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    assert created is not None and created.tzinfo is UTC
    db_session.expire(org)
    assert org.created_at.tzinfo is UTC and org.created_at.hour == 9
    earlier = select(Organisation.id).where(
        Organisation.id == org.id,
        Organisation.created_at < datetime(2026, 11, 27, 14, 0, tzinfo=UTC),
    )
    assert db_session.scalar(earlier) == org.id, "comparisons see the instant, not the clock"
