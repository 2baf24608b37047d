"""Jobs run by real `seriktes worker` processes on the embedded queue and on Redis, against
SQLite and PostgreSQL: a schedule built in the background, a killed worker's job taken over
and built once, a second start joined, cancelling."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from seriktes.events.models import Event, MeetingRequest, MeetingStatus
from seriktes.jobs import kinds
from seriktes.jobs.models import JobStatus
from seriktes.kit.db import transaction
from tests.jobs.conftest import Workers, World


def _scheduled(world: World) -> int:
    with world.factory() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(MeetingRequest)
                .where(
                    MeetingRequest.event_id == world.event_id,
                    MeetingRequest.meeting_status == MeetingStatus.SCHEDULED,
                )
            )
            or 0
        )


def _solve(world: World, seconds: int = 10) -> int:
    return world.submit(
        kinds.SCHEDULE,
        object_type="event",
        object_id=world.event_id,
        params={"time_limit": seconds},
    )


def test_a_worker_builds_the_schedule_and_the_job_says_so(world: World, workers: Workers) -> None:
    job_id = _solve(world)
    assert world.job(job_id).status is JobStatus.QUEUED  # the request only queued it
    workers.start()
    job = world.ended(job_id)
    assert job.status is JobStatus.DONE, job.error
    assert job.result_url == f"/events/{world.event_id}/schedule"
    assert job.summary and job.summary["meetings"] == 10 and job.summary["scheduled"] == 10
    assert job.attempt == 1 and job.done == job.total > 0 and job.active_key is None
    assert _scheduled(world) == 10


def test_a_second_start_while_one_runs_joins_it(world: World, workers: Workers) -> None:
    first, second = _solve(world), _solve(world)
    assert first == second
    workers.start()
    assert world.ended(first).status is JobStatus.DONE
    third = _solve(world)  # the first has ended: a new build
    assert third != first


@pytest.mark.long_solve
def test_a_killed_worker_leaves_nothing_and_its_job_is_built_once(
    world: World, workers: Workers
) -> None:
    job_id = _solve(world, seconds=10)
    process = workers.start()
    world.wait(job_id, lambda job: job.status is JobStatus.RUNNING)
    workers.kill(process)
    assert _scheduled(world) == 0  # its writes were never committed
    with world.factory() as session:
        assert session.get_one(Event, world.event_id).schedule_info in (None, {})
    workers.start()  # the new worker finds the job lost, runs it again
    job = world.ended(job_id, seconds=120)
    assert job.status is JobStatus.DONE, job.error
    assert job.attempt == 2
    assert job.summary and job.summary["meetings"] == 40
    assert _scheduled(world) == job.summary["scheduled"] > 0


@pytest.mark.long_solve
def test_a_queued_job_is_cancelled_at_once_and_a_running_one_keeps_nothing(
    world: World, workers: Workers
) -> None:
    from seriktes.accounts.models import User
    from seriktes.jobs import service

    job_id = _solve(world, seconds=10)
    with transaction(world.factory, writes=True) as session:
        service.cancel(session, session.get_one(User, world.organiser_id), job_id)
    assert world.job(job_id).status is JobStatus.CANCELLED
    running = _solve(world, seconds=10)
    workers.start()
    world.wait(running, lambda job: job.status is JobStatus.RUNNING)
    with transaction(world.factory, writes=True) as session:
        service.cancel(session, session.get_one(User, world.organiser_id), running)
    job = world.ended(running)
    assert job.status is JobStatus.CANCELLED
    assert _scheduled(world) == 0


def test_waiting_requests_are_placed_by_a_worker_keeping_the_scheduled_meetings(
    world: World, workers: Workers
) -> None:
    workers.start()
    assert world.ended(_solve(world)).status is JobStatus.DONE
    with world.factory() as session:
        before = {
            r.id: (r.slot, r.table_no)
            for r in session.scalars(
                select(MeetingRequest).where(MeetingRequest.event_id == world.event_id)
            )
        }
    with transaction(world.factory, writes=True) as session:
        from seriktes.accounts.models import User
        from seriktes.events import requests
        from seriktes.events.models import Participant
        from seriktes.events.schemas import RequestIn

        organiser = session.get_one(User, world.organiser_id)
        people = session.scalars(
            select(Participant).where(Participant.event_id == world.event_id)
        ).all()
        asked = RequestIn(requester_id=people[0].id, recipient_id=people[5].id)  # not asked yet
        made = requests.create_request(session, organiser, world.event_id, asked)
        requests.answer_request(session, organiser, world.event_id, made.id, True)
        added = made.id
    job_id = world.submit(kinds.PLACE, object_type="event", object_id=world.event_id)
    job = world.ended(job_id)
    assert job.status is JobStatus.DONE, job.error
    with world.factory() as session:
        after = {
            r.id: (r.slot, r.table_no)
            for r in session.scalars(
                select(MeetingRequest).where(MeetingRequest.event_id == world.event_id)
            )
        }
    assert all(after[i] == place for i, place in before.items())  # nobody's agenda moved
    assert after[added][0] is not None and _scheduled(world) == 11


def test_the_matching_index_is_built_by_a_worker_into_the_state_folder(
    world: World, workers: Workers
) -> None:
    from seriktes.matching.snapshot import current_name

    workers.start()
    job = world.ended(world.submit(kinds.INDEX, object_type="index", object_id=1))
    assert job.status is JobStatus.DONE, job.error
    root = world.settings.index_folder()
    assert root is not None and current_name(root) == (job.summary or {}).get("snapshot")
