"""Check-in on the meeting days: each participant's secret check-in link (its agenda carries
it as a QR code), arrivals recorded by scanning that code or ticking a list, undone, counted,
and participants who did not arrive by the start of their first meeting marked absent in one
action through the no-show path (`scheduling.cancel_participant`), which gives their slots to
waiting requests.

A meeting day is a 0-based index into `meeting_days(event)`; `meeting_days` and
`first_meeting_start` are the two places that know how an event's days are laid out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.events import repository, scheduling
from seriktes.events.models import (
    Checkin,
    CheckinMethod,
    Event,
    MeetingStatus,
    Participant,
    ParticipantStatus,
)
from seriktes.events.policy import can_check_in
from seriktes.events.service import (
    get_event,
    get_participant,
    new_checkin_token,
    slot_moment,
    slot_times,
)
from seriktes.kit import clock
from seriktes.kit.errors import (
    Conflict,
    ErrorItem,
    Forbidden,
    NotAuthenticated,
    NotFound,
    ValidationFailed,
)
from seriktes.kit.i18n import N_

NO_SHOW_SECONDS = 5.0  # the no-show path's time limit, for one participant or a batch


# --- the meeting days --------------------------------------------------------------------
def meeting_days(event: Event) -> list[date]:
    """The event's meeting days in order; a check-in's `day` indexes this list."""
    return [day.meets_on for day in event.days]


def day_date(event: Event, day: int) -> date:
    """The date of meeting day `day` (0-based); a day the event does not have is refused."""
    days = meeting_days(event)
    if not 0 <= day < len(days):
        detail = N_("the event has %(days)s meeting days (0 to %(last)s)")
        params = {"days": len(days), "last": len(days) - 1}
        raise ValidationFailed(detail, [ErrorItem(("query", "day"), detail, params)], params)
    return days[day]


def first_meeting_starts(session: Session, event: Event, day: int) -> dict[int, datetime]:
    """Participant id → when its first scheduled meeting of day `day` starts."""
    when = day_date(event, day)
    times = slot_times(event)
    first: dict[int, int] = {}
    for request in repository.requests(session, event.id):
        if request.meeting_status is not MeetingStatus.SCHEDULED or request.slot is None:
            continue
        if request.slot >= len(times) or event.day_of(request.slot)[0] != day:
            continue
        for pid in (request.requester_id, request.recipient_id):
            first[pid] = min(first.get(pid, request.slot), request.slot)
    return {pid: slot_moment(event, when, times[slot][0]) for pid, slot in first.items()}


def local_time(event: Event, moment: datetime | None) -> str:
    """A moment as HH:MM in the event's time zone ("" for None)."""
    if moment is None:
        return ""
    return moment.astimezone(event.zone).strftime("%H:%M")


# --- the check-in link -------------------------------------------------------------------
def ensure_token(session: Session, participant: Participant) -> str:
    """The participant's check-in token, made once (on registration, or when its agenda is
    first rendered) and kept."""
    if participant.checkin_token is None:
        participant.checkin_token = new_checkin_token()
        session.flush()
    return participant.checkin_token


def checkin_path(participant: Participant) -> str | None:
    """The path of the participant's check-in link, when it has a token."""
    if participant.checkin_token is None:
        return None
    return f"/events/{participant.event_id}/checkin/{participant.checkin_token}"


def checkin_url(base_url: str, participant: Participant) -> str | None:
    """The absolute check-in link its agenda's QR code encodes."""
    path = checkin_path(participant)
    return None if path is None else base_url.rstrip("/") + path


def qr_code(text: str) -> tuple[str, str]:
    """`text` as a QR code, black on white: an inline SVG element and an SVG data: URI."""
    import segno

    code = segno.make(text, error="m")
    inline = code.svg_inline(scale=4, border=2, svgclass="qr", lineclass=None)
    return str(inline), str(code.svg_data_uri(scale=4, border=2))


@dataclass(frozen=True)
class CheckinCode:
    """The check-in link of a participant and its QR code, as an agenda shows them."""

    url: str
    svg: str  # an inline <svg> element, for pages
    data_uri: str  # the same code as a data: URI, for an <img> in a PDF


def checkin_code(participant: Participant, base_url: str | None = None) -> CheckinCode | None:
    """The participant's check-in link (at `base_url`, by default `SERIKTES_BASE_URL`) and its
    QR code; None before it has a token."""
    if base_url is None:
        from seriktes.config import get_settings

        base_url = get_settings().base_url
    url = checkin_url(base_url, participant)
    return None if url is None else CheckinCode(url, *qr_code(url))


def by_token(session: Session, event_id: int, token: str) -> Participant | None:
    """The participant of the event whose check-in token is `token`, if any."""
    if not token or len(token) > 64:
        return None
    found = repository.participant_by_token(session, token)
    return found if found is not None and found.event_id == event_id else None


# --- arrivals ----------------------------------------------------------------------------
def _organised(session: Session, user: User | None, event_id: int) -> Event:
    event = get_event(session, user, event_id)
    if not can_check_in(user, event):
        message = N_("only the organisers of the event record arrivals")
        raise Forbidden(message) if user is not None else NotAuthenticated(message)
    return event


