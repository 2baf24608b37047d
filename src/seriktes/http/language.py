"""The language of a request, negotiated from its query, cookie and Accept-Language; the
catalogues themselves are `kit.i18n`."""

from __future__ import annotations

from seriktes.kit.i18n import LANGUAGES


def pick_language(
    query: str | None, cookie: str | None, accept: str | None, default: str = "ru"
) -> str:
    """Choose the UI language: an explicit choice (query, then cookie), then a browser whose
    first language is Kazakh or Russian, then `default`. Russian comes first: English is
    shown when the user picks it, not because a browser happens to be set to English."""
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    first = (accept or "").split(",")[0].split(";")[0].strip().lower()[:2]
    if first in {"kk", "kz"}:
        return "kk"
    if first == "ru":
        return "ru"
    return default
