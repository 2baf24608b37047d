"""All catalog queries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.catalog.models import Need, Offer

Line = type[Need] | type[Offer]


def owner_column(model: Line) -> Any:
    """Return the column that names the organisation owning a line."""
    return Need.buyer_id if model is Need else Offer.producer_id


def existing_lines(
    session: Session, model: Line, owner_ids: Iterable[int], fields: Iterable[str]
) -> dict[tuple[int, str], dict[str, Any]]:
    """Return the stored lines of the given owners keyed by (owner id, external id), with
    their versions (a bulk update checks and bumps them: `kit.versions.bulk_change`)."""
    owner = owner_column(model)
    kept = ["version", "field_versions", *fields]
    columns = [model.id, owner, model.external_id, *(getattr(model, f) for f in kept)]
    names = ["id", "owner", "external_id", *kept]
    found: dict[tuple[int, str], dict[str, Any]] = {}
    ids = sorted(set(owner_ids))
    for start in range(0, len(ids), 900):
        stmt = select(*columns).where(owner.in_(ids[start : start + 900]))
        for row in session.execute(stmt):
            record = dict(zip(names, row, strict=True))
            found[(record["owner"], record["external_id"])] = record
    return found


def line_ids(session: Session, model: Line, keys: Iterable[tuple[int, str]]) -> list[int]:
    """The ids of the lines with these (owner id, external id) keys."""
    wanted = set(keys)
    found = existing_lines(session, model, {owner for owner, _external in wanted}, ())
    return [record["id"] for key, record in found.items() if key in wanted]


def counts_by_oblast(session: Session) -> dict[str, dict[str, int]]:
    """Return, per two-digit KATO oblast prefix, counts of organisations, needs and offers."""
    from sqlalchemy import case, func

    from seriktes.catalog.models import Origin
    from seriktes.registry.models import Organisation, Region

    prefix = func.substr(Region.kato, 1, 2).label("prefix")
    result: dict[str, dict[str, int]] = {}

    def add(stmt: Any, *names: str) -> None:
        for row in session.execute(stmt):
            bucket = result.setdefault(row[0], {})
            for name, value in zip(names, row[1:], strict=True):
                bucket[name] = int(value or 0)

    add(
        select(prefix, func.count(Organisation.id)).join(Organisation.region).group_by(prefix),
        "organisations",
    )
    far = func.sum(case((Need.origin == Origin.FAR_ABROAD, 1), else_=0))
    add(
        select(prefix, func.count(Need.id), far)
        .join(Need.buyer)
        .join(Organisation.region)
        .group_by(prefix),
        "needs",
        "far_abroad_needs",
    )
    add(
        select(prefix, func.count(Offer.id))
        .join(Offer.producer)
        .join(Organisation.region)
        .group_by(prefix),
        "offers",
    )
    return result
