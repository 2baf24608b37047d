"""Memoranda and deal pages: progress bars with the status in words and its rule, forms with
CSRF, and the done-when of the agreements domain through the web: a deal linked to a
commitment moves its progress and status, and the audit log shows the change."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.agreements.models import Deal, Memorandum
from seriktes.kit import clock
from tests.agreements.kit import MIDYEAR, VKO, Agreement, make_agreement
from tests.webkit import build_app, login, make_org, make_user


@pytest.fixture
def agreement(db_session: Session, monkeypatch: pytest.MonkeyPatch) -> Agreement:
    """The agreements world, seen on the first of July 2026."""
    monkeypatch.setattr(clock, "today", lambda: MIDYEAR)
    return make_agreement(db_session)


@pytest.fixture
def browser(db_session: Session) -> Iterator[TestClient]:
    """A browser-like client of the app on the test's transaction."""
    with TestClient(build_app(db_session)) as client:
        yield client


def status_of(html: str, commitment_id: int) -> str:
    row = re.search(rf'<tr data-commitment="{commitment_id}">(.*?)</tr>', html, re.S)
    assert row, f"commitment {commitment_id} is on the page"
    found = re.search(r'data-status="([a-z_]+)"', row.group(1))
    assert found
    return found.group(1)


def test_linking_a_deal_on_its_page_moves_the_commitment_and_is_in_the_audit_log(
    browser: TestClient, agreement: Agreement, db_session: Session
) -> None:
    deal = agreement.deal("60000000")
    coordinator = make_user(db_session, Role.COORDINATOR, kato=VKO)
    token = login(browser, coordinator)
    memo_url = f"/memoranda/{agreement.memo.id}"
    before = browser.get(memo_url)
    assert status_of(before.text, agreement.turnover.id) == "at_risk"
    assert "Под угрозой" in before.text  # the status in words, Russian first
    assert "0,8" in before.text and 'id="rule"' in before.text  # the rule is shown

    unguarded = browser.post(
        f"/deals/{deal.id}/commitments",
        data={"commitment_ids": str(agreement.turnover.id)},
        follow_redirects=False,
    )
    assert unguarded.status_code == 403
    assert status_of(browser.get(memo_url).text, agreement.turnover.id) == "at_risk"

    linked = browser.post(
        f"/deals/{deal.id}/commitments",
        data={"commitment_ids": str(agreement.turnover.id), "csrf_token": token},
        follow_redirects=False,
    )
    assert linked.status_code == 303
    after = browser.get(memo_url)
    assert status_of(after.text, agreement.turnover.id) == "on_track"
    assert "В графике" in after.text

    log = browser.get(f"{memo_url}/audit")
    assert log.status_code == 200
    row = re.search(  # the row holds a table of the changed fields: up to the next row
        r'<tr data-audit="\d+" data-kind="deal" data-action="update">'
        r"(.*?)(?=<tr data-audit|</tbody>)",
        log.text,
        re.S,
    )
    assert row, "the link is in the audit log"
    assert coordinator.full_name in row.group(1)  # who, by name
    assert f"Сделка № {deal.number} изменена" in row.group(1)
    assert "Засчитывается в обязательства" in row.group(1)  # the field in words
    assert agreement.turnover.title in row.group(1)  # the commitment by its title, not its id


def test_the_public_reads_published_memoranda_in_kazakh_but_no_deals_or_audit(
    browser: TestClient, agreement: Agreement
) -> None:
    listed = browser.get("/memoranda?lang=kk")
    assert listed.status_code == 200 and agreement.memo.title in listed.text
    detail = browser.get(f"/memoranda/{agreement.memo.id}?lang=kk")
    assert detail.status_code == 200
    assert 'name="csrf_token"' not in detail.text.split("<main>")[1]  # no forms for the public
    assert browser.get(
        f"/memoranda/{agreement.memo.id}/audit", follow_redirects=False
    ).status_code in (303, 401)
    assert browser.get("/deals", follow_redirects=False).status_code in (303, 401)


