"""Texts and number formats of the pair report in Russian, Kazakh and English.

Kept here rather than in the web catalogues because the CLI, the API and the pages produce
the same files (as the events' agendas do).
"""

from __future__ import annotations

from decimal import Decimal

REPORT_LANGUAGES = ("ru", "kk", "en")
MILLION = Decimal(1_000_000)

LABELS: dict[str, dict[str, str]] = {
    "ru": {
        "title": "{host} ↔ {guest}: межрегиональное сотрудничество",
        "subtitle": "Справка к совещанию акимов, {year} год",
        "generated": "Сформировано",
        "headline": "Главные цифры",
        "turnover_pair": "Товарооборот между регионами",
        "turnover_dir": "Поставки {supplier} → {buyer}",
        "contracted": "Заключено договоров на сумму",
        "deals": "Договоров между регионами",
        "vs_last_year": "к {year} г.",
        "potential": "Импортозамещение: закупки {buyer} из дальнего зарубежья, которые может "
        "поставить {supplier}",
        "of_far": "из {total} закупок из дальнего зарубежья",
        "tci": "Взаимодополняемость: потребности {buyer} и предложения {supplier} (TCI)",
        "memoranda": "Меморандумы: выполнено обязательств",
        "sme": "Доля МСБ в договорах крупных покупателей",
        "grp": "ВРП {region}, {year}",
        "chart_trend": "Товарооборот по месяцам, {year}",
        "chart_potential": "Крупнейшие возможности импортозамещения",
        "chart_memoranda": "Выполнение обязательств по меморандумам",
        "month": "Месяц",
        "section": "Раздел КП ВЭД",
        "turnover_by_month": "Товарооборот по месяцам",
        "turnover_by_section": "Товарооборот по разделам КП ВЭД, {year}",
        "opportunities": "Возможности импортозамещения по классам",
        "buyers_region": "Регион покупателя",
        "class": "Класс КП ВЭД",
        "far_value": "Закупки из дальнего зарубежья",
        "matched_value": "Может поставить регион-партнёр",
        "needs": "Потребностей",
        "matched_needs": "С подходящим производителем",
        "complementarity": "Взаимодополняемость экономик",
        "division": "Раздел (2 знака)",
        "need_share": "Доля в потребностях",
        "offer_share": "Доля в предложениях",
        "overlap": "Совпадение",
        "tci_rule": "TCI = 100 × (1 − Σ|mᵢ − xᵢ| / 2): mᵢ — доля класса i в стоимости открытых "
        "потребностей покупателей, xᵢ — в стоимости годовой мощности (мощность × цена) "
        "опубликованных предложений производителей.",
        "tci_count": "У производителей нет предложений с ценой и мощностью: xᵢ считается по "
        "числу предложений.",
        "memoranda_table": "Меморандумы и обязательства",
        "number": "Номер",
        "memorandum": "Меморандум",
        "signed": "Подписан",
        "commitment": "Обязательство",
        "target": "Цель",
        "value": "Достигнуто",
        "deadline": "Срок",
        "status": "Статус",
        "sme_table": "МСБ в закупках крупных покупателей",
        "buyer": "Покупатель",
        "matched_total": "Подобрано, всего",
        "matched_sme": "Доля МСБ в подобранном",
        "contracted_total": "Законтрактовано, всего",
        "contracted_sme": "Доля МСБ в договорах",
        "grp_table": "Валовой региональный продукт (млн ₸)",
        "region": "Регион",
        "year": "Год",
        "grp_value": "ВРП, млн ₸",
        "national_share": "Доля в ВРП страны",
        "growth": "Рост к прошлому году",
        "no_grp": "ВРП не показан: нет файла данных статистики.",
        "nothing": "Нет данных.",
        "rules": "Как считаются цифры",
        "rule_confirmed": "Учитываются только подтверждённые договоры: подтверждённые обеими "
        "сторонами или координатором региона — стороны меморандума по номеру или документу "
        "договора. Договоры, ожидающие подтверждения или оспоренные, в цифры не входят.",
        "rule_turnover": "Товарооборот: по каждому действующему договору — стоимость поставок "
        "в тенге на даты поставок, а пока поставок нет — сумма договора на дату подписания "
        "(как в обязательствах меморандумов). Направление — из региона поставщика в регион "
        "покупателя.",
        "rule_potential": "Импортозамещение: открытые потребности, закупаемые сегодня в дальнем "
        "зарубежье (количество × цена, ₸), и та их часть, для которой есть сильное или "
        "возможное совпадение с производителем региона-партнёра (слабые совпадения не "
        "считаются: они часто ошибочны).",
        "rule_sme": "МСБ — микро, малые и средние предприятия по реестру. Подобранное: стоимость "
        "открытой потребности крупного покупателя относится к производителю лучшего "
        "совпадения; договоры — суммы действующих договоров за год.",
        "rule_status": "Статус обязательства: выполнено — значение ≥ цели; просрочено — срок "
        "прошёл; под угрозой — значение < цель × доля прошедшего срока × 0,8; иначе в графике.",
        "sheet_summary": "Сводка",
        "sheet_months": "Оборот по месяцам",
        "sheet_sections": "Оборот по разделам",
        "sheet_potential": "Импортозамещение",
        "sheet_tci": "Взаимодополняемость",
        "sheet_memoranda": "Меморандумы",
        "sheet_sme": "МСБ",
        "sheet_grp": "ВРП",
        "sheet_charts": "Графики",
        "figure": "Показатель",
        "amount_kzt": "Сумма, ₸",
        "million_kzt": "{amount} млн ₸",
        "billion_kzt": "{amount} млрд ₸",
        "trillion_kzt": "{amount} трлн ₸",
        "kzt": "{amount} ₸",
        "total": "Итого",
    },
    "kk": {
        "title": "{host} ↔ {guest}: өңіраралық ынтымақтастық",
        "subtitle": "Әкімдер кеңесіне анықтама, {year} жыл",
        "generated": "Жасалған уақыты",
        "headline": "Негізгі көрсеткіштер",
        "turnover_pair": "Өңірлер арасындағы тауар айналымы",
        "turnover_dir": "Жеткізілім {supplier} → {buyer}",
        "contracted": "Жасалған шарттар сомасы",
        "deals": "Өңірлер арасындағы шарттар",
        "vs_last_year": "{year} жылға қарағанда",
        "potential": "Импортты алмастыру: {buyer} алыс шетелден сатып алатын, {supplier} "
        "жеткізе алатын тауарлар",
        "of_far": "алыс шетелден {total} сатып алудың ішінен",
        "tci": "Өзара толықтырушылық: {buyer} қажеттіліктері мен {supplier} ұсыныстары (TCI)",
        "memoranda": "Меморандумдар: орындалған міндеттемелер",
        "sme": "Ірі сатып алушылар шарттарындағы ШОБ үлесі",
        "grp": "{region} ЖӨӨ, {year}",
        "chart_trend": "Айлар бойынша тауар айналымы, {year}",
        "chart_potential": "Импортты алмастырудың ең ірі мүмкіндіктері",
        "chart_memoranda": "Меморандумдар бойынша міндеттемелердің орындалуы",
        "month": "Ай",
        "section": "ЭҚЖЖ ӨСЖ бөлімі",
        "turnover_by_month": "Айлар бойынша тауар айналымы",
        "turnover_by_section": "ЭҚЖЖ ӨСЖ бөлімдері бойынша тауар айналымы, {year}",
        "opportunities": "Сыныптар бойынша импортты алмастыру мүмкіндіктері",
        "buyers_region": "Сатып алушы өңірі",
        "class": "ЭҚЖЖ ӨСЖ сыныбы",
        "far_value": "Алыс шетелден сатып алу",
        "matched_value": "Серіктес өңір жеткізе алады",
        "needs": "Қажеттіліктер",
        "matched_needs": "Лайық өндірушісі бар",
        "complementarity": "Экономикалардың өзара толықтырушылығы",
        "division": "Бөлім (2 таңба)",
        "need_share": "Қажеттіліктегі үлесі",
        "offer_share": "Ұсыныстағы үлесі",
        "overlap": "Сәйкестік",
        "tci_rule": "TCI = 100 × (1 − Σ|mᵢ − xᵢ| / 2): mᵢ — i сыныбының сатып алушылардың ашық "
        "қажеттіліктері құнындағы үлесі, xᵢ — өндірушілердің жарияланған ұсыныстарының "
        "жылдық қуаты құнындағы (қуат × баға) үлесі.",
        "tci_count": "Өндірушілерде бағасы мен қуаты бар ұсыныс жоқ: xᵢ ұсыныстар саны бойынша "
        "есептеледі.",
        "memoranda_table": "Меморандумдар мен міндеттемелер",
        "number": "Нөмірі",
        "memorandum": "Меморандум",
        "signed": "Қол қойылды",
        "commitment": "Міндеттеме",
        "target": "Мақсат",
        "value": "Қол жеткізілді",
        "deadline": "Мерзімі",
        "status": "Мәртебесі",
        "sme_table": "Ірі сатып алушылардың сатып алуындағы ШОБ",
        "buyer": "Сатып алушы",
        "matched_total": "Іріктелген, барлығы",
        "matched_sme": "Іріктелгендегі ШОБ үлесі",
        "contracted_total": "Шарт жасалған, барлығы",
        "contracted_sme": "Шарттардағы ШОБ үлесі",
        "grp_table": "Жалпы өңірлік өнім (млн ₸)",
        "region": "Өңір",
        "year": "Жыл",
        "grp_value": "ЖӨӨ, млн ₸",
        "national_share": "Ел ЖІӨ-дегі үлесі",
        "growth": "Өткен жылға өсімі",
        "no_grp": "ЖӨӨ көрсетілмеген: статистика деректерінің файлы жоқ.",
        "nothing": "Деректер жоқ.",
        "rules": "Көрсеткіштер қалай есептеледі",
        "rule_confirmed": "Тек расталған шарттар ескеріледі: екі тарап немесе меморандум "
        "тарабы өңірінің үйлестірушісі шарттың нөмірі не құжаты бойынша растаған шарттар. "
        "Растауды күтетін немесе дау айтылған шарттар көрсеткіштерге кірмейді.",
        "rule_turnover": "Тауар айналымы: әрбір қолданыстағы шарт бойынша — жеткізілімдердің "
        "жеткізу күндеріндегі теңгемен құны, ал жеткізілім болмаса — қол қою күніндегі шарт "
        "сомасы (меморандум міндеттемелеріндегідей). Бағыты — жеткізушінің өңірінен сатып "
        "алушының өңіріне.",
        "rule_potential": "Импортты алмастыру: бүгін алыс шетелден сатып алынатын ашық "
        "қажеттіліктер (саны × баға, ₸) және олардың серіктес өңір өндірушісімен күшті не "
        "ықтимал сәйкестігі бар бөлігі (әлсіз сәйкестіктер есептелмейді: олар жиі қате).",
        "rule_sme": "ШОБ — тізілім бойынша микро, шағын және орта кәсіпорындар. Іріктелген: ірі "
        "сатып алушының ашық қажеттілігінің құны ең үздік сәйкестіктің өндірушісіне "
        "жатқызылады; шарттар — жыл ішіндегі қолданыстағы шарттар сомасы.",
        "rule_status": "Міндеттеме мәртебесі: орындалды — мәні ≥ мақсат; мерзімі өтті — мерзім "
        "аяқталды; қауіп бар — мәні < мақсат × өткен мерзім үлесі × 0,8; әйтпесе кестеде.",
        "sheet_summary": "Жиынтық",
        "sheet_months": "Айлар бойынша",
        "sheet_sections": "Бөлімдер бойынша",
        "sheet_potential": "Импортты алмастыру",
        "sheet_tci": "Толықтырушылық",
        "sheet_memoranda": "Меморандумдар",
        "sheet_sme": "ШОБ",
        "sheet_grp": "ЖӨӨ",
        "sheet_charts": "Графиктер",
        "figure": "Көрсеткіш",
        "amount_kzt": "Сомасы, ₸",
        "million_kzt": "{amount} млн ₸",
        "billion_kzt": "{amount} млрд ₸",
        "trillion_kzt": "{amount} трлн ₸",
        "kzt": "{amount} ₸",
        "total": "Барлығы",
    },
    "en": {
        "title": "{host} ↔ {guest}: interregional cooperation",
        "subtitle": "Brief for the governors' meeting, {year}",
        "generated": "Generated",
        "headline": "Headline figures",
        "turnover_pair": "Turnover between the regions",
        "turnover_dir": "Supplies {supplier} → {buyer}",
        "contracted": "Contracts signed worth",
        "deals": "Contracts between the regions",
        "vs_last_year": "vs {year}",
        "potential": "Import substitution: far-abroad purchases of {buyer} that {supplier} "
        "can supply",
        "of_far": "of {total} bought from far abroad",
        "tci": "Complementarity: needs of {buyer} and offers of {supplier} (TCI)",
        "memoranda": "Memoranda: commitments achieved",
        "sme": "SME share of large buyers' contracts",
        "grp": "GRP of {region}, {year}",
        "chart_trend": "Turnover by month, {year}",
        "chart_potential": "Largest import-substitution opportunities",
        "chart_memoranda": "Memoranda commitments by status",
        "month": "Month",
        "section": "KP VED section",
        "turnover_by_month": "Turnover by month",
        "turnover_by_section": "Turnover by KP VED section, {year}",
        "opportunities": "Import-substitution opportunities by class",
        "buyers_region": "Buyers' region",
        "class": "KP VED class",
        "far_value": "Bought from far abroad",
        "matched_value": "Partner region can supply",
        "needs": "Needs",
        "matched_needs": "With a matching producer",
        "complementarity": "Complementarity of the economies",
        "division": "Division (2 digits)",
        "need_share": "Share of needs",
        "offer_share": "Share of offers",
        "overlap": "Overlap",
        "tci_rule": "TCI = 100 × (1 − Σ|mᵢ − xᵢ| / 2): mᵢ is class i's share of the value of the "
        "buyers' open needs, xᵢ its share of the value of a year's capacity (capacity × price) "
        "of the producers' published offers.",
        "tci_count": "No producer offer has both a price and a capacity: xᵢ counts offers.",
        "memoranda_table": "Memoranda and commitments",
        "number": "Number",
        "memorandum": "Memorandum",
        "signed": "Signed",
        "commitment": "Commitment",
        "target": "Target",
        "value": "Achieved",
        "deadline": "Deadline",
        "status": "Status",
        "sme_table": "SMEs in large buyers' procurement",
        "buyer": "Buyer",
        "matched_total": "Matched, total",
        "matched_sme": "SME share of matched",
        "contracted_total": "Contracted, total",
        "contracted_sme": "SME share of contracts",
        "grp_table": "Gross regional product (million KZT)",
        "region": "Region",
        "year": "Year",
        "grp_value": "GRP, million KZT",
        "national_share": "Share of the country",
        "growth": "Growth on the year before",
        "no_grp": "GRP not shown: the statistics data file is absent.",
        "nothing": "No data.",
        "rules": "How the figures are counted",
        "rule_confirmed": "Only confirmed deals are counted: confirmed by both sides, or by a "
        "coordinator of a party region of the memorandum on the contract's number or "
        "document. Deals awaiting confirmation or disputed are in no figure.",
        "rule_turnover": "Turnover: for every deal not cancelled, the KZT value of its "
        "deliveries on their dates, or, while nothing is delivered, the contract amount on the "
        "signing date (the rule of the memoranda's commitments), from the supplier's region to "
        "the buyer's.",
        "rule_potential": "Import substitution: open needs bought from far abroad today "
        "(quantity × price, KZT) and the part with a strong or possible match from a "
        "partner-region producer (weak matches do not count: they are often wrong).",
        "rule_sme": "SMEs are micro, small and medium enterprises by the registry. Matched: a "
        "large buyer's open need's value goes to the producer of its best match; contracts: "
        "amounts of the year's deals not cancelled.",
        "rule_status": "Commitment status: achieved — value ≥ target; overdue — deadline passed; "
        "at risk — value < target × elapsed share × 0.8; on track otherwise.",
        "sheet_summary": "Summary",
        "sheet_months": "Turnover by month",
        "sheet_sections": "Turnover by section",
        "sheet_potential": "Import substitution",
        "sheet_tci": "Complementarity",
        "sheet_memoranda": "Memoranda",
        "sheet_sme": "SMEs",
        "sheet_grp": "GRP",
        "sheet_charts": "Charts",
        "figure": "Figure",
        "amount_kzt": "Amount, KZT",
        "million_kzt": "{amount} M KZT",
        "billion_kzt": "{amount} bn KZT",
        "trillion_kzt": "{amount} tn KZT",
        "kzt": "{amount} KZT",
        "total": "Total",
    },
}

