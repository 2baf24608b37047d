"""Registry look-ups: one owner for a region by KATO, an organisation by BIN, class names
and a unit by any spelling."""

from __future__ import annotations

from sqlalchemy.orm import Session

from seriktes.registry import repository
from seriktes.registry.models import ClassifierCode, ClassifierSystem
from seriktes.registry.service import unit_by_spelling
from tests.webkit import make_org


def test_a_region_by_a_short_or_a_full_kato_code(db_session: Session) -> None:
    east = repository.region_by_kato(db_session, "630000000")
    assert east is not None and east.name_ru == "Восточно-Казахстанская область"
    assert repository.region_by_kato(db_session, "63") is east
    assert repository.region_by_kato(db_session, "120000000") is None


def test_the_oblast_of_a_district_code(db_session: Session) -> None:
    oblast = repository.oblast_region(db_session, "631010000")
    assert oblast is not None and oblast.kato == "630000000"


def test_an_organisation_by_its_bin(db_session: Session) -> None:
    org = make_org(db_session)
    assert repository.organisation_by_bin(db_session, str(org.bin)) is org
    assert repository.organisation_by_bin(db_session, "000000000000") is None


def test_class_names_in_russian_and_kazakh(db_session: Session) -> None:
    db_session.add(
        ClassifierCode(
            system=ClassifierSystem.KPVED,
            code="28.15.10",
            level=3,
            name_ru="Подшипники",
            name_kk="Мойынтіректер",
        )
    )
    db_session.flush()
    names = repository.class_names(db_session, ["28.15.10", "99.99.99", None])
    assert names == {"28.15.10": ("Подшипники", "Мойынтіректер")}
    assert repository.class_names(db_session, []) == {}


def test_a_unit_by_code_name_or_spelling_with_a_dot(db_session: Session) -> None:
    """The spellings of real registers: «кг.» with a dot, «Шт», a code without zeros."""
    spelled = {
        value: unit.code if (unit := unit_by_spelling(db_session, value)) else None
        for value in ("796", "6", "кг.", "Шт", "тонна", "м²", "вёдра")
    }
    assert spelled == {
        "796": "796",
        "6": "006",
        "кг.": "166",
        "Шт": "796",
        "тонна": "168",
        "м²": "055",
        "вёдра": None,
    }
