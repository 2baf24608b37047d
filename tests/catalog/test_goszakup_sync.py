"""Pulling plans from goszakup: against a local server serving the real plan file's items
in pages, through a 429 and a 500, resumed after an interruption, incremental on the next
run, and giving the needs the file import gives."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.catalog.goszakup_sync.client import PlanClient, SyncFailed
from seriktes.catalog.goszakup_sync.models import GoszakupSync
from seriktes.catalog.goszakup_sync.sync import Target, check_target, sync_plans
from seriktes.catalog.importer import NEEDS, import_file
from seriktes.catalog.models import Need
from seriktes.kit.errors import ValidationFailed
from seriktes.registry.models import Organisation
from tests.conftest import shared_file
from tests.goszakup_server import TOKEN, PlanService, plan_items, serve

BUYER = "030940003233"  # 35 lines of the file


def inline(session: Session) -> Callable[[Callable[[Session], Any]], Any]:
    """A writer that runs each page's write in the test's session (rolled back at the end)."""
    return lambda write: write(session)


def needs_of(session: Session) -> dict[str, tuple[object, ...]]:
    """Every need as the fields an import writes, by external id."""
    rows = session.execute(
        select(
            Need.external_id,
            Organisation.bin,
            Need.title,
            Need.description,
            Need.specification,
            Need.class_code,
            Need.enstru_code,
            Need.quantity,
            Need.unit_code,
            Need.unit_price,
            Need.delivery_region_id,
            Need.status,
            Need.source,
        ).join(Need.buyer)
    )
    return {row[0]: tuple(row[1:]) for row in rows}


def client(service: PlanService, waits: list[float], attempts: int = 6) -> PlanClient:
    return PlanClient(service.url, TOKEN, sleep=waits.append, attempts=attempts, first_wait=0.5)


def test_a_buyer_synced_through_a_429_and_a_500_has_the_needs_of_the_file_import(
    db_session: Session,
) -> None:
    service = PlanService(plan_items(), limit=10, failures={2: 429, 4: 500})
    waits: list[float] = []
    with serve(service), client(service, waits) as reader:
        report = sync_plans(Target(bin=BUYER), reader, inline(db_session))

    assert (report.pages, report.fetched, report.created, report.errors) == (4, 35, 35, [])
    assert waits == [0.0, 0.5]  # the 429's Retry-After, then the first backoff
    assert service.authorisations == [f"Bearer {TOKEN}"] * 6
    assert service.requests[0] == f"/v3/plans/{BUYER}"
    synced = needs_of(db_session)
    assert {values[0] for values in synced.values()} == {BUYER}

    # the file import of the same lines finds them as it would have written them
    again = import_file(db_session, NEEDS, shared_file("goszakup/plans_dev.json"))
    assert (again.created, again.updated, again.unchanged) == (212 - 35, 0, 35)
    assert {key: needs_of(db_session)[key] for key in synced} == synced


def test_every_buyer_synced_gives_exactly_the_needs_of_the_file_import(
    db_session: Session,
) -> None:
    items = plan_items()
    service = PlanService(items, limit=20)
    with serve(service), client(service, []) as reader:
        for buyer in sorted({item["subject_biin"] for item in items}):
            sync_plans(Target(bin=buyer), reader, inline(db_session))
    synced = needs_of(db_session)
    assert len(synced) == 212

    again = import_file(db_session, NEEDS, shared_file("goszakup/plans_dev.json"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 212)
    assert needs_of(db_session) == synced


def test_a_resync_asks_only_for_what_came_after_and_changes_nothing(
    db_session: Session,
) -> None:
    items = plan_items()
    service = PlanService(items, limit=10)
    with serve(service), client(service, []) as reader:
        first = sync_plans(Target(bin=BUYER), reader, inline(db_session))
        before = needs_of(db_session)
        asked = len(service.requests)
        again = sync_plans(Target(bin=BUYER), reader, inline(db_session))

    last = max(int(item["id"]) for item in items if item["subject_biin"] == BUYER)
    assert first.created == 35
    assert service.requests[asked:] == [f"/v3/plans/{BUYER}?page=next&search_after={last}"]
    assert (again.fetched, again.created, again.updated) == (0, 0, 0)
    assert needs_of(db_session) == before
    state = db_session.scalars(select(GoszakupSync)).one()
    assert (state.last_id, state.next_page, state.items) == (last, None, 35)
    assert state.finished_at is not None


def test_a_full_resync_reads_everything_and_finds_it_unchanged(db_session: Session) -> None:
    service = PlanService(plan_items(), limit=10)
    with serve(service), client(service, []) as reader:
        sync_plans(Target(bin=BUYER), reader, inline(db_session))
        again = sync_plans(Target(bin=BUYER), reader, inline(db_session), full=True)
    assert (again.fetched, again.created, again.updated, again.unchanged) == (35, 0, 0, 35)


def test_an_interrupted_sync_resumes_from_the_page_it_had_not_written(
    db_session: Session,
) -> None:
    items = plan_items()
    broken = PlanService(items, limit=10, down_from=3)  # two pages, then down for good
    waits: list[float] = []
    with serve(broken):
        reader = client(broken, waits, attempts=3)
        with reader, pytest.raises(SyncFailed) as caught:
            sync_plans(Target(bin=BUYER), reader, inline(db_session))
    assert "goszakup answered 503" in str(caught.value)
    assert waits == [0.5, 1.0]  # bounded: three attempts, growing waits
    assert len(needs_of(db_session)) == 20
    state = db_session.scalars(select(GoszakupSync)).one()
    stopped_at = broken.requests[-1]
    assert state.next_page == stopped_at and "search_after" in stopped_at

    healthy = PlanService(items, limit=10)
    with serve(healthy), client(healthy, []) as reader:
        report = sync_plans(Target(bin=BUYER), reader, inline(db_session))
    assert healthy.requests[0] == stopped_at
    assert (report.resumed, report.created, report.pages) == (True, 15, 2)
    assert len(needs_of(db_session)) == 35
    db_session.refresh(state)
    assert state.next_page is None


def test_a_region_sync_keeps_the_lines_of_the_region_s_buyers(db_session: Session) -> None:
    items = plan_items()
    service = PlanService(items, limit=50)
    with serve(service), client(service, []) as reader:
        report = sync_plans(Target(region="190000000"), reader, inline(db_session))
    assert service.requests[0] == "/v3/plans/all"
    assert (report.pages, report.fetched) == (5, 212)
    assert report.created + report.other_region == 212
    assert report.created > 0 and report.other_region > 0
    buyers = db_session.scalars(select(Organisation).join(Need, Need.buyer_id == Organisation.id))
    assert {org.region.kato[:2] for org in buyers if org.region is not None} == {"19"}

    # the region's buyers' lines of the file are the lines the sync wrote
    again = import_file(db_session, NEEDS, shared_file("goszakup/plans_dev.json"))
    assert (again.unchanged, again.updated) == (report.created, 0)
    in_region = select(Need).join(Need.buyer).join(Organisation.region)
    assert sum(
        need.buyer.region.kato.startswith("19") for need in db_session.scalars(in_region)
    ) == (report.created)


def test_a_year_sync_keeps_the_lines_of_that_year(db_session: Session) -> None:
    service = PlanService(plan_items(), limit=50)
    with serve(service), client(service, []) as reader:
        other = sync_plans(Target(bin=BUYER, year=2021), reader, inline(db_session))
        same = sync_plans(Target(bin=BUYER, year=2020), reader, inline(db_session))
    assert (other.created, other.other_year) == (0, 35)
    assert (same.created, same.other_year) == (35, 0)


def test_a_refused_token_is_said_so(db_session: Session) -> None:
    service = PlanService(plan_items())
    with serve(service):
        reader = PlanClient(service.url, "wrong", sleep=lambda _s: None)
        with reader, pytest.raises(SyncFailed) as caught:
            sync_plans(Target(bin=BUYER), reader, inline(db_session))
    assert "SERIKTES_GOSZAKUP_TOKEN" in str(caught.value)


@pytest.mark.parametrize(
    ("bin_value", "region", "year", "message"),
    [
        (None, None, None, "name one buyer's BIN or one region"),
        (BUYER, "63", None, "name one buyer's BIN or one region"),
        ("030940003234", None, None, "wrong check digit"),
        (None, "99", None, "no region with KATO code 99"),
        (BUYER, None, 1990, "1990 is not a plan year"),
    ],
)
def test_a_target_is_checked(
    db_session: Session,
    bin_value: str | None,
    region: str | None,
    year: int | None,
    message: str,
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_target(db_session, bin_value, region, year)
    assert message in caught.value.message("en")


class LoopingService(PlanService):
    """A service whose every page names itself as the next one."""

    def answer(self, path: str, authorisation: str | None) -> tuple[int, dict[str, str], bytes]:
        status, headers, body = super().answer(path, authorisation)
        page = json.loads(body)
        page["next_page"] = path
        return status, headers, json.dumps(page).encode()


def test_a_page_given_again_as_the_next_stops_the_run(db_session: Session) -> None:
    service = LoopingService(plan_items(), limit=10)
    with serve(service):
        reader = client(service, [])
        with reader, pytest.raises(SyncFailed) as caught:
            sync_plans(Target(bin=BUYER), reader, inline(db_session))
    assert "as the next page a second time" in str(caught.value)
    assert service.requests == [f"/v3/plans/{BUYER}"]
    assert len(needs_of(db_session)) == 10
