"""Translations of the UI from Babel (gettext .po) catalogs: Russian first, Kazakh, English.

Message ids are the English texts. Every `.po` file in `locales/<lang>/` is merged into
the catalogue of that language, so each part of the UI keeps its own file.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LANGUAGES = ("ru", "kk", "en")
LANGUAGE_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}
LOCALES_DIR = Path(__file__).resolve().parent / "locales"


@lru_cache(maxsize=len(LANGUAGES))
def catalog(lang: str) -> dict[str, str]:
    """Return msgid → translation of `lang` (empty translations left out)."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and isinstance(message.id, str) and message.string:
                    merged[message.id] = str(message.string)
    return merged


def N_(message: str) -> str:
    """Mark an English text in Python code for translation; it is translated when shown."""
    return message


def translate(lang: str, message: str) -> str:
    """Return `message` (an English text) in `lang`; English when no translation exists."""
    if lang == "en":
        return catalog("en").get(message, message)
    return catalog(lang).get(message, message)


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


def format_number(value: float | int, lang: str) -> str:
    """Group thousands as each language writes them: 1 473 (ru, kk), 1,473 (en)."""
    grouped = f"{value:,}" if isinstance(value, int) else f"{value:,.0f}"
    return grouped if lang == "en" else grouped.replace(",", "\u202f")
