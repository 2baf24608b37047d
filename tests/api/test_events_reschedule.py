"""A cancellation through the API reschedules within its time limit, even when the scheduler's
second search (a child process) is stuck: the request never outlives its deadline."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.events import requests, scheduling, service
from seriktes.events.models import (
    MeetingRequest,
    MeetingStatus,
    Participant,
    ParticipantStatus,
)
from seriktes.events.scheduler import portfolio
from seriktes.events.schemas import ParticipantIn, RequestIn
from tests.api.conftest import VKO, World
from tests.api.eventkit import PAVLODAR, published_event
from tests.webkit import make_org, make_user

# scheduling.cancel_participant's time limit
CANCEL_LIMIT = 5.0


def test_a_cancellation_reschedules_in_time_when_the_second_search_is_stuck(
    client: TestClient, world: World, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    if portfolio.cores() < 2:
        pytest.skip("one core: no second search is started")
    organiser = make_user(db_session, Role.ADMIN)
    event = published_event(db_session, organiser)

    def join(org_id: int, blocked: list[int] | None = None) -> Participant:
        data = ParticipantIn(organisation_id=org_id, blocked_slots=blocked or [])
        return service.add_participant(db_session, organiser, event.id, data)

    # The host firm is free only in the first and the last slot: its two meetings leave a
    # break no search can remove, so the rescheduling reaches the SAT search and its child.
    host = join(world.owner.id, blocked=[1, 2, 3, 4])
    guests = [join(make_org(db_session, PAVLODAR, f"ТОО «Гость {n}»").id) for n in range(3)]
    leaving = join(make_org(db_session, VKO, "ТОО «Уходящий»").id)
    pairs = [(host, guests[0]), (host, guests[1]), (leaving, guests[2])]
    accepted: list[MeetingRequest] = []
    for a, b in pairs:
        asked = requests.create_request(
            db_session, organiser, event.id, RequestIn(requester_id=a.id, recipient_id=b.id)
        )
        accepted.append(requests.answer_request(db_session, organiser, event.id, asked.id, True))
    scheduling.schedule_event(db_session, event.id, time_limit=3)
    db_session.flush()

    monkeypatch.setattr(portfolio, "FAULT", portfolio.HANG)  # ignores SIGTERM and sleeps
    started: list[subprocess.Popen[bytes]] = []
    start = portfolio._start

    def remember(*args: Path) -> subprocess.Popen[bytes]:
        started.append(start(*args))
        return started[-1]

    monkeypatch.setattr(portfolio, "_start", remember)
    began = time.monotonic()
    response = client.post(
        f"/api/v1/events/{event.id}/participants/{leaving.id}/cancel",
        json={},
        headers=world.headers("admin"),
    )
    elapsed = time.monotonic() - began
    assert response.status_code == 200, response.text
    assert elapsed < CANCEL_LIMIT + portfolio.GRACE + portfolio.TERMINATE_WAIT + 1.5
    # the children (the exact search beside the annealing, then the second search) were stopped
    assert started and all(child.returncode is not None for child in started)
    db_session.expire_all()
    assert leaving.status is ParticipantStatus.CANCELLED
    kept, gone = accepted[:2], accepted[2]
    assert gone.meeting_status is MeetingStatus.CANCELLED
    assert {r.meeting_status for r in kept} == {MeetingStatus.SCHEDULED}
    assert sorted(r.slot for r in kept) == [0, 5]
