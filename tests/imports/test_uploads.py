"""Imports through the web: upload, preview without writing, confirm, discard, scope."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.catalog.models import Need, Offer
from seriktes.imports.models import ImportUpload
from seriktes.imports.policy import importable_kinds
from seriktes.imports.uploads import (
    MAX_UPLOAD_BYTES,
    confirm_upload,
    discard_upload,
    get_upload,
    pending_uploads,
    preview_upload,
    store_upload,
)
from seriktes.kit.errors import Conflict, Forbidden, NotFound, ValidationFailed
from seriktes.kit.importing import ImportFailed, RowError
from seriktes.registry.models import Organisation
from tests.factories import ORG_HEADER, valid_bins, write_xlsx
from tests.webkit import make_org, make_user

NEED_HEADER = ["ID", "БИН заказчика", "Наименование", "Кол-во", "Ед. изм.", "Происхождение"]
OFFER_HEADER = ["Артикул", "БИН производителя", "Наименование", "Мощность в год", "Ед. изм."]
EAST, NORTH = "630000000", "590000000"


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """A CSV file as a spreadsheet exports it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def need_rows(
    buyer_bin: str, quantities: Sequence[object], prefix: str = "N"
) -> list[list[object]]:
    """Need rows of one buyer, one per quantity (a bad quantity makes a bad row)."""
    return [
        [f"{prefix}-{i}", buyer_bin, f"Футеровка мельницы {i}", qty, "шт", "дальнее зарубежье"]
        for i, qty in enumerate(quantities, start=1)
    ]


def needs_csv(buyer_bin: str, quantities: Sequence[object]) -> bytes:
    """A needs CSV of one buyer."""
    return csv_bytes(NEED_HEADER, need_rows(buyer_bin, quantities))


def count_needs(session: Session, org: Organisation) -> int:
    """Needs of `org` in the database."""
    return session.scalar(select(func.count(Need.id)).where(Need.buyer_id == org.id)) or 0


@pytest.fixture
def buyer(db_session: Session) -> Organisation:
    return make_org(db_session, EAST)


@pytest.fixture
def admin(db_session: Session) -> User:
    return make_user(db_session, Role.ADMIN)


def test_preview_lists_the_bad_row_and_column_and_writes_nothing(
    db_session: Session, admin: User, buyer: Organisation
) -> None:
    upload = store_upload(
        db_session, admin, "needs", "needs.csv", needs_csv(buyer.bin, [2, "abc", 5])
    )
    preview = preview_upload(db_session, admin, upload.id)

    assert (preview.rows, preview.valid_rows, preview.invalid_rows) == (3, 2, 1)
    assert preview.errors == [RowError("needs.csv", 3, "Кол-во", "expected a number, got 'abc'")]
    assert (preview.created, preview.updated, preview.unchanged) == (2, 0, 0)
    assert [row.row for row in preview.sample] == [2, 4]
    assert preview.sample[1].values["title"] == "Футеровка мельницы 3"
    assert preview.sample[1].values["quantity"] == "5"
    assert preview.sample[1].values["origin"] == "far_abroad"
    assert ("quantity", "Кол-во") in preview.columns
    assert count_needs(db_session, buyer) == 0
    assert get_upload(db_session, admin, upload.id).status == "uploaded"


def test_confirm_is_all_or_nothing_then_skip_invalid_imports_the_rest(
    db_session: Session, admin: User, buyer: Organisation
) -> None:
    upload = store_upload(
        db_session, admin, "needs", "needs.csv", needs_csv(buyer.bin, [2, "abc", 5])
    )
    with pytest.raises(ImportFailed) as refused:
        confirm_upload(db_session, admin, upload.id)
    assert "1 invalid row(s), nothing was imported" in refused.value.detail
    assert [e.as_dict() for e in refused.value.errors] == [
        {
            "loc": ["needs.csv", 3, "Кол-во"],
            "msg": "expected a number, got 'abc'",
            "code": "expected a number, got %(value)s",
            "params": {"value": "'abc'"},
        }
    ]
    assert count_needs(db_session, buyer) == 0
    assert upload.status == "uploaded"

    report = confirm_upload(db_session, admin, upload.id, skip_invalid=True)
    assert (report.created, report.skipped) == (2, 1)
    assert count_needs(db_session, buyer) == 2
    assert upload.status == "imported"
    with pytest.raises(Conflict, match="already imported"):
        confirm_upload(db_session, admin, upload.id, skip_invalid=True)
    assert count_needs(db_session, buyer) == 2


