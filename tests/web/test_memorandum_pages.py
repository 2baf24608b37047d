"""Memoranda managed on the pages: a memorandum created with its signatories and posts, an
organisation party chosen through the picker (without JavaScript: the BIN typed), parties
changed and removed, a commitment with its responsible organisation and person, milestones,
the commitment's page saying which rule decided its status, contracted / delivered /
counted side by side and the history chart, and the withdrawal; all in the audit log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.agreements import deals
from seriktes.agreements.models import AuditEntry, Commitment, Memorandum, MemorandumStatus
from seriktes.agreements.schemas import DeliveryIn
from seriktes.kit import clock
from tests.agreements.kit import SKO, VKO, Agreement, make_agreement
from tests.webkit import build_app, login, make_org, make_user


@pytest.fixture
def browser(db_session: Session) -> Iterator[TestClient]:
    with TestClient(build_app(db_session)) as client:
        yield client


def audit_kinds(session: Session, memo_id: int) -> list[tuple[str, str]]:
    rows = session.scalars(
        select(AuditEntry).where(AuditEntry.memorandum_id == memo_id).order_by(AuditEntry.id)
    )
    return [(e.entity_kind, e.action.value) for e in rows]


def test_a_coordinator_creates_a_memorandum_with_signatories_and_an_organisation_party(
    browser: TestClient, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2026, 3, 11))
    coordinator = make_user(db_session, Role.COORDINATOR, kato=VKO)
    plant = make_org(db_session, SKO, "ТОО «Северный машзавод»")
    token = login(browser, coordinator)
    created = browser.post(
        "/memoranda/new",
        data={
            "csrf_token": token,
            "number": "М-2026/77",
            "title": "О поставках оборудования",
            "signed_on": "2026-03-01",
            "status": "published",
            "host_region": VKO,
            "host_signatory": "Сапаров Е. К.",
            "host_signatory_post": "аким области",
            "guest_region": SKO,
            "sectors": ["industry"],
        },
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    memo = db_session.scalars(select(Memorandum).where(Memorandum.number == "М-2026/77")).one()
    host = next(p for p in memo.parties if p.role.value == "host")
    assert (host.signatory, host.signatory_post) == ("Сапаров Е. К.", "аким области")

    form = browser.get(f"/memoranda/{memo.id}/parties/new")
    assert form.status_code == 200 and "data-org-picker" in form.text
    version = re.search(r'name="version" value="(\d+)"', form.text)
    assert version
    party = {
        "csrf_token": token,
        "version": version.group(1),
        "organisation": plant.bin,  # without JavaScript: the BIN typed
        "role": "guest",
        "signatory": "Ахметов А. Б.",
        "signatory_post": "генеральный директор",
    }
    added = browser.post(f"/memoranda/{memo.id}/parties/new", data=party, follow_redirects=False)
    assert added.status_code == 303, added.text
    page = browser.get(f"/memoranda/{memo.id}").text
    assert "Ахметов А. Б." in page and "генеральный директор" in page
    assert "аким области" in page
    assert "Гостевая сторона" in page

    stale = browser.post(f"/memoranda/{memo.id}/parties/new", data=party, follow_redirects=False)
    assert stale.status_code == 409  # the form of before: the memorandum changed since

    none = browser.post(
        f"/memoranda/{memo.id}/parties/new",
        data={"csrf_token": token, "role": "party"},
        follow_redirects=False,
    )
    assert none.status_code == 422
    assert "Выберите регион, организацию или и то и другое." in none.text

    organisation_party = next(p for p in memo.parties if p.organisation_id == plant.id)
    removed = browser.post(
        f"/memoranda/{memo.id}/parties/{organisation_party.id}/remove",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    db_session.expire_all()
    assert all(p.organisation_id != plant.id for p in memo.parties)
    assert audit_kinds(db_session, memo.id) == [
        ("memorandum", "create"),
        ("memorandum", "update"),
        ("memorandum", "update"),
    ]


@pytest.fixture
def agreement(db_session: Session, monkeypatch: pytest.MonkeyPatch) -> Agreement:
    monkeypatch.setattr(clock, "today", lambda: date(2026, 1, 12))  # its eleventh day
    return make_agreement(db_session)


def test_a_commitment_with_a_responsible_person_and_milestones_says_which_rule_applies(
    browser: TestClient,
    db_session: Session,
    agreement: Agreement,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    coordinator = make_user(db_session, Role.COORDINATOR, kato=VKO)
    token = login(browser, coordinator)
    memo = agreement.memo
    form = browser.get(f"/memoranda/{memo.id}/commitments/new")
    assert form.status_code == 200 and "responsible_organisation" in form.text
    created = browser.post(
        f"/memoranda/{memo.id}/commitments/new",
        data={
            "csrf_token": token,
            "title": "Поставки футеровки",
            "kpi": "turnover_kzt",
            "target": "150 000 000",
            "deadline": "2026-12-31",
            "responsible_organisation": agreement.buyer.bin,
            "responsible_person": "Иванова С. П.",
            "responsible_post": "заместитель директора",
            "responsible_contact": "+7 7232 00 00 00",
        },
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    url = created.headers["location"].split("?")[0]
    commitment = db_session.get(Commitment, int(url.rsplit("/", 1)[1]))
    assert commitment is not None
    assert commitment.responsible_organisation_id == agreement.buyer.id
    assert commitment.responsible_post == "заместитель директора"

    page = browser.get(url).text
    assert 'data-basis="too_early"' in page  # a new commitment: not at risk on its 11th day
    assert "Оценивать рано" in page and "25" in page
    assert 'data-status="on_track"' in page
    assert "Иванова С. П., заместитель директора" in page
    assert "<svg" in page and 'data-line="counted"' in page

    added = browser.post(
        f"/commitments/{commitment.id}/milestones/new",
        data={"csrf_token": token, "due_on": "2026-06-01", "target": "100000000"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    outside = browser.post(
        f"/commitments/{commitment.id}/milestones/new",
        data={"csrf_token": token, "due_on": "2027-06-01", "target": "1"},
        follow_redirects=False,
    )
    assert outside.status_code == 422

    deal = agreement.deal("60000000", commitment_ids=[commitment.id])
    deals.add_delivery(
        db_session,
        agreement.admin,
        deal.id,
        DeliveryIn(delivered_on=date(2026, 5, 1), amount_kzt=Decimal(20_000_000)),
    )
    agreement.confirm(deal)
    monkeypatch.setattr(clock, "today", lambda: date(2026, 7, 1))
    page = browser.get(url).text
    assert 'data-basis="milestone"' in page
    assert "Оценка по промежуточной цели на 01.06.2026" in page
    assert 'data-status="at_risk"' in page  # 20 M counted against the 100 M milestone
    assert 'data-contracted="60000000' in page
    assert 'data-delivered="20000000' in page
    assert 'data-counted="20000000' in page
    assert 'data-milestone="2026-06-01"' in page  # on the chart

    milestone = commitment.milestones[0]
    changed = browser.post(
        f"/milestones/{milestone.id}/edit",
        data={"csrf_token": token, "due_on": "2026-06-01", "target": "15000000"},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    assert 'data-status="on_track"' in browser.get(url).text
    removed = browser.post(
        f"/milestones/{milestone.id}/remove", data={"csrf_token": token}, follow_redirects=False
    )
    assert removed.status_code == 303
    assert 'data-basis="pace"' in browser.get(url).text
    kinds = audit_kinds(db_session, memo.id)
    assert [k for k in kinds if k[0] == "milestone"] == [
        ("milestone", "create"),
        ("milestone", "update"),
        ("milestone", "delete"),
    ]

    edit = browser.get(f"/commitments/{commitment.id}/edit").text
    assert "Иванова С. П." in edit and str(agreement.buyer.id) in edit


def test_a_withdrawn_memorandum_shows_its_reason_and_takes_no_changes(
    browser: TestClient, db_session: Session, agreement: Agreement
) -> None:
    coordinator = make_user(db_session, Role.COORDINATOR, kato=SKO)
    token = login(browser, coordinator)
    memo = agreement.memo
    short = browser.post(
        f"/memoranda/{memo.id}/withdraw",
        data={"csrf_token": token, "reason": "x"},
        follow_redirects=False,
    )
    assert short.status_code == 422
    done = browser.post(
        f"/memoranda/{memo.id}/withdraw",
        data={"csrf_token": token, "reason": "Заменён меморандумом М-2026/02", "version": "99"},
        follow_redirects=False,
    )
    assert done.status_code == 409  # a stale version
    done = browser.post(
        f"/memoranda/{memo.id}/withdraw",
        data={"csrf_token": token, "reason": "Заменён меморандумом М-2026/02"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert memo.status is MemorandumStatus.WITHDRAWN
    browser.cookies.clear()
    public = browser.get(f"/memoranda/{memo.id}")
    assert public.status_code == 200
    assert "Заменён меморандумом М-2026/02" in public.text and "data-withdrawn" in public.text
    login(browser, coordinator)
    assert browser.get(f"/memoranda/{memo.id}/edit").status_code == 409
    assert "/parties/new" not in browser.get(f"/memoranda/{memo.id}").text


def test_a_refused_milestone_comes_back_at_its_field_with_what_was_typed(
    browser: TestClient, db_session: Session, agreement: Agreement
) -> None:
    token = login(browser, make_user(db_session, Role.COORDINATOR, kato=VKO))
    commitment = agreement.turnover
    url = f"/commitments/{commitment.id}/milestones/new"
    outside = browser.post(url, data={"csrf_token": token, "due_on": "2031-06-01", "target": "1"})
    assert outside.status_code == 422  # on the commitment's page, not an error page
    assert 'data-error-for="due_on"' in outside.text and 'value="2031-06-01"' in outside.text
    assert 'id="add-milestone" open' in outside.text
    word = browser.post(
        url + "?lang=kk", data={"csrf_token": token, "due_on": "2026-07-01", "target": "сто"}
    )
    assert word.status_code == 422 and 'data-error-for="target"' in word.text
    assert 'value="сто"' in word.text and 'lang="kk"' in word.text
    assert commitment.milestones == []  # nothing written by the refusals


def test_a_refused_change_of_a_milestone_comes_back_in_its_row(
    browser: TestClient, db_session: Session, agreement: Agreement
) -> None:
    from seriktes.agreements import service
    from seriktes.agreements.schemas import MilestoneIn

    coordinator = make_user(db_session, Role.COORDINATOR, kato=VKO)
    token = login(browser, coordinator)
    commitment = agreement.turnover
    milestone = service.add_milestone(
        db_session, coordinator, commitment.id,
        MilestoneIn(due_on=date(2026, 6, 1), target=Decimal(10)),
    )  # fmt: skip
    refused = browser.post(
        f"/milestones/{milestone.id}/edit",
        data={"csrf_token": token, "due_on": "2026-06-01", "target": "-5"},
    )
    assert refused.status_code == 422
    row = refused.text.split(f'data-milestone="{milestone.id}"')[1].split("</tr>")[0]
    assert 'data-error-for="target"' in row and 'value="-5"' in row
    assert milestone.target == Decimal(10)  # unchanged
