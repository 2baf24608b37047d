"""Table counts (`seriktes stats`, /api/v1/stats) include events, meetings, memoranda and
deals (both backends)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.analytics.stats import table_counts
from seriktes.events import requests, scheduling
from tests.agreements.kit import make_agreement
from tests.api.conftest import World
from tests.api.eventkit import make_scene
from tests.webkit import make_user

NEW = ("events", "meetings", "memoranda", "deals")


def _grown(session: Session, before: dict[str, int]) -> dict[str, int]:
    after = table_counts(session)
    return {name: after[name] - before[name] for name in NEW}


def test_events_meetings_memoranda_and_deals_are_counted(db_session: Session) -> None:
    before = table_counts(db_session)
    agreement = make_agreement(db_session)  # one memorandum
    agreement.deal()
    agreement.deal()
    scene = make_scene(World(db_session, agreement.buyer, agreement.supplier), db_session)
    # an accepted request is not a meeting until the schedule gives it a slot
    admin = make_user(db_session, Role.ADMIN)
    requests.answer_request(db_session, admin, scene.event.id, scene.asked.id, True)
    assert _grown(db_session, before) == {"events": 1, "meetings": 0, "memoranda": 1, "deals": 2}
    scheduling.schedule_event(db_session, scene.event.id, time_limit=1)
    assert _grown(db_session, before) == {"events": 1, "meetings": 1, "memoranda": 1, "deals": 2}
