"""Message contexts: a text marked with a context (gettext's msgctxt) is a message of its own,
translated as its context says; without a translation in that context it reads as its English
text, never as the translation of the same text in another context or in none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from seriktes.kit import i18n
from seriktes.kit.i18n import Translator, catalog, message_key, translate

CATALOGUE = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Needs"
msgstr "Потребности"

msgctxt "report"
msgid "Needs"
msgstr "Потребностей"

msgctxt "agenda"
msgid "Venue"
msgstr "Место"

msgctxt "empty"
msgid "Needs"
msgstr ""
"""


@pytest.fixture
def locales(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Catalogues of our own: Russian has one text without a context and in two contexts."""
    (tmp_path / "ru").mkdir()
    (tmp_path / "ru" / "test.po").write_text(CATALOGUE, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    catalog.cache_clear()
    yield tmp_path
    catalog.cache_clear()


def test_the_catalogue_keys_a_text_in_a_context_as_gettext_does(locales: Path) -> None:
    assert catalog("ru") == {
        "Needs": "Потребности",
        "report\x04Needs": "Потребностей",
        "agenda\x04Venue": "Место",
    }
    assert message_key("Needs") == "Needs"
    assert message_key("Needs", "report") == "report\x04Needs"


def test_a_text_in_its_context(locales: Path) -> None:
    assert translate("ru", "Needs", "report") == "Потребностей"
    assert translate("ru", "Venue", "agenda") == "Место"
    assert translate("ru", "Needs") == "Потребности"  # without a context: its own translation
    assert Translator("ru").pgettext("report", "Needs") == "Потребностей"
    assert Translator("ru")("Needs") == "Потребности"


def test_a_missing_translation_in_a_context_reads_as_english(locales: Path) -> None:
    assert translate("ru", "Needs", "agenda") == "Needs"  # not the report's, not the pages'
    assert translate("ru", "Needs", "empty") == "Needs"  # an empty translation is none
    assert translate("ru", "Venue", "report") == "Venue"  # not the agenda's
    assert translate("ru", "Venue") == "Venue"  # a context's translation is not the text's
    assert translate("kk", "Needs", "report") == "Needs"  # no Kazakh catalogue here


def test_the_product_s_catalogues_translate_in_context() -> None:
    assert translate("ru", "Needs", "report") == "Потребностей"
    assert translate("ru", "Needs") == "Потребности"
    assert translate("kk", "Venue", "agenda") == "Өтетін орны"
    assert translate("en", "Summary", "report") == "Summary"
    assert translate("ru", "Summary", "agenda") == "Summary"
