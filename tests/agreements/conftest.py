"""Fixtures of the agreements tests."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.agreements.kit import Agreement, make_agreement


@pytest.fixture
def agreement(db_session: Session) -> Agreement:
    """A published ВКО ↔ СКО memorandum with three commitments (see tests.agreements.kit)."""
    return make_agreement(db_session)
