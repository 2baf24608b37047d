"""Matching from the database: demo needs get ranked producers, stored with explanations."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.analytics.stats import table_counts
from seriktes.catalog.models import Need, NeedStatus
from seriktes.demo.loader import load_demo
from seriktes.kit.errors import NotFound, ValidationFailed
from seriktes.matches.models import Match
from seriktes.matches.service import (
    build_matcher,
    match_needs,
    matches_for_need,
    parse_partners,
)

PARTNERS = parse_partners(["630000000:590000000"])


def test_partner_pairs_are_symmetric_and_checked() -> None:
    assert {
        "630000000": frozenset({"590000000"}),
        "590000000": frozenset({"630000000"}),
    } == PARTNERS
    assert parse_partners(["63:59"]) == PARTNERS
    with pytest.raises(ValidationFailed, match="two KATO codes"):
        parse_partners(["ВКО-СКО"])


def test_demo_needs_get_ranked_producers_with_explanations(db_session: Session) -> None:
    load_demo(db_session)
    run = match_needs(db_session, build_matcher(db_session, PARTNERS), top=5)
    open_needs = db_session.scalar(
        select(func.count(Need.id)).where(Need.status == NeedStatus.PUBLISHED)
    )
    assert run.needs == open_needs
    assert run.needs - run.needs_without_match >= 0.9 * run.needs
    assert table_counts(db_session)["matches"] == run.matches

    need_id = db_session.scalar(select(Match.need_id).limit(1))
    assert need_id is not None
    matches = matches_for_need(db_session, need_id)
    assert [m.rank for m in matches] == list(range(1, len(matches) + 1))
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    producers = [m.offer.producer_id for m in matches]
    assert len(set(producers)) == len(producers)
    need = db_session.get(Need, need_id)
    assert need is not None and need.buyer_id not in producers
    for match in matches:
        names = [f["name"] for f in match.explanation["factors"]]
        assert names == [
            "text",
            "class",
            "unit",
            "capacity",
            "region",
            "certificate",
            "import_substitution",
        ]


def test_far_abroad_needs_prefer_partner_region_producers(db_session: Session) -> None:
    load_demo(db_session)
    match_needs(db_session, build_matcher(db_session, PARTNERS), top=3)
    rows = (
        db_session.execute(
            select(Match.explanation).join(Need).where(Need.origin == "far_abroad", Match.rank == 1)
        )
        .scalars()
        .all()
    )
    notes = [next(f["note"] for f in e["factors"] if f["name"] == "region") for e in rows]
    assert notes.count("partner region") > len(notes) / 2


def test_rematching_replaces_instead_of_adding(db_session: Session) -> None:
    load_demo(db_session)
    matcher = build_matcher(db_session, PARTNERS)
    first = match_needs(db_session, matcher, top=3)
    ranks = select(Match.id, Match.rank)
    before = dict(db_session.execute(ranks).all())
    second = match_needs(db_session, matcher, top=3)
    assert first.matches == second.matches == table_counts(db_session)["matches"]
    # a pair found again keeps its row, so links to it (a meeting request) survive
    assert dict(db_session.execute(ranks).all()) == before


def test_rematching_with_fewer_results_deletes_the_pairs_no_longer_found(
    db_session: Session,
) -> None:
    load_demo(db_session)
    matcher = build_matcher(db_session, PARTNERS)
    match_needs(db_session, matcher, top=3)
    top_two = select(Match.id).where(Match.rank <= 2)
    kept = set(db_session.scalars(top_two))
    run = match_needs(db_session, matcher, top=2)
    assert set(db_session.scalars(select(Match.id))) == kept
    assert run.matches == len(kept)


def test_unknown_need_id_is_not_found(db_session: Session) -> None:
    with pytest.raises(NotFound, match="no need with id 999999"):
        match_needs(db_session, build_matcher(db_session), need_ids=[999999])
