"""Reference facts the project knows without any file: top-level regions and units of measure."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RegionFact:
    """A top-level KATO unit: an oblast or a city of republican significance."""

    kato: str
    name_ru: str
    name_kk: str
    short_ru: str
    center_ru: str
    lat: float
    lon: float
    is_city: bool = False


# The 17 oblasts and 3 cities of republican significance (KATO NK RK 11-2025, level 1).
# Coordinates are those of each administrative centre.
TOP_LEVEL_REGIONS: tuple[RegionFact, ...] = (
    RegionFact("100000000", "область Абай", "Абай облысы", "обл. Абай", "Семей", 50.41, 80.23),
    RegionFact(
        "110000000", "Акмолинская область", "Ақмола облысы", "Акмолинская", "Кокшетау", 53.28, 69.39
    ),
    RegionFact(
        "150000000", "Актюбинская область", "Ақтөбе облысы", "Актюбинская", "Актобе", 50.28, 57.17
    ),
    RegionFact(
        "190000000", "Алматинская область", "Алматы облысы", "Алматинская", "Конаев", 43.87, 77.07
    ),
    RegionFact(
        "230000000", "Атырауская область", "Атырау облысы", "Атырауская", "Атырау", 47.11, 51.88
    ),
    RegionFact(
        "270000000",
        "Западно-Казахстанская область",
        "Батыс Қазақстан облысы",
        "ЗКО",
        "Уральск",
        51.23,
        51.37,
    ),
    RegionFact(
        "310000000", "Жамбылская область", "Жамбыл облысы", "Жамбылская", "Тараз", 42.90, 71.37
    ),
    RegionFact(
        "330000000", "область Жетісу", "Жетісу облысы", "обл. Жетісу", "Талдыкорган", 45.02, 78.37
    ),
    RegionFact(
        "350000000",
        "Карагандинская область",
        "Қарағанды облысы",
        "Карагандинская",
        "Караганда",
        49.80,
        73.10,
    ),
    RegionFact(
        "390000000",
        "Костанайская область",
        "Қостанай облысы",
        "Костанайская",
        "Костанай",
        53.21,
        63.62,
    ),
    RegionFact(
        "430000000",
        "Кызылординская область",
        "Қызылорда облысы",
        "Кызылординская",
        "Кызылорда",
        44.85,
        65.51,
    ),
    RegionFact(
        "470000000",
        "Мангистауская область",
        "Маңғыстау облысы",
        "Мангистауская",
        "Актау",
        43.65,
        51.16,
    ),
    RegionFact(
        "550000000",
        "Павлодарская область",
        "Павлодар облысы",
        "Павлодарская",
        "Павлодар",
        52.29,
        76.97,
    ),
    RegionFact(
        "590000000",
        "Северо-Казахстанская область",
        "Солтүстік Қазақстан облысы",
        "СКО",
        "Петропавловск",
        54.87,
        69.14,
    ),
    RegionFact(
        "610000000",
        "Туркестанская область",
        "Түркістан облысы",
        "Туркестанская",
        "Туркестан",
        43.30,
        68.25,
    ),
    RegionFact(
        "620000000", "область Ұлытау", "Ұлытау облысы", "обл. Ұлытау", "Жезказган", 47.78, 67.71
    ),
    RegionFact(
        "630000000",
        "Восточно-Казахстанская область",
        "Шығыс Қазақстан облысы",
        "ВКО",
        "Усть-Каменогорск",
        49.95,
        82.61,
    ),
    RegionFact("710000000", "г.Астана", "Астана қ.", "Астана", "Астана", 51.17, 71.43, True),
    RegionFact("750000000", "г.Алматы", "Алматы қ.", "Алматы", "Алматы", 43.24, 76.89, True),
    RegionFact("790000000", "г.Шымкент", "Шымкент қ.", "Шымкент", "Шымкент", 42.32, 69.59, True),
)

REGION_BY_KATO: dict[str, RegionFact] = {fact.kato: fact for fact in TOP_LEVEL_REGIONS}
EAST_KAZAKHSTAN = "630000000"
NORTH_KAZAKHSTAN = "590000000"

# Word stems that name a top-level region inside an organisation name or address, in the
# order they are tried. Oblast adjectives come before city names so that
# «... Алматинской области» is not read as the city of Almaty.
REGION_STEMS: tuple[tuple[str, str], ...] = (
    ("восточно-казахстанск", "630000000"),
    ("вко", "630000000"),
    ("северо-казахстанск", "590000000"),
    ("ско", "590000000"),
    ("западно-казахстанск", "270000000"),
    ("зко", "270000000"),
    ("акмолинск", "110000000"),
    ("актюбинск", "150000000"),
    ("алматинск", "190000000"),
    ("атырауск", "230000000"),
    ("жамбылск", "310000000"),
    ("карагандинск", "350000000"),
    ("костанайск", "390000000"),
    ("кызылординск", "430000000"),
    ("мангистауск", "470000000"),
    ("павлодарск", "550000000"),
    ("туркестанск", "610000000"),
    # Kazakh oblast names (before the city names they contain: «Алматы облысы» is the oblast)
    ("шығыс қазақстан", "630000000"),
    ("солтүстік қазақстан", "590000000"),
    ("батыс қазақстан", "270000000"),
    ("абай облысы", "100000000"),
    ("ақмола", "110000000"),
    ("ақтөбе", "150000000"),
    ("алматы облысы", "190000000"),
    ("жамбыл облысы", "310000000"),
    ("қарағанды", "350000000"),
    ("қостанай", "390000000"),
    ("қызылорда", "430000000"),
    ("маңғыстау", "470000000"),
    ("түркістан", "610000000"),
    ("өскемен", "630000000"),
    ("көкшетау", "110000000"),
    ("қонаев", "190000000"),
    ("талдықорған", "330000000"),
    ("жезқазған", "620000000"),
    ("ақтау", "470000000"),
    ("области абай", "100000000"),
    ("область абай", "100000000"),
    ("абайской", "100000000"),
    ("жетісу", "330000000"),
    ("жетысу", "330000000"),
    ("ұлытау", "620000000"),
    ("улытау", "620000000"),
    ("усть-каменогорск", "630000000"),
    ("риддер", "630000000"),
    ("глубок", "630000000"),
    ("зыряновск", "630000000"),
    ("алтай", "630000000"),
    ("петропавл", "590000000"),
    ("семей", "100000000"),
    ("курчатов", "100000000"),
    ("кокшетау", "110000000"),
    ("степногорск", "110000000"),
    ("бурабай", "110000000"),
    ("актобе", "150000000"),
    ("конаев", "190000000"),
    ("талгар", "190000000"),
    ("атырау", "230000000"),
    ("уральск", "270000000"),
    ("тараз", "310000000"),
    ("талдыкорган", "330000000"),
    ("караганд", "350000000"),
    ("темиртау", "350000000"),
    ("балхаш", "350000000"),
    ("костана", "390000000"),
    ("рудн", "390000000"),
    ("кызылорд", "430000000"),
    ("казалинск", "430000000"),
    ("актау", "470000000"),
    ("жанаозен", "470000000"),
    ("павлодар", "550000000"),
    ("экибастуз", "550000000"),
    ("туркестан", "610000000"),
    ("кентау", "610000000"),
    ("жезказган", "620000000"),
    ("сатпаев", "620000000"),
    ("астан", "710000000"),
    ("нур-султан", "710000000"),
    ("алматы", "750000000"),
    ("шымкент", "790000000"),
)


@dataclass(frozen=True)
class UnitFact:
    """A unit of measure of the interstate classifier MKEI, with its spellings."""

    code: str
    name_ru: str
    name_kk: str
    short_ru: str
    kind: str
    aliases: tuple[str, ...] = ()


# MKEI codes. 5114 (service), 980 (work) and 5111 (pack) are the national codes that
# goszakup plan points use; the others follow the international part of the classifier.
UNITS: tuple[UnitFact, ...] = (
    UnitFact("796", "штука", "дана", "шт", "count", ("штук", "шт.", "ед", "единица", "pcs", "pc")),
    UnitFact("715", "пара", "жұп", "пар", "count", ("пары",)),
    UnitFact("166", "килограмм", "килограмм", "кг", "mass", ("kg", "килограмм")),
    UnitFact("163", "грамм", "грамм", "г", "mass", ("гр", "g")),
    UnitFact("168", "тонна", "тонна", "т", "mass", ("тн", "тонн", "t", "тонна метрическая")),
    UnitFact("112", "литр", "литр", "л", "volume", ("l", "литров")),
    UnitFact("111", "миллилитр", "миллилитр", "мл", "volume", ("см3", "ml")),
    UnitFact(
        "113",
        "кубический метр",
        "текше метр",
        "м3",
        "volume",
        ("м³", "куб.м", "кубм", "куб. м", "m3"),
    ),
    UnitFact("003", "миллиметр", "миллиметр", "мм", "length", ("mm",)),
    UnitFact("004", "сантиметр", "сантиметр", "см", "length", ("cm",)),
    UnitFact("006", "метр", "метр", "м", "length", ("m", "метров")),
    UnitFact(
        "018", "погонный метр", "қума метр", "пог. м", "length", ("пог.м", "пм", "п.м", "пог м")
    ),
    UnitFact("008", "километр", "километр", "км", "length", ("km",)),
    UnitFact(
        "055", "квадратный метр", "шаршы метр", "м2", "area", ("м²", "кв.м", "квм", "кв. м", "m2")
    ),
    UnitFact("059", "гектар", "гектар", "га", "area", ("ha",)),
    UnitFact("839", "комплект", "жиынтық", "компл", "set", ("кмп", "к-т", "комп", "set")),
    UnitFact("704", "набор", "жинақ", "наб", "set", ()),
    UnitFact("778", "упаковка", "қаптама", "упак", "package", ("уп", "уп.")),
    UnitFact("736", "рулон", "орам", "рул", "package", ()),
    UnitFact("5111", "пачка", "бума", "пач", "package", ("пачк",)),
    UnitFact("881", "условная банка", "шартты банка", "усл. банк", "package", ("банка", "банк")),
    UnitFact("868", "бутылка", "бөтелке", "бут", "package", ()),
    UnitFact("356", "час", "сағат", "ч", "time", ("h", "часов")),
    UnitFact("359", "сутки", "тәулік", "сут", "time", ()),
    UnitFact("362", "месяц", "ай", "мес", "time", ()),
    UnitFact("366", "год", "жыл", "год", "time", ("лет",)),
    UnitFact("214", "киловатт", "киловатт", "кВт", "power", ("kw",)),
    UnitFact(
        "245",
        "киловатт-час",
        "киловатт-сағат",
        "кВт·ч",
        "energy",
        ("квт*ч", "квтч", "квт.ч", "kwh"),
    ),
    UnitFact("233", "гигакалория", "гигакалория", "Гкал", "energy", ()),
    UnitFact(
        "5114", "услуга", "қызмет", "усл", "service", ("услуги", "усл.", "одна услуга", "service")
    ),
    UnitFact("980", "работа", "жұмыс", "раб", "work", ("работы", "одна работа")),
)

# Factors to a base unit of each kind (kg, l, m, m², piece, hour), for unit conversions.
UNIT_TO_BASE: dict[str, float] = {
    "166": 1.0,
    "163": 0.001,
    "168": 1000.0,
    "112": 1.0,
    "111": 0.001,
    "113": 1000.0,
    "003": 0.001,
    "004": 0.01,
    "006": 1.0,
    "018": 1.0,
    "008": 1000.0,
    "055": 1.0,
    "059": 10000.0,
    "796": 1.0,
    "356": 1.0,
    "359": 24.0,
    "362": 730.0,
    "366": 8760.0,
}

# English names of the top-level regions, as the Government of Kazakhstan and the regions'
# akimats write them in English, and their short forms for titles and tables. English
# readers know no abbreviation such as «ВКО» (EKR is not used), so the short form is the
# name without "Region"; Almaty Region keeps it, to tell it from the city of Almaty.
REGION_NAMES_EN: dict[str, tuple[str, str]] = {
    "100000000": ("Abai Region", "Abai"),
    "110000000": ("Akmola Region", "Akmola"),
    "150000000": ("Aktobe Region", "Aktobe"),
    "190000000": ("Almaty Region", "Almaty Region"),
    "230000000": ("Atyrau Region", "Atyrau"),
    "270000000": ("West Kazakhstan Region", "West Kazakhstan"),
    "310000000": ("Jambyl Region", "Jambyl"),
    "330000000": ("Jetisu Region", "Jetisu"),
    "350000000": ("Karaganda Region", "Karaganda"),
    "390000000": ("Kostanay Region", "Kostanay"),
    "430000000": ("Kyzylorda Region", "Kyzylorda"),
    "470000000": ("Mangystau Region", "Mangystau"),
    "550000000": ("Pavlodar Region", "Pavlodar"),
    "590000000": ("North Kazakhstan Region", "North Kazakhstan"),
    "610000000": ("Turkistan Region", "Turkistan"),
    "620000000": ("Ulytau Region", "Ulytau"),
    "630000000": ("East Kazakhstan Region", "East Kazakhstan"),
    "710000000": ("Astana", "Astana"),
    "750000000": ("Almaty", "Almaty"),
    "790000000": ("Shymkent", "Shymkent"),
}

# Kazakh short forms: the three abbreviations Kazakh documents use, otherwise the name
# without «облысы»; Алматы облысы keeps it, to tell it from the city.
REGION_SHORT_KK: dict[str, str] = {
    "630000000": "ШҚО",
    "590000000": "СҚО",
    "270000000": "БҚО",
    "190000000": "Алматы облысы",
}

# English names and symbols of the MKEI units (the symbols as English documents print
# them after a number: «2,000 pcs/year»).
UNIT_NAMES_EN: dict[str, tuple[str, str]] = {
    "796": ("piece", "pcs"),
    "715": ("pair", "pr"),
    "166": ("kilogram", "kg"),
    "163": ("gram", "g"),
    "168": ("tonne", "t"),
    "112": ("litre", "l"),
    "111": ("millilitre", "ml"),
    "113": ("cubic metre", "m³"),
    "003": ("millimetre", "mm"),
    "004": ("centimetre", "cm"),
    "006": ("metre", "m"),
    "018": ("running metre", "rm"),
    "008": ("kilometre", "km"),
    "055": ("square metre", "m²"),
    "059": ("hectare", "ha"),
    "839": ("set", "set"),
    "704": ("kit", "kit"),
    "778": ("package", "pkg"),
    "736": ("roll", "roll"),
    "5111": ("pack", "pack"),
    "881": ("standard can", "std can"),
    "868": ("bottle", "btl"),
    "356": ("hour", "h"),
    "359": ("day", "d"),
    "362": ("month", "mo"),
    "366": ("year", "yr"),
    "214": ("kilowatt", "kW"),
    "245": ("kilowatt-hour", "kWh"),
    "233": ("gigacalorie", "Gcal"),
    "5114": ("service", "service"),
    "980": ("work", "work"),
}

# Kazakh symbols where Kazakh does not write the Russian abbreviation («дана», not «шт»);
# metric symbols (кг, т, м, л) are the same in both languages.
UNIT_SYMBOLS_KK: dict[str, str] = {
    "796": "дана",
    "715": "жұп",
    "839": "жиынтық",
    "704": "жинақ",
    "778": "қаптама",
    "736": "орам",
    "5111": "бума",
    "868": "бөтелке",
    "018": "қума м",
    "356": "сағ",
    "359": "тәул",
    "362": "ай",
    "366": "жыл",
    "245": "кВт·сағ",
    "5114": "қызмет",
    "980": "жұмыс",
}
