"""Names of regions and units in each language, and the one order of region lists.

Pure functions over the facts (`registry.facts`): the models, the pages, the reports and the
CLI ask here, so that a region or a unit is named the same way everywhere. A region or a unit
without an English fact (a KATO unit below the oblast, a unit code an import added) is
named in Russian in English.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from seriktes.registry.facts import (
    REGION_BY_KATO,
    REGION_NAMES_EN,
    REGION_SHORT_KK,
    UNIT_NAMES_EN,
    UNIT_SYMBOLS_KK,
)

_RU = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_KK = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
_LATIN = "abcdefghijklmnopqrstuvwxyz"
# Letters sorted as another letter at the first level: ё is е in Russian and Kazakh
# dictionaries; a Kazakh letter in a Russian name (область Ұлытау) is its Russian neighbour;
# Latin letters with diacritics are their base letters.
_SAME_AS = {"ё": "е"}
_KAZAKH_IN_RUSSIAN = dict(zip("әғқңөұүһі", "агкноуухи", strict=True))
_SAME_AS_IN = {"ru": _SAME_AS | _KAZAKH_IN_RUSSIAN, "kk": _SAME_AS, "en": _SAME_AS}
_ALPHABETS = {"ru": _RU + _LATIN, "kk": _KK + _LATIN, "en": _LATIN + _KK}
# Words that say what kind of unit a name is, left out when sorting: «область Абай» is
# under А, «г.Астана» under А.
_KIND_PREFIXES = ("область ", "г. ", "г.")


def region_name(kato: str, name_ru: str, name_kk: str | None, lang: str) -> str:
    """A region's full name in `lang`: English from the facts, Kazakh when known, else
    Russian."""
    if lang == "en" and kato in REGION_NAMES_EN:
        return REGION_NAMES_EN[kato][0]
    return name_kk if lang == "kk" and name_kk else name_ru


def region_short(kato: str, name_ru: str, name_kk: str | None, lang: str) -> str:
    """A region's short name for titles and tables: ВКО, Павлодарская; ШҚО, Павлодар;
    East Kazakhstan, Pavlodar. A unit below the oblast keeps its full name."""
    fact = REGION_BY_KATO.get(kato)
    if fact is None:
        return region_name(kato, name_ru, name_kk, lang)
    if lang == "en":
        return REGION_NAMES_EN[kato][1]
    if lang == "kk":
        kk = name_kk or fact.name_kk
        return REGION_SHORT_KK.get(kato) or kk.removesuffix(" облысы").removesuffix(" қ.")
    return fact.short_ru


def unit_name(code: str, name_ru: str, name_kk: str | None, lang: str) -> str:
    """A unit's name in `lang` (piece, дана, штука)."""
    if lang == "en" and code in UNIT_NAMES_EN:
        return UNIT_NAMES_EN[code][0]
    return name_kk if lang == "kk" and name_kk else name_ru


def unit_symbol(code: str, short_ru: str, lang: str) -> str:
    """A unit's symbol after a number in `lang` (pcs, дана, шт)."""
    if lang == "en" and code in UNIT_NAMES_EN:
        return UNIT_NAMES_EN[code][1]
    if lang == "kk" and code in UNIT_SYMBOLS_KK:
        return UNIT_SYMBOLS_KK[code]
    return short_ru


def collation_key(text: str, lang: str) -> tuple[tuple[int, ...], str]:
    """A key that sorts names as the language's dictionaries do: Kazakh letters in the
    Kazakh alphabet (ә after а, қ after к, і after ы), Russian ё with е, case, spaces and
    punctuation ignored at first, then the text itself to break ties."""
    alphabet = _ALPHABETS.get(lang, _ALPHABETS["ru"])
    same_as = _SAME_AS_IN.get(lang, _SAME_AS_IN["ru"])
    ranks: list[int] = []
    for found in text.casefold():
        char = same_as.get(found, found)
        if char.isdigit():
            ranks.append(int(char))
            continue
        if not char.isalpha():
            continue
        base = unicodedata.normalize("NFD", char)[0] if char not in alphabet else char
        position = alphabet.find(base)
        ranks.append(10 + position if position >= 0 else 10 + len(alphabet) + ord(base))
    return tuple(ranks), text


def sort_name(name: str) -> str:
    """The part of a region's name it is sorted by (without «область», «г.»)."""
    lowered = name.casefold()
    for prefix in _KIND_PREFIXES:
        if lowered.startswith(prefix):
            return name[len(prefix) :]
    return name


class NamedRegion(Protocol):
    """A region as the lists hold it: a KATO code and a name in each language."""

    @property
    def kato(self) -> str: ...

    def name(self, lang: str) -> str:
        """The name in `lang`."""
        ...


R = TypeVar("R", bound=NamedRegion)


def ordered_regions(regions: Iterable[R], lang: str, first: Sequence[str] = ()) -> list[R]:
    """Regions in the one order of every list: by name in `lang` (see `collation_key`),
    the regions whose KATO codes are in `first` (a pair) before the others, in that order."""
    rank = {kato: number for number, kato in enumerate(first)}
    return sorted(
        regions,
        key=lambda region: (
            rank.get(region.kato, len(rank)),
            collation_key(sort_name(region.name(lang)), lang),
        ),
    )