def test_a_corrected_upload_replaces_the_bad_one_and_imports_every_row(
    db_session: Session, admin: User, buyer: Organisation
) -> None:
    bad = store_upload(db_session, admin, "needs", "needs.csv", needs_csv(buyer.bin, [2, "x", 5]))
    fixed = store_upload(
        db_session, admin, "needs", "needs.csv", needs_csv(buyer.bin, [2, 3, 5]), replaces=bad.id
    )
    assert (bad.status, bad.content) == ("discarded", b"")
    with pytest.raises(Conflict, match="already discarded") as refused:
        preview_upload(db_session, admin, bad.id)
    # the state is part of the sentence in the reader's language (was «в состоянии discarded»)
    assert refused.value.message("ru").endswith("уже отменена")
    assert "discarded" not in refused.value.message("kk")
    assert preview_upload(db_session, admin, fixed.id).errors == []

    report = confirm_upload(db_session, admin, fixed.id)
    assert (report.created, report.updated, report.unchanged, report.skipped) == (3, 0, 0, 0)
    assert count_needs(db_session, buyer) == 3

    again = store_upload(db_session, admin, "needs", "n.csv", needs_csv(buyer.bin, [2, 3, 7]))
    preview = preview_upload(db_session, admin, again.id)
    assert (preview.created, preview.updated, preview.unchanged) == (0, 1, 2)


def test_a_member_imports_only_rows_of_their_own_organisation(
    db_session: Session, buyer: Organisation
) -> None:
    other = make_org(db_session, EAST)
    member = make_user(db_session, Role.MEMBER, org=buyer)
    rows = need_rows(buyer.bin, [1, 2]) + need_rows(other.bin, [3], prefix="X")
    upload = store_upload(db_session, member, "needs", "mixed.csv", csv_bytes(NEED_HEADER, rows))

    preview = preview_upload(db_session, member, upload.id)
    assert preview.errors == [
        RowError(
            "mixed.csv",
            4,
            "БИН заказчика",
            f"you may import only the rows of your organisation (BIN {buyer.bin})",
        )
    ]
    with pytest.raises(ImportFailed):
        confirm_upload(db_session, member, upload.id)
    assert (count_needs(db_session, buyer), count_needs(db_session, other)) == (0, 0)

    report = confirm_upload(db_session, member, upload.id, skip_invalid=True)
    assert (report.created, report.skipped) == (2, 1)
    assert (count_needs(db_session, buyer), count_needs(db_session, other)) == (2, 0)


def test_a_member_may_not_create_organisations_through_a_file(
    db_session: Session, buyer: Organisation
) -> None:
    member = make_user(db_session, Role.MEMBER, org=buyer)
    stranger = next(valid_bins(900))
    header = [*NEED_HEADER, "Заказчик"]
    rows = [[*need_rows(stranger, [1])[0], "ТОО «Чужой»"]]
    upload = store_upload(db_session, member, "needs", "n.csv", csv_bytes(header, rows))
    preview = preview_upload(db_session, member, upload.id)
    assert [(e.row, e.column) for e in preview.errors] == [(2, "БИН заказчика")]
    confirm_upload(db_session, member, upload.id, skip_invalid=True)
    assert db_session.scalar(select(Organisation.id).where(Organisation.bin == stranger)) is None


def test_a_coordinator_imports_lines_of_their_region_only(
    db_session: Session, buyer: Organisation
) -> None:
    producer_east, producer_north = make_org(db_session, EAST), make_org(db_session, NORTH)
    coordinator = make_user(db_session, Role.COORDINATOR, kato=EAST)
    rows = [
        ["A-1", producer_east.bin, "Болт М12", 1000, "шт"],
        ["A-2", producer_north.bin, "Гайка М12", 1000, "шт"],
    ]
    upload = store_upload(db_session, coordinator, "offers", "o.csv", csv_bytes(OFFER_HEADER, rows))
    preview = preview_upload(db_session, coordinator, upload.id)
    assert [(e.row, e.column) for e in preview.errors] == [(3, "БИН производителя")]
    assert "is not in your region (Восточно-Казахстанская область)" in preview.errors[0].message

    confirm_upload(db_session, coordinator, upload.id, skip_invalid=True)
    producers = db_session.scalars(select(Offer.producer_id)).all()
    assert producers == [producer_east.id]


