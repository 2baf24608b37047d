"""Editing needs and offers through the service: validation errors are located."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.catalog.editing import update_need, update_offer
from seriktes.kit.errors import ValidationFailed
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
