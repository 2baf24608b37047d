"""The daily digest: one e-mail per user bundling the notifications they chose to receive as a
digest since the last one. The job runner calls `send_digests` once a day; it only flushes."""

from __future__ import annotations

from datetime import datetime
from itertools import groupby

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.config import Settings, get_settings
from seriktes.kit import clock
from seriktes.kit.errors import render
from seriktes.kit.i18n import translate
from seriktes.notifications import kinds, mail, repository
from seriktes.notifications.mail import Entry
from seriktes.notifications.models import Delivery
from seriktes.notifications.service import OUTBOX_PENDING, language


def send_digests(
    session: Session, now: datetime | None = None, settings: Settings | None = None
) -> int:
    """Write one outbox row per user with notifications waiting for the digest and mark them
    digested; return how many e-mails were written (none while SMTP is unset)."""
    settings = settings or get_settings()
    if not settings.smtp_url:
        return 0
    now = now or clock.now()
    written = 0
    waiting = repository.waiting_for_digest(session)
    for user_id, group in groupby(waiting, key=lambda n: n.user_id):
        rows = list(group)
        user = session.get(User, user_id)
        for row in rows:
            row.delivery = Delivery.DIGESTED
        if user is None or not user.is_active:
            continue
        lang = language(user)
        entries = [Entry(row.kind, row.params, row.link) for row in rows]
        # the last notification bundled names the digest: a second run finds none waiting
        key = f"digest.u{user_id}.n{rows[-1].id}"
        message = mail.compose(
            key,
            user.email,
            lang,
            entries,
            settings.base_url,
            title=render(lang, kinds.DIGEST_SUBJECT, {"count": len(rows)}),
            intro=translate(lang, kinds.DIGEST_INTRO),
        )
        message.next_attempt_at = now
        session.add(message)
        session.info[OUTBOX_PENDING] = True
        written += 1
    session.flush()
    return written
