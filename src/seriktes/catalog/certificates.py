"""Which offers a domestic-producer certificate backs, as the matcher's certificate factor reads.

An offer is certified when a certificate in force (status valid, end date not passed)
names it, or when its producer holds an industrial certificate in force. The free-text
certificate lists that offers and organisations carry (`certificates` JSON, written by the
offers and organisations imports and the editors) count as well.
"""

from __future__ import annotations

from collections.abc import Collection, Container
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from seriktes.catalog.models import Certificate, CertificateKind, CertificateStatus, Offer


def in_force(on: date) -> ColumnElement[bool]:
    """The certificates valid on `on`: status valid and no end date before it."""
    return and_(
        Certificate.status == CertificateStatus.VALID,
        or_(Certificate.valid_until.is_(None), Certificate.valid_until >= on),
    )


def certified_offer_ids(
    session: Session, on: date, offer_ids: Collection[int] | None = None
) -> set[int]:
    """Ids of the offers (of all, or of `offer_ids`) a certificate in force backs: their
    own, or an industrial certificate of their producer."""
    own = select(Certificate.offer_id).where(in_force(on), Certificate.offer_id.is_not(None))
    holders = select(Certificate.organisation_id).where(
        in_force(on), Certificate.kind == CertificateKind.INDUSTRIAL
    )
    stmt = select(Offer.id).where(or_(Offer.id.in_(own), Offer.producer_id.in_(holders)))
    if offer_ids is None:
        return set(session.scalars(stmt))
    ids, found = sorted(set(offer_ids)), set[int]()
    for start in range(0, len(ids), 900):
        found.update(session.scalars(stmt.where(Offer.id.in_(ids[start : start + 900]))))
    return found


def is_certified(offer: Offer, certified_ids: Container[int]) -> bool:
    """Whether the matcher should count `offer` as certified: a certificate row in force
    (`certified_ids`, from `certified_offer_ids`) or a listed certificate number."""
    return offer.id in certified_ids or bool(offer.certificates or offer.producer.certificates)


@dataclass(frozen=True)
class HeldCertificate:
    """A certificate an organisation holds, over all the products it covers."""

    kind: CertificateKind
    number: str
    status: CertificateStatus
    issued_on: date | None
    valid_until: date | None
    products: int
    in_force: bool


def held_certificates(session: Session, organisation_id: int, on: date) -> list[HeldCertificate]:
    """The register certificates of an organisation, one per kind and number, in force first."""
    stmt = select(Certificate).where(Certificate.organisation_id == organisation_id)
    grouped: dict[tuple[CertificateKind, str], list[Certificate]] = {}
    for cert in session.scalars(stmt.order_by(Certificate.id)):
        grouped.setdefault((cert.kind, cert.number), []).append(cert)
    held = [
        HeldCertificate(
            kind=kind,
            number=number,
            status=certs[0].status,
            issued_on=certs[0].issued_on,
            valid_until=certs[0].valid_until,
            products=len({c.offer_id for c in certs}),
            in_force=any(c.in_force(on) for c in certs),
        )
        for (kind, number), certs in grouped.items()
    ]
    return sorted(held, key=lambda h: (not h.in_force, h.kind.value, h.number))


def numbers_in_force(
    session: Session, organisation_ids: list[int], on: date
) -> dict[int, list[str]]:
    """The numbers of the certificates in force of each organisation (the ones that have any)."""
    if not organisation_ids:
        return {}
    stmt = (
        select(Certificate.organisation_id, Certificate.number)
        .where(Certificate.organisation_id.in_(organisation_ids), in_force(on))
        .distinct()
        .order_by(Certificate.organisation_id, Certificate.number)
    )
    found: dict[int, list[str]] = {}
    for org_id, number in session.execute(stmt):
        found.setdefault(org_id, []).append(number)
    return found
