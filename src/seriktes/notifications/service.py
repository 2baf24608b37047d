"""Notifying: the rows written in the caller's transaction, and what a user reads and sets.

`notify` only flushes: the notification rows (in the app) and the outbox rows (e-mails to
send) are written in the same transaction as the change they tell of, so they exist exactly
when the change is committed. When it writes an outbox row it sets
`session.info["outbox_pending"] = True`: the job runner's after-commit hook reads that flag
to wake the worker that sends the outbox (`delivery.deliver_due`) at once instead of at its
next round.

Who receives: a user (when active); an organisation: its active users, or its contact
e-mail (in Russian, the default language) when it has no users. Each user's choice for the
kind decides: immediately (e-mailed when `SERIKTES_SMTP_URL` is set), daily digest
(`digest.send_digests`), or off (nothing, not even in the app). `key` names the event told
of: a user has at most one notification of a key and the outbox one row of an idempotency
key, so a sweep run twice or a retried request notifies once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.config import Settings, get_settings
from seriktes.kit import clock
from seriktes.kit.db import get_by_id
from seriktes.kit.errors import NotFound
from seriktes.kit.i18n import LANGUAGES, N_, translate
from seriktes.kit.pagination import Page, PageRequest, paginate
from seriktes.notifications import kinds, mail, repository
from seriktes.notifications.kinds import Kind
from seriktes.notifications.mail import Attachment, Entry
from seriktes.notifications.models import (
    Delivery,
    Mode,
    Notification,
    NotificationPreference,
)
from seriktes.registry.models import Organisation

OUTBOX_PENDING = "outbox_pending"  # session.info flag: an outbox row was written
DEFAULT_LANGUAGE = "ru"
Recipient = User | Organisation
AttachmentsFor = Callable[[str], list[Attachment]]  # the reader's language → files


def notify(
    session: Session,
    kind: Kind,
    recipients: Iterable[Recipient],
    params: dict[str, Any],
    link: str,
    key: str,
    *,
    subject: tuple[str, int] | None = None,
    attachments: AttachmentsFor | None = None,
    settings: Settings | None = None,
) -> list[Notification]:
    """Notify `recipients` of `kind` (see the module docstring); return the new rows."""
    settings = settings or get_settings()
    users, addresses = _resolve(session, recipients)
    done = repository.notified_users(session, key, users)
    chosen = repository.modes(session, users, kind.value)
    written: list[tuple[User, Notification]] = []
    for user in users.values():
        if user.id in done:
            continue
        mode = chosen.get((user.id, kind.value), kinds.TEXTS[kind].default)
        if mode is Mode.OFF:
            continue
        delivery = Delivery.APP
        if settings.smtp_url:
            delivery = Delivery.EMAIL if mode is Mode.IMMEDIATE else Delivery.DIGEST
        row = Notification(
            user_id=user.id,
            kind=kind.value,
            params=params,
            link=link,
            subject_type=subject[0] if subject else None,
            subject_id=subject[1] if subject else None,
            dedupe_key=key,
            delivery=delivery,
        )
        session.add(row)
        written.append((user, row))
    session.flush()
    if settings.smtp_url:
        _outbox(session, kind, params, link, key, written, addresses, attachments, settings)
    return [row for _, row in written]


def _resolve(
    session: Session, recipients: Iterable[Recipient]
) -> tuple[dict[int, User], dict[int, str]]:
    """Users by id, and contact addresses of organisations without users by their id."""
    users: dict[int, User] = {}
    orgs: dict[int, Organisation] = {}
    for recipient in recipients:
        if isinstance(recipient, User):
            if recipient.is_active:
                users[recipient.id] = recipient
        else:
            orgs[recipient.id] = recipient
    addresses: dict[int, str] = {}
    for org_id, found in repository.members(session, orgs).items():
        for user in found:
            users[user.id] = user
        if not found and orgs[org_id].email:
            addresses[org_id] = str(orgs[org_id].email)
    return users, addresses


def _outbox(
    session: Session,
    kind: Kind,
    params: dict[str, Any],
    link: str,
    key: str,
    written: list[tuple[User, Notification]],
    addresses: dict[int, str],
    attachments: AttachmentsFor | None,
    settings: Settings,
) -> None:
    """The e-mails of the notifications to send now, and of organisations' contacts."""
    entry = [Entry(kind.value, params, link)]
    wanted: list[tuple[str, str, str, int | None]]
    wanted = [(f"{key}.u{u.id}", u.email, language(u), n.id) for u, n in written
              if n.delivery is Delivery.EMAIL]  # fmt: skip
    wanted += [(f"{key}.o{org_id}", address, DEFAULT_LANGUAGE, None)
               for org_id, address in addresses.items()]  # fmt: skip
    taken = repository.outbox_keys(session, (mail.safe_key(k) for k, *_ in wanted))
    for outbox_key, address, lang, notification_id in wanted:
        if mail.safe_key(outbox_key) in taken:
            continue
        note = mail_note(lang) if notification_id is None else None
        files = attachments(lang) if attachments else None
        message = mail.compose(
            outbox_key, address, lang, entry, settings.base_url, note=note, attachments=files
        )
        message.notification_id = notification_id
        session.add(message)
        session.info[OUTBOX_PENDING] = True
    session.flush()


