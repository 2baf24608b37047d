"""E-mails of notifications: subject, plain text and HTML in the reader's language, absolute
links, and attachments packed into the outbox row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from typing import Any

from seriktes.kit.errors import render
from seriktes.notifications import kinds
from seriktes.notifications.models import OutboxMessage

SAFE_KEY = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class Attachment:
    """A file sent with an e-mail (an agenda as .ics)."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Entry:
    """One notification as an e-mail tells it: what happened, and where to see it."""

    kind: str
    params: dict[str, Any]
    link: str


def absolute(base_url: str, link: str) -> str:
    """`link` (a path of the site, or already absolute) on the site's address."""
    if link.startswith(("http://", "https://")):
        return link
    return base_url.rstrip("/") + "/" + link.lstrip("/")


def safe_key(key: str) -> str:
    """An idempotency key usable as the local part of a Message-ID."""
    return SAFE_KEY.sub("-", key)[:200]


def message_id(key: str) -> str:
    """The Message-ID of the outbox row of `key`: the same on every attempt."""
    return f"<{safe_key(key)}@seriktes>"


def compose(
    key: str,
    address: str,
    lang: str,
    entries: list[Entry],
    base_url: str,
    *,
    title: str | None = None,
    intro: str | None = None,
    note: str | None = None,
    attachments: list[Attachment] | None = None,
) -> OutboxMessage:
    """An outbox row telling `entries` to `address` in `lang`: one entry under its own subject,
    or a digest — `title`, `intro` above the entries, each with its subject."""
    if title is None:
        title = kinds.subject(entries[0].kind, lang, entries[0].params)
    paragraphs: list[tuple[str, str]] = []  # (text, absolute link)
    for entry in entries:
        text = kinds.body(entry.kind, lang, entry.params)
        if intro:  # a digest: each entry under its own subject
            text = f"{kinds.subject(entry.kind, lang, entry.params)}. {text}"
        paragraphs.append((text, absolute(base_url, entry.link)))
    settings_link = absolute(base_url, "/notifications/settings")
    lines = [intro, ""] if intro else []
    for text, link in paragraphs:
        lines += [text, render(lang, kinds.OPEN_LINK, {"link": link}), ""]
    if note:
        lines += [note, ""]
    lines += ["-- ", render(lang, kinds.SETTINGS_LINK, {"link": settings_link})]
    html = [f"<p>{escape(intro)}</p>"] if intro else []
    for text, link in paragraphs:
        html.append(f'<p>{escape(text)}<br><a href="{escape(link)}">{escape(link)}</a></p>')
    if note:
        html.append(f"<p><small>{escape(note)}</small></p>")
    footer = escape(render(lang, kinds.SETTINGS_LINK, {"link": settings_link}))
    html.append(f"<hr><p><small>{footer}</small></p>")
    files = attachments or []
    return OutboxMessage(
        idempotency_key=safe_key(key),
        recipient=address,
        language=lang,
        subject=title[:500],
        body_text="\n".join(lines),
        body_html=f'<html lang="{lang}"><body>{"".join(html)}</body></html>',
        attachments=[
            {"filename": f.filename, "content_type": f.content_type, "size": len(f.data)}
            for f in files
        ],
        attachment_data=b"".join(f.data for f in files) or None,
    )


def unpacked(message: OutboxMessage) -> list[Attachment]:
    """The attachments of an outbox row."""
    found, offset, data = [], 0, message.attachment_data or b""
    for meta in message.attachments or []:
        size = int(meta["size"])
        found.append(
            Attachment(
                str(meta["filename"]), str(meta["content_type"]), data[offset : offset + size]
            )
        )
        offset += size
    return found
