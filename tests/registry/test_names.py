"""Names of regions and units in ru, kk and en, and the one order of region lists."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from seriktes.registry.facts import REGION_NAMES_EN, TOP_LEVEL_REGIONS, UNIT_NAMES_EN, UNITS
from seriktes.registry.models import Region, Unit
from seriktes.registry.names import collation_key, ordered_regions, region_short
from seriktes.registry.repository import top_level_regions, units
from seriktes.registry.service import Lookups, ensure_reference_data

EAST, NORTH, WEST = "630000000", "590000000", "270000000"
CYRILLIC = re.compile(r"[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]")


def test_every_top_level_region_has_an_english_name_and_short_form() -> None:
    katos = {fact.kato for fact in TOP_LEVEL_REGIONS}
    assert len(katos) == 20
    assert set(REGION_NAMES_EN) == katos
    for kato, (name, short) in REGION_NAMES_EN.items():
        assert name and short and not CYRILLIC.search(name + short), kato
    shorts = [short for _name, short in REGION_NAMES_EN.values()]
    assert len(set(shorts)) == 20, "no two regions share a short name (Almaty, Almaty Region)"


def test_every_unit_has_an_english_name_and_symbol() -> None:
    codes = {fact.code for fact in UNITS}
    assert set(UNIT_NAMES_EN) == codes
    for code, (name, symbol) in UNIT_NAMES_EN.items():
        assert name and symbol and not CYRILLIC.search(name + symbol), code


def test_regions_named_in_each_language(db_session: Session) -> None:
    ensure_reference_data(db_session)
    east = next(r for r in top_level_regions(db_session) if r.kato == EAST)
    assert east.name("en") == "East Kazakhstan Region"
    assert east.name("kk") == "Шығыс Қазақстан облысы"
    assert east.name("ru") == "Восточно-Казахстанская область"
    assert [east.short_name(lang) for lang in ("ru", "kk", "en")] == [
        "ВКО",
        "ШҚО",
        "East Kazakhstan",
    ]
    # a district has no English fact: its Russian name
    district = Region(kato="631000000", level="district", name_ru="Глубоковский район", name_kk="")
    assert district.name("en") == "Глубоковский район"
    assert district.short_name("en") == "Глубоковский район"
    city, oblast = "750000000", "190000000"
    assert region_short(city, "г.Алматы", "Алматы қ.", "en") == "Almaty"
    assert region_short(oblast, "Алматинская область", "Алматы облысы", "en") == "Almaty Region"
    assert region_short(city, "г.Алматы", "Алматы қ.", "kk") == "Алматы"
    assert region_short(oblast, "Алматинская область", "Алматы облысы", "kk") == "Алматы облысы"


def test_units_named_in_each_language(db_session: Session) -> None:
    ensure_reference_data(db_session)
    by_code = {unit.code: unit for unit in units(db_session)}
    piece, cubic = by_code["796"], by_code["113"]
    assert [piece.symbol(lang) for lang in ("ru", "kk", "en")] == ["шт", "дана", "pcs"]
    assert [piece.name(lang) for lang in ("ru", "kk", "en")] == ["штука", "дана", "piece"]
    assert (cubic.symbol("en"), cubic.name("en")) == ("m³", "cubic metre")
    assert by_code["168"].symbol("en") == "t" and by_code["168"].symbol("kk") == "т"
    # a code an import added without facts keeps its Russian spelling
    unknown = Unit(code="5156", name_ru="5156", name_kk="5156", short_ru="5156", kind="other")
    assert (unknown.name("en"), unknown.symbol("en")) == ("5156", "5156")


def names(db_session: Session, lang: str, first: tuple[str, ...] = ()) -> list[str]:
    return [r.name(lang) for r in ordered_regions(top_level_regions(db_session), lang, first)]


def test_russian_order_puts_yo_with_ye_and_kind_words_aside(db_session: Session) -> None:
    ensure_reference_data(db_session)
    ru = names(db_session, "ru")
    assert ru[0] == "область Абай", "«область» is not the name"
    assert ru.index("г.Алматы") == ru.index("Алматинская область") + 1
    assert ru.index("г.Астана") < ru.index("Атырауская область")
    assert ru[-2:] == ["область Ұлытау", "г.Шымкент"], "Ұ sorts as У in Russian"
    words = ["Ёлка", "Ель", "Елена", "Еж"]
    assert sorted(words, key=lambda w: collation_key(w, "ru")) == ["Еж", "Елена", "Ёлка", "Ель"]


def test_kazakh_order_follows_the_kazakh_alphabet(db_session: Session) -> None:
    ensure_reference_data(db_session)
    kk = names(db_session, "kk")
    assert kk[:3] == ["Абай облысы", "Ақмола облысы", "Ақтөбе облысы"], "ә, қ after а, к"
    assert kk.index("Қарағанды облысы") == kk.index("Жетісу облысы") + 1
    assert kk.index("Қызылорда облысы") < kk.index("Маңғыстау облысы")
    assert kk.index("Ұлытау облысы") == kk.index("Түркістан облысы") + 1, "ұ after у, т"
    assert kk[-2:] == ["Шығыс Қазақстан облысы", "Шымкент қ."]
    letters = list("ыәіөүұқңғһаоуикнгх")
    ordered = sorted(letters, key=lambda w: collation_key(w, "kk"))
    assert "".join(ordered) == "аәгғикқнңоөуұүхһыі"


def test_english_order_and_the_pair_first(db_session: Session) -> None:
    ensure_reference_data(db_session)
    en = names(db_session, "en")
    assert en[:5] == ["Abai Region", "Akmola Region", "Aktobe Region", "Almaty", "Almaty Region"]
    assert en[-1] == "West Kazakhstan Region"
    paired = names(db_session, "en", (NORTH, EAST))
    assert paired[:3] == ["North Kazakhstan Region", "East Kazakhstan Region", "Abai Region"]
    assert paired[2:] == [name for name in en if "North" not in name and "East" not in name]
    assert names(db_session, "kk", (WEST,))[0] == "Батыс Қазақстан облысы"


def test_imports_read_english_names_of_units_and_regions(db_session: Session) -> None:
    ensure_reference_data(db_session)
    lookups = Lookups.load(db_session)
    spelled = {"pcs": "796", "Tonne": "168", "cubic metre": "113", "дана": "796", "kWh": "245"}
    assert {text: lookups.unit_code(text) for text in spelled} == spelled
    assert lookups.unit_code("m") == "006" and lookups.unit_code("t") == "168"
    for text, kato in (
        ("East Kazakhstan Region", EAST),
        ("North Kazakhstan", NORTH),
        ("Almaty", "750000000"),
        ("Almaty Region", "190000000"),
    ):
        found = lookups.region(text)
        assert found is not None and found.kato == kato, text
