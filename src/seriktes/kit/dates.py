"""Dates as each language writes them: in prose, in tables, months and spans of months.

Pure: plain functions over `datetime.date`. Russian «1 декабря 2026 г.» / 01.12.2026,
Kazakh «2026 жылғы 1 желтоқсан» / 01.12.2026, English «1 December 2026» / 1 Dec 2026.
The month names are written here rather than taken from Babel: Babel 2.19 writes Kazakh
«2026 ж. 1 желтоқсан» and English «December 1, 2026», neither of which the product uses.
An unknown language is written as Russian, the product's first language.
"""

from __future__ import annotations

from datetime import date

LANGUAGES = ("ru", "kk", "en")

# Russian needs the genitive after a day number («1 декабря») and the nominative alone.
_RU_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
_RU_NOMINATIVE = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
_KK = (
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
)
_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# The number formats of a date cell in a workbook, in Excel's own codes.
_EXCEL = {"ru": "DD.MM.YYYY", "kk": "DD.MM.YYYY", "en": "D MMM YYYY"}


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "ru"


def _month(month: int) -> int:
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1 to 12")
    return month - 1


def long_date(day: date, lang: str) -> str:
    """A date in prose: «1 декабря 2026 г.», «2026 жылғы 1 желтоқсан», «1 December 2026»."""
    lang, index = _lang(lang), day.month - 1
    if lang == "kk":
        return f"{day.year} жылғы {day.day} {_KK[index]}"
    if lang == "en":
        return f"{day.day} {_EN[index]} {day.year}"
    return f"{day.day} {_RU_GENITIVE[index]} {day.year}\u00a0г."


def short_date(day: date, lang: str) -> str:
    """A date in a table: 01.12.2026 (ru, kk), 1 Dec 2026 (en)."""
    if _lang(lang) == "en":
        return f"{day.day} {_EN[day.month - 1][:3]} {day.year}"
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def month_name(month: int, lang: str) -> str:
    """A month on its own: «январь», «қаңтар», «January»."""
    lang, index = _lang(lang), _month(month)
    return {"kk": _KK, "en": _EN}.get(lang, _RU_NOMINATIVE)[index]


def month_of_year(year: int, month: int, lang: str) -> str:
    """A month of a year: «январь 2026 г.», «2026 жылғы қаңтар», «January 2026»."""
    lang = _lang(lang)
    name = month_name(month, lang)
    if lang == "kk":
        return f"{year} жылғы {name}"
    if lang == "en":
        return f"{name} {year}"
    return f"{name} {year}\u00a0г."


def month_span(year: int, first: int, last: int, lang: str) -> str:
    """Months of one year: «январь–ноябрь 2026 г.», «2026 жылғы қаңтар–қараша»,
    «January–November 2026»; one month alone when `first` is `last`."""
    if last < first:
        raise ValueError(f"month span {first}–{last} runs backwards")
    if first == last:
        return month_of_year(year, first, lang)
    lang = _lang(lang)
    names = f"{month_name(first, lang)}–{month_name(last, lang)}"
    if lang == "kk":
        return f"{year} жылғы {names}"
    if lang == "en":
        return f"{names} {year}"
    return f"{names} {year}\u00a0г."


def excel_format(lang: str) -> str:
    """The number format of a date cell in a workbook in `lang`."""
    return _EXCEL[_lang(lang)]
