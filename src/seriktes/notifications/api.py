"""JSON routes of notifications: your list, the unread count, marking read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from seriktes.config import get_settings
from seriktes.http.auth import RequiredUser
from seriktes.http.deps import DbSession, Language
from seriktes.http.params import WRITE, PageNo, PerPage
from seriktes.http.schemas import PageOut
from seriktes.kit.db import MAX_ID
from seriktes.kit.pagination import PageRequest
from seriktes.notifications import kinds, service
from seriktes.notifications.mail import absolute
from seriktes.notifications.models import Notification

router = APIRouter(prefix="/api/v1", tags=["notifications"])
NotificationId = Annotated[int, Path(ge=1, le=MAX_ID)]


class NotificationOut(BaseModel):
    """Something that happened for you, in the language asked for."""

    id: int
    kind: str
    subject: str = Field(description="what happened, in one line")
    text: str = Field(description="what happened, in full")
    link: str = Field(description="where to see it (absolute)")
    created_at: datetime
    read_at: datetime | None

    @classmethod
    def of(cls, row: Notification, lang: str) -> NotificationOut:
        """Convert a notification, its texts in `lang`."""
        return cls(
            id=row.id,
            kind=row.kind,
            subject=kinds.subject(row.kind, lang, row.params),
            text=kinds.body(row.kind, lang, row.params),
            link=absolute(get_settings().base_url, row.link),
            created_at=row.created_at,
            read_at=row.read_at,
        )


class UnreadOut(BaseModel):
    """How many of your notifications are unread."""

    unread: int


class MarkedOut(BaseModel):
    """How many notifications were marked read."""

    marked: int


@router.get("/notifications")
def api_notifications(
    session: DbSession,
    user: RequiredUser,
    lang: Language,
    page: Annotated[int, PageNo] = 1,
    per_page: Annotated[int, PerPage] = 25,
) -> PageOut[NotificationOut]:
    """Your notifications, newest first."""
    found = service.page_of(session, user, PageRequest(page, per_page))
    return PageOut.of(found, lambda row: NotificationOut.of(row, lang))


@router.get("/notifications/unread")
def api_unread(session: DbSession, user: RequiredUser) -> UnreadOut:
    """How many of your notifications are unread (the bell)."""
    return UnreadOut(unread=service.unread_count(session, user))


@router.post("/notifications/{notification_id}/read", dependencies=WRITE)
def api_mark_read(
    session: DbSession, user: RequiredUser, lang: Language, notification_id: NotificationId
) -> NotificationOut:
    """Mark one of your notifications read."""
    return NotificationOut.of(service.mark_read(session, user, notification_id), lang)


@router.post("/notifications/read", dependencies=WRITE)
def api_mark_all_read(session: DbSession, user: RequiredUser) -> MarkedOut:
    """Mark every notification of yours read."""
    return MarkedOut(marked=service.mark_all_read(session, user))
