"""`seriktes schedule solve --event ID` on an event stored in the database."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.events import requests, service
from seriktes.events.models import MeetingRequest, MeetingStatus
from seriktes.events.schemas import ParticipantIn, RequestIn
from seriktes.kit.db import make_engine
from tests.cli.test_cli import seriktes
from tests.events.conftest import SKO, VKO, event_in
from tests.webkit import make_org, make_user


def _stored_event(db: Path, morning_only: bool) -> int:
    """An event with 3 accepted meetings of one buyer; morning-only with 2 morning slots
    leaves one meeting without a slot."""
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        organiser = make_user(session, Role.ADMIN)
        event = service.create_event(session, organiser, event_in(morning_slots=2))
        buyer = service.add_participant(
            session,
            organiser,
            event.id,
            ParticipantIn(
                organisation_id=make_org(session, VKO).id,
                session_wish="morning" if morning_only else "any",
            ),
        )
        for _ in range(3):
            producer = service.add_participant(
                session,
                organiser,
                event.id,
                ParticipantIn(organisation_id=make_org(session, SKO).id),
            )
            asked = requests.create_request(
                session,
                organiser,
                event.id,
                RequestIn(requester_id=buyer.id, recipient_id=producer.id),
            )
            requests.answer_request(session, organiser, event.id, asked.id, True)
        session.commit()
        event_id = event.id
    engine.dispose()
    return event_id


def _scheduled(db: Path) -> int:
    engine = make_engine(f"sqlite:///{db}")
    with Session(engine) as session:
        found = session.query(MeetingRequest).filter_by(meeting_status=MeetingStatus.SCHEDULED)
        count = found.count()
    engine.dispose()
    return count


def test_an_event_is_solved_stored_and_reported(tmp_path: Path) -> None:
    db = tmp_path / "event.db"
    assert seriktes(db, "db", "upgrade").returncode == 0
    event_id = _stored_event(db, morning_only=False)
    out = tmp_path / "slots.json"
    result = seriktes(db, "schedule", "solve", "--event", str(event_id), "--json",
                      "--time-limit", "3", "--out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["meetings"], summary["scheduled"], summary["valid"]) == (3, 3, True)
    assert summary["breaks"] == 0
    assert sorted(json.loads(out.read_text())["slots"]) == ["1", "2", "3"]
    assert _scheduled(db) == 3


def test_an_event_without_a_complete_schedule_exits_with_the_reason(tmp_path: Path) -> None:
    db = tmp_path / "event.db"
    assert seriktes(db, "db", "upgrade").returncode == 0
    event_id = _stored_event(db, morning_only=True)
    result = seriktes(db, "schedule", "solve", "--event", str(event_id), "--time-limit", "3")
    assert result.returncode == 1
    assert "no complete schedule" in result.stderr and "Traceback" not in result.stderr
    assert _scheduled(db) == 2
    missing = seriktes(db, "schedule", "solve", "--event", "999")
    assert missing.returncode == 1 and "no event with id 999" in missing.stderr
