"""Hybrid meetings: who meets online and the video link of an online meeting.

The rule: a meeting is online when either side joins online (`Participant.online`); it takes
a slot of each side like any meeting. It takes a table unless both sides are online: the side
on site sits at its table and joins the link from there. When both are online the meeting
has no table (`table_no` None) and only its link. The link is built from the setting
`SERIKTES_MEETING_URL` when the meeting is scheduled, and kept while it stays online; our
pages only link to the video service, they load nothing of it.
"""

from __future__ import annotations

import secrets

from seriktes.config import get_settings
from seriktes.events.models import MeetingRequest

SECRET_BYTES = 12  # 16 URL-safe characters


def is_online(request: MeetingRequest) -> bool:
    """Whether a meeting is held by video link: one of its sides joins online."""
    return bool(request.requester.online or request.recipient.online)


def takes_table(request: MeetingRequest) -> bool:
    """Whether a meeting needs a table at the venue: one of its sides is there."""
    return not (request.requester.online and request.recipient.online)


def meeting_link(event_id: int, meeting_id: int) -> str:
    """A new video link for a meeting, with an unguessable secret part."""
    pattern = get_settings().meeting_url
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return pattern.format(event=event_id, meeting=meeting_id, secret=secret)


def set_online(request: MeetingRequest) -> None:
    """Mark a scheduled meeting online or not by its sides, giving it a link once."""
    request.online = is_online(request)
    if request.online and not request.meeting_url:
        request.meeting_url = meeting_link(request.event_id, request.id)
    if not takes_table(request):
        request.table_no = None
