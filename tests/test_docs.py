"""Documentation that is generated from the code stays equal to it."""

from __future__ import annotations

from seriktes.imports.kinds import import_docs_markdown
from tests.conftest import ROOT


def test_import_column_docs_match_the_code() -> None:
    written = (ROOT / "docs" / "IMPORTS.md").read_text(encoding="utf-8")
    assert written == import_docs_markdown(), (
        "run: seriktes import columns --markdown > docs/IMPORTS.md"
    )
