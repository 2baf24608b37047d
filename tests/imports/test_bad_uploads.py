"""Uploads that are not what they should be, in every upload kind: wrong encodings, workbooks
under a CSV name, BINs in odd digits, JSON nested 200,000 deep, lax values. The preview names
the file, row and column; confirming answers 422; nothing is written; the preview is made
once and kept, its errors capped."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.catalog.models import Need, Offer
from seriktes.imports import uploads
from seriktes.imports.uploads import Preview, preview_upload, store_upload
from seriktes.registry.models import Organisation
from tests.factories import ORG_HEADER, valid_bins, write_xlsx
from tests.imports.test_uploads import EAST, NEED_HEADER, OFFER_HEADER, csv_bytes, need_rows
from tests.webkit import build_app, make_org, make_user, token_headers

ODD_BIN = "²" * 12
HEADERS = {"orgs": ORG_HEADER, "needs": NEED_HEADER, "offers": OFFER_HEADER}


def counts(session: Session) -> tuple[int | None, ...]:
    """Rows an import would write."""
    return tuple(session.scalar(select(func.count(m.id))) for m in (Organisation, Need, Offer))


def rows_of(kind: str, bin_value: str) -> list[list[object]]:
    """One row of `kind` whose BIN is `bin_value`."""
    if kind == "orgs":
        return [[bin_value, "ТОО «Тест»", "ВКО", "small", "", ""]]
    if kind == "needs":
        return need_rows(bin_value, [2])
    return [["A-1", bin_value, "Футеровка", 100, "шт"]]


def cp1251_with_0x98(kind: str) -> tuple[str, bytes]:
    header = ";".join(HEADERS.get(kind, ["Номер сертификата"])).encode("cp1251")
    return f"{kind}.csv", header + b"\n1;\x98\n"


def workbook_as_csv(kind: str, tmp_path: Path) -> tuple[str, bytes]:
    path = write_xlsx(tmp_path / "w.xlsx", HEADERS[kind], rows_of(kind, ODD_BIN))
    return f"{kind}.csv", path.read_bytes()


def odd_bin_csv(kind: str) -> tuple[str, bytes]:
    return f"{kind}.csv", csv_bytes(HEADERS[kind], rows_of(kind, ODD_BIN))


@pytest.fixture
def admin(db_session: Session) -> User:
    return make_user(db_session, Role.ADMIN)


@pytest.fixture
def api(db_session: Session) -> Iterator[TestClient]:
    with TestClient(build_app(db_session)) as client:
        yield client


def upload_and_confirm(
    api: TestClient, session: Session, user: User, kind: str, name: str, content: bytes
) -> dict[str, object]:
    """Upload through the API, check the preview's errors and the refusal to confirm; return
    the preview."""
    headers = token_headers(session, user)
    before = counts(session)
    response = api.post(
        "/api/v1/imports", data={"kind": kind}, files={"file": (name, content)}, headers=headers
    )
    assert response.status_code == 201, response.text
    preview: dict[str, object] = response.json()
    errors = preview["errors"]
    assert isinstance(errors, list) and errors, preview
    assert all(error["file"] == name for error in errors)
    again = api.get(f"/api/v1/imports/{preview['id']}", headers=headers)
    assert again.status_code == 200 and again.json()["errors"] == errors
    confirm = api.post(f"/api/v1/imports/{preview['id']}/confirm", headers=headers)
    assert confirm.status_code == 422, confirm.text
    assert confirm.json()["errors"][0]["loc"][0] == name
    assert counts(session) == before
    return preview


@pytest.mark.parametrize("kind", ["orgs", "needs", "offers", "producers"])
def test_a_csv_in_no_known_encoding_is_a_located_error_in_every_kind(
    api: TestClient, db_session: Session, admin: User, kind: str
) -> None:
    name, content = cp1251_with_0x98(kind)
    preview = upload_and_confirm(api, db_session, admin, kind, name, content)
    [error] = preview["errors"]  # type: ignore[misc]
    assert error["row"] == 2
    assert "is neither UTF-8 nor Windows-1251 text (byte 0x98 at line 2" in error["message"]


@pytest.mark.parametrize("kind", ["orgs", "needs", "offers"])
def test_a_workbook_under_a_csv_name_is_read_and_its_odd_bin_refused(
    api: TestClient, db_session: Session, admin: User, kind: str, tmp_path: Path
) -> None:
    name, content = workbook_as_csv(kind, tmp_path)
    preview = upload_and_confirm(api, db_session, admin, kind, name, content)
    [error] = preview["errors"]  # type: ignore[misc]
    assert (error["row"], error["message"]) == (2, f"BIN must be 12 digits, got '{ODD_BIN}'")


@pytest.mark.parametrize("kind", ["orgs", "needs", "offers"])
def test_a_bin_of_odd_digits_is_a_row_error_on_every_preview(
    api: TestClient, db_session: Session, admin: User, kind: str
) -> None:
    name, content = odd_bin_csv(kind)
    preview = upload_and_confirm(api, db_session, admin, kind, name, content)
    [error] = preview["errors"]  # type: ignore[misc]
    assert error["row"] == 2 and "BIN must be 12 digits" in error["message"]


def test_goszakup_json_nested_200000_deep_is_a_clear_error(
    api: TestClient, db_session: Session, admin: User
) -> None:
    content = b"[" * 200_000 + b"]" * 200_000
    preview = upload_and_confirm(api, db_session, admin, "needs", "plan.json", content)
    [error] = preview["errors"]  # type: ignore[misc]
    assert error["message"] == "is nested too deeply to be a goszakup plan"


def test_goszakup_json_with_a_nul_and_an_endless_number_is_refused_or_cleaned(
    api: TestClient, db_session: Session, admin: User
) -> None:
    endless = b'{"items": [{"id": 1, "count": ' + b"9" * 5000 + b"}]}"
    preview = upload_and_confirm(api, db_session, admin, "needs", "plan.json", endless)
    assert "is not readable JSON" in preview["errors"][0]["message"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("Кол-во", "1_000", "expected a number, got '1_000'"),
        ("Кол-во", "٣", "expected a number, got '٣'"),
        ("КП ВЭД", "²⁸.¹⁵.¹⁰", "KP VED code must look like 25.94.11"),
        ("КП ВЭД", "٢٨.١٥.١٠", "KP VED code must look like 25.94.11"),
        ("Валюта", "XXX", "unknown currency 'XXX'; use one of KZT, RUB"),
        ("Срок поставки", "0001-01-01", "the date 0001-01-01 is not between 2000-01-01"),
        ("Срок поставки", "31.12.9999", "the date 9999-12-31 is not between 2000-01-01"),
    ],
)
def test_lax_values_in_a_needs_file_are_row_errors(
    db_session: Session, admin: User, column: str, value: str, message: str
) -> None:
    buyer = make_org(db_session, EAST)
    header = [*NEED_HEADER, column] if column not in NEED_HEADER else NEED_HEADER
    row = need_rows(buyer.bin, [2])[0]
    row = (
        [*row, value]
        if column not in NEED_HEADER
        else [value if h == column else c for h, c in zip(header, row, strict=True)]
    )
    upload = store_upload(db_session, admin, "needs", "n.csv", csv_bytes(header, [row]))
    preview = preview_upload(db_session, admin, upload.id)
    assert [(e.row, e.column) for e in preview.errors] == [(2, column)]
    assert message in preview.errors[0].message


def test_the_preview_is_made_once_and_its_errors_are_capped(
    db_session: Session, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    buyer = make_org(db_session, EAST)
    rows = need_rows(buyer.bin, ["x"] * 1_500)
    upload = store_upload(db_session, admin, "needs", "n.csv", csv_bytes(NEED_HEADER, rows))
    made: list[int] = []
    real: Callable[..., Preview] = uploads._dry_run

    def counted(*args: object) -> Preview:
        made.append(1)
        return real(*args)

    monkeypatch.setattr(uploads, "_dry_run", counted)
    first = preview_upload(db_session, admin, upload.id)
    assert (len(first.errors), first.error_count, first.invalid_rows) == (1_000, 1_500, 1_500)
    assert first.more_errors == 500
    second = preview_upload(db_session, admin, upload.id)
    assert made == [1], "the second preview is the kept one"
    assert second.upload is upload and second.errors == first.errors

    make_org(db_session, EAST)  # the data changed: the counts may differ, so it is made again
    preview_upload(db_session, admin, upload.id)
    assert made == [1, 1]
    other = make_user(db_session, Role.ADMIN)  # another user: another scope
    preview_upload(db_session, other, upload.id)
    assert made == [1, 1, 1]


def test_nul_bytes_in_a_csv_never_reach_the_database(db_session: Session, admin: User) -> None:
    buyer = make_org(db_session, EAST)
    content = csv_bytes(NEED_HEADER, need_rows(buyer.bin, [2])).replace(
        "Футеровка".encode(), b"\x00"
    )
    upload = store_upload(db_session, admin, "needs", "n.csv", content)
    preview = preview_upload(db_session, admin, upload.id)
    assert [(e.row, e.message) for e in preview.errors] == [
        (2, "row 2 holds a NUL byte: not a text file")
    ]


def test_a_deep_json_item_is_a_located_error_in_the_cli_words(
    db_session: Session, admin: User, tmp_path: Path
) -> None:
    item = {"id": 1, "subject_biin": next(valid_bins()), "name_ru": [[["x"]]], "count": "1_0"}
    content = json.dumps({"items": [item]}).encode()
    upload = store_upload(db_session, admin, "needs", "plan.json", content)
    preview = preview_upload(db_session, admin, upload.id)
    assert ("count", "expected a number, got '1_0'") in [
        (e.column, e.message) for e in preview.errors
    ]
