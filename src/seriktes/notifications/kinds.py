"""The kinds of notification: each one's label, default mode and texts (subject and body),
English message ids translated by the catalogues (`locales/<lang>/notifications.po`) and
rendered in the reader's language with their parameters.

A parameter is a plain value, or a dict of its spellings per language (`{"ru": …, "kk": …}`:
an organisation's names), of which the reader's is shown (Russian when it has none)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from seriktes.kit.errors import render
from seriktes.kit.i18n import N_
from seriktes.notifications.models import Mode


class Kind(enum.StrEnum):
    """What a notification tells of."""

    REQUEST_RECEIVED = "request_received"
    REQUEST_ACCEPTED = "request_accepted"
    REQUEST_DECLINED = "request_declined"
    REQUEST_EXPIRING = "request_expiring"
    SCHEDULE_PUBLISHED = "schedule_published"
    SCHEDULE_CHANGED = "schedule_changed"
    MEETING_CANCELLED = "meeting_cancelled"
    MEETING_MOVED = "meeting_moved"
    VISIT_CONFIRMED = "visit_confirmed"
    VISIT_FULL = "visit_full"
    COMMITMENT_DUE = "commitment_due"
    COMMITMENT_OVERDUE = "commitment_overdue"
    COMMITMENT_ACHIEVED = "commitment_achieved"
    DEAL_AWAITING = "deal_awaiting"
    STRONG_MATCHES = "strong_matches"
    IMPORT_DONE = "import_done"
    IMPORT_FAILED = "import_failed"
    JOB_DONE = "job_done"
    JOB_FAILED = "job_failed"


@dataclass(frozen=True)
class KindText:
    """A kind's label (the settings page), subject and body templates."""

    label: str
    subject: str
    body: str
    default: Mode = Mode.IMMEDIATE


