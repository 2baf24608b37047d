"""Every UI string has Russian and Kazakh translations; a text marked with a message context
(`pgettext`) is a message of its own, translated in that context."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from seriktes.kit.i18n import catalog, message_key

WEB = Path(__file__).resolve().parents[2] / "src" / "seriktes"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {"_": None, "N_": None, "pgettext": ((1, "c"), 2)}


def ui_messages() -> set[str]:
    """The catalogue keys (`message_key`: the msgid, with its context if it has one) of the
    texts the templates and the code mark."""
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(WEB), METHODS, keywords=KEYWORDS, options_map={"**/templates/**.html": {}}
    ):
        if isinstance(message, str) and message:
            found.add(message_key(message, context))
    return found


def test_templates_and_code_have_messages() -> None:
    assert {"Needs", "Log in", "Wrong e-mail or password."} <= ui_messages()


def test_a_text_in_a_context_is_a_message_of_its_own() -> None:
    messages = ui_messages()
    # the report's "Needs" (templates) and "Summary" (workbook), the agenda's "Venue"
    contextual = {("report", "Needs"), ("report", "Summary"), ("agenda", "Venue")}
    assert {message_key(text, context) for context, text in contextual} <= messages
    assert {"Needs", "Venue"} <= messages  # the pages' own, without a context


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_message_is_translated(lang: str) -> None:
    missing = sorted(ui_messages() - set(catalog(lang)))
    assert missing == [], f"add to src/seriktes/locales/{lang}/*.po: {missing}"
