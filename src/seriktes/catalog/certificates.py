"""Which offers a domestic-producer certificate backs, as the matcher's certificate factor reads.

An offer is certified when a certificate in force (status valid, end date not passed)
names it, or when its producer holds an industrial certificate in force. The free-text
certificate lists that offers and organisations carry (`certificates` JSON, written by the
offers and organisations imports and the editors) count as well.
"""

from __future__ import annotations

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


def certified_offer_ids(session: Session, on: date) -> set[int]:
    """Ids of the offers a certificate in force backs: their own, or an industrial
    certificate of their producer."""
    own = select(Certificate.offer_id).where(in_force(on), Certificate.offer_id.is_not(None))
    holders = select(Certificate.organisation_id).where(
        in_force(on), Certificate.kind == CertificateKind.INDUSTRIAL
    )
    stmt = select(Offer.id).where(or_(Offer.id.in_(own), Offer.producer_id.in_(holders)))
    return set(session.scalars(stmt))


def is_certified(offer: Offer, certified_ids: set[int] | frozenset[int]) -> bool:
    """Whether the matcher should count `offer` as certified: a certificate row in force
    (`certified_ids`, from `certified_offer_ids`) or a listed certificate number."""
    return offer.id in certified_ids or bool(offer.certificates or offer.producer.certificates)
