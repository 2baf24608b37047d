"""Calendar feeds' secrets: a user's random token names their feed (`/calendar/<token>.ics`,
subscribed to as webcal://…); it is stored as it is, so that the settings page can show it to
its owner again, and a reset replaces it (the old address stops working at once)."""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.notifications.mail import absolute
from seriktes.notifications.models import CalendarFeed

TOKEN_BYTES = 32


def feed_of(session: Session, user: User) -> CalendarFeed | None:
    """The user's calendar feed, if they made one."""
    return session.scalars(select(CalendarFeed).where(CalendarFeed.user_id == user.id)).first()


def reset_feed(session: Session, user: User) -> CalendarFeed:
    """Give the user a new feed token (made on first use, replaced afterwards)."""
    feed = feed_of(session, user)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    if feed is None:
        feed = CalendarFeed(user_id=user.id, token=token)
        session.add(feed)
    else:
        feed.token = token
    session.flush()
    return feed


def feed_owner(session: Session, token: str) -> User | None:
    """The active user whose feed `token` names; None for an unknown token."""
    if not token or len(token) > 64:
        return None
    feed = session.scalars(select(CalendarFeed).where(CalendarFeed.token == token)).first()
    if feed is None:
        return None
    user = session.get(User, feed.user_id)
    return user if user is not None and user.is_active else None


def feed_urls(base_url: str, feed: CalendarFeed) -> tuple[str, str]:
    """The feed's https:// (or http://) address and its webcal:// one."""
    url = absolute(base_url, f"/calendar/{feed.token}.ics")
    return url, "webcal://" + url.split("://", 1)[1]