def mail_note(lang: str) -> str:
    """The note of an e-mail sent to an organisation's contact address."""
    return translate(lang, kinds.CONTACT_NOTE)


def language(user: User) -> str:
    """The language a user reads notifications in."""
    return user.language if user.language in LANGUAGES else DEFAULT_LANGUAGE


def localized_name(ru: str | None, kk: str | None) -> dict[str, str]:
    """A name's spellings per language as a parameter (`kinds.localized` picks one)."""
    return {"ru": ru or "", "kk": kk or ru or "", "en": ru or ""}


def notify_job(
    session: Session,
    job_user: User | None,
    done: bool,
    params: dict[str, Any],
    link: str,
    key: str,
) -> list[Notification]:
    """Tell the user who started a job that it finished (`params`: job, summary) or failed
    (job, reason); for the job runner, in the transaction that records the job's end."""
    if job_user is None:
        return []
    kind = Kind.JOB_DONE if done else Kind.JOB_FAILED
    values = {"summary": "", "reason": "", **params}
    return notify(session, kind, [job_user], values, link, key)


# --- what a user reads and sets ------------------------------------------------------------
def page_of(session: Session, user: User, request: PageRequest) -> Page[Notification]:
    """A user's notifications, newest first."""
    return paginate(session, repository.user_notifications(user.id), request)


def unread_count(session: Session, user: User) -> int:
    """How many of a user's notifications are unread (the bell)."""
    return repository.unread_count(session, user.id)


def mark_read(session: Session, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read; NotFound for another's."""
    row = get_by_id(session, Notification, notification_id)
    if row is None or row.user_id != user.id:
        raise NotFound(
            N_("no notification with id %(notification_id)s"),
            params={"notification_id": notification_id},
        )
    if row.read_at is None:
        row.read_at = clock.now()
        session.flush()
    return row


def mark_all_read(session: Session, user: User) -> int:
    """Mark every notification of the user read; return how many were unread."""
    return repository.mark_read(session, user.id, clock.now(), None)


def modes_of(session: Session, user: User) -> dict[Kind, Mode]:
    """The user's mode of every kind (stored choices, else the defaults)."""
    stored = repository.modes(session, [user.id])
    return {
        kind: stored.get((user.id, kind.value), text.default) for kind, text in kinds.TEXTS.items()
    }


def set_modes(session: Session, user: User, chosen: dict[Kind, Mode]) -> None:
    """Store the user's choices (a choice equal to the default is stored too: it stays)."""
    for kind, mode in chosen.items():
        row = repository.preference(session, user.id, kind.value)
        if row is None:
            session.add(NotificationPreference(user_id=user.id, kind=kind.value, mode=mode))
        elif row.mode is not mode:
            row.mode = mode
    session.flush()
