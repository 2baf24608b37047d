"""The kinds of background job: what each computes apart, and what it writes at its end.

Each work reads in sessions of its own, reports progress, and returns its writes as a
function the runner calls in the transaction that ends the job (`runner.Finish`)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.analytics.policy import check_analytics_reader
from seriktes.analytics.render import MEDIA_TYPES, file_name, render
from seriktes.analytics.report import pair_report
from seriktes.events import scheduling
from seriktes.jobs.runner import Finish, JobContext, Outcome, Work
from seriktes.kit.errors import Conflict, NotFound
from seriktes.kit.i18n import N_
from seriktes.matches import repository as match_repository
from seriktes.matches import snapshots
from seriktes.matches.service import (
    build_classifier,
    build_matcher,
    need_doc,
    parse_partners,
    ranked_rows,
)

SCHEDULE = "schedule.solve"
PLACE = "schedule.place"
MATCHING = "matching.run"
REPORT = "report.pair"
INDEX = "index.build"
GOSZAKUP = "goszakup.sync"

MIN_SOLVE_SECONDS, MAX_SOLVE_SECONDS = 10, 300
MATCH_BATCH = 500


def _user(session: Session, context: JobContext) -> User:
    user = session.get(User, context.user_id) if context.user_id is not None else None
    if user is None:
        raise NotFound(N_("the user who started the job no longer exists"))
    return user


def solve_schedule(context: JobContext) -> Finish:
    """Build an event's schedule within the organiser's time limit; store it at the end if
    the event is still what it was solved for."""
    assert context.object_id is not None
    seconds = float(context.params.get("time_limit", MIN_SOLVE_SECONDS))
    context.for_seconds(seconds, N_("Building the schedule"))
    with context.reading() as session:
        solved = scheduling.solve_apart(
            session,
            _user(session, context),
            context.object_id,
            seconds,
            context.params.get("seed", 0),
        )
    context.progress(100, 100, N_("Storing the schedule"))

    def finish(session: Session) -> Outcome:
        info = scheduling.store_solved(session, _user(session, context), solved)
        return Outcome(
            url=f"/events/{solved.event_id}/schedule",
            summary={
                key: info[key] for key in ("meetings", "scheduled", "breaks", "optimal", "seconds")
            },
        )

    return finish


def place_waiting(context: JobContext) -> Finish:
    """Place an event's waiting accepted requests in free slots, moving no scheduled meeting;
    stored at the end if the event is still what they were placed for."""
    assert context.object_id is not None
    seconds = float(context.params.get("time_limit", 5))
    context.for_seconds(seconds, N_("Placing the waiting requests"))
    with context.reading() as session:
        user = _user(session, context)
        placed = scheduling.place_apart(session, user, context.object_id, seconds)
    context.progress(100, 100, N_("Storing the schedule"))

    def finish(session: Session) -> Outcome:
        info = scheduling.store_solved(session, _user(session, context), placed)
        return Outcome(
            url=f"/events/{placed.event_id}/schedule",
            summary={key: info[key] for key in ("meetings", "scheduled", "breaks", "seconds")},
        )

    return finish


def match_needs(context: JobContext) -> Finish:
    """Match open needs (all, or the job's) in batches, each batch's matches committed as it
    is done: a batch replaces its needs' matches, so a batch done twice changes nothing."""
    partners_given = context.params.get("partners") or (
        context.settings.partner_regions if context.settings else []
    )
    top = int(context.params.get("top", 10))
    only = context.params.get("needs")
    done = matches = without = 0
    with context.reading() as session:
        partners = parse_partners(partners_given)
        matcher = build_matcher(session, partners, build_classifier(session))
        needs = match_repository.open_needs(session, only)
        context.progress(0, len(needs), N_("Matching needs"))
        for start in range(0, len(needs), MATCH_BATCH):
            batch = needs[start : start + MATCH_BATCH]
            rows: list[dict[str, object]] = []
            for need in batch:
                found = ranked_rows(matcher, need_doc(need), top)
                without += not found
                rows.extend(found)
            context.commit(_replacing([need.id for need in batch], rows))
            done, matches = done + len(batch), matches + len(rows)
            context.progress(done, len(needs))

    def finish(session: Session) -> Outcome:
        return Outcome(
            url="/needs",
            summary={"needs": done, "matches": matches, "needs_without_match": without},
        )

    return finish


def _replacing(ids: list[int], rows: list[dict[str, object]]) -> Callable[[Session], None]:
    def write(session: Session) -> None:
        match_repository.replace_matches(session, ids, rows)

    return write


def pair_report_file(context: JobContext) -> Finish:
    """Render the pair report as PDF or XLSX; the file is the job's result."""
    fmt = str(context.params.get("format", "pdf"))
    context.progress(0, 2, N_("Computing the report"))
    with context.reading() as session:
        check_analytics_reader(_user(session, context))
        data_dir = context.settings.data_dir if context.settings else None
        report = pair_report(
            session,
            str(context.params["host"]),
            str(context.params["guest"]),
            context.language,
            context.params.get("year"),
            data_dir,
        )
        context.progress(1, 2, N_("Rendering the file"))
        content = render(report, fmt)
        name = file_name(report, fmt)

    def finish(session: Session) -> Outcome:
        return Outcome(file_name=name, file_type=MEDIA_TYPES[fmt], file_data=content)

    return finish


def build_index(context: JobContext) -> Finish:
    """Build the matching index once into mapped files every process opens (`matches.
    snapshots`); the log of changes it includes is pruned when it ends."""
    context.progress(0, 1, N_("Building the matching index"))
    if context.settings is None or context.settings.index_folder() is None:
        raise Conflict(N_("the matching index has no folder: set SERIKTES_INDEX_DIR"))
    with context.reading() as session:
        folder = snapshots.build_snapshot(session, context.settings, prune=False)
    context.progress(1, 1)

    def finish(session: Session) -> Outcome:
        pruned = snapshots.prune_log(session, context.settings)
        return Outcome(summary={"snapshot": folder.name, "pruned_changes": pruned})

    return finish


def goszakup_sync(context: JobContext) -> Finish:
    """Pull a buyer's or a region's plans from goszakup, each page committed with the sync's
    state as it is read (`catalog.goszakup_sync`); the needs it wrote are matched at the end.
    A run that fails or is cancelled keeps the pages it wrote, and the next one resumes."""
    from seriktes.catalog.goszakup_sync.client import PlanClient
    from seriktes.catalog.goszakup_sync.sync import check_target, sync_plans, target_oblast
    from seriktes.catalog.policy import check_goszakup_sync
    from seriktes.config import get_settings
    from seriktes.matches.incremental import match_import

    params = context.params
    settings = context.settings or get_settings()
    with context.reading() as session:
        target = check_target(session, params.get("bin"), params.get("region"), params.get("year"))
        check_goszakup_sync(_user(session, context), target_oblast(session, target))
    context.progress(0, 0, N_("Reading plans from goszakup"))

    def write(step: Callable[[Session], object]) -> object:
        written: list[object] = []
        context.commit(lambda session: written.append(step(session)))
        return written[0]

    def progress(done: int, total: int | None) -> None:
        context.progress(done, max(done, total or 0))

    with PlanClient(settings.goszakup_url, settings.goszakup_token) as client:
        report = sync_plans(target, client, write, full=bool(params.get("full")), progress=progress)
    context.progress(report.fetched, report.fetched, N_("Matching the needs it wrote"))

    def finish(session: Session) -> Outcome:
        matched = match_import(session, report) if report.created or report.updated else None
        shown = report.as_dict()
        summary = {key: shown[key] for key in SYNC_FIGURES}
        summary["matched_needs"] = matched.needs if matched else 0
        return Outcome(url="/goszakup", summary=summary)

    return finish


SYNC_FIGURES = (
    "pages",
    "fetched",
    "created",
    "updated",
    "unchanged",
    "closed",
    "organisations_created",
    "skipped",
    "other_year",
    "other_region",
    "retries",
)


WORKS: dict[str, Work] = {
    SCHEDULE: solve_schedule,
    PLACE: place_waiting,
    MATCHING: match_needs,
    REPORT: pair_report_file,
    INDEX: build_index,
    GOSZAKUP: goszakup_sync,
}

LABELS = {
    SCHEDULE: N_("Building a schedule"),
    PLACE: N_("Placing waiting requests"),
    MATCHING: N_("Matching needs"),
    REPORT: N_("The pair report"),
    INDEX: N_("Building the matching index"),
    GOSZAKUP: N_("Plans from goszakup"),
}
