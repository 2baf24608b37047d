"""Row versions in the data layer: imports bump the version of the rows they change and only
those (a re-import of the same file changes nothing), with the fields they changed recorded;
a write racing another transaction is a 409, not a lost update. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.catalog import editing
from seriktes.catalog.importer import NEEDS, import_file
from seriktes.catalog.models import Need
from seriktes.kit import versions
from seriktes.kit.migrate import upgrade
from seriktes.kit.versions import StaleWrite
from seriktes.registry.importer import import_organisations
from seriktes.registry.models import Organisation
from seriktes.registry.service import ensure_reference_data
from tests.catalog.test_importer import NEED_HEADER, need_rows
from tests.factories import ORG_HEADER, org_rows, write_csv
from tests.webkit import make_need, make_org, make_user


def versions_of(session: Session, model: type[Need] | type[Organisation]) -> dict[int, int]:
    session.expire_all()
    return dict(session.execute(select(model.id, model.version)).all())


def test_a_reimport_changes_no_version_and_an_edited_row_only_its_own(
    db_session: Session, tmp_path: Path
) -> None:
    orgs = org_rows(1)
    org_file = write_csv(tmp_path / "o.csv", ORG_HEADER, orgs)
    import_organisations(db_session, org_file)
    rows = need_rows(str(orgs[0][0]), 3)
    path = write_csv(tmp_path / "n.csv", NEED_HEADER, rows)
    import_file(db_session, NEEDS, path)
    first = versions_of(db_session, Need)
    organisations = versions_of(db_session, Organisation)

    import_file(db_session, NEEDS, path)
    import_organisations(db_session, org_file)
    assert versions_of(db_session, Need) == first
    assert versions_of(db_session, Organisation) == organisations

    rows[0][6] = "13 000"
    write_csv(path, NEED_HEADER, rows)
    import_file(db_session, NEEDS, path)
    edited = db_session.scalars(select(Need).where(Need.external_id == "N-1")).one()
    assert edited.version == first[edited.id] + 1
    assert edited.field_versions == {"unit_price": edited.version}
    assert {k: v for k, v in versions_of(db_session, Need).items() if k != edited.id} == {
        k: v for k, v in first.items() if k != edited.id
    }

    admin = make_user(db_session, Role.ADMIN)
    with pytest.raises(StaleWrite) as refused:
        editing.update_need(db_session, admin, edited.id, {"title": "Другое"}, first[edited.id])
    assert refused.value.fields == ["unit_price"]
    assert refused.value.status_code == 409


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_write_racing_another_transaction_is_a_conflict(
    backend: str, fresh_database: Callable[[str], Engine]
) -> None:
    engine = fresh_database(backend)
    upgrade(engine)
    with Session(engine) as setup:
        ensure_reference_data(setup)
        need_id = make_need(setup, make_org(setup)).id  # 10 pieces
        setup.commit()

    # `mine` holds the need it read at version 1 (its read transaction ended: on SQLite a
    # transaction that read before another wrote may not write at all); `theirs` changes it
    with Session(engine, expire_on_commit=False) as mine, Session(engine) as theirs:
        need = mine.get(Need, need_id)
        assert need is not None and need.version == 1
        mine.commit()
        other = theirs.get(Need, need_id)
        assert other is not None
        other.title = "Изменено другим"
        theirs.commit()

        need.quantity = Decimal(12)
        with pytest.raises(StaleWrite) as refused:
            versions.flush(mine, "need")
        assert refused.value.status_code == 409 and refused.value.kind == "Conflict"
        mine.rollback()

    with Session(engine) as check:
        kept = check.get(Need, need_id)
        assert kept is not None
        assert (kept.title, kept.quantity, kept.version) == ("Изменено другим", 10, 2)
