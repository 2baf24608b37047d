"""The participants' catalogue (both backends): profiles, matches with my organisation
ranked, filters, pages, privacy; and whom a participant may still ask."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.catalog.models import Certificate, CertificateKind, Need, Offer
from seriktes.events import requests
from seriktes.events.catalogue import CatalogueFilters, catalogue
from seriktes.events.schemas import RequestIn
from seriktes.kit import clock
from seriktes.matches.models import Match
from tests.events.conftest import Day
from tests.webkit import make_need, make_offer, make_user


def match(session: Session, need: Need, offer: Offer, band: str, score: float) -> Match:
    found = Match(need_id=need.id, offer_id=offer.id, rank=1, score=score,
                  explanation={"band": band})  # fmt: skip
    session.add(found)
    session.flush()
    return found


def test_catalogue_ranks_participants_by_their_matches_with_my_organisation(
    day: Day, db_session: Session
) -> None:
    buyer = day.buyers[0].organisation
    need = make_need(db_session, buyer, title="Подшипник 6205")
    p0, p1, p2 = (p.organisation for p in day.producers)
    weak = make_offer(db_session, p0, title="Подшипник слабый")
    possible = make_offer(db_session, p1, title="Подшипник 6205 аналог")
    strong = make_offer(db_session, p2, title="Подшипник 6205-2RS")
    match(db_session, need, weak, "weak", 0.2)
    match(db_session, need, possible, "possible", 0.5)
    match(db_session, need, strong, "strong", 0.9)
    member = make_user(db_session, Role.MEMBER, buyer)
    found = catalogue(db_session, member, day.event.id, CatalogueFilters())
    ids = [e.participant.id for e in found.found.items]
    assert ids[:2] == [day.producers[2].id, day.producers[1].id]
    assert day.buyers[0].id not in ids  # never itself
    entries = {e.participant.id: e for e in found.found.items}
    assert entries[day.producers[0].id].matches == []  # weak matches are not shown
    assert entries[day.producers[2].id].topic() == "Подшипник 6205"
    assert entries[day.producers[2].id].offers == [strong]
    assert found.asker is not None and found.asker.id == day.buyers[0].id
    assert entries[day.producers[2].id].askable
    assert not entries[day.buyers[1].id].askable  # the same side


def test_catalogue_shows_certificates_in_force_and_hides_names_from_the_public(
    day: Day, db_session: Session
) -> None:
    producer = day.producers[0]
    producer.representatives = "Омаров Е."
    offer = make_offer(db_session, producer.organisation)
    today = clock.today()
    db_session.add_all([
        Certificate(kind=CertificateKind.INDUSTRIAL, number="KZ-1", offer_id=offer.id,
                    organisation_id=producer.organisation_id, valid_until=today + timedelta(1)),
        Certificate(kind=CertificateKind.INDUSTRIAL, number="KZ-OLD", offer_id=offer.id,
                    organisation_id=producer.organisation_id, valid_until=today - timedelta(1)),
    ])  # fmt: skip
    db_session.flush()
    public = catalogue(db_session, None, day.event.id, CatalogueFilters())
    entry = next(e for e in public.found.items if e.participant.id == producer.id)
    assert entry.certificates == ["KZ-1"]
    assert public.representatives is False and public.asker is None
    member = make_user(db_session, Role.MEMBER, day.buyers[0].organisation)
    assert catalogue(db_session, member, day.event.id, CatalogueFilters()).representatives


def test_catalogue_filters_by_region_class_role_and_language_and_pages(
    day: Day, db_session: Session
) -> None:
    make_need(db_session, day.buyers[0].organisation)  # class 28.15.10
    seller = make_offer(db_session, day.producers[1].organisation)
    seller.class_code = "10.51.11"
    db_session.flush()

    def ids(**filters: str) -> set[int]:
        found = catalogue(db_session, None, day.event.id, CatalogueFilters(**filters))
        return {e.participant.id for e in found.found.items}

    assert ids(region="590000000") == {p.id for p in day.producers}
    assert ids(region="63") == {p.id for p in day.buyers}
    assert ids(role="buyer") == {day.buyers[0].id}
    assert ids(role="producer") == {day.producers[1].id}
    assert ids(class_code="10") == ids(class_code="10.51") == {day.producers[1].id}
    assert ids(class_code="28") == {day.buyers[0].id}
    assert ids(language="kk") == {p.id for p in day.producers}
    first = catalogue(db_session, None, day.event.id, CatalogueFilters(), page=1, per_page=2)
    second = catalogue(db_session, None, day.event.id, CatalogueFilters(), page=3, per_page=2)
    assert (first.found.total, first.found.pages, len(second.found.items)) == (5, 3, 1)


def test_askable_leaves_out_those_asked_either_way_the_cancelled_and_itself(
    day: Day, db_session: Session
) -> None:
    buyer = day.buyers[0]
    member = make_user(db_session, Role.MEMBER, buyer.organisation)
    other = make_user(db_session, Role.MEMBER, day.producers[1].organisation)
    requests.create_request(
        db_session,
        member,
        day.event.id,
        RequestIn(requester_id=buyer.id, recipient_id=day.producers[0].id),
    )
    asking = RequestIn(requester_id=day.producers[1].id, recipient_id=buyer.id)
    requests.create_request(db_session, other, day.event.id, asking)
    from seriktes.events.models import ParticipantStatus

    day.producers[2].status = ParticipantStatus.CANCELLED
    db_session.flush()
    assert requests.askable(db_session, day.event, buyer) == []
    assert {p.id for p in requests.askable(db_session, day.event, day.buyers[1])} == {
        day.producers[0].id,
        day.producers[1].id,
    }
