"""One-time messages shown on the next page (after a form posts and redirects): kept in the
session cookie as English message ids with their values, translated when shown.

A notice's text fills `{name}` places (`flash`); a service's error keeps its `%(name)s`
template and parameters (`flash_error`), rendered as every error is (`kit.errors.render`).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request

from seriktes.kit.errors import Message, Params, SeriktesError, render
from seriktes.kit.i18n import translate

SESSION_FLASH = "flash"


def flash(request: Request, message: str, kind: str = "notice", **values: str) -> None:
    """Show `message` (an English text marked with N_, `{name}` filled from `values`) on the
    next page this browser renders; `kind` is "notice" or "error"."""
    _pending(request, {"message": message, "kind": kind, "values": values})


def flash_error(request: Request, exc: SeriktesError) -> None:
    """Show the error `exc` on the next page this browser renders, in that page's language."""
    params = {name: _stored(value) for name, value in exc.params.items()}
    _pending(request, {"message": exc.template, "kind": "error", "params": params})


def take_flashes(request: Request, lang: str) -> list[tuple[str, str]]:
    """(kind, text in `lang`) of the messages waiting for this browser, forgotten once read."""
    session: dict[str, Any] | None = request.scope.get("session")
    if not session or SESSION_FLASH not in session:
        return []
    shown = []
    for item in session.pop(SESSION_FLASH) or []:
        message = str(item.get("message", ""))
        if "params" in item:
            text = render(lang, message, _restored(dict(item["params"] or {})))
        else:
            values = {k: str(v) for k, v in dict(item.get("values") or {}).items()}
            text = _filled(translate(lang, message), values)
        shown.append((str(item.get("kind", "notice")), text))
    return shown


def _pending(request: Request, item: dict[str, object]) -> None:
    pending = list(request.session.get(SESSION_FLASH) or [])
    pending.append(item)
    request.session[SESSION_FLASH] = pending


def _stored(value: object) -> object:
    """A parameter as the session cookie keeps it: a `Message` as its template and
    parameters (to be translated when shown), anything else as its text."""
    if isinstance(value, Message):
        return {"template": value.template, "params": {k: str(v) for k, v in value.params.items()}}
    return str(value)


def _restored(params: dict[str, object]) -> Params:
    restored: dict[str, object] = {}
    for name, value in params.items():
        if isinstance(value, dict):
            restored[name] = Message(
                str(value.get("template", "")), dict(value.get("params") or {})
            )
        else:
            restored[name] = str(value)
    return restored


def _filled(text: str, values: dict[str, str]) -> str:
    """`text` with its `{name}` places filled; as it is when a translation names another."""
    try:
        return text.format(**values) if values else text
    except (KeyError, IndexError, ValueError):
        return text
