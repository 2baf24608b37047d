"""Imports that fit real goszakup files: past plan years and withdrawn points closed, unknown
unit codes kept, origins by country, a member's own lines of a whole-portal file, and an
unchanged file that changes nothing, decimals included."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.catalog.importer import (
    NEEDS,
    import_file,
    import_lines,
    keep_own_lines,
    parse_line_file,
)
from seriktes.catalog.models import Need, NeedStatus, Origin
from seriktes.catalog.parsing import parse_origin
from seriktes.imports.uploads import confirm_upload, preview_upload, store_upload
from seriktes.kit import clock
from seriktes.kit.importing import CellError
from seriktes.kit.tabular import Source
from seriktes.registry.models import Unit
from tests.conftest import shared_file
from tests.webkit import make_org, make_user

EAST = "630000000"


def plan_item(**changes: Any) -> dict[str, Any]:
    """A plan point of the current year as goszakup gives it."""
    item = {
        "id": 1,
        "subject_biin": "100240018397",
        "subject_name_ru": "ГКП «Талгарская центральная районная больница»",
        "name_ru": "Щебень",
        "count": 12,
        "price": 8200,
        "ref_units_code": "168",
        "ref_enstru_code": "081221.100.000002",
        "pln_point_year": clock.today().year,
        "ref_pln_point_status_id": 2,
        "is_active": 1,
    }
    return {**item, **changes}


def plan_file(tmp_path: Path, items: list[dict[str, Any]]) -> Path:
    path = tmp_path / "plans.json"
    path.write_text(json.dumps({"items": items}, ensure_ascii=False), encoding="utf-8")
    return path


def status_of(session: Session, item_id: int) -> NeedStatus:
    need = session.scalars(select(Need).where(Need.external_id == f"goszakup:{item_id}")).one()
    return need.status


def test_past_plan_years_and_withdrawn_points_are_imported_closed(
    db_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    items = [
        plan_item(id=1),
        plan_item(id=2, pln_point_year=2025),
        plan_item(id=3, ref_pln_point_status_id=5),
        plan_item(id=4, is_active=0),
        plan_item(id=5, pln_point_year=2027),
    ]
    report = import_file(db_session, NEEDS, plan_file(tmp_path, items))
    assert (report.created, report.closed) == (5, 3)
    assert report.as_dict()["closed"] == 3
    statuses = [status_of(db_session, number) for number in range(1, 6)]
    closed, published = NeedStatus.CLOSED, NeedStatus.PUBLISHED
    assert statuses == [published, closed, closed, closed, published]


def test_the_real_2020_plan_is_imported_closed_every_line(db_session: Session) -> None:
    report = import_file(db_session, NEEDS, shared_file("goszakup/plans_dev.json"))
    assert report.created == report.closed == 212
    open_needs = select(func.count(Need.id)).where(Need.status != NeedStatus.CLOSED)
    assert db_session.scalar(open_needs) == 0


def test_an_unknown_unit_code_keeps_its_row_and_code_with_a_warning(
    db_session: Session, tmp_path: Path
) -> None:
    items = [plan_item(id=1, ref_units_code="5156"), plan_item(id=2)]
    report = import_file(db_session, NEEDS, plan_file(tmp_path, items))
    assert (report.created, report.errors) == (2, [])
    need = db_session.scalars(select(Need).where(Need.external_id == "goszakup:1")).one()
    assert need.unit_code == "5156"
    assert db_session.get(Unit, "5156") is not None
    assert [str(warning) for warning in report.warnings] == [
        "plans.json, item 1, column «ref_units_code»: unit code 5156 is not in the MKEI "
        "table; the line keeps the code"
    ]
    again = import_file(db_session, NEEDS, plan_file(tmp_path, items))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_the_mkei_table_knows_every_unit_code_of_the_real_plan(db_session: Session) -> None:
    report = import_file(db_session, NEEDS, shared_file("goszakup/plans_dev.json"))
    assert report.warnings == []


@pytest.mark.parametrize(
    ("written", "origin"),
    [
        ("Китай", Origin.FAR_ABROAD),
        ("КНР", Origin.FAR_ABROAD),
        ("Германия", Origin.FAR_ABROAD),
        ("DE", Origin.FAR_ABROAD),
        ("CHN", Origin.FAR_ABROAD),
        ("РФ", Origin.EAEU),
        ("Россия", Origin.EAEU),
        ("RUS", Origin.EAEU),
        ("Беларусь", Origin.EAEU),
        ("Кыргызстан", Origin.EAEU),
        ("AM", Origin.EAEU),
        ("Казахстан", Origin.DOMESTIC),
        ("KZ", Origin.DOMESTIC),
        ("Қазақстан", Origin.DOMESTIC),
        ("дальнее зарубежье", Origin.FAR_ABROAD),
        ("ЕАЭС", Origin.EAEU),
        (None, Origin.UNKNOWN),
    ],
)
def test_origins_are_read_from_country_names_and_codes(written: str | None, origin: Origin) -> None:
    assert parse_origin(written) is origin


def test_an_origin_that_names_no_country_is_refused_saying_what_is_accepted() -> None:
    with pytest.raises(CellError) as caught:
        parse_origin("Атлантида")
    assert "unknown origin 'Атлантида'" in str(caught.value.template % caught.value.params)


def test_a_reimported_plan_with_six_decimal_quantities_changes_nothing(
    db_session: Session, tmp_path: Path
) -> None:
    items = [plan_item(id=1, count=190.444754), plan_item(id=2, count=0.5, price=1234.567)]
    path = plan_file(tmp_path, items)
    first = import_file(db_session, NEEDS, path)
    need = db_session.scalars(select(Need).where(Need.external_id == "goszakup:1")).one()
    assert need.quantity == Decimal("190.444754")
    for _run in range(2):
        again = import_file(db_session, NEEDS, path)
        assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)


def test_only_the_lines_of_one_buyer_of_a_whole_portal_file(db_session: Session) -> None:
    source = Source.read(shared_file("goszakup/plans_dev.json"))
    parsed, origin = parse_line_file(db_session, NEEDS, source)
    skipped = keep_own_lines(NEEDS, parsed, "030940003233")
    report = import_lines(db_session, NEEDS, parsed, source=origin)
    assert (report.created, skipped) == (35, 212 - 35)
    buyers = select(func.count(func.distinct(Need.buyer_id)))
    assert db_session.scalar(buyers) == 1


def test_a_member_imports_their_own_lines_of_a_whole_portal_file(db_session: Session) -> None:
    org = make_org(db_session, EAST)
    org.bin = "030940003233"  # the buyer of 35 of the file's lines
    db_session.flush()
    member = make_user(db_session, Role.MEMBER, org=org)
    content = shared_file("goszakup/plans_dev.json").read_bytes()

    refused = store_upload(db_session, member, "needs", "plans.json", content)
    assert preview_upload(db_session, member, refused.id).invalid_rows == 212 - 35

    upload = store_upload(db_session, member, "needs", "plans.json", content, own_lines_only=True)
    preview = preview_upload(db_session, member, upload.id)
    assert (preview.errors, preview.valid_rows, preview.created) == ([], 35, 35)
    assert preview.report is not None and preview.report.other_lines_skipped == 212 - 35
    report = confirm_upload(db_session, member, upload.id)
    assert (report.created, report.as_dict()["other_lines_skipped"]) == (35, 212 - 35)
    mine = select(func.count(Need.id)).where(Need.buyer_id == org.id)
    assert db_session.scalar(mine) == 35


def test_an_upload_preview_shows_the_closed_lines_and_the_remarks(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    admin = make_user(db_session, Role.ADMIN)
    items = [plan_item(id=1, ref_units_code="5156"), plan_item(id=2, pln_point_year=2024)]
    content = json.dumps({"items": items}, ensure_ascii=False).encode()
    upload = store_upload(db_session, admin, "needs", "plans.json", content)
    preview = preview_upload(db_session, admin, upload.id)
    assert (preview.errors, preview.created) == ([], 2)
    assert preview.report is not None and preview.report.closed == 1
    assert [warning.located("ru") for warning in preview.report.warnings] == [
        "plans.json, позиция 1, столбец «ref_units_code»: кода единицы 5156 нет в таблице МКЕИ; "
        "строка сохраняет этот код"
    ]
