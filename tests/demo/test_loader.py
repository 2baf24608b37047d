"""Loading the demo data: counts, references and refusal to load twice."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from seriktes.catalog.models import Need, Offer
from seriktes.demo.loader import demo_already_loaded, load_demo
from seriktes.kit.errors import Conflict
from seriktes.registry.models import Organisation, Region


def _count(session: Session, model: type[Need] | type[Offer]) -> int:
    query = select(func.count()).select_from(model).where(model.source == "demo")
    return session.scalar(query) or 0


def test_load_demo_creates_the_counts_it_returns(db_session: Session) -> None:
    organisations_before = db_session.scalar(select(func.count(Organisation.id))) or 0
    counts = load_demo(db_session)
    organisations_after = db_session.scalar(select(func.count(Organisation.id))) or 0
    assert organisations_after - organisations_before == counts["organisations"]
    assert _count(db_session, Need) == counts["needs"]
    assert _count(db_session, Offer) == counts["offers"]
    assert counts["organisations"] > 50 and counts["needs"] > 500 and counts["offers"] > 1000


def test_every_line_points_at_an_existing_party_and_region(db_session: Session) -> None:
    counts = load_demo(db_session)
    buyer_region = aliased(Region)
    needs = db_session.scalar(
        select(func.count(Need.id))
        .join(Organisation, Need.buyer_id == Organisation.id)
        .join(buyer_region, Organisation.region_id == buyer_region.id)
        .where(Need.source == "demo", Need.delivery_region_id == buyer_region.id)
    )
    offers = db_session.scalar(
        select(func.count(Offer.id))
        .join(Organisation, Offer.producer_id == Organisation.id)
        .where(Offer.source == "demo")
    )
    assert needs == counts["needs"]
    assert offers == counts["offers"]


def test_loaded_rows_keep_their_values(db_session: Session) -> None:
    load_demo(db_session)
    need = db_session.scalars(select(Need).where(Need.external_id == "DEMO-N-00001")).one()
    assert need.buyer.name_ru.startswith(("АО «", "ТОО «"))
    assert need.unit is not None and need.delivery_region is not None
    assert need.amount is not None and need.amount > 0
    certified = db_session.scalars(
        select(Organisation).where(Organisation.bin.in_(_demo_bins(db_session)))
    ).all()
    assert any(org.is_domestic_producer for org in certified)


def test_a_second_load_is_refused(db_session: Session) -> None:
    assert not demo_already_loaded(db_session)
    load_demo(db_session)
    assert demo_already_loaded(db_session)
    with pytest.raises(Conflict, match="already loaded"):
        load_demo(db_session)


def _demo_bins(session: Session) -> list[str]:
    query = select(Organisation.bin).join(Need, Need.buyer_id == Organisation.id)
    buyers = session.scalars(query.where(Need.source == "demo")).all()
    query = select(Organisation.bin).join(Offer, Offer.producer_id == Organisation.id)
    producers = session.scalars(query.where(Offer.source == "demo")).all()
    return sorted(set(buyers) | set(producers))


def test_demo_users_can_log_in_with_the_documented_password(db_session: Session) -> None:
    from seriktes.accounts.models import Role, User
    from seriktes.accounts.service import authenticate
    from seriktes.demo.users import DEMO_PASSWORD, create_demo_users

    load_demo(db_session)
    logins = dict(create_demo_users(db_session))
    assert set(logins) == {
        "admin@seriktes.demo",
        "vko@seriktes.demo",
        "sko@seriktes.demo",
        "buyer@seriktes.demo",
        "producer@seriktes.demo",
    }
    assert create_demo_users(db_session)  # a second call changes nothing and does not fail
    buyer = authenticate(db_session, "buyer@seriktes.demo", DEMO_PASSWORD, "test")
    assert buyer is not None and buyer.role is Role.MEMBER
    assert buyer.organisation is not None and buyer.organisation.region is not None
    assert buyer.organisation.region.kato == "630000000"
    assert db_session.query(User).count() >= 5
