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
        help="domestic / eaeu / far_abroad / unknown (РК, ЕАЭС, дальнее зарубежье), or a "
        "country by name or ISO code (Китай, КНР, CN, CHN, Германия, РФ)",
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
