"""The start page of a signed-in user (`/start`): what waits for them, in blocks.

- a member of an organisation: its published needs and offers with their strong and
  possible matches and the new ones, meeting requests waiting for its answer, its next
  meetings, deals waiting for its side's confirmation, commitments it answers for;
- a coordinator: the open events of their region with the requests waiting for answers,
  the region's commitments at risk or overdue, their recent imports, jobs;
- an administrator: the same across all regions, jobs and the outbox's problems.

The domains' repositories find the rows and their policies decide which of them the user
may see or act on; this module only composes them. `jobs` and `outbox_problems` are passed
empty until the jobs and notifications domains exist (`start_jobs.html`,
`start_outbox.html` show them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.accounts.policy import can_read_all_drafts, is_admin
from seriktes.agreements import repository as agreements
from seriktes.agreements.models import Commitment, Deal
from seriktes.agreements.policy import (
    can_confirm_deal,
    can_manage_memorandum,
    can_read_memorandum,
    deal_side,
    may_read_deal_sums,
    visible_deals,
    visible_memoranda,
)
from seriktes.agreements.progress import Progress, Status
from seriktes.agreements.service import progress_of
from seriktes.catalog import repository as catalog
from seriktes.catalog.models import Need, Offer
from seriktes.catalog.policy import visible_needs, visible_offers
from seriktes.events import repository as events
from seriktes.events.models import Event, MeetingRequest, Participant
from seriktes.events.policy import acts_for_participant, can_manage_event, visible_events
from seriktes.events.service import slot_span, slot_times
from seriktes.http.auth import RequiredUser
from seriktes.http.deps import DbSession, Language
from seriktes.imports import repository as imports
from seriktes.imports.kinds import KINDS
from seriktes.imports.models import ImportUpload
from seriktes.imports.policy import may_see_upload
from seriktes.jobs import service as job_service
from seriktes.kit import clock
from seriktes.kit.i18n import N_
from seriktes.matches import repository as matches
from seriktes.matches.models import Match
from seriktes.matches.repository import BandCounts
from seriktes.notifications import repository as notification_repository
from seriktes.registry.kato import oblast_of
from seriktes.registry.models import Organisation, Region
from seriktes.web.views.agreements import LABELS as AGREEMENT_LABELS
from seriktes.web.views.deals import CONFIRMATIONS
from seriktes.web.views.events import REQUEST_STATES
from seriktes.web.views.pages import show

router = APIRouter()

NEW_DAYS = 7  # a match is new for a week after it was first found
SHOWN_LINES = 10  # needs or offers listed on the page; the list page has them all
SHOWN_ROWS = 10  # rows of the other blocks
AT_RISK = (Status.AT_RISK, Status.OVERDUE)
UPLOAD_STATES = {
    "uploaded": N_("Awaiting confirmation"),
    "imported": N_("Imported"),
    "discarded": N_("Discarded"),
}


@dataclass(frozen=True)
class LineRow:
    """A need or an offer with its strong and possible matches and the new ones."""

    line: Need | Offer
    counts: BandCounts


@dataclass(frozen=True)
class Lines:
    """An organisation's published needs or offers, those with the most new matches first."""

    rows: list[LineRow]  # the first SHOWN_LINES
    total: int  # published lines
    matched: int  # lines with a strong or possible match
    new: int  # new matches over every line


@dataclass(frozen=True)
class Meeting:
    """A scheduled meeting of the organisation: when, where and with whom."""

    request: MeetingRequest
    day: date
    starts: time
    ends: time
    other: Organisation
    table: int | None  # 1-based


@dataclass(frozen=True)
class Tracked:
    """A commitment with its progress; `sums` when the user may read its value."""

    commitment: Commitment
    progress: Progress
    sums: bool


@dataclass
class MemberBlocks:
    """What waits for a member of an organisation."""

    organisation: Organisation
    needs: Lines
    offers: Lines
    requests: list[MeetingRequest]
    meetings: list[Meeting]
    deals: list[Deal]
    commitments: list[Tracked]


@dataclass(frozen=True)
class OpenEvent:
    """An upcoming or ongoing event with the requests waiting for an answer in it."""

    event: Event
    waiting: int
    oldest: datetime | None  # when the oldest waiting request was sent


@dataclass
class RegionBlocks:
    """What waits for a coordinator in their region, or for an administrator everywhere
    (`region` None)."""

    region: Region | None
    events: list[OpenEvent]
    commitments: list[Tracked]  # at risk or overdue
    uploads: list[tuple[ImportUpload, User]]
    waiting: int = field(init=False)

    def __post_init__(self) -> None:
        self.waiting = sum(item.waiting for item in self.events)


@router.get("/start", response_class=HTMLResponse, name="start")
def start(request: Request, session: DbSession, lang: Language, user: RequiredUser) -> HTMLResponse:
    """The user's start page: their organisation's blocks, their region's, the platform's."""
    now, today = clock.now(), clock.today()
    member = member_blocks(session, user, now, today)
    region = region_blocks(session, user, now, today)
    admin = is_admin(user)
    return show(
        request,
        lang,
        "start.html",
        200,
        **AGREEMENT_LABELS,
        confirmations=CONFIRMATIONS,
        request_states=REQUEST_STATES,
        upload_states=UPLOAD_STATES,
        kind_labels={key: kind.label for key, kind in KINDS.items()},
        member=member,
        region=region,
        admin=admin,
        new_days=NEW_DAYS,
        # filled by the jobs and notifications domains (see the module docstring)
        jobs=jobs_of(session, user) if region is not None else None,
        outbox_problems=outbox_problems(session) if admin else None,
        outbox_states=OUTBOX_STATES,
    )


