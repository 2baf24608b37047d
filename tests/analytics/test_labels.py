"""The report's and the agendas' texts come from the catalogues: each in Russian, Kazakh and
English, a language the report does not speak read as Russian, and no message of theirs (a
message id with its context, if any) translated differently by another part of the product."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from seriktes.analytics.labels import (
    REPORT_CONTEXT,
    RULES,
    SECTORS,
    SECTORS_IN_CONTEXT,
    STATUSES,
    label,
    money,
    sector_name,
    status_name,
    translator,
)
from seriktes.kit.i18n import CONTEXT_SEPARATOR, LANGUAGES, LOCALES_DIR, message_key

OWN = ("reports.po", "agenda.po")


def _ids(path: Path, lang: str) -> dict[str, str]:
    """Message key (msgid, with its context if it has one) → translation, of one file."""
    with path.open("rb") as handle:
        messages = read_po(handle, locale=lang)
        return {message_key(str(m.id), m.context): str(m.string) for m in messages if m.id}


def test_sectors_and_statuses_in_the_report_s_language() -> None:
    assert sector_name("kk", "construction_materials") == "құрылыс материалдары"
    assert sector_name("ru", "energy") == "энергетика"
    assert sector_name("kk", "energy") == "энергетика"
    assert sector_name("en", "energy") == "energy"
    assert sector_name("en", "food_processing") == "food processing"
    assert sector_name("ru", "space_travel") == "space travel"  # a sector added later
    assert status_name("kk", "at_risk") == "қауіп бар"
    assert status_name("en", "on_track") == "on track"


def test_a_language_the_report_does_not_speak_is_read_as_russian() -> None:
    assert label("de", RULES["no_grp"]) == label("ru", RULES["no_grp"])
    assert status_name("de", "overdue") == "просрочено"
    assert money(12_300_000, "de") == "12,3 млн ₸"
    assert money(2_400_000_000, "kk") == "2,4 млрд ₸"
    assert money(2_400_000_000, "en") == "2.4 bn KZT"


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_report_text_is_translated(lang: str) -> None:
    texts = [*RULES.values(), *STATUSES.values()]
    texts += [text for sector, text in SECTORS.items() if sector not in SECTORS_IN_CONTEXT]
    untranslated = [text for text in texts if label(lang, text) == text]
    in_context = [SECTORS[sector] for sector in SECTORS_IN_CONTEXT]
    untranslated += [text for text in in_context if label(lang, text, REPORT_CONTEXT) == text]
    assert untranslated == []


def test_texts_the_report_reads_in_its_context_keep_their_english_and_translations() -> None:
    """The English of these texts is the pages' English; their translations the report's."""
    expected = {
        "Buyers' region": ("Регион покупателя", "Сатып алушы өңірі"),
        "KP VED class": ("Класс КП ВЭД", "ЭҚЖЖ ӨСЖ сыныбы"),
        "Needs": ("Потребностей", "Қажеттіліктер"),
        "Achieved": ("Достигнуто", "Қол жеткізілді"),
        "Buyer": ("Покупатель", "Сатып алушы"),
        "Summary": ("Сводка", "Жиынтық"),
        "Turnover by month": ("Оборот по месяцам", "Айлар бойынша"),
        "energy": ("энергетика", "энергетика"),
    }
    for text, (russian, kazakh) in expected.items():
        assert translator("ru").pgettext(REPORT_CONTEXT, text) == russian
        assert translator("kk").pgettext(REPORT_CONTEXT, text) == kazakh
        assert translator("en").pgettext(REPORT_CONTEXT, text) == text
        assert translator("de").pgettext(REPORT_CONTEXT, text) == russian
    assert translator("ru")("Turnover by month") == "Товарооборот по месяцам"  # a heading


def _all(files: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    return [(key, text) for ids in files.values() for key, text in ids.items()]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_document_text_is_translated_twice(lang: str) -> None:
    own = {name: _ids(LOCALES_DIR / lang / name, lang) for name in OWN}
    others = [
        _ids(path, lang)
        for path in sorted((LOCALES_DIR / lang).glob("*.po"))
        if path.name not in OWN
    ]
    mine = [msgid for ids in own.values() for msgid in ids]
    assert len(mine) == len(set(mine))
    assert [msgid for msgid in mine if any(msgid in ids for ids in others)] == []
    if lang == "en":
        english = [(key.rpartition(CONTEXT_SEPARATOR)[2], text) for key, text in _all(own)]
        assert all(text == msgid for msgid, text in english)
