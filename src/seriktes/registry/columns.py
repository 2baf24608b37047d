"""Column map of the organisations import: the English field and the headers accepted."""

from seriktes.kit.importing import Column

ORGANISATION_COLUMNS = (
    Column(
        "bin",
        ("БИН", "БИН/ИИН", "ИИН/БИН", "BIN/IIN", "БСН"),
        True,
        "12 digits, check digit verified",
    ),
    Column(
        "name_ru",
        (
            "Наименование",
            "Наименование организации",
            "Название",
            "name",
            "Компания",
            "Наименование производителей товаров, работ, услуг",
        ),
        True,
        "name in Russian",
    ),
    Column("name_kk", ("Наименование на казахском", "Атауы", "name_kz"), help="name in Kazakh"),
    Column(
        "region",
        ("Регион", "Область", "КАТО", "Регион согласно КАТО", "region_kato"),
        help="KATO code (63 or 630000000) or oblast name (ВКО, Восточно-Казахстанская область)",
    ),
    Column(
        "size_class",
        ("Размер", "Категория предприятия", "Субъект предпринимательства", "size"),
        help="large / medium / small / micro (крупный / средний / малый / микро)",
    ),
    Column(
        "oked",
        (
            "ОКЭД",
            "Вид деятельности",
            "Вид деятельности согласно ОКЭД",
            "Вид деятельности согласно ОКЭД (перв, вторич.)",
        ),
        help="OKED code",
    ),
    Column(
        "certificates",
        (
            "Сертификаты",
            "Сертификаты СТ-KZ",
            "Индустриальный сертификат",
            "Номер индустриального сертификата",
            "Регистрационный номер индустриального сертификата",
        ),
        help="domestic-producer certificate numbers separated by ;",
    ),
    Column("address", ("Адрес", "Юридический адрес"), help="address"),
    Column("contact_person", ("Контактное лицо", "Контакт", "contact"), help="contact person"),
    Column("phone", ("Телефон", "Тел"), help="phone"),
    Column("email", ("E-mail", "Эл. почта", "Электронная почта", "email"), help="e-mail"),
    Column("website", ("Сайт", "Веб-сайт", "web"), help="website"),
)
