"""One translation system: Babel (gettext .po) catalogues in Russian, Kazakh and English.

Message ids are the English texts. Every `.po` file in `seriktes/locales/<lang>/` is merged
into the catalogue of that language, so each part of the product keeps its own file. Pages,
PDFs, iCalendar, reports, the CLI and the messages services raise all read these catalogues.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LANGUAGES = ("ru", "kk", "en")
LANGUAGE_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


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
    return catalog(lang).get(message, message)


def format_number(value: float | int, lang: str) -> str:
    """Group thousands as each language writes them: 1 473 (ru, kk), 1,473 (en)."""
    grouped = f"{value:,}" if isinstance(value, int) else f"{value:,.0f}"
    return grouped if lang == "en" else grouped.replace(",", "\u202f")
