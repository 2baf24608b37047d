"""KP VED classes corrected by people: checked against the registry, marked manual, matched
again at once, learnt by the classifier (needs) and kept by a register re-import (offers)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.catalog.editing import NeedIn, create_need, update_need, update_offer
from seriktes.catalog.models import ClassSource, Offer
from seriktes.catalog.producers import import_producers
from seriktes.kit.errors import ValidationFailed
from seriktes.matches import cache
from seriktes.matches.incremental import keep_matches_current, match_lines
from seriktes.matches.models import Match
from seriktes.matches.repository import labelled_needs
from seriktes.matches.service import build_classifier
from seriktes.registry.models import ClassifierCode, ClassifierSystem
from tests.catalog.producers.files import INDUSTRIAL_HEADER, industrial_row, write_register
from tests.factories import valid_bins
from tests.webkit import make_need, make_offer, make_org, make_user

VKO, SKO = "630000000", "590000000"
CODES = [
    ("28.15.10", "Подшипники шариковые и роликовые"),
    ("25.93.11", "Канаты стальные"),
    ("13.92.12", "Белье постельное"),
]


@pytest.fixture(autouse=True)
def _fresh_engines() -> Iterator[None]:
    keep_matches_current()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator(db_session: Session) -> User:
    for code, name in CODES:
        db_session.add(
            ClassifierCode(system=ClassifierSystem.KPVED, code=code, level=6, name_ru=name)
        )
    db_session.flush()
    return make_user(db_session, Role.COORDINATOR, kato=VKO)


def matched(session: Session, need_id: int) -> set[int]:
    return set(session.scalars(select(Match.offer_id).where(Match.need_id == need_id)))


def test_a_corrected_need_class_is_manual_matched_again_and_labelled(
    db_session: Session, coordinator: User
) -> None:
    buyer = make_org(db_session, VKO)
    rope = make_offer(db_session, make_org(db_session, SKO), "Канат стальной 2688-80")
    rope.class_code = "25.93.11"
    need = make_need(db_session, buyer, "Канат для подъёмной машины")
    match_lines(db_session, need_ids=[need.id])
    assert need.title + " " not in dict(labelled_needs(db_session))
    update_need(db_session, coordinator, need.id, {"class_code": "25.93.11"})
    assert need.class_source is ClassSource.MANUAL
    assert rope.id in matched(db_session, need.id), "matched again with the corrected class"
    assert (need.title + " ", "25.93.11") in labelled_needs(db_session)
    classifier = build_classifier(db_session)
    assert classifier is not None
    assert classifier.classify("Канат для подъёмной машины", 1)[0].code == "25.93.11"


def test_an_unchanged_class_or_another_field_is_not_a_correction(
    db_session: Session, coordinator: User
) -> None:
    need = make_need(db_session, make_org(db_session, VKO))
    update_need(db_session, coordinator, need.id, {"class_code": "281510", "quantity": 3})
    assert need.class_source is None, "28.15.10 written otherwise is the same class"
    assert labelled_needs(db_session) == []


def test_a_class_the_registry_does_not_know_is_refused(
    db_session: Session, coordinator: User
) -> None:
    need = make_need(db_session, make_org(db_session, VKO))
    with pytest.raises(ValidationFailed) as refused:
        update_need(db_session, coordinator, need.id, {"class_code": "99.99.99"})
    assert refused.value.errors[0].loc == ("body", "class_code")
    db_session.expire_all()
    assert (need.class_code, need.class_source) == ("28.15.10", None)


def test_a_new_line_with_a_class_the_registry_does_not_know_is_refused(
    db_session: Session, coordinator: User
) -> None:
    buyer = make_org(db_session, VKO)
    data = {"buyer_id": buyer.id, "title": "Масло трансмиссионное", "status": "published"}
    with pytest.raises(ValidationFailed) as refused:
        create_need(db_session, coordinator, NeedIn(**data, class_code="99.99.99"))
    assert refused.value.errors[0].loc == ("body", "class_code")
    need = create_need(db_session, coordinator, NeedIn(**data, class_code="28.15.10"))
    assert need.class_source is ClassSource.MANUAL  # a class a person chose teaches too


def test_an_offer_class_corrected_is_kept_when_its_register_is_imported_again(
    db_session: Session, coordinator: User, tmp_path: Path
) -> None:
    bin_value = next(valid_bins(700))
    row = industrial_row("102 0 00777", bin_value, "ТОО «Текстиль»", "631010000",
                         "ВКО, г. Усть-Каменогорск, ул. Абая 1", "Простыня бязевая",
                         "1 000 шт", "6302210000", "28.15.10")  # fmt: skip
    register = write_register(tmp_path / "registry.csv", INDUSTRIAL_HEADER, [row])
    import_producers(db_session, register)
    offer = db_session.scalars(select(Offer).where(Offer.title == "Простыня бязевая")).one()
    assert (offer.class_code, offer.class_source) == ("28.15.10", ClassSource.FILE)
    update_offer(db_session, coordinator, offer.id, {"class_code": "13.92.12"})
    assert (offer.class_code, offer.class_source) == ("13.92.12", ClassSource.MANUAL)
    import_producers(db_session, register)  # the register still says 28.15.10
    db_session.expire_all()
    assert (offer.class_code, offer.class_source) == ("13.92.12", ClassSource.MANUAL)
