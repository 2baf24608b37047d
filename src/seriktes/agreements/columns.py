"""Column map of the deals import: English field names and accepted headers."""

from seriktes.kit.importing import Column

DEAL_COLUMNS = (
    Column(
        "number",
        ("Номер договора", "№ договора", "Номер контракта", "Договор", "contract number"),
        True,
        "contract number; re-import updates the buyer's deal with this number",
    ),
    Column(
        "signed_on",
        ("Дата договора", "Дата заключения", "Дата подписания", "Дата", "date", "signed"),
        True,
        "date 31.03.2026 or 2026-03-31",
    ),
    Column(
        "buyer_bin",
        ("БИН покупателя", "БИН заказчика", "Покупатель БИН", "buyer bin", "buyer"),
        True,
        "buyer's BIN (registered organisation)",
    ),
    Column(
        "supplier_bin",
        ("БИН поставщика", "Поставщик БИН", "supplier bin", "supplier"),
        True,
        "supplier's BIN (registered organisation)",
    ),
    Column(
        "subject",
        ("Предмет договора", "Предмет", "Наименование", "subject", "name"),
        True,
        "what is bought",
    ),
    Column("class_code", ("КП ВЭД", "Код КП ВЭД", "ОКПД2", "kpved"), help="KP VED code XX.XX.XX"),
    Column("quantity", ("Количество", "Кол-во", "Объем", "qty"), help="contracted quantity"),
    Column(
        "unit",
        ("Ед. изм.", "Единица измерения", "Ед изм", "unit_code"),
        help="MKEI code (168) or name (т, кг, шт)",
    ),
    Column(
        "amount",
        ("Сумма договора", "Сумма", "Стоимость", "contract amount"),
        True,
        "contract amount in its currency, VAT included",
    ),
    Column("currency", ("Валюта",), help="ISO code, KZT by default"),
    Column(
        "rate_to_kzt",
        ("Курс", "Курс к тенге", "rate", "exchange rate"),
        help="KZT per unit of the currency; the stated reference rate when empty",
    ),
    Column(
        "status",
        ("Статус", "Состояние"),
        help="signed / completed / cancelled (действует, исполнен, расторгнут)",
    ),
    Column("need_id", ("ID потребности", "Потребность", "need"), help="id of the buyer's need"),
    Column(
        "offer_id", ("ID предложения", "Предложение", "offer"), help="id of the supplier's offer"
    ),
    Column(
        "meeting_id",
        ("ID встречи", "Встреча", "meeting"),
        help="id of the B2B meeting request between the two",
    ),
    Column(
        "memorandum",
        ("Меморандум", "Номер меморандума", "memorandum number"),
        help="number of the memorandum the deal executes",
    ),
    Column(
        "commitment_ids",
        ("Обязательства", "ID обязательств", "commitments"),
        help="ids of the commitments it counts towards, separated by ;",
    ),
)
