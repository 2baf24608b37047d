"""Where producers of a need's class are: in its region and partner regions, or the nearest
regions that have some (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from seriktes.catalog.models import OfferStatus
from seriktes.matches.service import coverage, parse_partners
from tests.webkit import make_offer, make_org

VKO, SKO, PAVLODAR, KARAGANDA, ALMATY, ABAI = (
    "630000000",
    "590000000",
    "550000000",
    "350000000",
    "750000000",
    "100000000",
)
PARTNERS = parse_partners([f"{VKO}:{SKO}"])


def offers_of(
    session: Session,
    kato: str,
    class_code: str,
    count: int = 1,
    status: OfferStatus = OfferStatus.PUBLISHED,
) -> None:
    producer = make_org(session, kato)
    for n in range(count):
        offer = make_offer(session, producer, f"Изделие {class_code} {n}", status)
        offer.class_code = class_code
    session.flush()


def test_no_producer_in_the_partner_regions_names_the_nearest_regions(
    db_session: Session,
) -> None:
    offers_of(db_session, PAVLODAR, "28.15.10", 2)
    offers_of(db_session, KARAGANDA, "28.15.2")  # another six-digit class of the same group
    offers_of(db_session, ALMATY, "28.15.10")
    offers_of(db_session, SKO, "28.14.11")  # the partner has another class only
    offers_of(db_session, ABAI, "10.61.21")  # nearer, but another class
    offers_of(db_session, ABAI, "28.15.10", status=OfferStatus.DRAFT)  # a draft does not count

    found = coverage(db_session, "632810000", "28.15.10.300", PARTNERS)

    assert found is not None and found.missing
    assert found.group == "28.15"
    assert [r.kato for r in found.regions] == [VKO, SKO]
    assert [(a.region.kato, a.offers) for a in found.nearest] == [
        (PAVLODAR, 2),
        (KARAGANDA, 1),
        (ALMATY, 1),
    ]
    assert [a.km for a in found.nearest] == sorted(a.km for a in found.nearest)
    assert 400 < found.nearest[0].km < 550, "Усть-Каменогорск – Павлодар, centre to centre"
    one = coverage(db_session, VKO, "28.15", PARTNERS, nearest=1)
    assert one is not None and [a.region.kato for a in one.nearest] == [PAVLODAR]


def test_a_producer_in_a_partner_region_or_the_need_s_own_is_enough(db_session: Session) -> None:
    offers_of(db_session, SKO, "28.15.10")
    found = coverage(db_session, VKO, "28.15.10", PARTNERS)
    assert found is not None and not found.missing and found.offers == 1 and found.nearest == ()
    offers_of(db_session, ALMATY, "10.61.21")
    alone = coverage(db_session, ALMATY, "10.61.21", PARTNERS)  # no partner: its own region
    assert alone is not None and not alone.missing
    assert [r.kato for r in alone.regions] == [ALMATY]


def test_none_anywhere_and_what_cannot_be_told(db_session: Session) -> None:
    found = coverage(db_session, VKO, "99.99.99", PARTNERS)
    assert found is not None and found.missing and found.nearest == ()
    assert coverage(db_session, None, "28.15.10", PARTNERS) is None, "region unknown"
    assert coverage(db_session, VKO, None, PARTNERS) is None, "class unknown"
    assert coverage(db_session, VKO, "28", PARTNERS) is None, "a division is not a class"
    assert coverage(db_session, "000000000", "28.15", PARTNERS) is None
