"""Every UI string has Russian and Kazakh translations."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from seriktes.kit.i18n import catalog

WEB = Path(__file__).resolve().parents[2] / "src" / "seriktes"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {"_": None, "N_": None}


def ui_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(WEB), METHODS, keywords=KEYWORDS, options_map={"**/templates/**.html": {}}
    ):
        if isinstance(message, str) and message:
            found.add(message)
    return found


def test_templates_and_code_have_messages() -> None:
    assert {"Needs", "Log in", "Wrong e-mail or password."} <= ui_messages()


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_every_message_is_translated(lang: str) -> None:
    missing = sorted(ui_messages() - set(catalog(lang)))
    assert missing == [], f"add to src/seriktes/locales/{lang}/*.po: {missing}"
