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


def pick_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    """Choose the UI language: query parameter, then cookie, then Accept-Language, then ru."""
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code == "kz":
            code = "kk"
        if code in LANGUAGES:
            return code
    return "ru"
