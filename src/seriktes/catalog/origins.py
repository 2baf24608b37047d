"""Where a need's goods come from today, told by a word or a country.

A country is read by its ISO 3166 alpha-2, alpha-3 or numeric code, or its name in Russian,
Kazakh or English (CLDR's names as Babel ships them, and the spellings people write that CLDR
does not have: «КНР», «РФ», «США», «Белоруссия», …). Kazakhstan is domestic, the other members
of the Eurasian Economic Union are the EAEU, every other country is far abroad."""

from __future__ import annotations

import re
from functools import lru_cache

from babel import Locale
from babel.core import get_global

from seriktes.catalog.models import Origin

KAZAKHSTAN = "KZ"
# the members of the Eurasian Economic Union besides Kazakhstan
EAEU_MEMBERS = frozenset({"RU", "BY", "AM", "KG"})

# words that name an origin rather than a country
ORIGIN_WORDS = {
    "domestic": Origin.DOMESTIC,
    "рк": Origin.DOMESTIC,
    "отечественное": Origin.DOMESTIC,
    "отечественный": Origin.DOMESTIC,
    "eaeu": Origin.EAEU,
    "еаэс": Origin.EAEU,
    "far abroad": Origin.FAR_ABROAD,
    "far_abroad": Origin.FAR_ABROAD,
    "дальнее зарубежье": Origin.FAR_ABROAD,
    "импорт": Origin.FAR_ABROAD,
    "import": Origin.FAR_ABROAD,
    "unknown": Origin.UNKNOWN,
    "неизвестно": Origin.UNKNOWN,
}

# spellings of countries that CLDR's names do not cover → alpha-2
COUNTRY_SPELLINGS = {
    "республика казахстан": "KZ",
    "рф": "RU",
    "российская федерация": "RU",
    "белоруссия": "BY",
    "республика беларусь": "BY",
    "рб": "BY",
    "кыргызстан": "KG",
    "кыргызская республика": "KG",
    "республика армения": "AM",
    "кнр": "CN",
    "китайская народная республика": "CN",
    "сша": "US",
    "соединенные штаты америки": "US",
    "оаэ": "AE",
    "фрг": "DE",
    "англия": "GB",
    "великобритания": "GB",
    "южная корея": "KR",
    "корея": "KR",
    "республика корея": "KR",
    "чехия": "CZ",
    "турецкая республика": "TR",
}


def fold(value: str) -> str:
    """A spelling folded for look-up: case, ё, dots, quotes and spaces."""
    folded = value.strip().lower().replace("ё", "е")
    folded = re.sub(r"[.«»\"'()]+", " ", folded)
    return " ".join(folded.replace("_", " ").split())


@lru_cache(maxsize=1)
def country_codes() -> dict[str, str]:
    """Every folded spelling of a country → its ISO 3166 alpha-2 code."""
    found: dict[str, str] = {}
    for lang in ("en", "kk", "ru"):
        for code, name in Locale(lang).territories.items():
            if len(code) == 2 and code.isalpha():
                found[fold(name)] = code
    for code in list(found.values()):
        found[code.lower()] = code
    for alias, targets in get_global("territory_aliases").items():
        if len(targets) == 1 and len(alias) == 3 and targets[0].lower() in found:
            found.setdefault(alias.lower(), targets[0])
    found.update(COUNTRY_SPELLINGS)
    return found


def origin_of_country(code: str) -> Origin:
    """The origin of goods made in the country of an alpha-2 code."""
    if code == KAZAKHSTAN:
        return Origin.DOMESTIC
    return Origin.EAEU if code in EAEU_MEMBERS else Origin.FAR_ABROAD


def origin_of(value: str) -> Origin | None:
    """The origin a word or a country names; None when it names neither."""
    folded = fold(value)
    if folded in ORIGIN_WORDS:
        return ORIGIN_WORDS[folded]
    code = country_codes().get(folded)
    return None if code is None else origin_of_country(code)
