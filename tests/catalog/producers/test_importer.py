"""Registers of producers imported from small files in the shape of the real ones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.analytics.stats import table_counts
from seriktes.catalog.certificates import certified_offer_ids
from seriktes.catalog.models import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    ClassSource,
    Offer,
)
from seriktes.catalog.producers import ProducerReport, import_producers
from seriktes.kit.i18n import translate
from seriktes.kit.importing import ImportFailed
from seriktes.registry.models import Organisation
from tests.catalog.producers.files import (
    INDUSTRIAL_HEADER,
    ORIGIN_HEADER,
    SERIAL_HEADER,
    industrial_row,
    origin_row,
    write_register,
)
from tests.factories import valid_bins, write_xlsx, wrong_check_digit
from tests.webkit import make_org

ALMATY_ADDRESS = "Республика Казахстан город Алматы проспект Суюнбая 55"
SKO_ADDRESS = "Северо-Казахстанская область, г. Мамлютка, ул. Калинина 102"
MEAT = "ТОО «Первомайские деликатесы»\n(Алматы облысы, Талғар ауданы)"


def org_by_name(session: Session, name: str) -> Organisation:
    return session.scalars(select(Organisation).where(Organisation.name_ru == name)).one()


def offers_of(session: Session, org: Organisation) -> dict[str, Offer]:
    stmt = select(Offer).where(Offer.producer_id == org.id)
    return {offer.title: offer for offer in session.scalars(stmt)}


def certificates_of(session: Session, org: Organisation) -> list[Certificate]:
    stmt = select(Certificate).where(Certificate.organisation_id == org.id)
    return list(session.scalars(stmt.order_by(Certificate.id)))


def parts(report: ProducerReport) -> dict[str, tuple[int, int, int]]:
    return {k: (v["created"], v["updated"], v["unchanged"]) for k, v in report.parts.items()}


@pytest.fixture
def industrial(tmp_path: Path) -> Path:
    bin_value = next(valid_bins(500))
    rows = [
        industrial_row("102 0 00089", bin_value, "Учреждение «УПП №1»", "751510000", ALMATY_ADDRESS,
                       "Простыня - 1 Категория", "492 000", "6302210000", "13.92.12"),
        industrial_row("102 0 00089", bin_value, "Учреждение «УПП №1»", "751510000", ALMATY_ADDRESS,
                       "Услуги по пошиву одежды", "49 договоров", kpved="14.12.99"),
        industrial_row("102 0 00089", bin_value, "Учреждение «УПП №1»", "751510000", ALMATY_ADDRESS,
                       "Наволочка - 1 Категория", "1 000 шт", "6302210000", "13.92.12"),
        # the BIN is blank in the register and the KATO code is not one: read the address
        industrial_row("115 0 00006", "", "ТОО Trans Motors Group", "41201", SKO_ADDRESS,
                       "Шкаф для одежды 1 категория", "445", "9403309100", "31.01.12"),
    ]  # fmt: skip
    return write_register(tmp_path / "registry.csv", INDUSTRIAL_HEADER, rows)


def test_industrial_registry_creates_producers_offers_and_certificates(
    db_session: Session, industrial: Path
) -> None:
    report = import_producers(db_session, industrial)

    assert (report.register, report.rows) == ("industrial", 4)
    assert parts(report) == {
        "organisations": (2, 0, 0),
        "offers": (4, 0, 0),
        "certificates": (4, 0, 0),
    }
    school = org_by_name(db_session, "Учреждение «УПП №1»")
    assert school.bin_verified and school.oked == "88100"
    assert school.region is not None and school.region.kato == "750000000", "KATO → its oblast"
    offers = offers_of(db_session, school)
    sheet = offers["Простыня - 1 Категория"]
    assert (sheet.capacity_per_year, sheet.unit_code) == (Decimal(492000), None)
    assert (sheet.class_code, sheet.class_source, sheet.hs_code) == (
        "13.92.12",
        ClassSource.FILE,
        "6302210000",
    )
    assert offers["Наволочка - 1 Категория"].unit_code == "796", "«1 000 шт» names its unit"
    sewing = offers["Услуги по пошиву одежды"]
    assert (sewing.capacity_per_year, sewing.unit_code, sewing.hs_code) == (Decimal(49), None, None)
    cert = certificates_of(db_session, school)[0]
    assert (cert.kind, cert.number, cert.issued_on, cert.status) == (
        CertificateKind.INDUSTRIAL,
        "102 0 00089",
        date(2020, 8, 14),
        CertificateStatus.VALID,
    )
    assert {c.offer_id for c in certificates_of(db_session, school)} == {
        o.id for o in offers.values()
    }

    motors = org_by_name(db_session, "ТОО Trans Motors Group")
    assert motors.bin is None and not motors.bin_verified and motors.identity_key
    assert motors.region is not None and motors.region.kato == "590000000", "from the address"


def test_importing_the_same_register_again_changes_nothing(
    db_session: Session, industrial: Path
) -> None:
    import_producers(db_session, industrial)
    before = table_counts(db_session)
    again = import_producers(db_session, industrial)
    assert parts(again) == {
        "organisations": (0, 0, 2),
        "offers": (0, 0, 4),
        "certificates": (0, 0, 4),
    }
    assert (again.created, again.updated, again.organisations_created) == (0, 0, 0)
    assert table_counts(db_session) == before


def test_a_changed_capacity_updates_the_offer_only(db_session: Session, tmp_path: Path) -> None:
    bin_value = next(valid_bins(510))

    def register(capacity: str) -> Path:
        row = industrial_row("101 0 00078", bin_value, "ТОО «Стол»", "711110000",
                             "Нур-Султан, ул. Иманбаевой, 5", "Стол письменный", capacity,
                             "9403301100", "31.01.12")  # fmt: skip
        return write_register(tmp_path / f"r{capacity}.csv", INDUSTRIAL_HEADER, [row])

    import_producers(db_session, register("446"))
    report = import_producers(db_session, register("500"))
    assert parts(report) == {
        "organisations": (0, 0, 1),
        "offers": (0, 1, 0),
        "certificates": (0, 0, 1),
    }
    offer = offers_of(db_session, org_by_name(db_session, "ТОО «Стол»"))["Стол письменный"]
    assert offer.capacity_per_year == Decimal(500)


def test_origin_certificates_carry_share_chamber_unit_and_end_date(
    db_session: Session, tmp_path: Path
) -> None:
    bin_value = next(valid_bins(520))
    rows = [
        origin_row(bin_value, "Фильтр воздушный KTF-0001A", share="68,23"),
        origin_row(bin_value, "Фильтр воздушный KTF-0002A", share="87", unit=("", "796")),
        origin_row(bin_value, "Фильтр масляный KTF-0100", until="01.01.2024", status="Истек"),
    ]
    path = write_register(tmp_path / "origin.csv", ORIGIN_HEADER, rows)
    report = import_producers(db_session, path)

    assert parts(report)["certificates"] == (3, 0, 0)
    producer = org_by_name(db_session, 'ТОО "Казтехфильтр"')
    assert producer.bin == bin_value
    assert producer.region is not None and producer.region.kato == "620000000", "обл. Ұлытау"
    certs = {c.offer_id: c for c in certificates_of(db_session, producer)}
    offers = offers_of(db_session, producer)
    first = certs[offers["Фильтр воздушный KTF-0001A"].id]
    assert (first.kind, first.number, first.chamber_code, first.chamber) == (
        CertificateKind.STKZ_ORIGIN,
        "KZ 5 120 00012",
        "120",
        "Палата предпринимателей области Ұлытау",
    )
    assert (first.local_content, first.issued_on, first.valid_until) == (
        Decimal("68.23"),
        date(2025, 3, 27),
        date(2026, 3, 27),
    )
    assert {o.unit_code for o in offers.values()} == {"796"}
    assert certs[offers["Фильтр масляный KTF-0100"].id].status is CertificateStatus.EXPIRED

    certified = certified_offer_ids(db_session, date(2025, 6, 1))
    assert offers["Фильтр воздушный KTF-0001A"].id in certified
    assert offers["Фильтр масляный KTF-0100"].id not in certified, "expired"
    assert not certified_offer_ids(db_session, date(2026, 3, 28)) & {
        o.id for o in offers.values()
    }, "past their end date"


def test_an_industrial_certificate_certifies_all_offers_of_its_holder(
    db_session: Session, industrial: Path
) -> None:
    import_producers(db_session, industrial)
    school = org_by_name(db_session, "Учреждение «УПП №1»")
    other = Offer(
        producer_id=school.id, external_id="x", title="Матрац", certificates=[], currency="KZT"
    )
    db_session.add(other)
    db_session.flush()
    assert other.id in certified_offer_ids(db_session, date(2030, 1, 1))


def test_serial_certificates_split_their_combined_cells(
    db_session: Session, tmp_path: Path
) -> None:
    rows = [
        ["KZ EA 4 102 00005 от 12.03.2021", MEAT, "Мясо говядина на кости\n(0201200000)",
         "Действителен до 12.03.2026"],
        ["KZ EA 4 102 00005 от 12.03.2021", MEAT, "Мясо говядина на кости\n(0201200000)",
         "Действителен до 12.03.2026"],
        ["KZ EA 2 107 00001", 'Акционерное общество "Усть-Каменогорская Птицефабрика"',
         "Мясо цыпленка \nбройлера охлажденное ", "Срок действия истек"],
        ["KZ EA 3 107 00001", 'Акционерное общество "Усть-Каменогорская Птицефабрика"',
         "Мясо цыпленка бройлера охлажденное", "Действителен до"],
    ]  # fmt: skip
    path = write_register(tmp_path / "serial.csv", SERIAL_HEADER, rows)
    report = import_producers(db_session, path)

    assert parts(report) == {
        "organisations": (2, 0, 0),
        "offers": (2, 0, 0),
        "certificates": (3, 0, 0),
    }, "the repeated row is merged; one chicken product under two certificates"
    meat = org_by_name(db_session, "ТОО «Первомайские деликатесы»")
    assert meat.bin is None and meat.address == "Алматы облысы, Талғар ауданы"
    assert meat.region is not None and meat.region.kato == "190000000", "the oblast, not the city"
    beef = offers_of(db_session, meat)["Мясо говядина на кости"]
    assert beef.hs_code == "0201200000"
    cert = certificates_of(db_session, meat)[0]
    assert (cert.kind, cert.number, cert.issued_on, cert.valid_until, cert.chamber_code) == (
        CertificateKind.STKZ_SERIAL,
        "KZ EA 4 102 00005",
        date(2021, 3, 12),
        date(2026, 3, 12),
        "102",
    )
    birds = org_by_name(db_session, 'Акционерное общество "Усть-Каменогорская Птицефабрика"')
    assert birds.region is not None and birds.region.kato == "630000000", "named after its city"
    statuses = sorted(c.status.value for c in certificates_of(db_session, birds))
    assert statuses == ["expired", "valid"]
    assert report.unclassified == 2 and not report.classifier


def test_a_missing_kp_ved_class_is_derived_and_marked(db_session: Session, tmp_path: Path) -> None:
    rows = [
        ["KZ EA 1 120 00001", "ТОО «Фильтр-Сервис»\n(200000, РК, обл. Ұлытау, г. Жезказган)",
         "Фильтр топливный KTF-0200", "Действителен до"],
    ]  # fmt: skip
    path = write_register(tmp_path / "serial.csv", SERIAL_HEADER, rows)
    asked: list[str] = []

    def classify(text: str, hs_code: str | None) -> str | None:
        asked.append(text)
        return "28.29.13" if hs_code is None else None

    report = import_producers(db_session, path, classify=classify)
    assert (report.classifier, report.classes_derived, report.unclassified) == (True, 1, 0)
    assert asked == ["Фильтр топливный KTF-0200"]
    producer = org_by_name(db_session, "ТОО «Фильтр-Сервис»")
    offer = offers_of(db_session, producer)["Фильтр топливный KTF-0200"]
    assert (offer.class_code, offer.class_source) == ("28.29.13", ClassSource.DERIVED)
    assert parts(import_producers(db_session, path, classify=classify))["offers"] == (0, 0, 1)

    report = import_producers(db_session, path, classify=lambda _text, _hs: "28.29.14")
    assert parts(report)["offers"] == (0, 1, 0), "a derived class follows the classifier"
    db_session.refresh(offer)
    assert offer.class_code == "28.29.14"

    offer.class_code, offer.class_source = "28.29.82", None  # a person chose the class
    db_session.flush()
    report = import_producers(db_session, path, classify=classify)
    assert parts(report)["offers"] == (0, 0, 1)
    assert (report.classes_derived, offer.class_code) == (0, "28.29.82")


def test_without_a_bin_a_producer_is_known_by_name_and_address(
    db_session: Session, tmp_path: Path
) -> None:
    known = make_org(db_session, "620000000", name="ТОО «Фильтр»")
    rows = [
        ["KZ EA 1 120 00002", "ТОО «Фильтр»", "Фильтр", "Действителен до"],
        ["KZ EA 1 120 00003", "ТОО «Фильтр»\n(обл. Ұлытау, г. Сатпаев)", "Фильтр", "Действует"],
    ]  # fmt: skip
    path = write_register(tmp_path / "serial.csv", SERIAL_HEADER, rows)
    report = import_producers(db_session, path)
    assert parts(report)["organisations"] == (2, 0, 0), "another address, another producer"
    named = db_session.scalars(select(Organisation).where(Organisation.name_ru == "ТОО «Фильтр»"))
    unverified = [org for org in named if org.id != known.id]
    assert [org.bin_verified for org in unverified] == [False, False]
    assert not offers_of(db_session, known), "a name alone does not make it the BIN holder"


def test_bad_rows_are_located_and_nothing_is_written(db_session: Session, tmp_path: Path) -> None:
    good, other = next(valid_bins(540)), next(valid_bins(560))
    rows = [
        industrial_row("102 0 00001", good, "ТОО «А»", "751510000", ALMATY_ADDRESS, "Стол", "10"),
        industrial_row("102 0 00002", wrong_check_digit(other), "ТОО «Б»", "751510000",
                       ALMATY_ADDRESS, "Стул", "10"),
        industrial_row("102 0 00003", good, "ТОО «А»", "751510000", ALMATY_ADDRESS, "Шкаф", "10",
                       registered="2020.13.45"),
    ]  # fmt: skip
    path = write_register(tmp_path / "registry.csv", INDUSTRIAL_HEADER, rows)
    before = table_counts(db_session)
    with pytest.raises(ImportFailed) as failed:
        import_producers(db_session, path)
    located = {(item.loc, item.msg.split(":")[0]) for item in failed.value.errors}
    bad_bin = f"BIN {wrong_check_digit(other)} has a wrong check digit"
    bad_date = "expected a date like 31.03.2026 or 2026-03-31, got '2020.13.45'"
    assert located == {
        (("registry.csv", 3, "БИН/ИИН"), bad_bin),
        (("registry.csv", 4, "Дата включения в Реестр"), bad_date),
    }
    assert table_counts(db_session) == before

    report = import_producers(db_session, path, skip_invalid=True)
    assert (report.skipped, parts(report)["offers"]) == (2, (1, 0, 0))


def test_a_bad_share_and_an_unknown_unit_are_located(db_session: Session, tmp_path: Path) -> None:
    bin_value = next(valid_bins(570))
    rows = [
        origin_row(bin_value, "Фильтр 1", share="150"),
        origin_row(bin_value, "Фильтр 2", unit=("бочонок", "999")),
        origin_row(bin_value, "Фильтр 3", status="На проверке"),
    ]
    path = write_register(tmp_path / "origin.csv", ORIGIN_HEADER, rows)
    before = table_counts(db_session)
    with pytest.raises(ImportFailed) as failed:
        import_producers(db_session, path)
    assert {(item.loc[1], item.loc[2]) for item in failed.value.errors} == {
        (2, "ДВЦ"),
        (3, "Единица измерения"),
        (4, "Статус сертификата"),
    }
    assert table_counts(db_session) == before


def test_the_register_is_told_from_the_header(db_session: Session, tmp_path: Path) -> None:
    path = write_register(tmp_path / "other.csv", ["БИН", "Наименование"], [["1", "2"]])
    with pytest.raises(ImportFailed, match="not a register of producers"):
        import_producers(db_session, path)


def test_rows_of_one_producer_that_disagree_are_errors(db_session: Session, tmp_path: Path) -> None:
    bin_value = next(valid_bins(580))
    rows = [
        industrial_row("102 0 00001", bin_value, name, "751510000", ALMATY_ADDRESS, product, amount)
        for name, product, amount in (("ТОО «А»", "Стол", "10"), ("ТОО «Б»", "Стул", "10"),
                                      ("ТОО «А»", "стол", "12"))
    ]  # fmt: skip
    path = write_register(tmp_path / "registry.csv", INDUSTRIAL_HEADER, rows)
    with pytest.raises(ImportFailed) as failed:
        import_producers(db_session, path)
    assert [item.msg for item in failed.value.errors] == [
        "the producer repeats row 2 with another «Наименование производителей товаров, работ, "
        "услуг»",
        "the product repeats row 2 with another «Производственная мощность, кол-во единиц в год»",
    ]


def test_a_register_names_a_known_producer_by_its_bin(db_session: Session, tmp_path: Path) -> None:
    known = make_org(db_session, "630000000", name="ТОО «Старое имя»")
    rows = [origin_row(str(known.bin), "Фильтр")]  # address in Ұлытау, no KATO code
    path = write_register(tmp_path / "origin.csv", ORIGIN_HEADER, rows)
    report = import_producers(db_session, path)
    assert parts(report)["organisations"] == (0, 1, 0)
    assert known.name_ru == 'ТОО "Казтехфильтр"'
    assert known.region is not None and known.region.kato == "630000000", (
        "a region read from an address does not replace a stored one"
    )
    known.name_ru = "ТОО «Казтехфильтр»"
    db_session.flush()
    again = import_producers(db_session, path)
    assert parts(again)["organisations"] == (0, 0, 1), "the same name in other quotes"
    assert known.name_ru == "ТОО «Казтехфильтр»"


def test_row_errors_read_in_the_users_language(db_session: Session, tmp_path: Path) -> None:
    rows = [origin_row("123456789012", "Фильтр", share="много")]
    path = write_register(tmp_path / "origin.csv", ORIGIN_HEADER, rows)
    report = import_producers(db_session, path, skip_invalid=True)
    by_column = {error.column: error for error in report.errors}
    bin_error, share_error = by_column["ИИН/ БИН производителя"], by_column["ДВЦ"]
    assert bin_error.translated(lambda m: translate("ru", m)).startswith("у БИН 123456789012")
    assert bin_error.translated(lambda m: translate("kk", m)).startswith("БСН 123456789012")
    assert share_error.translated(lambda m: translate("en", m)) == share_error.message
    assert "доля внутристрановой ценности" in share_error.translated(lambda m: translate("ru", m))


def test_a_register_saved_as_xlsx_keeps_its_numbers_and_dates(
    db_session: Session, tmp_path: Path
) -> None:
    bin_value = next(valid_bins(590))
    row: list[object] = industrial_row(
        "102 0 00089", bin_value, "ТОО «Книга»", "751510000", ALMATY_ADDRESS, "Стол", "x",
        "9403301100", "31.01.12",
    )  # fmt: skip
    row[1], row[4], row[9], row[17] = int(bin_value), 751510000, 446.0, date(2020, 8, 14)
    path = write_xlsx(tmp_path / "registry.xlsx", INDUSTRIAL_HEADER, [row])
    report = import_producers(db_session, path)
    assert (report.register, report.skipped) == ("industrial", 0)
    org = org_by_name(db_session, "ТОО «Книга»")
    assert org.bin == bin_value
    offer = offers_of(db_session, org)["Стол"]
    assert offer.capacity_per_year == Decimal(446)
    assert certificates_of(db_session, org)[0].issued_on == date(2020, 8, 14)
