"""Import pages and the imports API: preview, row errors, confirm, discard, access."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.imports.models import ImportUpload
from seriktes.matches.models import Match
from seriktes.registry.models import Organisation
from tests.factories import ORG_HEADER, valid_bins
from tests.imports.test_uploads import (
    EAST,
    NEED_HEADER,
    OFFER_HEADER,
    count_needs,
    csv_bytes,
    need_rows,
    needs_csv,
)
from tests.webkit import login, make_need, make_offer, make_org, make_user, token_headers

CSV = "text/csv"


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """The app on the test's transaction (tests/web/conftest.py's client is the seeded site)."""
    with TestClient(app) as test_client:
        yield test_client


def upload_form(
    client: TestClient,
    csrf: str | None,
    content: bytes,
    kind: str = "needs",
    name: str = "needs.csv",
    **extra: str,
) -> tuple[int, str]:
    """Post the upload form; return the status and the redirect target (or the page)."""
    data = {"kind": kind, **extra}
    if csrf is not None:
        data["csrf_token"] = csrf
    response = client.post(
        "/import",
        data=data,
        files={"file": (name, content, CSV)},
        follow_redirects=False,
    )
    return response.status_code, response.headers.get("location", response.text)


def uploads(session: Session) -> list[tuple[int, str]]:
    """Every upload's user and status."""
    return [(u.user_id, u.status) for u in session.scalars(select(ImportUpload))]


