"""The start page's match counts: strong and possible matches per need or offer that the
reader may see, and the new ones (both backends)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import true
from sqlalchemy.orm import Session

from seriktes.catalog.models import Need, Offer, OfferStatus
from seriktes.kit import clock
from seriktes.matches import repository
from seriktes.matches.models import Match
from tests.webkit import make_need, make_offer, make_org


def _match(
    session: Session, need: Need, offer: Offer, band: str | None, score: float, age: int
) -> None:
    session.add(
        Match(
            need_id=need.id,
            offer_id=offer.id,
            rank=1,
            score=score,
            explanation={"band": band} if band else {},
            created_at=clock.now() - timedelta(days=age),
        )
    )
    session.flush()


def test_band_counts_per_need_and_offer(db_session: Session) -> None:
    buyer, producer = make_org(db_session), make_org(db_session, "590000000")
    need = make_need(db_session, buyer)
    offers = [make_offer(db_session, producer, f"Подшипник {n}") for n in range(4)]
    draft = make_offer(db_session, producer, "Черновик", status=OfferStatus.DRAFT)
    _match(db_session, need, offers[0], "strong", 0.9, age=1)
    _match(db_session, need, offers[1], "possible", 0.45, age=10)
    _match(db_session, need, offers[2], None, 0.6, age=2)  # stored before bands: strong by score
    _match(db_session, need, offers[3], "weak", 0.2, age=1)  # never counted
    _match(db_session, need, draft, "strong", 0.9, age=1)
    since = clock.now() - timedelta(days=7)

    published = Offer.status == OfferStatus.PUBLISHED
    counts = repository.band_counts(db_session, Match.need_id, [need.id], published, since)[need.id]
    assert (counts.strong, counts.possible, counts.new, counts.shown) == (2, 1, 2, 3)
    everything = repository.band_counts(db_session, Match.need_id, [need.id], true(), since)
    assert everything[need.id].strong == 3  # the draft offer's too, for who may read it

    per_offer = repository.band_counts(
        db_session, Match.offer_id, [o.id for o in offers], true(), since
    )
    assert set(per_offer) == {offers[0].id, offers[1].id, offers[2].id}
    assert per_offer[offers[1].id].new == 0
    assert repository.band_counts(db_session, Match.need_id, [], true(), since) == {}
