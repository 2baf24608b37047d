"""catalog.policy as tables: who reads needs and offers, published or draft, and who may
add them (rows: the users of tests.policykit; "draft", "closed"… are lines of the member's
own organisation, "other's draft" a draft of OTHER_ORG)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.policy import draft_access
from seriktes.catalog import policy
from seriktes.catalog.models import Need, NeedStatus, Offer, OfferStatus
from tests.policykit import HOME, OTHER, OTHER_ORG, OWN_ORG, USERS, grid, user
from tests.webkit import make_need, make_offer, make_org

T, F = True, False

NEEDS = {
    "published": (OWN_ORG, NeedStatus.PUBLISHED),
    "closed": (OWN_ORG, NeedStatus.CLOSED),
    "draft": (OWN_ORG, NeedStatus.DRAFT),
    "other's draft": (OTHER_ORG, NeedStatus.DRAFT),
}
OFFERS = {
    "published": (OWN_ORG, OfferStatus.PUBLISHED),
    "archived": (OWN_ORG, OfferStatus.ARCHIVED),
    "draft": (OWN_ORG, OfferStatus.DRAFT),
    "other's draft": (OTHER_ORG, OfferStatus.DRAFT),
}


@grid(
    tuple(NEEDS),
    {
        #                         published closed draft other's draft
        "anonymous": (T, T, F, F),
        "admin": (T, T, T, T),
        "inactive admin": (T, T, F, F),
        "coordinator": (T, T, T, T),
        "partner coordinator": (T, T, T, T),
        "other coordinator": (T, T, T, T),
        "coordinator without region": (T, T, T, T),
        "inactive coordinator": (T, T, F, F),
        "member": (T, T, T, F),
        "partner member": (T, T, F, F),
        "other member": (T, T, F, T),
        "member without organisation": (T, T, F, F),
        "inactive member": (T, T, F, F),
    },
)
def test_who_reads_a_need(who: str, column: str, expected: bool) -> None:
    buyer, status = NEEDS[column]
    assert policy.can_read_need(user(who), Need(buyer_id=buyer, status=status)) is expected


@grid(
    tuple(OFFERS),
    {
        #                         published archived draft other's draft
        "anonymous": (T, F, F, F),
        "admin": (T, T, T, T),
        "inactive admin": (T, F, F, F),
        "coordinator": (T, T, T, T),
        "partner coordinator": (T, T, T, T),
        "other coordinator": (T, T, T, T),
        "coordinator without region": (T, T, T, T),
        "inactive coordinator": (T, F, F, F),
        "member": (T, T, T, F),
        "partner member": (T, F, F, F),
        "other member": (T, F, F, T),
        "member without organisation": (T, F, F, F),
        "inactive member": (T, F, F, F),
    },
)
def test_who_reads_an_offer(who: str, column: str, expected: bool) -> None:
    producer, status = OFFERS[column]
    offer = Offer(producer_id=producer, status=status)
    assert policy.can_read_offer(user(who), offer) is expected


@grid(
    ("adds needs and offers",),
    {
        "anonymous": (F,),
        "admin": (T,),
        "inactive admin": (F,),
        "coordinator": (T,),
        "partner coordinator": (T,),
        "other coordinator": (T,),
        "coordinator without region": (F,),
        "inactive coordinator": (F,),
        "member": (T,),
        "partner member": (T,),
        "other member": (T,),
        "member without organisation": (F,),
        "inactive member": (F,),
    },
)
def test_who_may_add_needs_and_offers(who: str, column: str, expected: bool) -> None:
    assert policy.can_add_lines(user(who)) is expected


@pytest.mark.parametrize("who", USERS)
def test_the_sql_conditions_select_what_the_rules_allow(db_session: Session, who: str) -> None:
    orgs = {OWN_ORG: make_org(db_session, HOME), OTHER_ORG: make_org(db_session, OTHER)}
    needs = {
        name: make_need(db_session, orgs[org], name, status)
        for name, (org, status) in NEEDS.items()
    }
    offers = {
        name: make_offer(db_session, orgs[org], name, status)
        for name, (org, status) in OFFERS.items()
    }
    reader = user(who)
    if reader is not None and reader.organisation_id in orgs:
        reader.organisation_id = orgs[reader.organisation_id].id
    ours = [n.id for n in needs.values()], [o.id for o in offers.values()]
    shown_needs = db_session.scalars(
        select(Need.title).where(Need.id.in_(ours[0]), policy.visible_needs(reader))
    ).all()
    shown_offers = db_session.scalars(
        select(Offer.title).where(Offer.id.in_(ours[1]), policy.visible_offers(reader))
    ).all()
    access = draft_access(reader)
    assert sorted(shown_needs) == sorted(
        name for name, need in needs.items() if policy.can_read_need(reader, need)
    )
    assert sorted(shown_offers) == sorted(
        name for name, offer in offers.items() if policy.can_read_offer(reader, offer)
    )
    by_access = db_session.scalars(
        select(Need.title).where(Need.id.in_(ours[0]), policy.visible_needs(access))
    ).all()
    assert sorted(by_access) == sorted(shown_needs)
