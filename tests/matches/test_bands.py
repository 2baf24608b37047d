"""Bands of stored matches: as the engine stored them, rows from before bands by their score,
and the SQL form of the rule selecting the same rows as the Python one."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.matches.bands import band_of, shown_condition, split_weak, verdict_of
from seriktes.matches.models import Match
from tests.webkit import make_need, make_offer, make_org


@pytest.mark.parametrize(
    ("explanation", "score", "band"),
    [
        ({"band": "weak"}, 0.9, "weak"),  # the engine's band wins over a high score
        ({"band": "strong"}, 0.1, "strong"),  # confirmed by a person: strong whatever the score
        ({"band": "possible"}, 0.7, "possible"),
        ({}, 0.55, "strong"),  # stored before bands: by score
        ({}, 0.5499, "possible"),
        ({}, 0.40, "possible"),
        ({}, 0.3999, "weak"),
        (None, 0.2, "weak"),
        ({"band": "excellent"}, 0.6, "strong"),  # an unknown band counts as none
        ({"band": ["strong"]}, 0.45, "possible"),
    ],
)
def test_band_of_a_stored_match(
    explanation: dict[str, Any] | None, score: float, band: str
) -> None:
    assert band_of(explanation, score) == band


def test_verdict_and_split_keep_order() -> None:
    assert verdict_of({"verdict": "the product agrees"}) == "the product agrees"
    assert verdict_of({}) == "" and verdict_of(None) == ""
    rows = [
        Match(score=0.9, explanation={"band": "strong"}),
        Match(score=0.3, explanation={}),
        Match(score=0.5, explanation={"band": "possible"}),
        Match(score=0.6, explanation={"band": "weak"}),
    ]
    shown, weak = split_weak(rows)
    assert shown == [rows[0], rows[2]] and weak == [rows[1], rows[3]]


STORED: list[tuple[dict[str, Any], float]] = [
    ({"band": "strong", "verdict": "the product agrees"}, 0.8),
    ({"band": "possible"}, 0.45),
    ({"band": "weak", "verdict": "material: steel vs polypropylene"}, 0.6),
    ({"band": "strong"}, 0.2),
    ({}, 0.56),
    ({}, 0.41),
    ({}, 0.39),
    ({"band": None}, 0.1),
    ({"band": "excellent"}, 0.5),
]


def test_the_sql_rule_selects_what_the_python_rule_shows(db_session: Session) -> None:
    buyer, producer = make_org(db_session), make_org(db_session, "590000000")
    need = make_need(db_session, buyer)
    ids = {}
    for rank, (explanation, score) in enumerate(STORED, start=1):
        offer = make_offer(db_session, producer, f"Подшипник {rank}")
        row = Match(need_id=need.id, offer_id=offer.id, rank=rank, score=score,
                    explanation=explanation)  # fmt: skip
        db_session.add(row)
        db_session.flush()
        ids[row.id] = band_of(explanation, score)
    mine = Match.need_id == need.id
    shown = set(db_session.scalars(select(Match.id).where(mine, shown_condition())))
    weak = set(db_session.scalars(select(Match.id).where(mine, ~shown_condition())))
    assert shown == {row_id for row_id, band in ids.items() if band != "weak"}
    assert weak == {row_id for row_id, band in ids.items() if band == "weak"}
    assert len(weak) == 3
