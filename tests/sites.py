"""A small seeded site database shared by the web and browser tests."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from seriktes.catalog.importer import NEEDS, import_file
from seriktes.kit.db import make_engine
from seriktes.kit.migrate import upgrade
from seriktes.registry.importer import import_organisations
from seriktes.registry.service import ensure_reference_data
from tests.factories import ORG_HEADER, org_rows, write_csv

NEED_HEADER = ["ID", "БИН заказчика", "Наименование", "Кол-во", "Ед. изм.", "Происхождение"]


def seed_site(db_path: Path, files: Path) -> None:
    """Migrate a database and put 3 organisations of ВКО and 4 needs of one of them in it."""
    engine = make_engine(f"sqlite:///{db_path}")
    upgrade(engine)
    rows = org_rows(3, region="ВКО")
    needs = [
        [
            f"N{i}",
            rows[0][0],
            f"Футеровка мельницы {i}",
            2,
            "компл",
            "far_abroad" if i < 3 else "domestic",
        ]
        for i in range(4)
    ]
    with Session(engine) as session:
        ensure_reference_data(session)
        import_organisations(session, write_csv(files / "o.csv", ORG_HEADER, rows))
        import_file(session, NEEDS, write_csv(files / "n.csv", NEED_HEADER, needs))
        session.commit()
    engine.dispose()
