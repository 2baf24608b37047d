"""Counts of the main tables, as `seriktes stats` and the home page show them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.catalog.models import Certificate, Need, Offer
from seriktes.matches.models import Match
from seriktes.registry.models import ClassifierCode, Organisation, Region, Unit

MAIN_TABLES: dict[str, type[object]] = {
    "regions": Region,
    "organisations": Organisation,
    "needs": Need,
    "offers": Offer,
    "certificates": Certificate,
    "matches": Match,
    "classifier_codes": ClassifierCode,
    "units": Unit,
}


def table_counts(session: Session) -> dict[str, int]:
    """Return the number of rows of every main table."""
    return {
        name: int(session.scalar(select(func.count()).select_from(model)) or 0)
        for name, model in MAIN_TABLES.items()
    }
