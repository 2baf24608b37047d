"""Searches built from user input: `%` and `_` match themselves, not any text (both backends)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from seriktes.catalog import queries
from seriktes.catalog.queries import LineFilters, OrganisationFilters
from seriktes.kit.pagination import PageRequest
from tests.webkit import make_need, make_offer, make_org

WILDCARDS = ["%", "_", "1%", "%5", "2_", "_8.15", "\\"]


def _org_ids(session: Session, **filters: str) -> set[int]:
    found = queries.list_organisations(session, OrganisationFilters(**filters), PageRequest())
    return {org.id for org in found.items}


@pytest.mark.parametrize("q", WILDCARDS)
def test_organisation_search_treats_wildcards_as_characters(db_session: Session, q: str) -> None:
    make_org(db_session, name="ТОО «Восток»")
    assert _org_ids(db_session, q=q) == set()


def test_organisation_search_finds_a_bin_prefix_and_a_literal_percent(db_session: Session) -> None:
    plain = make_org(db_session, name="ТОО «Восток»")
    percent = make_org(db_session, name="ТОО «100% Сталь»")
    assert _org_ids(db_session, q=plain.bin[:8]) >= {plain.id}
    assert _org_ids(db_session, q="100%") == {percent.id}
    assert _org_ids(db_session, q="0% с") == {percent.id}


@pytest.mark.parametrize("region", ["%", "_3"])
def test_region_filter_treats_wildcards_as_characters(db_session: Session, region: str) -> None:
    make_org(db_session, "630000000")
    assert _org_ids(db_session, region=region) == set()


@pytest.mark.parametrize("code", ["%", "2_", "28_15"])
def test_class_filter_of_needs_and_offers_treats_wildcards_as_characters(
    db_session: Session, code: str
) -> None:
    org = make_org(db_session)
    make_need(db_session, org)
    make_offer(db_session, org)
    needs = db_session.scalars(queries.need_query(None, LineFilters(class_code=code))).all()
    offers = db_session.scalars(queries.offer_query(None, LineFilters(class_code=code))).all()
    assert (needs, offers) == ([], [])
    assert db_session.scalars(queries.need_query(None, LineFilters(class_code="28.15"))).all()
