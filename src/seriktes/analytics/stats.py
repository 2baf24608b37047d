"""Counts of the main tables, as `seriktes stats` and the home page show them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from seriktes.agreements.models import Deal, Memorandum
from seriktes.catalog.models import Certificate, Need, Offer
from seriktes.events.models import Event, MeetingRequest, MeetingStatus
from seriktes.matches.models import Match
from seriktes.registry.models import ClassifierCode, Organisation, Region, Unit

MAIN_TABLES: dict[str, type[object]] = {
    "regions": Region,
    "organisations": Organisation,
    "needs": Need,
    "offers": Offer,
    "certificates": Certificate,
    "matches": Match,
    "events": Event,
    "memoranda": Memorandum,
    "deals": Deal,
    "classifier_codes": ClassifierCode,
    "units": Unit,
}


def _counts() -> dict[str, Select[Any]]:
    """The statement counting each figure: every row of a main table, and the meetings
    (accepted requests that hold a slot in a schedule)."""
    statements = {
        name: select(func.count()).select_from(model) for name, model in MAIN_TABLES.items()
    }
    statements["meetings"] = (
        select(func.count())
        .select_from(MeetingRequest)
        .where(MeetingRequest.meeting_status == MeetingStatus.SCHEDULED)
    )
    return statements


def table_counts(session: Session) -> dict[str, int]:
    """Return the number of rows of every main table and of scheduled meetings."""
    return {name: int(session.scalar(stmt) or 0) for name, stmt in _counts().items()}
