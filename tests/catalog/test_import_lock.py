"""Two imports at once: the second is told that another import is running, never "database
is locked" or a raw duplicate-key message; once the first ends, it runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from seriktes.catalog.importer import NEEDS, import_file
from seriktes.kit.db import make_engine
from seriktes.kit.errors import Conflict
from seriktes.kit.locks import BUSY
from seriktes.registry.bin import complete_bin
from tests.factories import write_csv
from tests.imports.test_uploads import NEED_HEADER, need_rows


@pytest.fixture
def second_engine(db_engine: Engine) -> Iterator[Engine]:
    """Another pool on the same database (SQLite: waiting a fifth of a second for a lock)."""
    if db_engine.dialect.name != "sqlite":
        yield db_engine
        return
    url = db_engine.url.render_as_string(hide_password=False)
    engine = make_engine(url, connect_args={"timeout": 0.2})
    yield engine
    engine.dispose()


def test_a_second_import_while_one_runs_is_told_to_try_again(
    db_engine: Engine, second_engine: Engine, tmp_path: Path
) -> None:
    new_bin = complete_bin("19044099999") or ""
    # both imports would create the same new buyer: a duplicate BIN once both commit
    rows = [[*row, "ТОО «Новый заказчик»"] for row in need_rows(new_bin, [1, 2], "L")]
    path = write_csv(tmp_path / "needs.csv", [*NEED_HEADER, "Заказчик"], rows)
    with Session(db_engine) as first, Session(second_engine) as second:
        try:
            report = import_file(first, NEEDS, path)  # writes, not yet committed
            assert (report.created, report.organisations_created) == (2, 1)
            with pytest.raises(Conflict) as busy:
                import_file(second, NEEDS, path)
            assert busy.value.detail == BUSY
            assert busy.value.status_code == 409
            second.rollback()
        finally:
            first.rollback()  # the first import ends: the lock is free again
        again = import_file(second, NEEDS, path)
        assert again.created == 2
        second.rollback()
