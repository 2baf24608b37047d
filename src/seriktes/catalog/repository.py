"""All catalog queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, select, true
from sqlalchemy.orm import Session

from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus, Origin
from seriktes.registry.kato import oblast_sql
from seriktes.registry.models import Organisation, Region
from seriktes.registry.repository import (
    CANDIDATES,
    classes_named,
    contains_all,
    in_oblasts,
    starts_all,
)

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


def counts_by_oblast(
    session: Session,
    needs: ColumnElement[bool] | None = None,
    offers: ColumnElement[bool] | None = None,
) -> dict[str, dict[str, int]]:
    """Per two-digit KATO oblast prefix, counts of organisations, of needs (and of those
    bought from far abroad) and of offers; `needs` and `offers` are conditions on the lines
    counted (every line without them)."""
    prefix = oblast_sql(Region.kato)
    far = func.sum(case((Need.origin == Origin.FAR_ABROAD, 1), else_=0))
    queries = {
        ("organisations",): select(prefix, func.count(Organisation.id)).join(Organisation.region),
        ("needs", "far_abroad_needs"): select(prefix, func.count(Need.id), far)
        .join(Need.buyer)
        .join(Organisation.region)
        .where(true() if needs is None else needs),
        ("offers",): select(prefix, func.count(Offer.id))
        .join(Offer.producer)
        .join(Organisation.region)
        .where(true() if offers is None else offers),
    }
    result: dict[str, dict[str, int]] = {}
    for names, stmt in queries.items():
        for key, *values in session.execute(stmt.group_by(prefix)):
            result.setdefault(key, {}).update(
                zip(names, (int(v or 0) for v in values), strict=True)
            )
    return result


def lines_per_owner(
    session: Session, owner: Any, seen: ColumnElement[bool], ids: Sequence[int]
) -> dict[int, int]:
    """Needs or offers per organisation (`owner`: `Need.buyer_id` or `Offer.producer_id`)
    of the organisations `ids`, counting those that pass `seen`."""
    if not ids:
        return {}
    stmt = select(owner, func.count()).where(owner.in_(list(ids)), seen).group_by(owner)
    return {int(key): int(n) for key, n in session.execute(stmt).all()}


def published_lines(session: Session, model: Line, owner_id: int) -> list[Need] | list[Offer]:
    """An organisation's published needs (`Need`) or offers (`Offer`), newest first."""
    if model is Need:
        needs = select(Need).where(Need.buyer_id == owner_id, Need.status == NeedStatus.PUBLISHED)
        return list(session.scalars(needs.order_by(Need.id.desc())))
    offers = select(Offer).where(
        Offer.producer_id == owner_id, Offer.status == OfferStatus.PUBLISHED
    )
    return list(session.scalars(offers.order_by(Offer.id.desc())))


def published_lines_of(
    session: Session, model: Line, owner_ids: Sequence[int], per_owner: int = 50
) -> dict[int, list[Any]]:
    """The published needs (`Need`) or offers (`Offer`) of each of `owner_ids`, at most
    `per_owner` each, by title: owner id → lines."""
    if not owner_ids:
        return {}
    owner = owner_column(model)
    published = (
        Need.status == NeedStatus.PUBLISHED
        if model is Need
        else Offer.status == OfferStatus.PUBLISHED
    )
    stmt = (
        select(model)
        .where(owner.in_(list(owner_ids)), published)
        .order_by(owner, model.title, model.id)
    )
    found: dict[int, list[Any]] = {}
    for line in session.scalars(stmt):
        kept = found.setdefault(getattr(line, owner.key), [])
        if len(kept) < per_owner:
            kept.append(line)
    return found


def organisations_by_product(
    session: Session,
    words: Sequence[str],
    limit: int,
    oblasts: Sequence[str] = (),
    skip: Iterable[int] = (),
) -> dict[int, str]:
    """Organisations whose published offers or needs are named with every word of `words`
    (folded: lower case, ё as е; each at a word's start) or fall in a KP VED class so named,
    except `skip`: organisation id → the title of one such line (offers first)."""
    if not words:
        return {}
    codes = classes_named(session, words)
    found: dict[int, str] = {}
    skipped = set(skip)
    lines = (
        (Offer, Offer.producer_id, Offer.status == OfferStatus.PUBLISHED),
        (Need, Need.buyer_id, Need.status == NeedStatus.PUBLISHED),
    )
    for model, owner, published in lines:
        named = contains_all(model.title, words)
        in_class = or_(*(model.class_code.startswith(code) for code in codes)) if codes else None
        stmt = (
            select(owner, model.title, model.class_code)
            .join(Organisation, Organisation.id == owner)
            .where(published, named if in_class is None else or_(named, in_class))
            .where(in_oblasts(oblasts))
            .order_by(owner, model.id)
            .limit(CANDIDATES)
        )
        for org_id, title, class_code in session.execute(stmt):
            if org_id in skipped or org_id in found or len(found) >= limit:
                continue
            classed = any((class_code or "").startswith(code) for code in codes)
            if classed or starts_all(title, words):
                found[int(org_id)] = str(title)
    return found
