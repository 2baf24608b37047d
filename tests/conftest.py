"""Fixtures: migrated SQLite and PostgreSQL databases, each test in a rolled-back transaction."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from seriktes.kit.db import make_engine
from seriktes.kit.migrate import upgrade
from seriktes.registry.service import ensure_reference_data

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
PG_URL = os.environ.get(
    "SERIKTES_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# `seriktes db upgrade` loads the classifier and KATO from the data folder when one is set
# (by default ../shared/data): tests start from reference facts only, and load what they need
os.environ.setdefault("SERIKTES_DATA_DIR", "")


def shared_file(relative: str) -> Path:
    """Return a file of ../shared/data, skipping the test when it is absent."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"real data file {path} is absent; this test needs ../shared/data")
    return path


def _postgres_engine(schema: str) -> Engine:
    admin = make_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        admin.dispose()
        message = f"PostgreSQL at {PG_URL} is not reachable ({str(exc).splitlines()[0]})"
        if IN_CI:
            pytest.fail(message + "; CI requires it", pytrace=False)
        pytest.skip(message + "; PostgreSQL tests skipped (required when CI=true)")
    admin.dispose()
    return make_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})


def _drop_schema(schema: str) -> None:
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def fresh_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """Return a factory of new, empty databases of a backend ("sqlite" or "postgresql")."""
    schemas: list[str] = []
    engines: list[Engine] = []

    def make(backend: str) -> Engine:
        if backend == "sqlite":
            path = tmp_path_factory.mktemp("db") / "test.db"
            engine = make_engine(f"sqlite:///{path}")
        else:
            schema = f"seriktes_test_{uuid.uuid4().hex[:10]}"
            engine = _postgres_engine(schema)
            schemas.append(schema)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()
    for schema in schemas:
        _drop_schema(schema)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_engine(request: pytest.FixtureRequest, fresh_database: object) -> Engine:
    """A migrated database with reference data, once per backend per test session."""
    engine: Engine = fresh_database(request.param)  # type: ignore[operator]
    upgrade(engine)
    with Session(engine) as session:
        ensure_reference_data(session)
        session.commit()
    return engine


@pytest.fixture
def db_session(db_engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = db_engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def backend(db_engine: Engine) -> str:
    """The name of the database backend of this test run."""
    return db_engine.dialect.name


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say which databases the data-layer tests use and whether PostgreSQL is required."""
    required = "required (CI)" if IN_CI else "skipped with a message if unreachable"
    return [f"data-layer tests: SQLite and PostgreSQL at {PG_URL}, {required}"]


pytest_plugins = ["tests.webkit"]
