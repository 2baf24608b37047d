"""The matcher's certificate factor rests on the certificates the registers brought in."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.catalog.certificates import held_certificates, numbers_in_force
from seriktes.catalog.models import Certificate, CertificateStatus, Offer
from seriktes.catalog.producers import import_producers
from seriktes.matches.service import build_matcher, offer_changes
from seriktes.registry.models import Organisation
from tests.catalog.producers.files import ORIGIN_HEADER, origin_row, write_register
from tests.factories import valid_bins
from tests.webkit import make_offer, make_org

FAR = (date.today() + timedelta(days=400)).strftime("%d.%m.%Y")
PAST = (date.today() - timedelta(days=1)).strftime("%d.%m.%Y")


def imported(session: Session, tmp_path: Path) -> dict[str, Offer]:
    bin_value = next(valid_bins(700))
    rows = [
        origin_row(bin_value, "Фильтр воздушный", until=FAR),
        origin_row(bin_value, "Фильтр масляный", until=PAST),
        origin_row(bin_value, "Фильтр топливный", until=FAR, status="Отозван"),
    ]
    import_producers(session, write_register(tmp_path / "origin.csv", ORIGIN_HEADER, rows))
    return {offer.title: offer for offer in session.scalars(select(Offer))}


def test_only_offers_with_a_certificate_in_force_count_as_certified(
    db_session: Session, tmp_path: Path
) -> None:
    offers = imported(db_session, tmp_path)
    uncertified = make_offer(db_session, make_org(db_session), title="Фильтр салонный")
    matcher = build_matcher(db_session)
    flags = {offer.title: matcher.offers[offer.id].certified for offer in offers.values()}
    assert flags == {
        "Фильтр воздушный": True,
        "Фильтр масляный": False,  # past its end date
        "Фильтр топливный": False,  # revoked
    }
    assert not matcher.offers[uncertified.id].certified


def test_a_certificate_revoked_later_is_seen_when_the_offer_is_indexed_again(
    db_session: Session, tmp_path: Path
) -> None:
    offers = imported(db_session, tmp_path)
    matcher = build_matcher(db_session)
    air = offers["Фильтр воздушный"]
    cert = db_session.scalars(select(Certificate).where(Certificate.offer_id == air.id)).one()
    cert.status = CertificateStatus.REVOKED
    db_session.flush()
    offer_changes(db_session, [air.id])(matcher)
    assert not matcher.offers[air.id].certified


def test_listed_certificate_numbers_still_count(db_session: Session) -> None:
    listed = make_offer(db_session, make_org(db_session))
    listed.certificates = ["KZ 7 630 00001"]  # written by the offers import or an editor
    db_session.flush()
    assert build_matcher(db_session).offers[listed.id].certified


def test_an_organisation_shows_its_certificates_in_force_first(
    db_session: Session, tmp_path: Path
) -> None:
    imported(db_session, tmp_path)
    holder = db_session.scalars(select(Organisation).where(Organisation.bin.is_not(None))).one()
    held = held_certificates(db_session, holder.id, date.today())
    assert [(h.number, h.products, h.in_force) for h in held] == [("KZ 5 120 00012", 3, True)]
    assert numbers_in_force(db_session, [holder.id], date.today()) == {
        holder.id: ["KZ 5 120 00012"]
    }
    assert numbers_in_force(db_session, [holder.id], date.today() + timedelta(days=500)) == {}