def test_a_coordinator_adds_new_producers_only_when_their_name_places_them_in_the_region(
    db_session: Session,
) -> None:
    coordinator = make_user(db_session, Role.COORDINATOR, kato=EAST)
    bins = valid_bins(600)
    rows = [
        [
            "B-1",
            next(bins),
            "Задвижка 30с41нж",
            50,
            "шт",
            "ТОО «Усть-Каменогорский арматурный завод»",
        ],
        ["B-2", next(bins), "Задвижка 30с41нж", 50, "шт", "ТОО «Петропавловский завод»"],
        ["B-3", next(bins), "Задвижка 30с41нж", 50, "шт", "ТОО «Ромашка»"],
    ]
    content = csv_bytes([*OFFER_HEADER, "Производитель"], rows)
    upload = store_upload(db_session, coordinator, "offers", "o.csv", content)
    preview = preview_upload(db_session, coordinator, upload.id)
    assert [(e.row, e.column) for e in preview.errors] == [
        (3, "БИН производителя"),
        (4, "БИН производителя"),
    ]
    report = confirm_upload(db_session, coordinator, upload.id, skip_invalid=True)
    assert (report.created, report.organisations_created) == (1, 1)
    created = db_session.scalars(select(Organisation).where(Organisation.bin == rows[0][1])).one()
    assert created.region is not None and created.region.kato == EAST


def test_organisations_are_imported_by_admins_and_by_coordinators_for_their_region(
    db_session: Session, buyer: Organisation
) -> None:
    member = make_user(db_session, Role.MEMBER, org=buyer)
    coordinator = make_user(db_session, Role.COORDINATOR, kato=EAST)
    bins = valid_bins(700)
    east, north = next(bins), next(bins)
    rows = [
        [east, "ТОО «Восточный»", "ВКО", "малый", "25620", ""],
        [north, "ТОО «Северный»", "СКО", "малый", "25620", ""],
    ]
    content = csv_bytes(ORG_HEADER, rows)
    with pytest.raises(Forbidden):
        store_upload(db_session, member, "orgs", "orgs.csv", content)
    assert importable_kinds(member) == ["needs", "offers"]

    upload = store_upload(db_session, coordinator, "orgs", "orgs.csv", content)
    preview = preview_upload(db_session, coordinator, upload.id)
    assert [(e.row, e.column) for e in preview.errors] == [(3, "Регион")]
    assert preview.created == 1
    report = confirm_upload(db_session, coordinator, upload.id, skip_invalid=True)
    assert (report.created, report.skipped) == (1, 1)
    stored = set(
        db_session.scalars(select(Organisation.bin).where(Organisation.bin.in_(bins_of(rows))))
    )
    assert stored == {east}


def bins_of(rows: Sequence[Sequence[object]]) -> list[str]:
    return [str(row[0]) for row in rows]


def test_an_organisation_of_another_region_is_not_changed_by_a_coordinator(
    db_session: Session,
) -> None:
    north = make_org(db_session, NORTH, name="ТОО «Северный»")
    coordinator = make_user(db_session, Role.COORDINATOR, kato=EAST)
    rows = [[north.bin, "ТОО «Переименован»", "ВКО", "малый", "25620", ""]]
    upload = store_upload(db_session, coordinator, "orgs", "orgs.csv", csv_bytes(ORG_HEADER, rows))
    with pytest.raises(ImportFailed):
        confirm_upload(db_session, coordinator, upload.id)
    db_session.refresh(north)
    assert north.name_ru == "ТОО «Северный»"