STATUSES: dict[str, dict[str, str]] = {
    "ru": {
        "achieved": "выполнено",
        "on_track": "в графике",
        "at_risk": "под угрозой",
        "overdue": "просрочено",
    },
    "kk": {
        "achieved": "орындалды",
        "on_track": "кестеде",
        "at_risk": "қауіп бар",
        "overdue": "мерзімі өтті",
    },
    "en": {
        "achieved": "achieved",
        "on_track": "on track",
        "at_risk": "at risk",
        "overdue": "overdue",
    },
}
STATUS_ORDER = ("achieved", "on_track", "at_risk", "overdue")

SECTORS: dict[str, dict[str, str]] = {
    "ru": {
        "industry": "промышленность",
        "agriculture": "сельское хозяйство",
        "trade": "торговля",
        "mining": "горнодобыча",
        "construction_materials": "стройматериалы",
        "food_processing": "пищевая переработка",
        "education": "образование",
        "culture": "культура",
        "tourism": "туризм",
        "investment": "инвестиции",
        "health": "здравоохранение",
        "transport": "транспорт",
        "energy": "энергетика",
        "other": "другое",
    },
    "kk": {
        "industry": "өнеркәсіп",
        "agriculture": "ауыл шаруашылығы",
        "trade": "сауда",
        "mining": "тау-кен өндірісі",
        "construction_materials": "құрылыс материалдары",
        "food_processing": "тамақ өңдеу",
        "education": "білім беру",
        "culture": "мәдениет",
        "tourism": "туризм",
        "investment": "инвестициялар",
        "health": "денсаулық сақтау",
        "transport": "көлік",
        "energy": "энергетика",
        "other": "басқа",
    },
    "en": {},
}


