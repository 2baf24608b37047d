"""The ten memoranda of the demo story, signed at the first «Дни Северо-Казахстанской области
в ВКО» (November 2025), and their commitments. Pure data: the loader (`demo.agreements`)
writes them and links the demo deals to them.

A commitment's target is a share of what its linked deals reach by the end of their year
(`pace`: below 1 it is exceeded, above 1 it is not), so the demo shows every status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from seriktes.agreements.models import KpiKind, Sector

SIGNED_ON = date(2025, 11, 14)
PLACE = "г. Усть-Каменогорск, Дворец культуры"


@dataclass(frozen=True)
class CommitmentFact:
    """A commitment: its KPI, how far its target is from what deals will bring, its deadline.

    `classes` picks the deals that count towards it (KP VED prefixes; empty: every deal
    between the two regions); `target` is fixed for KPIs fed by progress reports.
    """

    title: str
    kpi: KpiKind
    deadline: date
    pace: float = 1.0
    classes: tuple[str, ...] = ()
    unit: str | None = None
    target: int | None = None
    responsible: str = "host"  # host or guest region answers for it; "company": the supplier
    person: tuple[str, str, str] | None = None  # who answers for it: name, post, contact
    milestones: tuple[tuple[date, float], ...] = ()  # days and shares of the final target


@dataclass(frozen=True)
class MemorandumFact:
    """A memorandum of the story."""

    number: str
    title: str
    summary: str
    sectors: tuple[Sector, ...]
    commitments: tuple[CommitmentFact, ...]
    with_companies: bool = False  # a ВКО buyer and an СКО producer sign too


END_2026, MID_2026, MID_2027 = date(2026, 12, 31), date(2026, 6, 30), date(2027, 6, 30)
K = KpiKind

# Who signed (fictional people): the regions' akims and the companies' directors.
HOST_SIGNATORY = ("Е. К. Сарсенбаев", "аким Восточно-Казахстанской области")
GUEST_SIGNATORY = ("Г. Т. Жумагулов", "аким Северо-Казахстанской области")
BUYER_SIGNATORY = ("А. М. Ковалёв", "генеральный директор")
SUPPLIER_SIGNATORY = ("Н. С. Абдрахманова", "директор")

MEMORANDA: tuple[MemorandumFact, ...] = (
    MemorandumFact(
        "ВКО-СКО-2025/01",
        "О сотрудничестве в машиностроении и металлообработке",
        "Машиностроители СКО поставляют запасные части, узлы и металлоконструкции "
        "предприятиям горно-металлургического комплекса ВКО вместо импорта.",
        (Sector.INDUSTRY,),
        (
            CommitmentFact(
                "Товарооборот машиностроительной продукции",
                K.TURNOVER_KZT,
                END_2026,
                0.85,
                ("25", "27", "28", "29", "33"),
                responsible="company",
                person=("Д. Р. Исмаилов", "коммерческий директор", "+7 7152 46 10 20"),
                milestones=((date(2026, 3, 31), 0.3), (date(2026, 6, 30), 0.6)),
            ),
            CommitmentFact(
                "Договоры поставки с предприятиями ГМК",
                K.CONTRACTS_COUNT,
                END_2026,
                1.2,
                ("25", "28", "33"),
            ),
        ),
        with_companies=True,
    ),
    MemorandumFact(
        "ВКО-СКО-2025/02",
        "О поставках для горнодобывающих предприятий",
        "Оборудование, мелющие тела и футеровка для рудников и обогатительных фабрик ВКО.",
        (Sector.MINING, Sector.INDUSTRY),
        (
            CommitmentFact(
                "Поставки горно-шахтного оборудования и комплектующих",
                K.TURNOVER_KZT,
                MID_2026,
                1.6,
                ("28.92", "25.9", "24"),
            ),
            CommitmentFact(
                "Объём поставок металлопродукции",
                K.SUPPLY_VOLUME,
                END_2026,
                0.9,
                ("24", "25.9"),
                unit="168",
            ),
        ),
    ),
    MemorandumFact(
        "ВКО-СКО-2025/03",
        "О сотрудничестве в производстве строительных материалов",
        "Нерудное сырьё ВКО для заводов строительных материалов СКО и встречные поставки.",
        (Sector.CONSTRUCTION_MATERIALS, Sector.MINING),
        (
            CommitmentFact(
                "Товарооборот строительных материалов", K.TURNOVER_KZT, MID_2027, 1.5, ("23", "08")
            ),
        ),
    ),
    MemorandumFact(
        "ВКО-СКО-2025/04",
        "О сотрудничестве в агропромышленном комплексе",
        "Семена, зерно и корма СКО для хозяйств ВКО; совместные демонстрационные площадки.",
        (Sector.AGRICULTURE,),
        (
            CommitmentFact(
                "Поставки сельскохозяйственной продукции", K.CONTRACTS_COUNT, END_2026, 0.8, ("01",)
            ),
            CommitmentFact("Демонстрационные дни поля", K.EVENTS_HELD, date(2026, 9, 30), target=4),
        ),
    ),
    MemorandumFact(
        "ВКО-СКО-2025/05",
        "О развитии пищевой и перерабатывающей промышленности",
        "Мука, крупы, масло и молочная продукция СКО в торговых сетях и столовых ВКО.",
        (Sector.FOOD_PROCESSING, Sector.AGRICULTURE),
        (
            CommitmentFact(
                "Товарооборот продуктов переработки", K.TURNOVER_KZT, END_2026, 2.4, ("10", "11")
            ),
            CommitmentFact(
                "Объём поставок продуктов питания",
                K.SUPPLY_VOLUME,
                MID_2027,
                1.3,
                ("10", "11"),
                unit="168",
            ),
        ),
        with_companies=True,
    ),
    MemorandumFact(
        "ВКО-СКО-2025/06",
        "О развитии взаимной торговли",
        "Стороны содействуют росту товарооборота между регионами и замещению импорта "
        "из дальнего зарубежья поставками партнёрского региона.",
        (Sector.TRADE,),
        (
            CommitmentFact(
                "Товарооборот между ВКО и СКО",
                K.TURNOVER_KZT,
                END_2026,
                1.1,
                person=(
                    "С. А. Нуртазина",
                    "руководитель управления предпринимательства и индустриально-инновационного "
                    "развития ВКО",
                    "+7 7232 57 42 11",
                ),
                milestones=((date(2026, 6, 30), 0.4),),
            ),
            CommitmentFact(
                "Число договоров между предприятиями регионов", K.CONTRACTS_COUNT, END_2026, 0.9
            ),
        ),
    ),
    MemorandumFact(
        "ВКО-СКО-2025/07",
        "О сотрудничестве в сфере образования",
        "Практика студентов колледжей СКО на предприятиях ВКО, обмен преподавателями, "
        "дуальное обучение по рабочим специальностям.",
        (Sector.EDUCATION,),
        (
            CommitmentFact(
                "Стажировки и обмены преподавателями",
                K.EVENTS_HELD,
                END_2026,
                target=10,
                responsible="guest",
            ),
            CommitmentFact("Выпускники, трудоустроенные у партнёров", K.JOBS, MID_2027, target=60),
        ),
    ),
    MemorandumFact(
        "ВКО-СКО-2025/08",
        "О культурном сотрудничестве",
        "Гастроли театров, выставки музеев и дни культуры в обоих регионах.",
        (Sector.CULTURE,),
        (
            CommitmentFact(
                "Гастроли, выставки, дни культуры",
                K.EVENTS_HELD,
                MID_2026,
                target=6,
                responsible="guest",
            ),
        ),
    ),
    MemorandumFact(
        "ВКО-СКО-2025/09",
        "О развитии внутреннего туризма",
        "Совместные туристические маршруты: Алтай, Бурабай-Кокшетау, озёра СКО.",
        (Sector.TOURISM,),
        (CommitmentFact("Совместные туры и инфотуры", K.EVENTS_HELD, END_2026, target=5),),
    ),
    MemorandumFact(
        "ВКО-СКО-2025/10",
        "Об инвестиционном сотрудничестве",
        "Сборочное производство СКО на площадке индустриальной зоны ВКО и сервисный центр "
        "горного оборудования.",
        (Sector.INVESTMENT, Sector.INDUSTRY),
        (
            CommitmentFact(
                "Инвестиции в совместные проекты",
                K.INVESTMENT_KZT,
                MID_2027,
                target=3_000_000_000,
                responsible="guest",
            ),
            CommitmentFact("Новые рабочие места", K.JOBS, MID_2027, target=150),
        ),
    ),
)

# Progress reports of the KPIs deals cannot show: (memorandum number, commitment index,
# day, value, evidence).
REPORTS: tuple[tuple[str, int, date, int, str], ...] = (
    ("ВКО-СКО-2025/04", 1, date(2026, 6, 12), 1, "День поля в Кызылжарском районе СКО"),
    ("ВКО-СКО-2025/04", 1, date(2026, 8, 21), 1, "День поля в Глубоковском районе ВКО"),
    ("ВКО-СКО-2025/07", 0, date(2026, 2, 16), 3, "Приказ о стажировке преподавателей"),
    ("ВКО-СКО-2025/07", 0, date(2026, 5, 20), 4, "Отчёт колледжа о практике студентов"),
    ("ВКО-СКО-2025/07", 0, date(2026, 10, 2), 2, "Договор о дуальном обучении"),
    ("ВКО-СКО-2025/07", 1, date(2026, 7, 15), 18, "Справка отдела занятости"),
    ("ВКО-СКО-2025/08", 0, date(2026, 3, 22), 2, "Афиша гастролей театра им. Погодина"),
    ("ВКО-СКО-2025/08", 0, date(2026, 5, 18), 1, "Выставка в Восточно-Казахстанском музее"),
    ("ВКО-СКО-2025/09", 0, date(2026, 7, 4), 2, "Инфотур туроператоров на Алтай"),
    ("ВКО-СКО-2025/09", 0, date(2026, 8, 29), 1, "Маршрут «Озёра Приишимья»"),
    ("ВКО-СКО-2025/10", 0, date(2026, 4, 30), 1_200_000_000, "Разрешение на строительство"),
    ("ВКО-СКО-2025/10", 0, date(2026, 10, 15), 900_000_000, "Акт ввода первой очереди"),
    ("ВКО-СКО-2025/10", 1, date(2026, 10, 15), 85, "Штатное расписание сервисного центра"),
)
