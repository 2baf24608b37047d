"""Column maps of the needs and offers imports: English field names and accepted headers."""

from seriktes.kit.importing import Column

NEED_COLUMNS = (
    Column(
        "external_id",
        ("ID", "Внешний ID", "Номер строки", "Номер пункта плана", "№ п/п", "Код строки"),
        help="your id of the line; re-import updates by it",
    ),
    Column(
        "buyer_bin",
        ("БИН заказчика", "БИН", "Заказчик БИН", "buyer bin", "bin"),
        True,
        "buyer's BIN",
    ),
    Column(
        "buyer_name",
        ("Заказчик", "Наименование заказчика", "buyer"),
        help="buyer's name; creates the buyer when its BIN is not registered yet",
    ),
    Column(
        "title",
        ("Наименование", "Наименование товара", "Наименование ТРУ", "Предмет закупки", "name"),
        True,
        "what is bought",
    ),
    Column(
        "description",
        ("Описание", "Дополнительная характеристика", "Характеристика", "Краткая характеристика"),
        help="details",
    ),
    Column("class_code", ("КП ВЭД", "Код КП ВЭД", "ОКПД2", "kpved"), help="KP VED code XX.XX.XX"),
    Column(
        "enstru_code",
        ("Код ЕНС ТРУ", "ЕНС ТРУ", "КТРУ", "enstru"),
        help="ENS TRU code XXXXXX.XXX.XXXXXX",
    ),
    Column("quantity", ("Кол-во", "Количество", "Объем", "qty"), help="quantity"),
    Column(
        "unit",
        ("Ед. изм.", "Единица измерения", "Ед изм", "ЕИ", "unit_code"),
        help="MKEI code (796) or name (шт, кг, м2, услуга)",
    ),
    Column(
        "unit_price",
        ("Цена за ед.", "Цена за единицу", "Цена", "price"),
        help="unit price without VAT",
    ),
    Column("currency", ("Валюта",), help="ISO code, KZT by default"),
    Column(
        "delivery_region",
        ("Регион поставки", "Место поставки", "КАТО поставки", "region"),
        help="KATO code or oblast name",
    ),
    Column(
        "needed_by",
        ("Срок поставки", "Дата поставки", "Нужно к", "deadline"),
        help="date 31.03.2026 or 2026-03-31",
    ),
    Column(
        "origin",
        ("Происхождение", "Страна происхождения", "Текущее происхождение"),
        help="domestic / eaeu / far_abroad / unknown (РК, ЕАЭС, дальнее зарубежье)",
    ),
    Column("status", ("Статус",), help="draft / published / closed"),
)

OFFER_COLUMNS = (
    Column(
        "external_id",
        ("ID", "Внешний ID", "Артикул", "Код товара", "sku"),
        help="your id of the product; re-import updates by it",
    ),
    Column("producer_bin", ("БИН производителя", "БИН", "БИН/ИИН", "bin"), True, "producer's BIN"),
    Column(
        "producer_name",
        ("Производитель", "Наименование производителя", "producer"),
        help="producer's name; creates the producer when its BIN is not registered yet",
    ),
    Column(
        "title",
        ("Наименование", "Наименование товара", "Продукция", "name"),
        True,
        "product or service",
    ),
    Column("description", ("Описание", "Характеристика"), help="details"),
    Column("class_code", ("КП ВЭД", "Код КП ВЭД", "ОКПД2", "kpved"), help="KP VED code XX.XX.XX"),
    Column(
        "hs_code", ("ТН ВЭД", "ТН ВЭД ЕАЭС", "Код ТН ВЭД", "hs"), help="HS code, up to 10 digits"
    ),
    Column(
        "capacity_per_year",
        ("Мощность в год", "Производственная мощность", "Мощность", "capacity"),
        help="yearly capacity in the unit",
    ),
    Column(
        "unit", ("Ед. изм.", "Единица измерения", "Ед изм", "unit_code"), help="MKEI code or name"
    ),
    Column("price", ("Цена", "Цена за ед.", "Цена за единицу"), help="unit price"),
    Column("currency", ("Валюта",), help="ISO code, KZT by default"),
    Column(
        "certificates",
        ("Сертификаты", "СТ-KZ", "Сертификат СТ-KZ", "Индустриальный сертификат"),
        help="ST-KZ and industrial certificate numbers separated by ;",
    ),
    Column("status", ("Статус",), help="draft / published / archived"),
)


def import_docs_markdown() -> str:
    """Return docs/IMPORTS.md: every import's column map, generated from the code."""
    from seriktes.agreements.columns import DEAL_COLUMNS
    from seriktes.catalog.producers.formats import FORMATS
    from seriktes.kit.importing import columns_markdown
    from seriktes.registry.columns import ORGANISATION_COLUMNS

    intro = (
        "# Import column maps\n\n"
        "Generated from the code by `seriktes import columns --markdown`; a test keeps this\n"
        "file equal to the code. Headers match whatever their case, `ё`/`е`, spaces and\n"
        "punctuation; the English field name is always accepted too. CSV files may be UTF-8\n"
        "or CP1251, separated by `,`, `;` or tabs. Columns not listed are ignored.\n\n"
        'Needs may also come as goszakup OWS v3 plan JSON (`{"items": [...]}`): `id` →\n'
        "external id `goszakup:<id>`, `subject_biin`/`subject_name_ru` → buyer, `name_ru` →\n"
        "title, `extra_desc_ru` → description, `desc_ru` → specification, `ref_enstru_code` →\n"
        "ENS TRU code and KP VED class, `count`, `price`, `ref_units_code` → quantity, unit\n"
        "price, unit.\n\n"
        "Registers of domestic producers (`seriktes import producers`) come in three shapes,\n"
        "told from the header row by their certificate number column. Their cells may combine\n"
        "values: «KZ EA 4 102 00005 от 12.03.2021» (number and date of issue), «ТОО «X»\n"
        "(г. Алматы, ...)» (producer and address, in brackets or on the next line), «Филе ЦБ\n"
        "(0207141001)» (product and HS code), «Действителен до 31.12.2025» (status and end\n"
        "date). A «-» is an empty cell.\n\n"
    )
    return intro + "\n".join(
        [
            columns_markdown("Organisations (`seriktes import orgs`)", ORGANISATION_COLUMNS),
            columns_markdown("Needs (`seriktes import needs`)", NEED_COLUMNS),
            columns_markdown("Offers (`seriktes import offers`)", OFFER_COLUMNS),
            columns_markdown("Deals (`seriktes import deals`)", DEAL_COLUMNS),
            *(
                columns_markdown(
                    f"{register.title} (`seriktes import producers`, {register.kind.value})",
                    register.columns,
                )
                for register in FORMATS
            ),
        ]
    )