def language(lang: str) -> str:
    """`lang` when the report speaks it, Russian otherwise."""
    return lang if lang in REPORT_LANGUAGES else "ru"


def label(lang: str, key: str, **values: object) -> str:
    """A report text in `lang` with `values` filled in."""
    text = LABELS[language(lang)][key]
    return text.format(**values) if values else text


def status_name(lang: str, status: str) -> str:
    """A commitment status in words."""
    return STATUSES[language(lang)].get(status, status)


def sector_name(lang: str, sector: str) -> str:
    """A memorandum sector in words."""
    return SECTORS[language(lang)].get(sector, sector.replace("_", " "))


def _grouped(text: str, lang: str) -> str:
    return text if lang == "en" else text.replace(",", "\u202f").replace(".", ",")


def money(value: Decimal | float | int, lang: str) -> str:
    """KZT as a governor reads it: «12,3 млн ₸», «2,4 млрд ₸», «5,8 трлн ₸»; whole tenge
    below a million."""
    amount = Decimal(str(value))
    for scale, key in ((MILLION**2, "trillion_kzt"), (MILLION * 1000, "billion_kzt")):
        if abs(amount) >= scale:
            return label(lang, key, amount=_grouped(f"{amount / scale:,.1f}", lang))
    if abs(amount) >= MILLION:
        number = _grouped(f"{amount / MILLION:,.1f}", lang)
        return label(lang, "million_kzt", amount=number)
    return label(lang, "kzt", amount=_grouped(f"{amount:,.0f}", lang))


def percent(share: float | None, lang: str) -> str:
    """A share as whole percent («42 %»); a dash when there is none."""
    if share is None:
        return "—"
    number = f"{share * 100:.0f}"
    return f"{number}%" if lang == "en" else f"{number}\u202f%"


def signed_percent(share: float | None, lang: str) -> str:
    """A change as signed percent («+12 %», «−5 %»); a dash when there is none."""
    if share is None:
        return "—"
    text = percent(abs(share), lang)
    return ("+" if share >= 0 else "−") + text


def number(value: Decimal | float | int, lang: str, digits: int = 0) -> str:
    """A number grouped as `lang` writes it."""
    return _grouped(f"{Decimal(str(value)):,.{digits}f}", language(lang))
