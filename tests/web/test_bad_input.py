"""Bad input in every HTML form: odd Unicode digits («²», «٣», «１»), underscores, zero,
negative and huge ids answer a 4xx that names the field, never a 500, and write nothing.

`int("٣")` is 3 and `"²".isdigit()` is true while `int("²")` raises: each form below once
answered 500 (or acted for the organisation, participant or commitment number 3)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.events import service as events
from seriktes.events.models import EventStatus, Participant
from seriktes.events.schemas import EventIn, ParticipantIn, VisitIn
from seriktes.kit.db import Base
from tests.agreements.kit import SKO, VKO, Agreement, make_agreement
from tests.webkit import build_app, login, make_user

# digits Python's int() or Decimal() take, or that isdigit() calls digits, other than 0-9
ODD_DIGITS = ["²", "٣", "１", "߁", "1_000", "1\u00a0000\u00a0000" + "²"]
BAD_IDS = [*ODD_DIGITS, "0", "-1", "9" * 30, "3.0", "x"]


@dataclass
class Scene:
    """An administrator logged in, the agreements world, an event with both parties."""

    client: TestClient
    csrf: str
    admin: User
    agreement: Agreement
    event_id: int
    buyer: Participant
    supplier: Participant
    visit_id: int
    deal_id: int


@pytest.fixture
def scene(db_session: Session) -> Iterator[Scene]:
    agreement = make_agreement(db_session)
    admin = make_user(db_session, Role.ADMIN)
    event = events.create_event(
        db_session,
        admin,
        EventIn(
            title="Дни СКО в ВКО",
            host_region=VKO,
            guest_region=SKO,
            starts_on=date(2099, 6, 1),
            ends_on=date(2099, 6, 2),
            meetings_on=date(2099, 6, 1),
            morning_slots=3,
            afternoon_slots=3,
            status=EventStatus.PUBLISHED,
        ),
    )
    add = events.add_participant
    buyer = add(db_session, admin, event.id, ParticipantIn(organisation_id=agreement.buyer.id))
    supplier = add(
        db_session, admin, event.id, ParticipantIn(organisation_id=agreement.supplier.id)
    )
    visit = events.add_visit(
        db_session, admin, event.id, VisitIn(title="ТЭЦ", capacity=5, first_slot=1)
    )
    deal = agreement.deal("1000000")
    with TestClient(build_app(db_session)) as client:
        csrf = login(client, admin)
        yield Scene(client, csrf, admin, agreement, event.id, buyer, supplier, visit.id, deal.id)


def snapshot(session: Session) -> tuple[object, ...]:
    """Every table's row count and every participant's availability: what a form may write."""
    session.expire_all()
    counts = [
        session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.tables.values()
    ]
    slots = session.execute(text("SELECT id, blocked_slots, priority FROM event_participants"))
    return (*counts, *sorted(tuple(map(str, row)) for row in slots))


@dataclass(frozen=True)
class FormCase:
    """A form, its valid fields, and the field spoiled in it."""

    name: str
    path: str
    field: str
    data: dict[str, str]


def form_cases(s: Scene) -> list[FormCase]:
    """The forms whose ids and numbers once met int() or Decimal() unguarded."""
    buyer_id, event = str(s.agreement.buyer.id), f"/events/{s.event_id}"
    need = {"title": "Подшипник", "buyer_id": buyer_id, "quantity": "2", "currency": "KZT"}
    offer = {"title": "Подшипник", "producer_id": str(s.agreement.supplier.id), "price": "5"}
    ask = {"requester_id": str(s.buyer.id), "recipient_id": str(s.supplier.id)}
    new_event = {
        "title": "Дни ВКО в СКО",
        "host_region": SKO,
        "guest_region": VKO,
        "starts_on": "2099-07-01",
        "ends_on": "2099-07-01",
        "d0_meets_on": "2099-07-01",
        "slot_minutes": "20",
        "d0_morning_slots": "3",
        "d0_afternoon_slots": "3",
        "d0_tables": "5",
        "d0_pause_after": "1",
    }
    deal = {
        "number": "BAD-1",
        "signed_on": "2026-04-01",
        "buyer_bin": s.agreement.buyer.bin,
        "supplier_bin": s.agreement.supplier.bin,
        "subject": "Запчасти",
        "amount": "100",
        "currency": "KZT",
        "commitment_ids": str(s.agreement.turnover.id),
    }
    return [
        FormCase("need owner", "/needs/new", "buyer_id", need),
        FormCase("need quantity", "/needs/new", "quantity", need),
        FormCase("offer owner", "/offers/new", "producer_id", offer),
        FormCase("offer price", "/offers/new", "price", offer),
        FormCase("request", f"{event}/requests/new", "requester_id", ask),
        FormCase("request recipient", f"{event}/requests/new", "recipient_id", ask),
        FormCase(
            "visit sign-up",
            f"{event}/visits/{s.visit_id}/signup",
            "participant_id",
            {"participant_id": str(s.buyer.id)},
        ),
        FormCase("event pauses", "/events/new", "d0_pause_after", new_event),
        FormCase("event slot length", "/events/new", "slot_minutes", new_event),
        FormCase("deal commitments", "/deals/new", "commitment_ids", deal),
        FormCase(
            "deal links",
            f"/deals/{s.deal_id}/commitments",
            "commitment_ids",
            {"commitment_ids": str(s.agreement.turnover.id)},
        ),
    ]


CASE_NAMES = [
    "need owner",
    "need quantity",
    "offer owner",
    "offer price",
    "request",
    "request recipient",
    "visit sign-up",
    "event pauses",
    "event slot length",
    "deal commitments",
    "deal links",
]
NUMBER_FIELDS = {"quantity", "price", "slot_minutes", "d0_pause_after"}


def refused(s: Scene, session: Session, case: FormCase, value: str) -> None:
    """Post `case` with its field set to `value`: a 4xx naming the field, nothing written."""
    before = snapshot(session)
    data = {**case.data, case.field: value, "csrf_token": s.csrf}
    response = s.client.post(case.path, data=data, follow_redirects=False)
    assert 400 <= response.status_code < 500, (case.name, value, response.status_code)
    assert "Traceback" not in response.text and "internal error" not in response.text
    page = response.text
    assert f'data-error-for="{case.field}"' in page or f"form, {case.field}:" in page, (
        case.name,
        value,
        page[:2000],
    )
    assert snapshot(session) == before, (case.name, value)


def bad_values(case: FormCase) -> list[str]:
    """Values the field refuses: odd digits for numbers, also zero and the like for ids."""
    if case.field in NUMBER_FIELDS:
        return [*ODD_DIGITS, "9" * 30] if case.field != "d0_pause_after" else ODD_DIGITS
    return BAD_IDS


@pytest.mark.parametrize("name", CASE_NAMES)
def test_every_form_refuses_odd_digits_and_impossible_ids_at_the_field(
    scene: Scene, db_session: Session, name: str
) -> None:
    case = next(c for c in form_cases(scene) if c.name == name)
    for value in bad_values(case):
        refused(scene, db_session, case, value)
    valid = {**case.data, "csrf_token": scene.csrf}
    accepted = scene.client.post(case.path, data=valid, follow_redirects=False)
    assert accepted.status_code == 303, (name, accepted.text[:2000])


def test_a_blocked_slot_box_with_odd_digits_is_refused_and_nothing_changes(
    scene: Scene, db_session: Session
) -> None:
    path = f"/events/{scene.event_id}/participants/{scene.buyer.id}/availability"
    for key in ("slot_²", "slot_٣", "slot_1_0", "slot_-1"):
        case = FormCase("availability", path, key, {"representatives": "Иванов"})
        refused(scene, db_session, case, "1")
    done = scene.client.post(
        path, data={"slot_2": "1", "csrf_token": scene.csrf}, follow_redirects=False
    )
    assert done.status_code == 303
    db_session.refresh(scene.buyer)
    assert scene.buyer.blocked_slots == [2]


def test_a_request_from_participant_zero_is_refused_at_the_field(
    scene: Scene, db_session: Session
) -> None:
    case = next(c for c in form_cases(scene) if c.name == "request")
    refused(scene, db_session, case, "0")
    page = scene.client.post(
        case.path, data={**case.data, "requester_id": "0", "csrf_token": scene.csrf}
    )
    assert "Выберите один из вариантов." in page.text, "the message is in the user's language"


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    digits=st.text(
        st.characters(categories=["Nd", "No", "Nl"], exclude_characters="0123456789"),
        min_size=1,
        max_size=4,
    ),
    number=st.integers(min_value=0, max_value=10**6),
    name=st.sampled_from(CASE_NAMES),
)
def test_any_non_ascii_digit_in_any_form_is_a_4xx_at_the_field(
    scene: Scene, db_session: Session, digits: str, number: int, name: str
) -> None:
    case = next(c for c in form_cases(scene) if c.name == name)
    refused(scene, db_session, case, f"{number}{digits}")
