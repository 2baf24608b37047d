"""Finding an organisation by name, BIN or product (both backends): folding, word order,
ranking, limits, regions."""

from __future__ import annotations

from sqlalchemy.orm import Session

from seriktes.catalog.models import NeedStatus, OfferStatus
from seriktes.catalog.orgsearch import find_organisations, search_words
from seriktes.registry.models import ClassifierCode, ClassifierSystem
from tests.webkit import make_need, make_offer, make_org


def test_search_words_fold_case_and_yo() -> None:
    assert search_words("  Ёлка  «МОЛОЧНЫЙ»-завод_2 ") == ["елка", "молочный", "завод", "2"]
    assert search_words("%_") == []


def test_name_is_found_in_any_case_with_yo_and_words_in_any_order(db_session: Session) -> None:
    org = make_org(db_session, name="ТОО «Зелёная Долина Агро»")
    make_org(db_session, name="ТОО «Долинный сад»")
    for q in ("зеленая", "ЗЕЛЁН", "долина зел", "агро долина", "Зел Дол"):
        found = find_organisations(db_session, q)
        assert [f.organisation.id for f in found if f.organisation.id == org.id] == [org.id], q
        assert next(f for f in found if f.organisation.id == org.id).why == "name"
    assert org.id not in {f.organisation.id for f in find_organisations(db_session, "елена")}
    assert org.id not in {f.organisation.id for f in find_organisations(db_session, "олина")}


def test_kazakh_name_is_found(db_session: Session) -> None:
    org = make_org(db_session, name="ТОО «Береке»")
    org.name_kk = "«Береке Құрылыс» ЖШС"
    db_session.flush()
    assert [f.organisation.id for f in find_organisations(db_session, "құрылыс")] == [org.id]


def test_ranking_exact_bin_then_bin_prefix_then_name_prefix_then_words_then_product(
    db_session: Session,
) -> None:
    words = make_org(db_session, name="ТОО «Южный Подшипник»")
    prefix = make_org(db_session, name="ТОО «Подшипник Южный Завод»")
    seller = make_org(db_session, name="ТОО «Механика»")
    make_offer(db_session, seller, title="Подшипник южный шариковый")
    found = find_organisations(db_session, "подшипник южный")
    assert [(f.organisation.id, f.why) for f in found] == [
        (prefix.id, "name"),
        (words.id, "name"),
        (seller.id, "product"),
    ]
    assert found[2].product == "Подшипник южный шариковый"
    assert [f.rank for f in found] == sorted(f.rank for f in found)
    exact = find_organisations(db_session, words.bin or "")
    assert [(f.organisation.id, f.why) for f in exact] == [(words.id, "bin")]
    by_prefix = find_organisations(db_session, (words.bin or "")[:6], limit=50)
    assert words.id in {f.organisation.id for f in by_prefix}
    assert all((f.organisation.bin or "").startswith((words.bin or "")[:6]) for f in by_prefix)


def test_products_are_published_offers_needs_and_class_names(db_session: Session) -> None:
    buyer = make_org(db_session, name="ТОО «Альфа»")
    make_need(db_session, buyer, title="Цемент портландский М400")
    draft = make_org(db_session, name="ТОО «Бета»")
    make_offer(db_session, draft, title="Цемент тайный", status=OfferStatus.DRAFT)
    make_need(db_session, draft, title="Цемент черновой", status=NeedStatus.DRAFT)
    classed = make_org(db_session, name="ТОО «Гамма»")
    classed_offer = make_offer(db_session, classed, title="Изделия из бетона")
    classed_offer.class_code = "23.51.12"
    db_session.add(
        ClassifierCode(
            system=ClassifierSystem.KPVED, code="23.51", level=2, name_ru="Цемент", name_kk="Цемент"
        )
    )
    db_session.flush()
    found = {f.organisation.id: f for f in find_organisations(db_session, "цемент")}
    assert buyer.id in found and found[buyer.id].why == "product"
    assert classed.id in found
    assert draft.id not in found


def test_limit_and_regions(db_session: Session) -> None:
    east = [make_org(db_session, "630000000", name=f"ТОО «Лимит {i}»") for i in range(4)]
    west = make_org(db_session, "230000000", name="ТОО «Лимит Запад»")
    assert len(find_organisations(db_session, "лимит", limit=2)) == 2
    found = {f.organisation.id for f in find_organisations(db_session, "лимит", oblasts=["63"])}
    assert found == {o.id for o in east}
    assert west.id not in found


def test_wildcards_and_empty_queries_find_nothing(db_session: Session) -> None:
    make_org(db_session, name="ТОО «100% Сталь»")
    for q in ("", "   ", "%", "_", "«»"):
        assert find_organisations(db_session, q) == []
