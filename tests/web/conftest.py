"""A web app on its own migrated SQLite database holding a few organisations and needs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from seriktes.config import Settings
from seriktes.web.app import create_app
from tests.sites import seed_site


@pytest.fixture(scope="module")
def site_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    db_path = folder / "site.db"
    seed_site(db_path, folder)
    return db_path


@pytest.fixture
def client(site_db: Path) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=f"sqlite:///{site_db}", warm_engines=False))
    with TestClient(app) as test_client:
        yield test_client
