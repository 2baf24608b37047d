"""One translation system: Babel (gettext .po) catalogues in Russian, Kazakh and English.

Message ids are the English texts. Every `.po` file in `seriktes/locales/<lang>/` is merged
into the catalogue of that language, so each part of the product keeps its own file. Pages,
PDFs, iCalendar, reports, the CLI and the messages services raise all read these catalogues.

A text whose English is the same as another's but whose translation differs carries a
message context (gettext's `msgctxt`, e.g. "report"): it is a different message, kept in the
catalogue under `"<context>\x04<msgid>"` as gettext keeps it, and asked for with
`translate(lang, msgid, context)` or `Translator.pgettext(context, msgid)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

LANGUAGES = ("ru", "kk", "en")
LANGUAGE_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
CONTEXT_SEPARATOR = "\x04"  # between a message's context and its id, as in gettext


def message_key(message: str, context: str | None = None) -> str:
    """The catalogue key of `message` (an English text) in `context`: the text itself when it
    has no context, `"<context>\x04<message>"` when it has one."""
    return message if context is None else f"{context}{CONTEXT_SEPARATOR}{message}"


@lru_cache(maxsize=len(LANGUAGES))
def catalog(lang: str) -> dict[str, str]:
    """Return message key (`message_key`) → translation of `lang` (empty translations left
    out)."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle, locale=lang):
                if message.id and isinstance(message.id, str) and message.string:
                    merged[message_key(message.id, message.context)] = str(message.string)
    return merged


def N_(message: str) -> str:
    """Mark an English text in Python code for translation; it is translated when shown."""
    return message


def translate(lang: str, message: str, context: str | None = None) -> str:
    """Return `message` (an English text) in `lang`, as `context` translates it when given;
    the English text when there is no such translation (never another context's)."""
    return catalog(lang).get(message_key(message, context), message)


@dataclass(frozen=True)
class Translator:
    """`_` of one language: `_(message)` translates an English text, `_.pgettext(context,
    message)` one whose translation depends on its context."""

    lang: str

    def __call__(self, message: str) -> str:
        """`message` (an English text) in this language."""
        return translate(self.lang, message)

    def pgettext(self, context: str, message: str) -> str:
        """`message` (an English text) in this language as `context` translates it."""
        return translate(self.lang, message, context)


def format_number(value: float | int, lang: str) -> str:
    """Group thousands as each language writes them: 1 473 (ru, kk), 1,473 (en)."""
    grouped = f"{value:,}" if isinstance(value, int) else f"{value:,.0f}"
    return grouped if lang == "en" else grouped.replace(",", "\u202f")
