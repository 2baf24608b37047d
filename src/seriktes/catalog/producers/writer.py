"""Writing register lines: organisations, their offers and the certificates of the offers.

Every upsert compares the stored values with the file's and counts created / updated /
unchanged, so importing the same register again changes nothing. A value the register
leaves empty never erases a stored one.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from seriktes.catalog import repository
from seriktes.catalog.models import Certificate, CertificateKind, ClassSource, Offer, OfferStatus
from seriktes.catalog.producers import cells
from seriktes.catalog.producers.lines import CERT_FIELDS, OFFER_FIELDS, ProducerLine
from seriktes.kit.versions import bulk_change
from seriktes.registry import repository as registry_repository
from seriktes.registry.models import Organisation

# (product name, HS code or None) → KP VED class (XX.XX.XX), None when nothing fits
Classify = Callable[[str, str | None], str | None]
BATCH = 5000
STORED_OFFER_FIELDS = (*OFFER_FIELDS, "class_source")


@dataclass
class Counts:
    """Created, updated and unchanged rows of one kind."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        """Return the counts as plain data."""
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


@dataclass
class Written:
    """What writing the lines did, per kind, and how the offers' classes were set."""

    organisations: Counts = field(default_factory=Counts)
    offers: Counts = field(default_factory=Counts)
    certificates: Counts = field(default_factory=Counts)
    classes_derived: int = 0  # offers of the file whose class the classifier gave
    unclassified: int = 0  # offers of the file left without a class
    # offers created or changed, or whose certificates were: what matching looks at again
    touched_offers: set[int] = field(default_factory=set)


def write_lines(
    session: Session, lines: list[ProducerLine], source: str, classify: Classify | None
) -> Written:
    """Upsert the organisations, offers and certificates of `lines`."""
    written = Written()
    org_ids = _organisations(session, lines, written.organisations)
    offer_ids = _offers(session, lines, org_ids, source, classify, written)
    _certificates(session, lines, org_ids, offer_ids, written)
    session.flush()
    return written


def _same(stored: Any, new: Any) -> bool:
    if isinstance(stored, Decimal | float | int) and isinstance(new, Decimal | float | int):
        return Decimal(str(stored)) == Decimal(str(new))
    return bool(stored == new)


def _first_by(lines: Iterable[ProducerLine], key: Callable[[ProducerLine], Any]) -> dict[Any, Any]:
    found: dict[Any, ProducerLine] = {}
    for line in lines:
        found.setdefault(key(line), line)
    return found


def _organisations(
    session: Session, lines: list[ProducerLine], counts: Counts
) -> dict[tuple[str, str], int]:
    """Upsert the producers; return their ids by the lines' organisation keys."""
    firsts = _first_by(lines, lambda line: line.org_key)
    stored = stored_organisations(session, firsts)
    new_rows = []
    for key, line in firsts.items():
        org = stored.get(key)
        if org is None:
            identity = None if line.bin else key[1]
            new_rows.append({"bin": line.bin, "identity_key": identity, **line.org})
            continue
        changes = _organisation_changes(org, line)
        for name, value in changes.items():
            setattr(org, name, value)
        counts.updated += bool(changes)
        counts.unchanged += not changes
    if new_rows:
        session.execute(insert(Organisation), [{"certificates": [], **r} for r in new_rows])
        stored = stored_organisations(session, firsts)
    counts.created = len(new_rows)
    session.flush()
    return {key: org.id for key, org in stored.items()}


def stored_organisations(
    session: Session, keys: Collection[tuple[str, str]]
) -> dict[tuple[str, str], Organisation]:
    """The stored organisations of the lines' keys (("bin", BIN) or ("key", identity key))."""
    by_bin = registry_repository.organisations_by_bin(session, (v for k, v in keys if k == "bin"))
    by_key = registry_repository.organisations_by_identity_key(
        session, (v for k, v in keys if k == "key")
    )
    return {("bin", b): o for b, o in by_bin.items()} | {("key", k): o for k, o in by_key.items()}


def _organisation_changes(org: Organisation, line: ProducerLine) -> dict[str, Any]:
    """The register's values that differ from the stored ones: a name or address spelt
    otherwise (quotes, case, punctuation) is the same one; a guessed region only fills an
    empty one, a KATO code replaces it."""
    folded: dict[str, Callable[[str], str]] = {
        "name_ru": cells.normalise_name,
        "address": cells.normalise_address,
    }
    changes = {}
    for name, value in line.org.items():
        if value is None or name == "region_id":
            continue
        fold = folded.get(name, str)
        stored = getattr(org, name)
        if stored is None or fold(stored) != fold(value):
            changes[name] = value
    region = line.org.get("region_id")
    if region is not None and org.region_id != region and (line.region_known or not org.region_id):
        changes["region_id"] = region
    return changes


