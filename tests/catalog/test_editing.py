"""Editing needs and offers through the service: validation errors are located."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.catalog.editing import (
    NeedIn,
    OfferIn,
    create_need,
    create_offer,
    update_need,
    update_offer,
)
from seriktes.catalog.models import Need, Offer
from seriktes.kit.errors import Conflict, ValidationFailed
from tests.webkit import make_need, make_offer, make_org, make_user


def test_bad_changes_are_validation_failures_naming_the_field(db_session: Session) -> None:
    org = make_org(db_session)
    admin = make_user(db_session, Role.ADMIN)
    need = make_need(db_session, org)
    offer = make_offer(db_session, org)
    with pytest.raises(ValidationFailed) as caught:
        update_need(db_session, admin, need.id, {"quantity": -5})
    assert caught.value.errors[0].loc == ("body", "quantity")
    with pytest.raises(ValidationFailed) as caught:
        update_offer(db_session, admin, offer.id, {"class_code": "abc"})
    assert caught.value.errors[0].loc == ("body", "class_code")
    db_session.refresh(need)
    assert need.quantity == 10


def test_a_repeated_external_id_is_a_conflict_and_nothing_is_added(db_session: Session) -> None:
    org, other = make_org(db_session), make_org(db_session)
    admin = make_user(db_session, Role.ADMIN)
    create_need(db_session, admin, NeedIn(buyer_id=org.id, title="Цемент", external_id="P-1"))
    create_offer(db_session, admin, OfferIn(producer_id=org.id, title="Цемент", external_id="P-1"))
    with pytest.raises(Conflict, match="already has a need with external id 'P-1'") as caught:
        create_need(db_session, admin, NeedIn(buyer_id=org.id, title="Щебень", external_id="P-1"))
    assert caught.value.errors[0].loc == ("body", "external_id")
    with pytest.raises(Conflict, match="already has an offer with external id"):
        create_offer(
            db_session, admin, OfferIn(producer_id=org.id, title="Щебень", external_id="P-1")
        )
    # another organisation may use the same id
    create_need(db_session, admin, NeedIn(buyer_id=other.id, title="Щебень", external_id="P-1"))
    titles = db_session.scalars(select(Need.title).where(Need.external_id == "P-1")).all()
    assert sorted(titles) == ["Цемент", "Щебень"]
    assert db_session.scalar(select(func.count(Offer.id)).where(Offer.external_id == "P-1")) == 1
