"""The API views are built without validation for speed; each must still be a valid model."""

from __future__ import annotations

import warnings
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from seriktes.catalog.models import NeedStatus
from seriktes.catalog.schemas import NeedOut, OfferOut
from seriktes.http.schemas import PageOut
from seriktes.kit.pagination import Page
from seriktes.matches.models import Match
from seriktes.matches.schemas import FitOut, MatchOut
from seriktes.registry.schemas import OrganisationOut, RegionOut
from tests.api.conftest import SKO, World, changed
from tests.webkit import make_need, make_offer, region


def assert_valid(view: BaseModel) -> None:
    """The view serialises without warnings and validates back to the same JSON."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dumped = view.model_dump(mode="json")
    again = type(view).model_validate(dumped)
    assert again.model_dump(mode="json") == dumped


def test_every_view_is_a_valid_model(world: World, db_session: Session) -> None:
    need = changed(
        db_session,
        make_need(db_session, world.owner, status=NeedStatus.DRAFT),
        unit_price=Decimal("12.50"),
        delivery_region_id=region(db_session, SKO).id,
    )
    offer = changed(db_session, make_offer(db_session, world.other), price=Decimal("99.99"))
    world.owner.certificates = ["KZ 7 630 00001"]
    match = Match(need_id=need.id, offer_id=offer.id, rank=1, score=0.5, explanation={})
    db_session.add(match)
    db_session.flush()
    views: list[BaseModel] = [
        NeedOut.of(need),
        OfferOut.of(offer),
        OrganisationOut.of(world.owner),
        RegionOut.of(region(db_session, SKO)),
        MatchOut.of(match),
        FitOut.of(match),
        PageOut[NeedOut].of(Page([need], 1, 1, 25), NeedOut.of),
    ]
    for view in views:
        assert_valid(view)
    assert NeedOut.of(need).model_dump()["amount"] == 125.0
