"""The fictional organisations of the demo: buyers in the east, producers in the north.

Every name is invented. Buyers carry the tags of the families they procure
(`buys`), producers the tags of the families they supply (`makes`); an
organisation may be both, as a mine that sells crushed stone from its waste rock.
"""

from __future__ import annotations

from dataclasses import dataclass

from seriktes.demo.vocab import FAMILIES
from seriktes.registry.models import SizeClass

LARGE = SizeClass.LARGE
MEDIUM = SizeClass.MEDIUM
SMALL = SizeClass.SMALL
MICRO = SizeClass.MICRO


# Maker tags of traders and electrical service firms: what they sell is made by others,
# so they hold no domestic-producer certificates.
TRADE_TAGS = frozenset({"trade_parts", "metal_trade", "agro_trade", "coal", "electro"})


@dataclass(frozen=True)
class OrgSpec:
    """What the demo knows about one organisation before random details are drawn."""

    slug: str  # Latin name used for e-mail and web addresses
    name_ru: str
    name_kk: str
    town: str
    size: SizeClass
    oked: str
    founded: int  # year of state registration, the first digits of the BIN
    buys: frozenset[str]
    makes: frozenset[str]

    @property
    def own_production(self) -> bool:
        """True when it makes goods itself (a plant, a farm), not only trades or serves."""
        own = self.makes - TRADE_TAGS
        return any(item.kind == "goods" and item.makers & own for item in FAMILIES)


def org(
    names: tuple[str, str, str],
    place: tuple[str, SizeClass, str, int],
    *,
    buys: str = "",
    makes: str = "",
) -> OrgSpec:
    """Build a spec from (slug, Russian name, Kazakh name) and (town, size, OKED, year)."""
    slug, name_ru, name_kk = names
    town, size, oked, founded = place
    tags = frozenset(buys.split()), frozenset(makes.split())
    return OrgSpec(slug, name_ru, name_kk, town, size, oked, founded, *tags)


UKG = "Усть-Каменогорск"
PTR = "Петропавловск"