def check_in(
    session: Session,
    user: User,
    event_id: int,
    participant_id: int,
    day: int = 0,
    method: CheckinMethod = CheckinMethod.TICK,
) -> Checkin:
    """Record a participant's arrival on a meeting day (organisers). A second scan or tick
    changes nothing: the first arrival stands."""
    event = _organised(session, user, event_id)
    day_date(event, day)
    participant = get_participant(session, user, event_id, participant_id)
    found = repository.checkin_of(session, participant.id, day)
    if found is not None:
        return found
    if participant.status is not ParticipantStatus.ACTIVE:
        raise Conflict(N_("the participant has cancelled or was marked absent; it cannot check in"))
    checkin = Checkin(participant=participant, day=day, method=method, by_user_id=user.id)
    try:
        with session.begin_nested():
            session.add(checkin)
            session.flush()
    except IntegrityError:  # the same arrival recorded at the same moment elsewhere
        found = repository.checkin_of(session, participant.id, day)
        if found is None:
            raise
        return found
    return checkin


def check_in_by_token(
    session: Session, user: User, event_id: int, token: str, day: int = 0
) -> Checkin:
    """Record the arrival of the participant whose agenda's QR code was scanned."""
    _organised(session, user, event_id)
    participant = by_token(session, event_id, token)
    if participant is None:
        raise NotFound(N_("no participant with this check-in code in the event"))
    return check_in(session, user, event_id, participant.id, day, CheckinMethod.QR)


def undo(session: Session, user: User, event_id: int, participant_id: int, day: int = 0) -> bool:
    """Take back a participant's arrival on a meeting day; False when there was none."""
    event = _organised(session, user, event_id)
    day_date(event, day)
    participant = get_participant(session, user, event_id, participant_id)
    found = repository.checkin_of(session, participant.id, day)
    if found is None:
        return False
    session.delete(found)
    session.flush()
    return True


@dataclass(frozen=True)
class Arrival:
    """A participant on the arrivals list of a day."""

    participant: Participant
    checkin: Checkin | None
    first_meeting: datetime | None  # when its first meeting of the day starts
    late: bool  # not arrived, and its first meeting has started


@dataclass(frozen=True)
class Arrivals:
    """The arrivals of one meeting day, as the organisers' list shows them."""

    event: Event
    day: int
    date: date
    rows: list[Arrival]
    arrived: int
    expected: int

    @property
    def late(self) -> list[Arrival]:
        """Those who may be marked absent now."""
        return [row for row in self.rows if row.late]


def arrivals(
    session: Session, user: User | None, event_id: int, day: int = 0, search: str = ""
) -> Arrivals:
    """Who arrived on a meeting day, who is expected (participants still taking part, and
    those already checked in), and who is late; the rows narrowed by `search` (a part of the
    name or the BIN), the counts always of the whole day."""
    event = _organised(session, user, event_id)
    when = day_date(event, day)
    now = clock.now()
    checked = repository.day_checkins(session, event.id, day)
    starts = first_meeting_starts(session, event, day)
    rows = []
    for p in repository.participants(session, event.id):
        checkin = checked.get(p.id)
        if p.status is ParticipantStatus.CANCELLED and checkin is None:
            continue
        start = starts.get(p.id)
        late = (
            checkin is None
            and p.status is ParticipantStatus.ACTIVE
            and start is not None
            and start <= now
        )
        rows.append(Arrival(p, checkin, start, late))
    arrived = sum(1 for row in rows if row.checkin is not None)
    shown = [row for row in rows if _matches(row.participant, search)]
    return Arrivals(event, day, when, shown, arrived, len(rows))


def _matches(participant: Participant, search: str) -> bool:
    words = search.strip().casefold()
    if not words:
        return True
    org = participant.organisation
    haystack = " ".join(
        part for part in (org.name_ru, org.name_kk or "", org.bin or "") if part
    ).casefold()
    return words in haystack


def mark_absent(
    session: Session, user: User, event_id: int, participant_ids: list[int], day: int = 0
) -> list[int]:
    """Mark participants who did not arrive by the start of their first meeting absent, in
    one action: all go through the no-show path together, and one rescheduling gives their
    slots to waiting requests. Refused as a whole when one of them arrived or is not late yet."""
    if not participant_ids:
        detail = N_("choose the participants to mark absent")
        raise ValidationFailed(detail, [ErrorItem(("body", "participant_ids"), detail)])
    found = arrivals(session, user, event_id, day)
    late = {row.participant.id for row in found.late}
    for i, pid in enumerate(dict.fromkeys(participant_ids)):
        if pid not in late:
            detail = N_(
                "participant %(pid)s arrived, is not taking part, or its first meeting has "
                "not started yet"
            )
            params = {"pid": pid}
            raise Conflict(
                detail, [ErrorItem(("body", "participant_ids", i), detail, params)], params
            )
    chosen = list(dict.fromkeys(participant_ids))
    # one rescheduling for the whole batch, as for one no-show
    scheduling.cancel_participants(
        session, user, event_id, chosen, no_show=True, time_limit=NO_SHOW_SECONDS
    )
    return chosen
