"""Load the generated demo data into the database; the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import Session

from seriktes.catalog.models import Need, Offer
from seriktes.demo.generator import DEFAULT_SEED, DemoData, generate
from seriktes.demo.parties import Row
from seriktes.kit.errors import Conflict
from seriktes.kit.i18n import N_
from seriktes.registry import repository
from seriktes.registry.models import Organisation
from seriktes.registry.service import ensure_reference_data

DEMO_SOURCE = "demo"


def load_demo(session: Session, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Insert the demo organisations, needs and offers; return how many of each were created."""
    data = generate(seed)
    ensure_reference_data(session)
    if _already_loaded(session, data):
        raise Conflict(N_("demo data is already loaded"))
    regions = {kato: region.id for kato, region in repository.regions_by_kato(session).items()}
    session.execute(
        insert(Organisation), [_organisation(row, regions) for row in data.organisations]
    )
    bins = [row["bin"] for row in data.organisations]
    parties = {key: org.id for key, org in repository.organisations_by_bin(session, bins).items()}
    if data.needs:
        session.execute(insert(Need), [_need(row, parties, regions) for row in data.needs])
    if data.offers:
        session.execute(insert(Offer), [_offer(row, parties) for row in data.offers])
    session.flush()
    return {
        "organisations": len(data.organisations),
        "needs": len(data.needs),
        "offers": len(data.offers),
    }


def demo_already_loaded(session: Session, seed: int = DEFAULT_SEED) -> bool:
    """True when demo needs or offers, or organisations with the demo BINs, are present."""
    return _already_loaded(session, generate(seed))


def _already_loaded(session: Session, data: DemoData) -> bool:
    bins = [row["bin"] for row in data.organisations]
    query = select(
        exists().where(Organisation.bin.in_(bins))
        | exists().where(Need.source == DEMO_SOURCE)
        | exists().where(Offer.source == DEMO_SOURCE)
    )
    return bool(session.scalar(query))


def _organisation(row: Row, regions: dict[str, int]) -> Row:
    values = _without(row, ("region_kato",))
    values["region_id"] = regions[row["region_kato"]]
    return values


def _need(row: Row, parties: dict[str, int], regions: dict[str, int]) -> Row:
    values = _without(row, ("buyer_bin", "delivery_region_kato"))
    values["buyer_id"] = parties[row["buyer_bin"]]
    values["delivery_region_id"] = regions[row["delivery_region_kato"]]
    return values


def _offer(row: Row, parties: dict[str, int]) -> Row:
    values = _without(row, ("producer_bin",))
    values["producer_id"] = parties[row["producer_bin"]]
    return values


def _without(row: Row, keys: Iterable[str]) -> Row:
    dropped = set(keys)
    return {key: value for key, value in row.items() if key not in dropped}
