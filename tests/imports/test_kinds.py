"""The registry of import kinds is the one list the CLI, the upload flow, the API and the
docs read."""

from __future__ import annotations

from typing import get_args

from seriktes.accounts.models import Role, User
from seriktes.imports import api
from seriktes.imports.kinds import KINDS, UPLOAD_KINDS, import_docs_markdown
from seriktes.imports.policy import importable_kinds


def test_the_api_accepts_exactly_the_kinds_that_are_uploaded() -> None:
    assert get_args(api.Kind) == UPLOAD_KINDS == ("orgs", "needs", "offers", "producers")
    admin = User(id=1, role=Role.ADMIN, is_active=True)
    assert importable_kinds(admin) == list(UPLOAD_KINDS)


def test_deals_are_imported_by_the_cli_only() -> None:
    assert "deals" in KINDS and "deals" not in UPLOAD_KINDS


def test_the_docs_show_every_column_map_of_every_kind() -> None:
    docs = import_docs_markdown()
    for kind in KINDS.values():
        for column_map in kind.maps:
            assert f"## {column_map.heading}\n" in docs
            assert all(f"| `{column.field}` |" in docs for column in column_map.columns)
