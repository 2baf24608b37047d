"""Deal pages show whether a deal counts, and let the other side confirm or dispute it and a
coordinator of a party region confirm it with evidence, through plain forms with CSRF."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.agreements import service
from seriktes.agreements.models import Deal
from seriktes.kit import clock
from tests.agreements.kit import MIDYEAR, SKO, Agreement, make_agreement
from tests.webkit import build_app, login, make_user


@pytest.fixture
def agreement(db_session: Session, monkeypatch: pytest.MonkeyPatch) -> Agreement:
    """The agreements world, seen on the second of July 2026."""
    monkeypatch.setattr(clock, "today", lambda: MIDYEAR)
    return make_agreement(db_session)


@pytest.fixture
def browser(db_session: Session) -> Iterator[TestClient]:
    """A browser-like client of the app on the test's transaction."""
    with TestClient(build_app(db_session)) as client:
        yield client


def state_on_page(html: str) -> str:
    found = re.search(r'<section id="confirmation" data-confirmation="([a-z_]+)"', html)
    assert found, "the deal page shows its confirmation"
    return found.group(1)


def recorded_by_buyer(agreement: Agreement, db_session: Session) -> Deal:
    deal = agreement.deal("60000000", confirmed=False, commitment_ids=[agreement.turnover.id])
    deal.buyer_confirmed = True  # as if the buyer's member had recorded it
    db_session.flush()
    return deal


def test_the_supplier_confirms_on_the_page_and_the_commitment_moves(
    browser: TestClient, agreement: Agreement, db_session: Session
) -> None:
    deal = recorded_by_buyer(agreement, db_session)
    token = login(browser, make_user(db_session, Role.MEMBER, agreement.supplier))
    page = browser.get(f"/deals/{deal.id}")
    assert state_on_page(page.text) == "awaiting"
    assert 'data-form="confirm"' in page.text and 'data-form="dispute"' in page.text
    assert 'data-form="confirm-coordinator"' not in page.text
    listed = browser.get("/deals?confirmation=awaiting")
    assert f'data-deal="{deal.id}"' in listed.text and "Ждёт подтверждения" in listed.text

    unguarded = browser.post(f"/deals/{deal.id}/confirm", follow_redirects=False)
    assert unguarded.status_code == 403
    assert service.progress_of(agreement.turnover, MIDYEAR).value == 0
    done = browser.post(
        f"/deals/{deal.id}/confirm", data={"csrf_token": token}, follow_redirects=False
    )
    assert done.status_code == 303
    page = browser.get(done.headers["location"])
    assert state_on_page(page.text) == "confirmed"
    assert 'data-form="confirm"' not in page.text
    assert service.progress_of(agreement.turnover, MIDYEAR).value == 60_000_000


def test_a_dispute_on_the_page_keeps_the_deal_out_until_a_coordinator_confirms_it(
    browser: TestClient, agreement: Agreement, db_session: Session
) -> None:
    deal = recorded_by_buyer(agreement, db_session)
    token = login(browser, make_user(db_session, Role.MEMBER, agreement.supplier))
    browser.post(
        f"/deals/{deal.id}/dispute",
        data={"csrf_token": token, "reason": "Сумма завышена вдвое"},
        follow_redirects=False,
    )
    page = browser.get(f"/deals/{deal.id}")
    assert state_on_page(page.text) == "disputed"
    assert "Сумма завышена вдвое" in page.text
    browser.cookies.clear()

    token = login(browser, make_user(db_session, Role.COORDINATOR, kato=SKO))
    page = browser.get(f"/deals/{deal.id}")
    assert 'data-form="confirm-coordinator"' in page.text
    refused = browser.post(
        f"/deals/{deal.id}/confirm", data={"csrf_token": token}, follow_redirects=False
    )
    assert refused.status_code == 422  # a coordinator confirms only with evidence
    assert service.progress_of(agreement.turnover, MIDYEAR).value == 0
    browser.post(
        f"/deals/{deal.id}/confirm",
        data={"csrf_token": token, "evidence": "Договор № 7 от 01.03.2026"},
        follow_redirects=False,
    )
    page = browser.get(f"/deals/{deal.id}")
    assert state_on_page(page.text) == "confirmed" and "Договор № 7" in page.text
    assert service.progress_of(agreement.turnover, MIDYEAR).value == 60_000_000
