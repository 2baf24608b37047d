"""A refused import is explained in the uploader's language (issue 18: the row errors of a
file that cannot be imported, and the file's own problems, were English on every page)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from tests.imports.test_uploads import EAST, needs_csv
from tests.web.test_imports import upload_form
from tests.webkit import login, make_org, make_user


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """The app on the test's transaction."""
    with TestClient(app) as test_client:
        yield test_client


def test_a_bad_row_is_explained_in_kazakh(client: TestClient, db_session: Session) -> None:
    buyer = make_org(db_session, EAST)
    csrf = login(client, make_user(db_session, Role.ADMIN))
    client.cookies.set("lang", "kk")
    status, target = upload_form(client, csrf, needs_csv(buyer.bin, [2, "abc", 5]))
    assert status == 303
    page = client.get(target)
    row = re.search(r"<tr><td class=\"n\">3</td><td>Кол-во</td><td>([^<]+)</td></tr>", page.text)
    assert row and row.group(1) == "сан күтіледі, көрсетілгені: &#39;abc&#39;"
    report = client.get(f"{target}/errors.csv")
    assert report.text.splitlines()[1] == (
        "needs.csv,3,Кол-во,\"сан күтіледі, көрсетілгені: 'abc'\""
    )


def test_a_file_without_its_columns_is_explained_in_kazakh(
    client: TestClient, db_session: Session
) -> None:
    csrf = login(client, make_user(db_session, Role.ADMIN))
    client.cookies.set("lang", "kk")
    status, target = upload_form(client, csrf, "Название;Цена\nБолт;5\n".encode())
    assert status == 303
    page = client.get(target)
    assert "міндетті баған жоқ: мыналардың бірі" in page.text
    assert "required column missing" not in page.text