TEXTS: dict[Kind, KindText] = {
    Kind.REQUEST_RECEIVED: KindText(
        N_("A meeting request received"),
        N_("Meeting request from %(org)s"),
        N_(
            "%(org)s asks %(other)s for a one-to-one meeting at %(event)s. Please answer by "
            "%(deadline)s."
        ),
    ),
    Kind.REQUEST_ACCEPTED: KindText(
        N_("My meeting request accepted"),
        N_("%(org)s accepted your meeting request"),
        N_(
            "%(org)s accepted the meeting request of %(other)s at %(event)s. The meeting "
            "will be placed in the schedule."
        ),
    ),
    Kind.REQUEST_DECLINED: KindText(
        N_("My meeting request declined"),
        N_("%(org)s declined your meeting request"),
        N_("%(org)s declined the meeting request of %(other)s at %(event)s."),
    ),
    Kind.REQUEST_EXPIRING: KindText(
        N_("A meeting request expires within 24 hours"),
        N_("The meeting request from %(org)s expires soon"),
        N_(
            "The meeting request from %(org)s to %(other)s at %(event)s is still unanswered "
            "and expires at %(deadline)s."
        ),
    ),
    Kind.SCHEDULE_PUBLISHED: KindText(
        N_("The meeting schedule published"),
        N_("The meeting schedule of %(event)s is ready"),
        N_(
            "The meeting schedule of %(event)s is ready: %(count)s meeting(s) for %(other)s. "
            "The agenda is attached as a calendar file."
        ),
    ),
    Kind.SCHEDULE_CHANGED: KindText(
        N_("The meeting schedule changed"),
        N_("The meeting schedule of %(event)s changed"),
        N_(
            "The meeting schedule of %(event)s changed: %(other)s now has %(count)s "
            "meeting(s). The new agenda is attached as a calendar file."
        ),
    ),
    Kind.MEETING_CANCELLED: KindText(
        N_("A meeting cancelled"),
        N_("Meeting with %(org)s cancelled"),
        N_("The meeting of %(other)s with %(org)s at %(event)s (%(at)s) is cancelled."),
    ),
    Kind.MEETING_MOVED: KindText(
        N_("A meeting moved"),
        N_("Meeting with %(org)s moved to %(at)s"),
        N_("The meeting of %(other)s with %(org)s at %(event)s moved to %(at)s, table %(table)s."),
    ),
    Kind.VISIT_CONFIRMED: KindText(
        N_("A site visit sign-up confirmed"),
        N_("Site visit sign-up confirmed: %(visit)s"),
        N_("%(other)s is signed up for the site visit «%(visit)s» at %(event)s, %(at)s."),
    ),
    Kind.VISIT_FULL: KindText(
        N_("A site visit is full"),
        N_("Site visit full: %(visit)s"),
        N_("All %(capacity)s places of the site visit «%(visit)s» at %(event)s are taken."),
    ),
    Kind.COMMITMENT_DUE: KindText(
        N_("A commitment due within 30 days"),
        N_("Commitment due on %(deadline)s: %(commitment)s"),
        N_(
            "The commitment «%(commitment)s» of memorandum %(memorandum)s is due on "
            "%(deadline)s; it has reached %(percent)s%% of its target."
        ),
    ),
    Kind.COMMITMENT_OVERDUE: KindText(
        N_("A commitment overdue"),
        N_("Commitment overdue: %(commitment)s"),
        N_(
            "The commitment «%(commitment)s» of memorandum %(memorandum)s was due on "
            "%(deadline)s and has reached %(percent)s%% of its target."
        ),
    ),
    Kind.COMMITMENT_ACHIEVED: KindText(
        N_("A commitment achieved"),
        N_("Commitment achieved: %(commitment)s"),
        N_(
            "The commitment «%(commitment)s» of memorandum %(memorandum)s has reached its "
            "target (%(percent)s%%)."
        ),
    ),
    Kind.DEAL_AWAITING: KindText(
        N_("A deal awaits my organisation's confirmation"),
        N_("Deal %(number)s awaits your confirmation"),
        N_(
            "%(org)s recorded deal %(number)s with %(other)s for %(amount)s. It counts once "
            "%(other)s confirms it."
        ),
    ),
    Kind.STRONG_MATCHES: KindText(
        N_("New strong matches for my needs or offers"),
        N_("%(count)s new strong match(es) for %(org)s"),
        N_("New strong matches for the needs and offers of %(org)s: %(titles)s."),
        Mode.DIGEST,
    ),
    Kind.IMPORT_DONE: KindText(
        N_("An import finished"),
        N_("Import finished: %(filename)s"),
        N_(
            "The import of %(filename)s finished: %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged."
        ),
    ),
    Kind.IMPORT_FAILED: KindText(
        N_("An import failed"),
        N_("Import failed: %(filename)s"),
        N_("The import of %(filename)s failed: %(reason)s"),
    ),
    Kind.JOB_DONE: KindText(
        N_("A task finished"),
        N_("Task finished: %(job)s"),
        N_("The task %(job)s finished. %(summary)s"),
    ),
    Kind.JOB_FAILED: KindText(
        N_("A task failed"),
        N_("Task failed: %(job)s"),
        N_("The task %(job)s failed: %(reason)s"),
    ),
}

MODE_LABELS = {
    Mode.IMMEDIATE: N_("Immediately"),
    Mode.DIGEST: N_("Daily digest"),
    Mode.OFF: N_("Off"),
}
DIGEST_SUBJECT = N_("Seriktes: %(count)s notification(s) of the day")
DIGEST_INTRO = N_("What happened since the last digest:")
OPEN_LINK = N_("Open: %(link)s")
SETTINGS_LINK = N_("Choose which notifications you receive: %(link)s")
CONTACT_NOTE = N_(
    "This message went to the organisation's contact address: it has no users on Seriktes yet."
)


def localized(lang: str, params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as shown in `lang`: a per-language dict gives the reader's spelling."""
    shown: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, dict):
            shown[name] = value.get(lang) or value.get("ru") or next(iter(value.values()), "")
        else:
            shown[name] = value
    return shown


def subject(kind: str, lang: str, params: dict[str, Any]) -> str:
    """The subject of a notification of `kind` in `lang`."""
    text = TEXTS[Kind(kind)]
    return render(lang, text.subject, localized(lang, params))


# a sentence added to a kind's body when its notice has the parameter (notices written before
# the parameter existed have none, and their bodies stay as they were)
EXTRAS: dict[Kind, dict[str, str]] = {Kind.REQUEST_RECEIVED: {"topic": N_("Topic: %(topic)s.")}}


def body(kind: str, lang: str, params: dict[str, Any]) -> str:
    """The body of a notification of `kind` in `lang`."""
    text = TEXTS[Kind(kind)]
    values = localized(lang, params)
    extras = [
        render(lang, template, values)
        for name, template in EXTRAS.get(Kind(kind), {}).items()
        if params.get(name)
    ]
    return " ".join([render(lang, text.body, values), *extras])
