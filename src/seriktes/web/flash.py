"""One-time messages shown on the next page (after a form posts and redirects): kept in the
session cookie as English message ids with their values, translated when shown."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from seriktes.kit.i18n import translate

SESSION_FLASH = "flash"


def flash(request: Request, message: str, kind: str = "notice", **values: str) -> None:
    """Show `message` (an English text marked with N_, `{name}` filled from `values`) on the
    next page this browser renders; `kind` is "notice" or "error"."""
    pending = list(request.session.get(SESSION_FLASH) or [])
    pending.append({"message": message, "kind": kind, "values": values})
    request.session[SESSION_FLASH] = pending


def take_flashes(request: Request, lang: str) -> list[tuple[str, str]]:
    """(kind, text in `lang`) of the messages waiting for this browser, forgotten once read."""
    session: dict[str, Any] | None = request.scope.get("session")
    if not session or SESSION_FLASH not in session:
        return []
    shown = []
    for item in session.pop(SESSION_FLASH) or []:
        values = {k: str(v) for k, v in dict(item.get("values") or {}).items()}
        text = _filled(translate(lang, str(item.get("message", ""))), values)
        shown.append((str(item.get("kind", "notice")), text))
    return shown


def _filled(text: str, values: dict[str, str]) -> str:
    """`text` with its `{name}` places filled; as it is when a translation names another."""
    try:
        return text.format(**values) if values else text
    except (KeyError, IndexError, ValueError):
        return text
