"""The audit log as people read it: every audited column labelled or hidden, sentences in
the object's grammatical gender in Russian and Kazakh, values as names, money with its
currency, dates as each language writes them, only the changed fields of an update."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from seriktes.agreements import audit, auditlog, deals, reports, service
from seriktes.agreements.audit_labels import FIELDS, SENTENCES
from seriktes.agreements.models import (
    AuditEntry,
    KpiKind,
    MemorandumParty,
    MemorandumSector,
)
from seriktes.agreements.schemas import (
    CommitmentChanges,
    DealChanges,
    DeliveryIn,
    MemorandumChanges,
    ProgressReportIn,
)
from seriktes.kit.db import Base
from tests.agreements.kit import Agreement, commitment_in, make_agreement

PARTS: dict[type[Base], str] = {
    MemorandumParty: "memorandum_party",
    MemorandumSector: "memorandum_sector",
}


def audited_models() -> dict[type[Base], str]:
    """Every table whose rows the log records, directly or as a part of a memorandum."""
    return {**audit.KINDS, **PARTS}


def test_every_column_of_every_audited_table_has_a_label_or_is_hidden() -> None:
    unlabelled = [
        f"{model.__tablename__}.{column.key} (add it to FIELDS[{kind!r}] in audit_labels.py)"  # type: ignore[attr-defined]
        for model, kind in audited_models().items()
        for column in inspect(model).column_attrs
        if column.key not in FIELDS.get(kind, {})
    ]
    assert unlabelled == []


def test_every_action_of_every_kind_has_its_sentence() -> None:
    actions = {"create", "update", "delete"}
    wanted = {(kind, action) for kind in audit.KINDS.values() for action in actions}
    wanted |= {("deal", "confirm"), ("deal", "dispute")}
    assert wanted - set(SENTENCES) == set()


@pytest.fixture
def world(db_session: Session) -> Agreement:
    return make_agreement(db_session)


def entries_of(session: Session, kind: str, entity_id: int) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(
        AuditEntry.entity_kind == kind, AuditEntry.entity_id == entity_id
    )
    return list(session.scalars(stmt.order_by(AuditEntry.id)))


def read_one(session: Session, entry: AuditEntry, lang: str) -> auditlog.Readable:
    return auditlog.read(session, [entry], lang)[0]


def test_every_key_a_snapshot_holds_has_a_label_or_is_hidden(world: Agreement) -> None:
    session = world.session
    deal = world.deal()
    delivery = deals.add_delivery(
        session, world.admin, deal.id, DeliveryIn(delivered_on=date(2026, 4, 1), quantity=5)
    )
    report = reports.add_report(
        session,
        world.admin,
        world.jobs.id,
        ProgressReportIn(reported_on=date(2026, 5, 1), value=Decimal(4)),
        None,
    )
    rows = [world.memo, world.turnover, deal, delivery, report]
    missing = [
        f"{audit.KINDS[type(row)]}.{key}"
        for row in rows
        for key in audit.snapshot(row)
        if key not in FIELDS[audit.KINDS[type(row)]]
    ]
    parties = [p for party in audit.snapshot(world.memo)["parties"] for p in party]
    missing += [f"party.{k}" for k in parties if k not in FIELDS["memorandum_party"]]
    assert missing == []


def test_a_new_deal_reads_in_the_feminine_with_names_and_money(world: Agreement) -> None:
    session = world.session
    deal = world.deal("2500000.50", confirmed=False, currency="USD", rate_to_kzt="500")
    created = entries_of(session, "deal", deal.id)[0]

    ru = read_one(session, created, "ru")
    assert ru.sentence == f"Сделка № {deal.number} создана"
    assert ru.short == "Сделка создана"
    assert ru.identity == f"№ {deal.number} — ТОО «Восток Металл» → ТОО «Север Машзавод»"
    fields = {c.field: c.after for c in ru.changes}
    assert fields["Заказчик"] == "ТОО «Восток Металл»"  # a name, not buyer_id: 1
    assert fields["Поставщик"] == "ТОО «Север Машзавод»"
    assert fields["Сумма договора"] == "2\u202f500\u202f000,5\u00a0USD"
    assert fields["Сумма в тенге"] == "1\u202f250\u202f000\u202f250\u00a0₸"
    assert fields["Дата подписания"] == "01.03.2026"
    assert fields["Подтверждение"] == "Ждёт подтверждения"
    assert not any(c.field in ("id", "version", "created_at", "buyer_id") for c in ru.changes)

    kk = read_one(session, created, "kk")
    assert kk.sentence == f"№ {deal.number} мәміле құрылды"
    assert {c.field for c in kk.changes} >= {"Тапсырыс беруші", "Жеткізуші", "Шарт сомасы"}

    en = read_one(session, created, "en")
    assert en.sentence == f"Deal No. {deal.number} created"
    assert {c.field: c.after for c in en.changes}["Contract amount"] == "2,500,000.5\u00a0USD"
    assert {c.field: c.after for c in en.changes}["Date of signing"] == "1 Mar 2026"


def test_an_update_shows_only_the_changed_fields_before_and_after(world: Agreement) -> None:
    session = world.session
    deal = world.deal("1000000", confirmed=False)
    deals.update_deal(
        session,
        world.admin,
        deal.id,
        DealChanges(subject="Насосы", commitment_ids=[world.turnover.id]),
    )
    changed = entries_of(session, "deal", deal.id)[-1]
    ru = read_one(session, changed, "ru")
    assert ru.sentence == f"Сделка № {deal.number} изменена"
    by_field = {c.field: (c.before, c.after) for c in ru.changes}
    assert by_field["Предмет"] == ("Футеровочные плиты", "Насосы")
    assert by_field["Засчитывается в обязательства"] == ("—", world.turnover.title)
    assert "Заказчик" not in by_field  # unchanged fields are left out


def test_the_genders_of_memorandum_commitment_delivery_and_report(world: Agreement) -> None:
    session = world.session
    admin = world.admin
    service.update_memorandum(session, admin, world.memo.id, MemorandumChanges(place="Алматы"))
    memo_entry = entries_of(session, "memorandum", world.memo.id)[-1]
    assert read_one(session, memo_entry, "ru").sentence == "Меморандум № М-2026/01 изменён"
    assert read_one(session, memo_entry, "kk").sentence == "№ М-2026/01 меморандум өзгертілді"

    extra = service.create_commitment(
        session, admin, world.memo.id, commitment_in(KpiKind.TURNOVER_KZT, "5000000")
    )
    service.update_commitment(
        session, admin, extra.id, CommitmentChanges(target=Decimal(7_000_000))
    )
    changed = entries_of(session, "commitment", extra.id)[-1]
    ru = read_one(session, changed, "ru")
    assert ru.sentence == f"Обязательство «{extra.title}» изменено"
    assert {c.field: (c.before, c.after) for c in ru.changes}["Цель"] == (
        "5\u202f000\u202f000\u00a0₸",
        "7\u202f000\u202f000\u00a0₸",
    )
    service.delete_commitment(session, admin, extra.id)
    deleted = entries_of(session, "commitment", extra.id)[-1]
    assert read_one(session, deleted, "ru").short == "Обязательство удалено"
    assert read_one(session, deleted, "ru").sentence == f"Обязательство «{extra.title}» удалено"
    assert read_one(session, deleted, "kk").sentence == f"«{extra.title}» міндеттемесі жойылды"

    deal = world.deal()
    delivery = deals.add_delivery(
        session,
        admin,
        deal.id,
        DeliveryIn(delivered_on=date(2026, 4, 1), quantity=Decimal(12), unit_code="т"),
    )
    made = entries_of(session, "delivery", delivery.id)[0]
    ru = read_one(session, made, "ru")
    assert ru.short == "Поставка создана"
    assert ru.sentence == f"Поставка от 01.04.2026 по сделке № {deal.number} создана"
    assert {c.field: c.after for c in ru.changes}["Количество"] == "12 тонна"
    kk = read_one(session, made, "kk")
    assert kk.sentence == f"№ {deal.number} мәміле бойынша 01.04.2026 күнгі жеткізілім құрылды"

    report = reports.add_report(
        session,
        admin,
        world.jobs.id,
        ProgressReportIn(reported_on=date(2026, 5, 1), value=Decimal(4)),
        None,
    )
    made = entries_of(session, "progress_report", report.id)[0]
    assert read_one(session, made, "ru").sentence == "Отчёт о ходе исполнения от 01.05.2026 создан"
    assert read_one(session, made, "kk").sentence == "01.05.2026 күнгі орындалу есебі құрылды"


def test_parties_sectors_and_statuses_in_words(world: Agreement) -> None:
    session = world.session
    created = entries_of(session, "memorandum", world.memo.id)[0]
    ru = {c.field: c.after for c in read_one(session, created, "ru").changes}
    assert ru["Отрасли"] == "Промышленность, Торговля"
    assert "Восточно-Казахстанская область (Принимающий регион)" in ru["Стороны"]
    assert ru["Статус"] == "Опубликовано"
    kk = {c.field: c.after for c in read_one(session, created, "kk").changes}
    assert kk["Салалар"] == "Өнеркәсіп, Сауда"
    assert "(Қабылдаушы өңір)" in kk["Тараптар"]


def test_a_deleted_deal_is_still_named_by_its_number(world: Agreement) -> None:
    session = world.session
    deal = world.deal(confirmed=False)
    number = deal.number
    deals.update_deal(session, world.admin, deal.id, DealChanges(subject="Насосы"))
    deals.delete_deal(session, world.admin, deal.id)
    changed = entries_of(session, "deal", deal.id)[1]  # an update: it holds no number
    assert read_one(session, changed, "ru").sentence == f"Сделка № {number} изменена"


def test_money_numbers_and_dates_by_language() -> None:
    assert auditlog.money(Decimal("1500000"), "KZT", "ru") == "1\u202f500\u202f000\u00a0₸"
    assert auditlog.money("12.50", "EUR", "en") == "12.5\u00a0EUR"
    assert auditlog.day("2026-12-01", "ru") == "01.12.2026"
    assert auditlog.day(date(2026, 12, 1), "en") == "1 Dec 2026"
    # a stored UTC time read in Almaty's time (UTC+5)
    assert auditlog.moment(datetime(2026, 12, 1, 20, 30, tzinfo=UTC), "kk") == "02.12.2026 01:30"


def test_milestones_posts_and_a_withdrawal_read_in_words(world: Agreement) -> None:
    from seriktes.agreements.schemas import MilestoneIn, PartyIn, WithdrawalIn

    session, admin = world.session, world.admin
    milestone = service.add_milestone(
        session, admin, world.turnover.id, MilestoneIn(due_on=date(2026, 6, 1), target=Decimal(5))
    )
    created = read_one(session, entries_of(session, "milestone", milestone.id)[-1], "ru")
    title = world.turnover.title
    assert created.sentence == f"Промежуточная цель на 01.06.2026 обязательства «{title}» создана"
    kk = read_one(session, entries_of(session, "milestone", milestone.id)[-1], "kk")
    assert kk.sentence == f"«{title}» міндеттемесінің 01.06.2026 аралық мақсаты құрылды"
    service.add_party(
        session, admin, world.memo.id,
        PartyIn(organisation_id=world.buyer.id, signatory="А. А.", signatory_post="директор"),
    )  # fmt: skip
    service.withdraw_memorandum(session, admin, world.memo.id, WithdrawalIn(reason="Заменён"))
    last = read_one(session, entries_of(session, "memorandum", world.memo.id)[-1], "ru")
    by_field = {c.field: (c.before, c.after) for c in last.changes}
    assert by_field["Статус"] == ("Опубликовано", "Отозван")
    assert by_field["Причина отзыва"] == ("—", "Заменён")


def test_a_party_added_reads_as_that_party_only(world: Agreement) -> None:
    from seriktes.agreements.schemas import PartyIn

    session, admin = world.session, world.admin
    service.add_party(
        session, admin, world.memo.id,
        PartyIn(organisation_id=world.buyer.id, signatory="А. А.", signatory_post="директор"),
    )  # fmt: skip
    added = read_one(session, entries_of(session, "memorandum", world.memo.id)[-1], "ru")
    before, after = {c.field: (c.before, c.after) for c in added.changes}["Стороны"]
    assert before == "—"  # the parties kept are not repeated
    assert world.buyer.name_ru in after and "директор" in after
    assert "Восточно-Казахстанская область" not in after
