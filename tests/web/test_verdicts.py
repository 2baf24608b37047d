"""The engine's verdicts (English) as the pages show them in Russian and Kazakh."""

from __future__ import annotations

import pytest

from seriktes.matches.service import Coverage, RegionAway
from seriktes.registry.facts import TOP_LEVEL_REGIONS
from seriktes.web.views.verdicts import coverage_notice, humane_verdict

REGIONS = {fact.kato: fact for fact in TOP_LEVEL_REGIONS}


@pytest.mark.parametrize(
    ("verdict", "lang", "shown"),
    [
        ("the product agrees", "ru", "товар совпадает"),
        ("the product agrees", "kk", "тауар сәйкес келеді"),
        ("the product agrees", "en", "the product agrees"),
        ("same class, another product word", "ru", "тот же класс, товар назван иначе"),
        (
            "the product word is only in the offer's details",
            "kk",
            "тауар атауы тек ұсыныстың толық сипаттамасында бар",
        ),
        (
            "material: steel vs polypropylene",
            "ru",
            "материал: в потребности — сталь, в предложении — полипропилен",
        ),
        (
            "material: copper, steel vs pvc",
            "kk",
            "материал: қажеттілікте — мыс, болат, ұсыныста — ПВХ",
        ),
        (
            "purpose: engine vs hydraulic",
            "ru",
            "назначение: в потребности — для двигателей, в предложении — для гидравлики",
        ),
        (
            "purpose: engine vs hydraulic",
            "en",
            "purpose: the need is for engines, the offer for hydraulics",
        ),
        (
            "material: steel vs polypropylene; purpose: food vs medical",
            "ru",
            "материал: в потребности — сталь, в предложении — полипропилен; назначение: в "
            "потребности — для пищевых продуктов, в предложении — для медицины",
        ),
        (
            "same class, another product word; marked suitable for a similar need",
            "ru",
            "тот же класс, товар назван иначе; отмечено как подходящее для похожей потребности",
        ),
        ("marked suitable for this need", "kk", "осы қажеттілікке жарамды деп белгіленген"),
        (
            "material: steel vs titanium",
            "ru",
            "материал: в потребности — сталь, в предложении — titanium",
        ),  # an unknown name stays as it is
        ("a verdict the catalogue does not know", "ru", "a verdict the catalogue does not know"),
        ("", "ru", ""),
    ],
)
def test_verdicts_read_in_the_page_s_language(verdict: str, lang: str, shown: str) -> None:
    assert humane_verdict(verdict, lang) == shown


def test_the_coverage_notice_names_regions_with_distances() -> None:
    vko, sko, pavlodar = REGIONS["630000000"], REGIONS["590000000"], REGIONS["550000000"]
    missing = Coverage("28.15", (vko, sko), 0, (RegionAway(pavlodar, 1472, 3),))
    notice = coverage_notice(missing, "kk")
    assert notice is not None and notice.partnered
    assert notice.regions == "Шығыс Қазақстан облысы, Солтүстік Қазақстан облысы"
    assert notice.nearest == ["Павлодар облысы (1\u202f472\u00a0км)"]
    russian = coverage_notice(missing, "ru")
    assert russian is not None
    assert russian.nearest == ["Павлодарская область (1\u202f472\u00a0км)"]
    assert coverage_notice(Coverage("28.15", (vko, sko), 2), "ru") is None, "producers are near"
    assert coverage_notice(None, "ru") is None