def _offers(
    session: Session,
    lines: list[ProducerLine],
    org_ids: dict[tuple[str, str], int],
    source: str,
    classify: Classify | None,
    written: Written,
) -> dict[tuple[int, str], int]:
    """Upsert the products as offers; return offer ids by (producer id, external id)."""
    firsts = _first_by(lines, lambda line: (org_ids[line.org_key], line.product))
    stored = repository.existing_lines(session, Offer, {p for p, _e in firsts}, STORED_OFFER_FIELDS)
    derive = lru_cache(maxsize=None)(classify) if classify else None
    new_rows, changes = [], []
    for (producer_id, external_id), line in firsts.items():
        before = stored.get((producer_id, external_id))
        record = _offer_record(line, before, derive)
        source_after = record.get("class_source", before and before["class_source"])
        class_after = record.get("class_code", before and before["class_code"])
        written.classes_derived += bool(class_after) and source_after == ClassSource.DERIVED
        written.unclassified += not class_after
        if before is None:
            new_rows.append(_new_offer(producer_id, external_id, source, record))
            continue
        diff = {k: v for k, v in record.items() if not _same(before[k], v)}
        if diff:
            changes.append(bulk_change(before, diff))
        else:
            written.offers.unchanged += 1
    for start in range(0, len(new_rows), BATCH):
        session.execute(insert(Offer), new_rows[start : start + BATCH])
    if changes:
        session.execute(update(Offer), changes)
    written.offers.created, written.offers.updated = len(new_rows), len(changes)
    written.touched_offers.update(change["id"] for change in changes)
    if new_rows:
        stored = repository.existing_lines(session, Offer, {p for p, _e in firsts}, ())
        written.touched_offers.update(
            stored[(row["producer_id"], row["external_id"])]["id"] for row in new_rows
        )
    return {key: record["id"] for key, record in stored.items()}


def _offer_record(
    line: ProducerLine, before: dict[str, Any] | None, derive: Classify | None
) -> dict[str, Any]:
    """The offer's fields from the register: given values, then its class (one a person
    corrected, the file's, a kept one, or a derived one)."""
    record = {k: v for k, v in line.offer.items() if v is not None and k != "class_code"}
    if before and before["class_code"] and before["class_source"] == ClassSource.MANUAL:
        return record  # a person corrected the class on the platform: a re-import keeps it
    if line.offer.get("class_code"):
        return record | {"class_code": line.offer["class_code"], "class_source": ClassSource.FILE}
    if before and before["class_code"] and before["class_source"] != ClassSource.DERIVED:
        return record  # a class from elsewhere (a file, an editor) stays
    if derive is None:
        return record  # without a classifier a derived class stays as it is
    code = derive(line.offer["title"], line.offer.get("hs_code"))
    if code is None:
        return record
    return record | {"class_code": code, "class_source": ClassSource.DERIVED}


def _new_offer(producer_id: int, external_id: str, source: str, record: dict[str, Any]) -> Any:
    return {
        "producer_id": producer_id,
        "external_id": external_id,
        "currency": "KZT",
        "certificates": [],
        "status": OfferStatus.PUBLISHED,
        "source": source,
        **record,
    }


def _certificates(
    session: Session,
    lines: list[ProducerLine],
    org_ids: dict[tuple[str, str], int],
    offer_ids: dict[tuple[int, str], int],
    written: Written,
) -> None:
    """Upsert one certificate row per (kind, number, offer)."""
    counts = written.certificates
    kind = lines[0].kind if lines else CertificateKind.INDUSTRIAL
    records: dict[tuple[str, int], dict[str, Any]] = {}
    for line in lines:
        org_id = org_ids[line.org_key]
        offer_id = offer_ids[(org_id, line.product)]
        records[(line.number, offer_id)] = {"organisation_id": org_id, **line.cert}
    stored = _stored_certificates(session, kind, {offer for _n, offer in records})
    new_rows, changes = [], []
    for (number, offer_id), record in records.items():
        before = stored.get((number, offer_id))
        if before is None:
            new_rows.append({"kind": kind, "number": number, "offer_id": offer_id, **record})
            continue
        diff = {k: v for k, v in record.items() if not _same(before[k], v)}
        if diff:
            changes.append(bulk_change(before, diff))
        else:
            counts.unchanged += 1
    for start in range(0, len(new_rows), BATCH):
        session.execute(insert(Certificate), new_rows[start : start + BATCH])
    if changes:
        session.execute(update(Certificate), changes)
    counts.created, counts.updated = len(new_rows), len(changes)
    changed = {change["id"] for change in changes}
    written.touched_offers.update(row["offer_id"] for row in new_rows)
    written.touched_offers.update(
        before["offer_id"] for before in stored.values() if before["id"] in changed
    )


def _stored_certificates(
    session: Session, kind: CertificateKind, offer_ids: set[int]
) -> dict[tuple[str, int], dict[str, Any]]:
    fields = ("id", "number", "offer_id", "organisation_id", *CERT_FIELDS)
    columns = [getattr(Certificate, name) for name in fields]
    found: dict[tuple[str, int], dict[str, Any]] = {}
    ids = sorted(offer_ids)
    for start in range(0, len(ids), 900):
        stmt = select(*columns).where(
            Certificate.kind == kind, Certificate.offer_id.in_(ids[start : start + 900])
        )
        for row in session.execute(stmt):
            record = dict(zip(fields, row, strict=True))
            found[(record["number"], record["offer_id"])] = record
    return found
