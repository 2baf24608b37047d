"""A goszakup sync run by a real `seriktes worker` against a local OWS server: each page
committed as it is read, through a 500, and a second run that finds nothing new."""

from __future__ import annotations

from sqlalchemy import func, select

from seriktes.catalog.goszakup_sync.models import GoszakupSync
from seriktes.catalog.models import Need
from seriktes.jobs import kinds
from seriktes.jobs.models import JobStatus
from tests.goszakup_server import TOKEN, PlanService, plan_items, serve
from tests.jobs.conftest import VKO, Workers, World
from tests.webkit import make_org

BUYER = "030940003233"  # 35 lines of the file


def test_a_worker_syncs_a_buyer_of_the_coordinator_s_region(world: World, workers: Workers) -> None:
    with world.factory() as session:
        org = make_org(session, VKO)
        org.bin = BUYER
        session.commit()
    service = PlanService(plan_items(), limit=10, failures={3: 500})
    with serve(service):
        world.env |= {"SERIKTES_GOSZAKUP_URL": service.url, "SERIKTES_GOSZAKUP_TOKEN": TOKEN}
        first = world.submit(kinds.GOSZAKUP, params={"bin": BUYER}, scope=f"bin:{BUYER}:0")
        workers.start()
        done = world.ended(first)
        second = world.submit(kinds.GOSZAKUP, params={"bin": BUYER}, scope=f"bin:{BUYER}:0")
        again = world.ended(second)
    assert done.status is JobStatus.DONE, done.error
    assert done.summary is not None
    assert (done.summary["pages"], done.summary["created"], done.summary["retries"]) == (4, 35, 1)
    assert done.result_url == "/goszakup"
    assert again.status is JobStatus.DONE, again.error
    assert again.summary is not None and (again.summary["fetched"], again.summary["created"]) == (
        0,
        0,
    )
    with world.factory() as session:
        assert session.scalar(select(func.count(Need.id))) == 35
        state = session.scalars(select(GoszakupSync)).one()
        assert (state.items, state.next_page) == (35, None)