ORGANISATIONS: tuple[OrgSpec, ...] = (
    # Large buyers of East Kazakhstan: mines, smelters, power plants.
    org(
        ("altai-polymetall", "АО «Алтай Полиметалл»", "«Алтай Полиметалл» АҚ"),
        ("Риддер", LARGE, "07290", 1997),
        buys="mining metallurgy canteen office construction",
        makes="quarry",
    ),
    org(
        ("shygys-mys", "ТОО «Шыгыс Мыс»", "«Шығыс Мыс» ЖШС"),
        ("Алтай", LARGE, "07290", 2004),
        buys="mining canteen office",
        makes="quarry",
    ),
    org(
        ("irtysh-zinc", "АО «Иртыш Цинк Комбинат»", "«Ертіс Мырыш Комбинаты» АҚ"),
        (UKG, LARGE, "24430", 1998),
        buys="metallurgy mining canteen office construction",
    ),
    org(
        ("shygys-titan", "АО «Шыгыс Титан Металл»", "«Шығыс Титан Металл» АҚ"),
        (UKG, LARGE, "24450", 1999),
        buys="metallurgy energy canteen office",
    ),
    org(
        ("sary-altyn", "ТОО «Сары Алтын Майнинг»", "«Сары Алтын Майнинг» ЖШС"),
        (UKG, LARGE, "07290", 2007),
        buys="mining canteen office",
    ),
    org(
        ("vostok-energo", "АО «Восток Энерго Генерация»", "«Шығыс Энерго Генерация» АҚ"),
        (UKG, LARGE, "35111", 2001),
        buys="energy canteen office construction",
    ),
    org(
        ("altai-zharyk", "ТОО «Алтай Жарык Энерго»", "«Алтай Жарық Энерго» ЖШС"),
        ("Риддер", LARGE, "35111", 2006),
        buys="energy office",
    ),
    org(
        ("uba-ken", "ТОО «Уба Кен Байыту»", "«Үбі Кен Байыту» ЖШС"),
        ("Шемонаиха", LARGE, "07290", 2010),
        buys="mining canteen office",
        makes="quarry",
    ),
    org(
        ("oskemen-kurylys", "ТОО «Оскемен Курылыс Групп»", "«Өскемен Құрылыс Групп» ЖШС"),
        (UKG, MEDIUM, "41201", 2012),
        buys="construction office",
    ),
    org(
        ("altai-nan", "ТОО «Алтай Нан Комбинат»", "«Алтай Нан Комбинаты» ЖШС"),
        (UKG, MEDIUM, "10710", 2003),
        buys="food",
        makes="bakery",
    ),
    # Large buyers elsewhere.
    org(
        ("pavlodar-ferro", "АО «Павлодар Ферро Комплекс»", "«Павлодар Ферро Кешені» АҚ"),
        ("Павлодар", LARGE, "24100", 2002),
        buys="metallurgy energy canteen office",
    ),
    org(
        ("saryarka-metall", "АО «Сарыарка Металл Групп»", "«Сарыарқа Металл Групп» АҚ"),
        ("Темиртау", LARGE, "24100", 1996),
        buys="metallurgy mining canteen office",
    ),
    org(
        ("kyzylzhar-agroholding", "ТОО «Кызылжар Агрохолдинг»", "«Қызылжар Агрохолдинг» ЖШС"),
        (PTR, MEDIUM, "01110", 2008),
        buys="agro office",
        makes="farm",
    ),
    org(
        ("kyzylzhar-zhylu", "АО «Кызылжар Жылу Энерго»", "«Қызылжар Жылу Энерго» АҚ"),
        (PTR, LARGE, "35300", 2000),
        buys="energy office construction",
    ),
    org(
        ("astana-kurylys", "ТОО «Астана Курылыс Холдинг»", "«Астана Құрылыс Холдинг» ЖШС"),
        ("Астана", LARGE, "41201", 2009),
        buys="construction office",
    ),
    # Producers of North Kazakhstan: machine builders.
    org(
        ("esil-mash", "АО «Есиль Машиностроение»", "«Есіл Машина Жасау» АҚ"),
        (PTR, MEDIUM, "28920", 1999),
        makes="machine machining conveyor",
    ),
    org(
        ("kyzylzhar-agromash", "ТОО «Кызылжар Агромаш»", "«Қызылжар Агромаш» ЖШС"),
        (PTR, MEDIUM, "28300", 2005),
        makes="agromash machining",
    ),
    org(
        ("kyzylzhar-litmash", "ТОО «Кызылжар Литмаш»", "«Қызылжар Литмаш» ЖШС"),
        (PTR, MEDIUM, "24520", 2011),
        makes="foundry",
    ),
    org(
        ("esil-conveyor", "ТОО «Есиль Конвейер Системс»", "«Есіл Конвейер Системс» ЖШС"),
        (PTR, SMALL, "28220", 2014),
        makes="conveyor",
    ),
    org(
        ("petro-hydraulics", "ТОО «Петро Гидравлика»", "«Петро Гидравлика» ЖШС"),
        (PTR, SMALL, "28120", 2016),
        makes="hydraulics",
    ),
    org(
        ("bulaevo-metall", "ТОО «Булаево Металлоконструкция»", "«Булаево Металл Құрылымы» ЖШС"),
        ("Булаево", MEDIUM, "25110", 2008),
        makes="metalwork",
    ),
    org(
        ("tayynsha-mekhanika", "ТОО «Тайынша Механика»", "«Тайынша Механика» ЖШС"),
        ("Тайынша", SMALL, "25620", 2012),
        makes="machining agromash",
    ),
    org(
        ("kyzylzhar-electro", "ТОО «Кызылжар Электроремонт»", "«Қызылжар Электржөндеу» ЖШС"),
        (PTR, SMALL, "33140", 2010),
        makes="electro",
    ),
    org(
        ("soltustik-tau", "ТОО «Солтустик Тау Сервис»", "«Солтүстік Тау Сервис» ЖШС"),
        (PTR, MEDIUM, "33120", 2013),
        makes="repair machining",
    ),
    org(
        ("kyzylzhar-krepezh", "ТОО «Кызылжар Крепеж»", "«Қызылжар Бекіткіш» ЖШС"),
        (PTR, MICRO, "25940", 2019),
        makes="fasteners",
    ),
    org(
        ("kyzylzhar-rti", "ТОО «Кызылжар РТИ»", "«Қызылжар РТИ» ЖШС"),
        (PTR, SMALL, "22190", 2012),
        makes="rubber hydraulics",
    ),
    # Building materials.
    org(
        ("sergeevka-beton", "ТОО «Сергеевка Бетон»", "«Сергеевка Бетон» ЖШС"),
        ("Сергеевка", SMALL, "23630", 2009),
        makes="concrete",
    ),
    org(
        ("kyzylzhar-kirpich", "ТОО «Кызылжар Кирпич»", "«Қызылжар Кірпіш» ЖШС"),
        (PTR, SMALL, "23320", 2007),
        makes="bricks",
    ),
    org(
        (
            "soltustik-stroymat",
            "ТОО «Северные Стройматериалы»",
            "«Солтүстік Құрылыс Материалдары» ЖШС",
        ),
        ("Мамлютка", MEDIUM, "23510", 2006),
        makes="cement concrete",
    ),
    org(
        ("kyzylzhar-ogneupor", "ТОО «Кызылжар Огнеупор»", "«Қызылжар Отқатөзімді» ЖШС"),
        (PTR, SMALL, "23200", 2015),
        makes="refractory",
    ),
    # Food and farming.
    org(
        ("kyzylzhar-un", "ТОО «Кызылжар Мукомол»", "«Қызылжар Ұн» ЖШС"),
        (PTR, MEDIUM, "10611", 2001),
        buys="food",
        makes="grain",
    ),
    org(
        ("tayynsha-astyk", "ТОО «Тайынша Астык»", "«Тайынша Астық» ЖШС"),
        ("Тайынша", MEDIUM, "01110", 2004),
        buys="agro",
        makes="farm",
    ),
    org(
        ("esil-sut", "ТОО «Есиль Сут»", "«Есіл Сүт» ЖШС"),
        (PTR, MEDIUM, "10510", 2006),
        makes="dairy drinks",
    ),
    org(
        ("kyzylzhar-et", "ТОО «Кызылжар Мясокомбинат»", "«Қызылжар Ет Комбинаты» ЖШС"),
        (PTR, MEDIUM, "10110", 2003),
        buys="food",
        makes="meat",
    ),
    org(
        ("mamlyut-may", "ТОО «Мамлют Май»", "«Мамлют Май» ЖШС"),
        ("Мамлютка", SMALL, "10410", 2013),
        makes="oil",
    ),
    org(
        ("sergeevka-agro", "ТОО «Сергеевка Агро»", "«Сергеевка Агро» ЖШС"),
        ("Сергеевка", SMALL, "01130", 2009),
        makes="farm",
    ),
    org(
        ("kyzylzhar-kus", "ТОО «Кызылжар Кус»", "«Қызылжар Құс» ЖШС"),
        (PTR, MEDIUM, "01470", 2002),
        makes="poultry",
    ),
    org(
        ("soltustik-balyk", "ТОО «Солтустик Балык»", "«Солтүстік Балық» ЖШС"),
        ("Мамлютка", MICRO, "03120", 2018),
        makes="fish",
    ),
    org(
        ("bulaevo-nan", "ТОО «Булаево Нан»", "«Булаево Нан» ЖШС"),
        ("Булаево", MICRO, "10710", 2017),
        makes="bakery",
    ),
    # Services, trade and light industry of the north.
    org(
        ("kyzylzhar-logistic", "ТОО «Кызылжар Логистик»", "«Қызылжар Логистик» ЖШС"),
        (PTR, MEDIUM, "49410", 2010),
        makes="transport",
    ),
    org(
        ("esil-catering", "ТОО «Есиль Кейтеринг»", "«Есіл Кейтеринг» ЖШС"),
        (PTR, MEDIUM, "56290", 2012),
        makes="catering",
    ),
    org(
        ("kyzylzhar-specodezhda", "ТОО «Кызылжар Спецодежда»", "«Қызылжар Арнайы Киім» ЖШС"),
        (PTR, SMALL, "14120", 2011),
        makes="textile",
    ),
    org(
        ("sko-analitika", "ТОО «СКО Аналитика»", "«СҚО Аналитика» ЖШС"),
        (PTR, MICRO, "71200", 2019),
        makes="lab",
    ),
    org(
        ("kyzylzhar-oku", "ТОО «Кызылжар Учебный Центр»", "«Қызылжар Оқу Орталығы» ЖШС"),
        (PTR, MICRO, "85420", 2015),
        makes="training",
    ),
    org(
        ("esil-boyau", "ТОО «Есиль Лакокраска»", "«Есіл Бояу» ЖШС"),
        (PTR, SMALL, "20300", 2014),
        makes="chemical",
    ),
    org(
        ("kyzylzhar-mebel", "ТОО «Кызылжар Мебель»", "«Қызылжар Жиһаз» ЖШС"),
        (PTR, SMALL, "31010", 2010),
        makes="furniture wood",
    ),
    org(
        ("kyzylzhar-plast", "ТОО «Кызылжар Пласт»", "«Қызылжар Пласт» ЖШС"),
        (PTR, SMALL, "22220", 2013),
        makes="plastics print",
    ),
    org(
        ("sever-tekhsnab", "ТОО «Север Техснаб»", "«Солтүстік Техжабдықтау» ЖШС"),
        (PTR, SMALL, "46690", 2009),
        makes="trade_parts",
    ),
    org(
        ("kyzylzhar-agrosnab", "ТОО «Кызылжар Агроснаб»", "«Қызылжар Агрожабдықтау» ЖШС"),
        (PTR, SMALL, "46610", 2011),
        makes="agro_trade",
    ),
    org(
        ("esil-hotel", "ТОО «Есиль Отель»", "«Есіл Отель» ЖШС"),
        (PTR, MICRO, "55101", 2016),
        makes="hotel",
    ),
    # Producers and service firms of East Kazakhstan.
    org(
        ("irtysh-metall-komplekt", "ТОО «Иртыш Металл Комплект»", "«Ертіс Металл Комплект» ЖШС"),
        (UKG, MEDIUM, "46720", 2006),
        makes="metal_trade",
    ),
    org(
        ("altai-cement", "ТОО «Алтай Цемент»", "«Алтай Цемент» ЖШС"),
        ("Глубокое", MEDIUM, "23510", 2005),
        makes="cement concrete",
    ),
    org(
        ("ridder-mekhanika", "ТОО «Риддер Механика»", "«Риддер Механика» ЖШС"),
        ("Риддер", SMALL, "25620", 2012),
        makes="machining repair",
    ),
    org(
        ("shygys-electro", "ТОО «Шыгыс Электро Сервис»", "«Шығыс Электр Сервис» ЖШС"),
        (UKG, SMALL, "33140", 2011),
        makes="electro",
    ),
    org(
        ("altai-bal", "ТОО «Алтай Бал»", "«Алтай Бал» ЖШС"),
        (UKG, MICRO, "01490", 2018),
        makes="honey",
    ),
    org(
        ("oskemen-tamak", "ТОО «Оскемен Тамак Сервис»", "«Өскемен Тамақ Сервис» ЖШС"),
        (UKG, MEDIUM, "56290", 2008),
        makes="catering",
    ),
    org(
        ("shygys-tau-tekhnika", "ТОО «Шыгыс Тау Техника»", "«Шығыс Тау Техника» ЖШС"),
        (UKG, SMALL, "46630", 2010),
        makes="trade_parts",
    ),
    org(
        ("glubokoe-agro", "ТОО «Глубокое Агро»", "«Глубокое Агро» ЖШС"),
        ("Глубокое", SMALL, "01110", 2007),
        makes="farm",
    ),
    org(
        ("altai-kuzet", "ТОО «Алтай Кузет»", "«Алтай Күзет» ЖШС"),
        (UKG, MEDIUM, "80100", 2009),
        makes="services",
    ),
    org(
        ("shemonaikha-montazh", "ТОО «Шемонаиха Курылыс Монтаж»", "«Шемонаиха Құрылыс Монтаж» ЖШС"),
        ("Шемонаиха", SMALL, "43990", 2013),
        makes="metalwork refractory",
    ),
    # Producers of other regions.
    org(
        ("irtysh-lite", "ТОО «Иртыш Литье»", "«Ертіс Құйма» ЖШС"),
        ("Павлодар", MEDIUM, "24520", 2004),
        makes="foundry",
    ),
    org(
        ("pavlodar-reagent", "ТОО «Павлодар Реагент»", "«Павлодар Реагент» ЖШС"),
        ("Павлодар", SMALL, "20130", 2016),
        makes="reagents",
    ),
    org(
        ("saryarka-komir", "ТОО «Сарыарка Комир Трейд»", "«Сарыарқа Көмір Трейд» ЖШС"),
        ("Караганда", MEDIUM, "05100", 2006),
        makes="coal",
    ),
    org(
        ("astana-industrial", "ТОО «Астана Индастриал Снаб»", "«Астана Индастриал Снаб» ЖШС"),
        ("Астана", SMALL, "46690", 2015),
        makes="trade_parts electro",
    ),
    org(
        ("alatau-engineering", "ТОО «Алатау Инжиниринг»", "«Алатау Инжиниринг» ЖШС"),
        ("Алматы", SMALL, "71120", 2011),
        makes="engineering lab it",
    ),
)
