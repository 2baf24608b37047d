"""Translations of the UI: Russian first, Kazakh and English too."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("ru", "kk", "en")
LANGUAGE_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}
LOCALES_DIR = Path(__file__).resolve().parent / "locales"


@lru_cache(maxsize=len(LANGUAGES))
def catalog(lang: str) -> dict[str, str]:
    """Return the message catalogue of `lang`."""
    data: dict[str, str] = json.loads((LOCALES_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    return data


def translate(lang: str, key: str) -> str:
    """Return the message `key` in `lang`, falling back to Russian, then to the key."""
    return catalog(lang).get(key) or catalog("ru").get(key) or key


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
    grouped = f"{value:,}"
    return grouped if lang == "en" else grouped.replace(",", "\u202f")
