"""Small register files in the header shape of the real registers, row by row."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tests.factories import write_csv

INDUSTRIAL_HEADER = [
    "Регистрационный номер индустриального сертификата",
    "БИН/ИИН",
    "Наименование производителей товаров, работ, услуг",
    "Вид деятельности согласно ОКЭД (перв, вторич.)",
    "Регион согласно КАТО",
    "Юридический адрес",
    "Почтовый (фактический) адрес",
    "Почтовый (фактический) адрес материально-технической базы",
    "Наименование товаров (категория), работ, услуг",
    "Производственная мощность, кол-во единиц в год",
    "ТН ВЭД ЕАЭС",
    "КП ВЭД",
    "Номер документа об оценке соотвествия",
    "Дата выдачи документа об оценке соотвествия",
    "Дата окончания документа об оценке соотвествия",
    "Номер и дата лицензии или разрешения",
    "Количество сотрудников",
    "Дата включения в Реестр",
    "Дата внесения изменений и/или дополнений",
    "Дата проведения актуализации сведений, указанных в Реестре",
]
ORIGIN_HEADER = [
    "Код РПП",
    "Наименование РПП",
    "Номер сертификата происхождения",
    "Номер бланка",
    "Год выдачи",
    "Цель получения сертификата",
    "Категория",
    "ИИН/ БИН производителя",
    "Наименование производителя",
    "Адрес производителя",
    "Наименование товара",
    "Код ТН ВЭД",
    "Код КП ВЭД",
    "Количество товара",
    "Единица измерения",
    "Код единицы измерения",
    "Критерий происхождения",
    "ДВЦ",
    "ИИН/БИН получателя",
    "Дата окончания действия сертификата",
    "Статус сертификата",
    "Дата выдачи",
]
SERIAL_HEADER = [
    "Номер сертификата о происхождении серийной продукции и дата его выдачи",
    "Производитель товара\n(адрес производителя товара)",
    "Наименование товара\n(код ТН ВЭД ЕАЭС)",
    "Статус сертификата о происхождении серийной продукции\n(срок действия)",
]


def industrial_row(
    number: str,
    bin_value: str,
    name: str,
    kato: str,
    address: str,
    product: str,
    capacity: str,
    hs: str = "-",
    kpved: str = "-",
    registered: str = "2020.08.14",
) -> list[str]:
    """A row of the registry of domestic producers (one product of a certificate)."""
    return [
        number, bin_value, name, "88100", kato, address, address, address, product, capacity,
        hs, kpved, "-", "-", "-", "-", "68", registered, "-", "-",
    ]  # fmt: skip


def origin_row(
    bin_value: str,
    product: str,
    share: str = "68,23",
    unit: tuple[str, str] = ("шт", "796"),
    until: str = "27.03.2026",
    status: str = "Действующий",
    number: str = "KZ 5 120 00012",
) -> list[str]:
    """A row of the ST-KZ certificates of origin (one product of a certificate)."""
    return [
        "120", "Палата предпринимателей области Ұлытау", number, "2310478.0", "2025",
        "Для подтверждения страны происхождения товара", "на серийное производство товара",
        bin_value, 'ТОО "Казтехфильтр"', "200000, РК, обл. Ұлытау, г. Жезказган, ул. Желтоксан, 19",
        product, "8421990006", "28.29.82", "20", unit[0], unit[1], "Д8421", share, "", until,
        status, "27.03.2025",
    ]  # fmt: skip


def write_register(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    """Write a register as CSV."""
    return write_csv(path, header, rows)