OUTBOX_STATES = {
    "pending": N_("waiting to be sent"),
    "sending": N_("being sent"),
    "sent": N_("sent"),
    "failed": N_("given up"),
}


def jobs_of(session: Session, user: User) -> list[Any]:
    """The latest jobs the user follows: their own, every one for an administrator."""
    return list(job_service.jobs_of(session, user, limit=8))


def outbox_problems(session: Session) -> list[Any]:
    """Messages of the outbox that are stuck or failed (`notifications.repository`)."""
    return notification_repository.outbox_problems(session, clock.now())


# --- a member's organisation -------------------------------------------------------------
def member_blocks(session: Session, user: User, now: datetime, today: date) -> MemberBlocks | None:
    """The blocks of the user's organisation, None for a user without one."""
    org = user.organisation
    if org is None:
        return None
    seen = visible_needs(user) & visible_offers(user)
    since = now - timedelta(days=NEW_DAYS)
    return MemberBlocks(
        organisation=org,
        needs=_lines(session, Need, Match.need_id, org.id, seen, since),
        offers=_lines(session, Offer, Match.offer_id, org.id, seen, since),
        requests=[
            r
            for r in events.waiting_for(session, org.id, now)
            if acts_for_participant(user, r.recipient)
        ][:SHOWN_ROWS],
        meetings=_meetings(session, user, org, now, today),
        deals=[
            deal
            for deal in agreements.deals_awaiting_side(session, org.id, visible_deals(user))
            if deal_side(user, deal) is not None and can_confirm_deal(user, deal)
        ][:SHOWN_ROWS],
        commitments=[
            _tracked(user, c, today)
            for c in agreements.commitments_answered_by(session, org.id, visible_memoranda(user))
            if can_read_memorandum(user, c.memorandum)
        ],
    )


def _lines(
    session: Session,
    model: type[Need] | type[Offer],
    column: Any,
    owner_id: int,
    seen: Any,
    since: datetime,
) -> Lines:
    found: list[Need] | list[Offer] = catalog.published_lines(session, model, owner_id)
    counts = matches.band_counts(session, column, [line.id for line in found], seen, since)
    rows = [LineRow(line, counts.get(line.id, BandCounts())) for line in found]
    rows.sort(key=lambda row: (-row.counts.new, -row.counts.shown, -row.line.id))
    return Lines(
        rows=rows[:SHOWN_LINES],
        total=len(rows),
        matched=sum(1 for row in rows if row.counts.shown),
        new=sum(row.counts.new for row in rows),
    )


def _meetings(
    session: Session, user: User, org: Organisation, now: datetime, today: date
) -> list[Meeting]:
    """The organisation's scheduled meetings that have not ended yet."""
    found = []
    for meeting in events.meetings_ahead(session, org.id, today, SHOWN_ROWS):
        own, other = _sides(meeting, org.id)
        if not acts_for_participant(user, own) or meeting.slot is None:
            continue
        times = slot_times(meeting.event)
        if meeting.slot >= len(times):  # a slot the event's day no longer has
            continue
        starts, ends = times[meeting.slot]
        if slot_span(meeting.event, meeting.slot, times=times)[1] < now:
            continue  # over already, earlier on its meeting day or on a day before
        table = meeting.table_no + 1 if meeting.table_no is not None else None
        on = meeting.event.date_of(meeting.slot)
        found.append(Meeting(meeting, on, starts, ends, other.organisation, table))
    found.sort(key=lambda m: (m.day, m.starts, m.request.id))
    return found


def _sides(meeting: MeetingRequest, org_id: int) -> tuple[Participant, Participant]:
    """The organisation's participant in a meeting, and the other side's."""
    if meeting.requester.organisation_id == org_id:
        return meeting.requester, meeting.recipient
    return meeting.recipient, meeting.requester


def _tracked(user: User, commitment: Commitment, today: date) -> Tracked:
    sums = not commitment.kpi.from_deals or may_read_deal_sums(user, commitment)
    return Tracked(commitment, progress_of(commitment, today), sums)


# --- a coordinator's region, or every region for an administrator ------------------------
def region_blocks(session: Session, user: User, now: datetime, today: date) -> RegionBlocks | None:
    """The blocks of the coordinator's region, of every region for an administrator; None
    for the others (and a coordinator without a region)."""
    if is_admin(user):
        region, oblast = None, None
    elif can_read_all_drafts(user) and user.region is not None:
        region, oblast = user.region, oblast_of(user.region.kato)
    else:
        return None
    found = [
        e
        for e in events.open_events(session, visible_events(user), today, oblast)
        if can_manage_event(user, e)
    ]
    waiting = events.waiting_counts(session, [e.id for e in found], now)
    risky = [
        tracked
        for c in agreements.region_commitments(session, visible_memoranda(user), oblast)
        if can_manage_memorandum(user, c.memorandum)
        and (tracked := _tracked(user, c, today)).progress.status in AT_RISK
    ]
    uploads = imports.recent_uploads(session, None if region is None else user.id, SHOWN_ROWS)
    return RegionBlocks(
        region=region,
        events=[OpenEvent(e, *waiting.get(e.id, (0, None))) for e in found],
        commitments=risky,
        uploads=[(upload, who) for upload, who in uploads if may_see_upload(user, upload)],
    )