def test_the_public_is_sent_to_the_login_page(client: TestClient) -> None:
    response = client.get("/import", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/import"
    assert client.post("/api/v1/imports", data={"kind": "needs"}).status_code == 401


def test_a_bad_row_is_shown_then_the_valid_rows_are_imported(
    client: TestClient, db_session: Session
) -> None:
    buyer = make_org(db_session, EAST)
    csrf = login(client, make_user(db_session, Role.ADMIN))
    form = client.get("/import")
    assert 'enctype="multipart/form-data"' in form.text and "Импорт файла" in form.text

    content = needs_csv(buyer.bin, [2, "abc", 5])
    status, target = upload_form(client, csrf, content, name="потребности.csv")
    assert status == 303 and re.fullmatch(r"/import/\d+", target)
    page = client.get(target)
    assert page.status_code == 200
    row = re.search(r"<tr><td class=\"n\">3</td><td>Кол-во</td><td>([^<]+)</td></tr>", page.text)
    assert row and row.group(1) == "ожидается число, указано &#39;abc&#39;", "translated"
    assert "Футеровка мельницы 3" in page.text, "the sample shows the valid rows"
    assert count_needs(db_session, buyer) == 0

    report = client.get(f"{target}/errors.csv")
    assert report.text.splitlines() == [
        "\ufefffile,row,column,message",
        # in the uploader's language (it was English on a Russian page: issue 18)
        "потребности.csv,3,Кол-во,\"ожидается число, указано 'abc'\"",
    ]
    assert "filename*=UTF-8''%D0%BF" in report.headers["content-disposition"]

    refused = client.post(f"{target}/confirm", data={"csrf_token": csrf}, follow_redirects=False)
    assert refused.status_code == 303
    page = client.get(refused.headers["location"])
    assert "Ничего не импортировано" in page.text and "data-errors" in page.text
    assert count_needs(db_session, buyer) == 0

    done = client.post(f"{target}/confirm", data={"csrf_token": csrf, "skip_invalid": "true"})
    assert done.status_code == 200 and done.url.path == f"{target}/done"
    assert re.search(r'data-count="created"><th>создано</th><td class="n">2<', done.text)
    assert re.search(r'data-count="skipped"><th>[^<]+</th><td class="n">1<', done.text)
    assert 'href="/needs"' in done.text
    assert count_needs(db_session, buyer) == 2

    login(client, make_user(db_session, Role.MEMBER, org=buyer))
    assert client.get(f"{target}/done").status_code == 404


def test_a_corrected_file_replaces_the_upload_and_imports_every_row(
    client: TestClient, db_session: Session
) -> None:
    buyer = make_org(db_session, EAST)
    csrf = login(client, make_user(db_session, Role.ADMIN))
    _status, bad = upload_form(client, csrf, needs_csv(buyer.bin, [2, "abc", 5]))
    assert 'name="replaces"' in client.get(bad).text

    old_id = bad.rsplit("/", 1)[1]
    status, fixed = upload_form(client, csrf, needs_csv(buyer.bin, [2, 3, 5]), replaces=old_id)
    assert status == 303 and fixed != bad
    assert client.get(bad).status_code == 409, "the bad upload was discarded"
    page = client.get(fixed)
    assert "data-errors" not in page.text and 'data-action="import"' in page.text

    done = client.post(f"{fixed}/confirm", data={"csrf_token": csrf})
    assert done.status_code == 200
    assert count_needs(db_session, buyer) == 3


def test_imported_needs_are_matched_and_the_result_page_says_how_many(
    client: TestClient, db_session: Session
) -> None:
    buyer, producer = make_org(db_session, EAST), make_org(db_session, "590000000")
    offer = make_offer(db_session, producer, "Футеровка мельницы резиновая")
    csrf = login(client, make_user(db_session, Role.ADMIN))
    _status, target = upload_form(client, csrf, needs_csv(buyer.bin, [2, 3]))
    done = client.post(f"{target}/confirm", data={"csrf_token": csrf})
    assert done.status_code == 200
    assert 'data-matched="2"' in done.text
    assert "Потребности сразу сопоставлены с производителями: 2, сохранено совпадений: 2." in (
        done.text
    )
    held = db_session.scalars(select(Match.need_id).where(Match.offer_id == offer.id)).all()
    assert len(held) == 2


def test_imported_offers_join_the_matches_of_the_needs_they_fit(
    client: TestClient, db_session: Session
) -> None:
    buyer, producer = make_org(db_session, EAST), make_org(db_session, "590000000")
    need = make_need(db_session, buyer, "Футеровка мельницы МШЦ 3600")
    headers = token_headers(db_session, make_user(db_session, Role.ADMIN))
    rows = [["F-1", producer.bin, "Футеровка мельницы МШЦ 3600 резиновая", 40, "шт"]]
    content = csv_bytes(OFFER_HEADER, rows)
    files = {"file": ("offers.csv", content, CSV)}
    created = client.post("/api/v1/imports", headers=headers, data={"kind": "offers"}, files=files)
    assert created.status_code == 201, created.text
    url = f"/api/v1/imports/{created.json()['id']}"
    done = client.post(f"{url}/confirm", headers=headers, json={"skip_invalid": False})
    assert done.status_code == 200, done.text
    assert done.json()["matched_needs"] == 1
    assert db_session.scalars(select(Match.need_id)).all() == [need.id]


def test_forms_without_the_csrf_token_change_nothing(
    client: TestClient, db_session: Session
) -> None:
    buyer = make_org(db_session, EAST)
    csrf = login(client, make_user(db_session, Role.ADMIN))
    assert upload_form(client, None, needs_csv(buyer.bin, [1]))[0] == 403
    assert uploads(db_session) == []

    _status, target = upload_form(client, csrf, needs_csv(buyer.bin, [1]))
    assert client.post(f"{target}/confirm", data={"skip_invalid": "true"}).status_code == 403
    assert client.post(f"{target}/discard").status_code == 403
    assert client.post(f"{target}/confirm", data={"csrf_token": "forged"}).status_code == 403
    assert [status for _user, status in uploads(db_session)] == ["uploaded"]
    assert count_needs(db_session, buyer) == 0


def test_another_user_cannot_see_confirm_or_discard_an_upload(
    client: TestClient, db_session: Session
) -> None:
    buyer = make_org(db_session, EAST)
    owner = make_user(db_session, Role.MEMBER, org=buyer)
    colleague = make_user(db_session, Role.MEMBER, org=buyer)
    csrf = login(client, owner)
    _status, target = upload_form(client, csrf, needs_csv(buyer.bin, [1, 2]))

    csrf = login(client, colleague)
    assert client.get(target).status_code == 404
    assert client.get(f"{target}/errors.csv").status_code == 404
    assert client.post(f"{target}/confirm", data={"csrf_token": csrf}).status_code == 404
    assert client.post(f"{target}/discard", data={"csrf_token": csrf}).status_code == 404
    assert "needs.csv" not in client.get("/import").text
    assert uploads(db_session) == [(owner.id, "uploaded")]
    assert count_needs(db_session, buyer) == 0

    csrf = login(client, owner)
    discarded = client.post(f"{target}/discard", data={"csrf_token": csrf}, follow_redirects=False)
    assert (discarded.status_code, discarded.headers["location"]) == (303, "/import")
    assert uploads(db_session) == [(owner.id, "discarded")]


def test_a_member_cannot_import_rows_of_another_organisation(
    client: TestClient, db_session: Session
) -> None:
    own, other = make_org(db_session, EAST), make_org(db_session, EAST)
    csrf = login(client, make_user(db_session, Role.MEMBER, org=own))
    rows = need_rows(own.bin, [1]) + need_rows(other.bin, [2], prefix="X")
    _status, target = upload_form(client, csrf, csv_bytes(NEED_HEADER, rows))
    page = client.get(target).text
    # in the page's language (it was English on a Russian page: issue 18)
    assert f"вы можете импортировать только строки своей организации (БИН {own.bin})" in page

    refused = client.post(f"{target}/confirm", data={"csrf_token": csrf})
    assert "Ничего не импортировано" in refused.text
    assert (count_needs(db_session, own), count_needs(db_session, other)) == (0, 0)
    done = client.post(f"{target}/confirm", data={"csrf_token": csrf, "skip_invalid": "true"})
    assert done.status_code == 200 and done.url.path.endswith("/done")
    assert (count_needs(db_session, own), count_needs(db_session, other)) == (1, 0)


def test_a_member_may_not_upload_organisations(client: TestClient, db_session: Session) -> None:
    org = make_org(db_session, EAST)
    csrf = login(client, make_user(db_session, Role.MEMBER, org=org))
    assert '<option value="orgs"' not in client.get("/import").text
    rows = [[next(valid_bins(800)), "ТОО «Новый»", "ВКО", "малый", "25620", ""]]
    status, page = upload_form(client, csrf, csv_bytes(ORG_HEADER, rows), kind="orgs")
    assert status == 403
    # in the page's language (it was English on a Russian page: issue 18)
    assert "только администраторы и региональные координаторы импортируют организации" in page
    assert uploads(db_session) == []
    assert db_session.scalar(select(func.count(Organisation.id))) == 1


def test_the_api_previews_refuses_and_imports(client: TestClient, db_session: Session) -> None:
    buyer = make_org(db_session, EAST)
    headers = token_headers(db_session, make_user(db_session, Role.ADMIN))
    created = client.post(
        "/api/v1/imports",
        headers=headers,
        data={"kind": "needs"},
        files={"file": ("needs.csv", needs_csv(buyer.bin, [2, "abc", 5]), CSV)},
    )
    assert created.status_code == 201, created.text
    preview = created.json()
    assert (preview["rows"], preview["valid_rows"], preview["would_create"]) == (3, 2, 2)
    assert preview["errors"] == [
        {
            "file": "needs.csv",
            "row": 3,
            "column": "Кол-во",
            "message": "expected a number, got 'abc'",
        }
    ]
    assert [s["row"] for s in preview["sample"]] == [2, 4]
    url = f"/api/v1/imports/{preview['id']}"
    assert client.get(url, headers=headers).json()["errors"] == preview["errors"]

    refused = client.post(f"{url}/confirm", headers=headers, json={"skip_invalid": False})
    assert refused.status_code == 422
    body = refused.json()
    assert body["error"] == "ImportFailed"
    assert body["errors"] == [
        {
            "loc": ["needs.csv", 3, "Кол-во"],
            "msg": "expected a number, got 'abc'",
            "code": "expected a number, got %(value)s",
            "params": {"value": "'abc'"},
        }
    ]
    assert count_needs(db_session, buyer) == 0

    done = client.post(f"{url}/confirm", headers=headers, json={"skip_invalid": True})
    assert done.status_code == 200
    assert (done.json()["created"], done.json()["skipped"]) == (2, 1)
    assert count_needs(db_session, buyer) == 2
    assert client.delete(url, headers=headers).status_code == 409


def test_the_api_hides_uploads_of_others_and_needs_csrf_for_cookies(
    client: TestClient, db_session: Session
) -> None:
    buyer = make_org(db_session, EAST)
    owner = make_user(db_session, Role.MEMBER, org=buyer)
    stranger = token_headers(db_session, make_user(db_session, Role.MEMBER, org=buyer))
    headers = token_headers(db_session, owner)
    files = {"file": ("needs.csv", needs_csv(buyer.bin, [1]), CSV)}
    upload_id = client.post(
        "/api/v1/imports", headers=headers, data={"kind": "needs"}, files=files
    ).json()["id"]
    url = f"/api/v1/imports/{upload_id}"

    assert client.get(url, headers=stranger).status_code == 404
    assert client.post(f"{url}/confirm", headers=stranger).status_code == 404
    assert client.delete(url, headers=stranger).status_code == 404
    assert client.get("/api/v1/imports", headers=stranger).json() == []
    assert client.get("/api/v1/imports/99999999999", headers=stranger).status_code == 422
    assert uploads(db_session) == [(owner.id, "uploaded")]

    csrf = login(client, owner)
    assert client.delete(url).status_code == 403, "a browser session needs the CSRF header"
    assert client.delete(url, headers={"X-CSRF-Token": csrf}).status_code == 204
    assert uploads(db_session) == [(owner.id, "discarded")]
    assert count_needs(db_session, buyer) == 0


def test_openapi_documents_the_imports(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert {"/api/v1/imports", "/api/v1/imports/{upload_id}"} <= set(schema["paths"])
    assert "delete" in schema["paths"]["/api/v1/imports/{upload_id}"]
    preview = schema["components"]["schemas"]["PreviewOut"]["properties"]
    assert {"errors", "sample", "would_create", "would_update"} <= set(preview)