def test_only_the_uploader_or_an_admin_sees_an_upload(
    db_session: Session, admin: User, buyer: Organisation
) -> None:
    owner = make_user(db_session, Role.MEMBER, org=buyer)
    stranger = make_user(db_session, Role.MEMBER, org=buyer)
    upload = store_upload(db_session, owner, "needs", "n.csv", needs_csv(buyer.bin, [1]))

    for action in (
        lambda: preview_upload(db_session, stranger, upload.id),
        lambda: confirm_upload(db_session, stranger, upload.id, skip_invalid=True),
        lambda: discard_upload(db_session, stranger, upload.id),
    ):
        with pytest.raises(NotFound):
            action()
    assert pending_uploads(db_session, stranger) == []
    assert count_needs(db_session, buyer) == 0
    assert get_upload(db_session, owner, upload.id).status == "uploaded"
    assert preview_upload(db_session, admin, upload.id).valid_rows == 1

    discard_upload(db_session, owner, upload.id)
    assert pending_uploads(db_session, owner) == []
    with pytest.raises(Conflict):
        confirm_upload(db_session, owner, upload.id, skip_invalid=True)
    assert count_needs(db_session, buyer) == 0


@pytest.mark.parametrize(
    ("kind", "name", "content", "message"),
    [
        ("offers", "plans.json", b"{}", "unsupported file type .json; use .csv, .xlsx"),
        ("needs", "needs.txt", b"a,b", "unsupported file type .txt"),
        ("needs", "needs.csv", b"  \n", "the file is empty"),
        ("needs", "needs.csv", b"x" * (MAX_UPLOAD_BYTES + 1), "larger than 20 MB"),
        ("prices", "p.csv", b"a", "unknown import kind 'prices'"),
    ],
)
def test_uploads_are_checked_before_they_are_kept(
    db_session: Session, admin: User, kind: str, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ValidationFailed, match=message):
        store_upload(db_session, admin, kind, name, content)
    assert db_session.scalar(select(func.count(ImportUpload.id))) == 0


def test_the_file_name_loses_its_folders(
    db_session: Session, admin: User, buyer: Organisation
) -> None:
    content = needs_csv(buyer.bin, [1])
    upload = store_upload(db_session, admin, "needs", "..\\..\\secret/../needs.csv", content)
    assert upload.filename == "needs.csv"
    assert preview_upload(db_session, admin, upload.id).errors == []


def test_a_file_without_the_required_columns_is_a_located_error(
    db_session: Session, admin: User
) -> None:
    content = csv_bytes(["ID", "Наименование"], [["1", "Мел"]])
    upload = store_upload(db_session, admin, "needs", "n.csv", content)
    preview = preview_upload(db_session, admin, upload.id)
    assert preview.rows == 0
    assert [(e.row, e.column) for e in preview.errors] == [(1, "")]
    assert "required column missing" in preview.errors[0].message


def test_xlsx_and_goszakup_json_are_previewed_like_csv(
    db_session: Session, admin: User, buyer: Organisation, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "n.xlsx", NEED_HEADER, need_rows(buyer.bin, [1, "много"]))
    upload = store_upload(db_session, admin, "needs", "n.xlsx", path.read_bytes())
    preview = preview_upload(db_session, admin, upload.id)
    assert [(e.row, e.column) for e in preview.errors] == [(3, "Кол-во")]

    item = {
        "id": 7,
        "subject_biin": buyer.bin,
        "subject_name_ru": buyer.name_ru,
        "name_ru": "Мел",
        "count": "пять",
        "ref_units_code": "796",
    }
    plan = json.dumps({"items": [item, {**item, "id": 8, "count": 5}]}).encode()
    upload = store_upload(db_session, admin, "needs", "plans.json", plan)
    preview = preview_upload(db_session, admin, upload.id)
    assert [(e.row, e.column, e.row_label) for e in preview.errors] == [(1, "count", "item")]
    assert preview.created == 1
    assert confirm_upload(db_session, admin, upload.id, skip_invalid=True).created == 1
    assert count_needs(db_session, buyer) == 1


def test_a_value_too_long_for_its_column_is_an_error_not_a_crash(
    db_session: Session, admin: User, buyer: Organisation
) -> None:
    rows = [["X" * 300, buyer.bin, "Мел", 1, "шт", "РК"]]
    upload = store_upload(db_session, admin, "needs", "n.csv", csv_bytes(NEED_HEADER, rows))
    preview = preview_upload(db_session, admin, upload.id)
    assert [(e.row, e.column) for e in preview.errors] == [(2, "ID")]
    assert "is 300 characters long; at most 128 are allowed" in preview.errors[0].message
    assert confirm_upload(db_session, admin, upload.id, skip_invalid=True).created == 0
    assert count_needs(db_session, buyer) == 0