def test_a_coordinator_creates_a_memorandum_and_a_member_records_a_deal_with_forms(
    browser: TestClient, agreement: Agreement, db_session: Session
) -> None:
    coordinator = make_user(db_session, Role.COORDINATOR, kato=VKO)
    token = login(browser, coordinator)
    form = browser.get("/memoranda/new")
    assert form.status_code == 200 and 'name="csrf_token"' in form.text
    bad = browser.post("/memoranda/new", data={"csrf_token": token, "title": "x"})
    assert bad.status_code == 422 and 'data-error-for="number"' in bad.text
    created = browser.post(
        "/memoranda/new",
        data={
            "csrf_token": token,
            "number": "М-WEB-1",
            "title": "О сотрудничестве в сфере образования",
            "signed_on": "2026-05-14",
            "host_region": VKO,
            "guest_region": "590000000",
            "sectors": ["education", "culture"],
            "status": "published",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    memo = db_session.query(Memorandum).filter_by(number="М-WEB-1").one()
    assert {s.value for s in memo.sectors} == {"education", "culture"}

    browser.post("/logout", data={"csrf_token": token})
    member = make_user(db_session, Role.MEMBER, agreement.buyer)
    token = login(browser, member)
    recorded = browser.post(
        "/deals/new",
        data={
            "csrf_token": token,
            "number": "WEB-7",
            "signed_on": "2026-04-01",
            "buyer_bin": agreement.buyer.bin,
            "supplier_bin": agreement.supplier.bin,
            "subject": "Запчасти к мельницам",
            "amount": "12 500 000",
            "currency": "KZT",
            "commitment_ids": str(agreement.turnover.id),
        },
        follow_redirects=False,
    )
    assert recorded.status_code == 303, recorded.text
    deal = db_session.query(Deal).filter_by(number="WEB-7").one()
    assert [c.id for c in deal.commitments] == [agreement.turnover.id]
    page = browser.get(f"/deals/{deal.id}")
    assert page.status_code == 200 and "Запчасти к мельницам" in page.text
    stranger = make_org(db_session, VKO)
    refused = browser.post(
        "/deals/new",
        data={
            "csrf_token": token,
            "number": "WEB-8",
            "signed_on": "2026-04-01",
            "buyer_bin": stranger.bin,
            "supplier_bin": agreement.supplier.bin,
            "subject": "Чужая сделка",
            "amount": "1",
        },
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert db_session.query(Deal).filter_by(number="WEB-8").count() == 0


def test_the_responsible_organisation_reports_progress_with_an_evidence_file(
    browser: TestClient, agreement: Agreement, db_session: Session
) -> None:
    member = make_user(db_session, Role.MEMBER, agreement.supplier)  # answers for the jobs
    token = login(browser, member)
    memo_url = f"/memoranda/{agreement.memo.id}"
    assert status_of(browser.get(memo_url).text, agreement.jobs.id) == "at_risk"
    saved = browser.post(
        f"/commitments/{agreement.jobs.id}/reports/new",
        data={
            "csrf_token": token,
            "reported_on": "2026-06-01",
            "value": "35",
            "evidence_text": "Приказы о приёме",
        },
        files={"file": ("приказы.pdf", b"%PDF-1.4 orders", "application/pdf")},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    page = browser.get(memo_url).text
    assert status_of(page, agreement.jobs.id) == "on_track"  # 35 ≥ 40 × 0.5 × 0.8
    link = re.search(r'href="(/api/v1/progress-reports/\d+/evidence)">приказы.pdf', page)
    assert link
    assert browser.get(link.group(1)).content == b"%PDF-1.4 orders"
    refused = browser.post(
        f"/commitments/{agreement.turnover.id}/reports/new",
        data={"csrf_token": token, "reported_on": "2026-06-01", "value": "1"},
        follow_redirects=False,
    )
    assert refused.status_code == 403  # not theirs, and computed from deals anyway
