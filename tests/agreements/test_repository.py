"""The memoranda search: `%` and `_` in the searched text match themselves (both backends)."""

from __future__ import annotations

import pytest

from seriktes.agreements import service
from seriktes.kit.pagination import PageRequest
from tests.agreements.kit import Agreement, memorandum_in


def _found(agreement: Agreement, text: str) -> set[str]:
    page = service.list_memoranda(
        agreement.session, agreement.admin, PageRequest(1, 100), text=text
    )
    return {memo.number for memo in page.items}


@pytest.mark.parametrize("text", ["%", "_", "М_2026", "%промышл", "\\"])
def test_wildcards_in_the_search_text_match_only_themselves(
    agreement: Agreement, text: str
) -> None:
    assert _found(agreement, text) == set()


def test_a_literal_percent_or_underscore_is_found(agreement: Agreement) -> None:
    make = service.create_memorandum
    make(agreement.session, agreement.admin, memorandum_in(number="М_7", title="Рост на 10%"))
    assert _found(agreement, "10%") == {"М_7"}
    assert _found(agreement, "м_") == {"М_7"}
    assert _found(agreement, "промышл") == {agreement.memo.number}
