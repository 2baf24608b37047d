"""Ids no database integer can hold answer like any unknown id: 404, never a server error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from tests.webkit import login, make_user

PAGES = ("/needs/{}", "/needs/{}/edit", "/needs/{}/delete", "/offers/{}", "/offers/{}/edit")
PAGES += ("/offers/{}/delete", "/organisations/{}")


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.mark.parametrize("huge", [2**31, 2**63, 10**30])
def test_pages_of_ids_beyond_any_row_are_not_found(
    client: TestClient, db_session: Session, huge: int
) -> None:
    csrf = login(client, make_user(db_session, Role.ADMIN))
    for page in PAGES:
        response = client.get(page.format(huge))
        assert response.status_code == 404, (page, response.status_code)
        assert "Traceback" not in response.text
    for form in ("/needs/{}/delete", "/offers/{}/delete"):
        response = client.post(form.format(huge), data={"csrf_token": csrf})
        assert response.status_code == 404, (form, response.status_code)
