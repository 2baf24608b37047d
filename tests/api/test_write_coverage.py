"""Every write route of the JSON API has its authorization test: a new route that is in no
table of refused and allowed callers fails here until one is written."""

from __future__ import annotations

import re
from collections.abc import Callable

from seriktes.config import Settings
from seriktes.web.app import create_app
from tests.api import (
    test_agreements_writes,
    test_day_writes,
    test_events_writes,
    test_feedback,
    test_jobs_api,
    test_writes,
)
from tests.notifications import test_pages as notification_pages
from tests.web import test_imports

# routes whose refusals are tested on their own, with the test that does it
_registrations = test_events_writes.test_refused_registrations_change_nothing
_uploads_of_others = test_imports.test_the_api_hides_uploads_of_others_and_needs_csrf_for_cookies
_rows_of_others = test_imports.test_a_member_cannot_import_rows_of_another_organisation
_own_notifications = notification_pages.test_the_json_routes_list_count_and_mark_read
OWN_TESTS: dict[tuple[str, str], Callable[..., None]] = {
    ("POST", "/events/{id}/registrations"): _registrations,
    ("POST", "/imports"): _rows_of_others,
    ("POST", "/imports/{id}/confirm"): _uploads_of_others,
    ("DELETE", "/imports/{id}"): _uploads_of_others,
    (
        "POST",
        "/events/{id}/schedule/jobs",
    ): test_jobs_api.test_only_organisers_build_a_schedule_as_a_job,
    ("POST", "/jobs/{id}/cancel"): (
        test_jobs_api.test_a_job_is_seen_and_cancelled_by_its_starter_and_administrators_only
    ),
    ("POST", "/analytics/pair/report-jobs"): (
        test_jobs_api.test_reports_are_made_for_analytics_readers_and_downloaded_by_their_starter
    ),
    ("POST", "/notifications/{id}/read"): _own_notifications,
    ("POST", "/notifications/read"): _own_notifications,
}
WRITES = ("post", "put", "patch", "delete")


def _route(method: str, path: str) -> tuple[str, str]:
    """A route as the tables name it: method and path with every parameter called {id}."""
    return method.upper(), re.sub(r"\{[^}]+\}", "{id}", path.removeprefix("/api/v1"))


def test_every_write_route_has_an_authorization_test() -> None:
    schema = create_app(Settings(database_url="sqlite://", warm_engines=False)).openapi()
    routes = {
        _route(method, path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in WRITES
    }
    assert len(routes) > 30, "the schema lists the write routes"
    tables = (
        test_writes.ROUTES,
        test_agreements_writes.ROUTES,
        test_events_writes.ROUTES,
        test_day_writes.ROUTES,
        test_feedback.ROUTES,
    )
    tested = {_route(*route.name.split(" ", 1)) for table in tables for route in table}
    assert not tested - routes, "a table names a route the API no longer has"
    assert sorted(routes - tested - set(OWN_TESTS)) == []
    assert set(OWN_TESTS) <= routes
