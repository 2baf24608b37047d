"""The report's and the agendas' texts come from the catalogues: each in Russian, Kazakh and
English, a language the report does not speak read as Russian, and no message id of theirs
translated differently by another part of the product."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from seriktes.analytics.labels import (
    RULES,
    SECTORS,
    STATUSES,
    label,
    money,
    sector_name,
    status_name,
)
from seriktes.kit.i18n import LANGUAGES, LOCALES_DIR

OWN = ("reports.po", "agenda.po")


def _ids(path: Path, lang: str) -> dict[str, str]:
    with path.open("rb") as handle:
        return {str(m.id): str(m.string) for m in read_po(handle, locale=lang) if m.id}


def test_sectors_and_statuses_in_the_report_s_language() -> None:
    assert sector_name("kk", "construction_materials") == "құрылыс материалдары"
    assert sector_name("ru", "energy") == "энергетика"
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
    texts = [*RULES.values(), *SECTORS.values(), *STATUSES.values()]
    untranslated = [text for text in texts if label(lang, text) == text]
    assert untranslated == []


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
        assert all(text == msgid for ids in own.values() for msgid, text in ids.items())
