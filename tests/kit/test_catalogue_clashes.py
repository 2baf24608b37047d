"""A message id translated in two catalogues of one language must be translated the same:
otherwise the catalogue read last wins and another page silently changes its words."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALES = Path(__file__).resolve().parents[2] / "src" / "seriktes" / "locales"


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_no_message_is_translated_two_ways(lang: str) -> None:
    seen: dict[tuple[str | None, str], tuple[str, str]] = {}
    clashes = []
    for path in sorted((LOCALES / lang).glob("*.po")):
        with path.open("rb") as handle:
            catalogue = read_po(handle)
        for message in catalogue:
            if not message.id or not message.string:
                continue
            key = (message.context, str(message.id))
            if key in seen and seen[key][1] != message.string:
                clashes.append(
                    f"{key[1]!r}: {seen[key][0]} {seen[key][1]!r} ≠ {path.name} {message.string!r}"
                )
            seen.setdefault(key, (path.name, str(message.string)))
    assert clashes == []
