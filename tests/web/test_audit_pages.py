"""The audit log's pages: a memorandum's log and the organisation-wide one, read in words,
filtered by object, person and period, a page at a time, exported to XLSX (read back with
openpyxl), and refused — never a 500 — to those who may not read them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from io import BytesIO
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.agreements import deals, service
from seriktes.agreements.schemas import DealChanges, MemorandumChanges
from seriktes.kit import clock
from tests.agreements.kit import VKO, Agreement, make_agreement, memorandum_in
from tests.webkit import build_app, login, make_user


@pytest.fixture
def agreement(db_session: Session) -> Agreement:
    return make_agreement(db_session)


@pytest.fixture
def browser(db_session: Session) -> Iterator[TestClient]:
    with TestClient(build_app(db_session)) as client:
        yield client


def rows(html: str) -> list[tuple[str, str, str]]:
    """(kind, action, text) of each row of the log."""
    found = re.findall(
        r'<tr data-audit="\d+" data-kind="([a-z_]+)" data-action="([a-z]+)">(.*?)</tr>'
        r"\s*(?=<tr data-audit|</tbody>)",
        html,
        re.S,
    )
    return [
        (kind, action, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)))
        for kind, action, text in found
    ]


def test_a_coordinator_reads_the_memorandums_log_in_words_and_filters_it(
    browser: TestClient, agreement: Agreement, db_session: Session
) -> None:
    coordinator = make_user(db_session, Role.COORDINATOR, kato=VKO)
    deal = agreement.deal("60000000")
    deals.update_deal(
        db_session, coordinator, deal.id, DealChanges(commitment_ids=[agreement.turnover.id])
    )
    login(browser, coordinator)
    url = f"/memoranda/{agreement.memo.id}/audit"

    page = browser.get(url)
    assert page.status_code == 200
    found = rows(page.text)
    texts = " ".join(text for _k, _a, text in found)
    assert f"Сделка № {deal.number} изменена" in texts
    assert "Меморандум № М-2026/01 создан" in texts
    assert "ТОО «Восток Металл» → ТОО «Север Машзавод»" in texts
    assert "buyer_id" not in page.text and "commitment_ids" not in page.text
    assert "Тест Тестов" in texts  # who, by name

    only_deals = rows(browser.get(url, params={"kind": "deal"}).text)
    assert only_deals and {kind for kind, _a, _t in only_deals} == {"deal"}
    one = rows(browser.get(url, params={"kind": "deal", "object": deal.id}).text)
    assert one and all(deal.number in text for _k, _a, text in one)
    mine = rows(browser.get(url, params={"person": coordinator.id}).text)
    assert [(k, a) for k, a, _t in mine] == [("deal", "update")]
    system = rows(browser.get(url, params={"person": "system"}).text)
    assert system == []  # every change here was made by a person
    today = clock.today()
    now = rows(browser.get(url, params={"from": today.isoformat(), "to": today.isoformat()}).text)
    assert len(now) == len(found)
    later = (today + timedelta(days=1)).isoformat()
    assert rows(browser.get(url, params={"from": later}).text) == []


def test_the_log_in_kazakh_and_a_page_at_a_time(
    browser: TestClient, agreement: Agreement, db_session: Session
) -> None:
    admin = agreement.admin
    for n in range(55):
        service.update_memorandum(
            db_session, admin, agreement.memo.id, MemorandumChanges(place=f"Зал {n}")
        )
    login(browser, make_user(db_session, Role.COORDINATOR, kato=VKO))
    url = f"/memoranda/{agreement.memo.id}/audit"
    first = browser.get(url, params={"lang": "kk"})
    assert first.status_code == 200
    assert len(rows(first.text)) == 50
    assert "№ М-2026/01 меморандум өзгертілді" in first.text
    assert "Қол қойылған жері" in first.text  # the field, in Kazakh
    assert 'rel="next"' in first.text
    second = browser.get(url, params={"lang": "kk", "page": 2})
    assert len(rows(second.text)) == 55 + 4 - 50  # the memorandum and 3 commitments created


def test_the_export_reads_back_in_the_pages_language_without_internal_columns(
    browser: TestClient, agreement: Agreement, db_session: Session
) -> None:
    deal = agreement.deal("60000000", subject='=HYPERLINK("http://x")')
    login(browser, make_user(db_session, Role.COORDINATOR, kato=VKO))
    answer = browser.get("/audit.xlsx", params={"kind": "deal", "lang": "ru"})
    assert answer.status_code == 200
    assert quote("журнал-изменений") in answer.headers["content-disposition"]
    book = load_workbook(BytesIO(answer.content))
    sheet = book.active
    assert sheet is not None and sheet.title == "Журнал изменений"
    table = [[c.value for c in row] for row in sheet.iter_rows()]
    assert table[0] == ["Когда (время Алматы)", "Кто", "Объект", "Действие", "Поле", "До", "После"]
    body = table[1:]
    assert {row[3] for row in body} <= {"Сделка создана", "Сделка подтверждена"}
    fields = {row[4] for row in body}
    assert {"Заказчик", "Сумма договора", "Предмет"} <= fields
    assert not fields & {"id", "buyer_id", "version", "created_at", "field_versions"}
    buyer = next(row for row in body if row[4] == "Заказчик" and row[3] == "Сделка создана")
    assert buyer[6] == "ТОО «Восток Металл»" and buyer[2].startswith(f"Сделка: № {deal.number}")
    subject = next(
        cell
        for row in sheet.iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")
    )
    assert subject.data_type == "s"  # a text, never a formula

    kazakh = load_workbook(BytesIO(browser.get("/audit.xlsx", params={"lang": "kk"}).content))
    assert kazakh.active is not None
    assert [c.value for c in kazakh.active[1]][:2] == ["Қашан (Алматы уақыты)", "Кім"]


def test_the_organisation_wide_log_holds_every_memorandum_and_is_linked_for_readers(
    browser: TestClient, agreement: Agreement, db_session: Session
) -> None:
    other = service.create_memorandum(
        db_session, agreement.admin, memorandum_in(number="М-2026/02", title="О туризме")
    )
    coordinator = make_user(db_session, Role.COORDINATOR, kato=VKO)
    login(browser, coordinator)
    assert 'id="audit-link"' in browser.get("/memoranda").text
    page = browser.get("/audit")
    assert page.status_code == 200
    assert "Меморандум № М-2026/01 создан" in page.text
    assert f"Меморандум № {other.number} создан" in page.text
    memo_page = browser.get("/audit", params={"kind": "memorandum", "object": other.id})
    assert [k for k, _a, _t in rows(memo_page.text)] == ["memorandum"]


def test_those_who_may_not_read_the_log_are_refused_and_bad_filters_are_named(
    browser: TestClient, agreement: Agreement, db_session: Session
) -> None:
    url = f"/memoranda/{agreement.memo.id}/audit"
    assert browser.get(url, follow_redirects=False).status_code in (303, 401)
    assert browser.get("/audit", follow_redirects=False).status_code in (303, 401)
    login(browser, make_user(db_session, Role.MEMBER, org=agreement.buyer))
    assert 'id="audit-link"' not in browser.get("/memoranda").text
    for path in (url, f"{url}.xlsx", "/audit", "/audit.xlsx"):
        assert browser.get(path).status_code == 403, path
    draft = service.create_memorandum(
        db_session,
        agreement.admin,
        memorandum_in(number="М-2026/09", status="draft"),
    )
    assert browser.get(f"/memoranda/{draft.id}/audit").status_code == 404  # not revealed

    login(browser, make_user(db_session, Role.COORDINATOR, kato=VKO))
    for params, field in (
        ({"kind": "user"}, "kind"),
        ({"kind": "deal", "object": "x1"}, "object"),
        ({"person": "٣"}, "person"),
        ({"from": "01.12.2026"}, "from"),
        ({"from": "2026-12-02", "to": "2026-12-01"}, "to"),
    ):
        answer = browser.get("/audit", params=params)
        assert answer.status_code == 422, (params, answer.status_code)
        assert f"query, {field}:" in answer.text  # the field is named
    assert browser.get(url, params={"since": date(2026, 1, 1).isoformat()}).status_code == 200
