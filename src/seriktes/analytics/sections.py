"""KP VED sections: the letter of a class code and the names of the sections.

KP VED (like OKPD2 and CPA 2.1) groups its two-digit divisions into 21 lettered sections;
the table below is that standard grouping, so a code is placed without any loaded
classifier file.
"""

from __future__ import annotations

from dataclasses import dataclass

from seriktes.kit.codes import digits_of


@dataclass(frozen=True)
class Section:
    """A lettered KP VED section: the divisions it holds and its names."""

    letter: str
    first: int
    last: int
    name_ru: str
    name_kk: str
    name_en: str

    def name(self, lang: str) -> str:
        """The section's name in `lang` (ru, kk or en)."""
        return {"kk": self.name_kk, "en": self.name_en}.get(lang, self.name_ru)


SECTIONS: tuple[Section, ...] = (
    Section(
        "A",
        1,
        3,
        "Продукция сельского, лесного и рыбного хозяйства",
        "Ауыл, орман және балық шаруашылығының өнімдері",
        "Products of agriculture, forestry and fishing",
    ),
    Section(
        "B",
        5,
        9,
        "Продукция горнодобывающих производств",
        "Тау-кен өндірісінің өнімдері",
        "Mining and quarrying products",
    ),
    Section(
        "C",
        10,
        33,
        "Продукция обрабатывающих производств",
        "Өңдеу өнеркәсібінің өнімдері",
        "Manufactured products",
    ),
    Section(
        "D",
        35,
        35,
        "Электроэнергия, газ, пар",
        "Электр энергиясы, газ, бу",
        "Electricity, gas and steam",
    ),
    Section(
        "E",
        36,
        39,
        "Водоснабжение, отходы",
        "Сумен жабдықтау, қалдықтар",
        "Water supply and waste",
    ),
    Section("F", 41, 43, "Строительство", "Құрылыс", "Construction"),
    Section("G", 45, 47, "Торговля", "Сауда", "Wholesale and retail trade"),
    Section(
        "H",
        49,
        53,
        "Транспорт и складирование",
        "Көлік және қоймалау",
        "Transport and storage",
    ),
    Section(
        "I",
        55,
        56,
        "Гостиницы и общественное питание",
        "Қонақ үйлер және тамақтандыру",
        "Accommodation and food services",
    ),
    Section(
        "J", 58, 63, "Информация и связь", "Ақпарат және байланыс", "Information and communication"
    ),
    Section(
        "K",
        64,
        66,
        "Финансовые и страховые услуги",
        "Қаржы және сақтандыру қызметтері",
        "Financial and insurance services",
    ),
    Section(
        "L", 68, 68, "Операции с недвижимостью", "Жылжымайтын мүлік операциялары", "Real estate"
    ),
    Section(
        "M",
        69,
        75,
        "Профессиональные и научные услуги",
        "Кәсіби және ғылыми қызметтер",
        "Professional, scientific and technical services",
    ),
    Section(
        "N",
        77,
        82,
        "Административные и вспомогательные услуги",
        "Әкімшілік және қосалқы қызметтер",
        "Administrative and support services",
    ),
    Section(
        "O",
        84,
        84,
        "Государственное управление",
        "Мемлекеттік басқару",
        "Public administration",
    ),
    Section("P", 85, 85, "Образование", "Білім беру", "Education"),
    Section(
        "Q",
        86,
        88,
        "Здравоохранение и социальные услуги",
        "Денсаулық сақтау және әлеуметтік қызметтер",
        "Health and social work",
    ),
    Section(
        "R",
        90,
        93,
        "Искусство, развлечения и отдых",
        "Өнер, ойын-сауық және демалыс",
        "Arts, entertainment and recreation",
    ),
    Section("S", 94, 96, "Прочие услуги", "Басқа да қызметтер", "Other services"),
    Section(
        "T",
        97,
        98,
        "Услуги домашних хозяйств",
        "Үй шаруашылықтарының қызметтері",
        "Services of households",
    ),
    Section(
        "U",
        99,
        99,
        "Экстерриториальные организации",
        "Экстерриториялық ұйымдар",
        "Extraterritorial organisations",
    ),
)
BY_LETTER = {section.letter: section for section in SECTIONS}
UNCLASSIFIED = "?"


def division_of(code: str | None) -> str:
    """The two-digit KP VED division of a class code ("28.15.10" → "28"); "?" without one."""
    found = digits_of(code or "").strip()[:2]
    return found if len(found) == 2 and found.isdigit() else UNCLASSIFIED


def section_of(code: str | None) -> str:
    """The section letter of a class code ("28.15.10" → "C"); "?" when it has none."""
    division = division_of(code)
    if division == UNCLASSIFIED:
        return UNCLASSIFIED
    number = int(division)
    for section in SECTIONS:
        if section.first <= number <= section.last:
            return section.letter
    return UNCLASSIFIED


def group_of(code: str | None, level: str) -> str:
    """The group a class code falls in at `level`: "section" (a letter) or "division"."""
    if level == "section":
        return section_of(code)
    if level == "division":
        return division_of(code)
    raise ValueError(f"unknown product level {level!r}; use section or division")
