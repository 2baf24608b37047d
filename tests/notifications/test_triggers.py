"""The changes that notify, each in its own transaction: schedules (with the agenda as .ics),
cancelled meetings, site visits, deals awaiting the other side, commitments achieved, and the
daily sweep's reminders — none twice."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.agreements import confirmation, deals, reminders
from seriktes.agreements.schemas import ConfirmIn, DealIn
from seriktes.events import reminders as event_reminders
from seriktes.events import scheduling
from seriktes.events import service as events
from seriktes.events.requests import answer_request, create_request
from seriktes.events.schedule_notices import tell_participants
from seriktes.events.schemas import RequestIn, VisitIn
from seriktes.imports.uploads import confirm_upload, store_upload
from seriktes.kit import clock
from seriktes.matches.digest import notify_strong_matches
from seriktes.matches.models import Match
from seriktes.notifications import mail
from seriktes.notifications.models import Delivery, Notification, OutboxMessage
from tests.agreements.kit import SKO, VKO, Agreement, make_agreement
from tests.imports.test_uploads import needs_csv
from tests.notifications.conftest import Fair, Inbox, make_fair, member
from tests.webkit import make_need, make_offer, make_org, make_user


def _told(session: Session, kind: str) -> list[Notification]:
    stmt = select(Notification).where(Notification.kind == kind).order_by(Notification.id)
    return list(session.scalars(stmt))


def _accepted(session: Session, fair: Fair) -> int:
    data = RequestIn(requester_id=fair.producer.id, recipient_id=fair.buyer.id)
    request = create_request(session, fair.producer_users[0], fair.event.id, data)
    answer_request(session, fair.buyer_users[0], fair.event.id, request.id, True)
    return request.id


def test_a_schedule_sends_each_participant_its_agenda_and_a_cancellation_the_other_side(
    db_session: Session, smtp_env: Inbox
) -> None:
    tell_participants()
    fair = make_fair(db_session)
    request_id = _accepted(db_session, fair)
    scheduling.solve_for(db_session, fair.organiser, fair.event.id, time_limit=2)

    published = _told(db_session, "schedule_published")
    buyers = {u.id for u in fair.buyer_users}
    assert {n.user_id for n in published} == buyers | {fair.producer_users[0].id}
    stmt = select(OutboxMessage).where(OutboxMessage.idempotency_key.startswith("schedule."))
    mails = {m.recipient: m for m in db_session.scalars(stmt)}
    kk_mail = mails[fair.buyer_users[1].email]
    [agenda] = mail.unpacked(kk_mail)
    assert (agenda.filename, agenda.content_type) == (
        f"agenda-{fair.event.id}.ics",
        "text/calendar",
    )
    assert b"BEGIN:VEVENT" in agenda.data
    assert f"seriktes-meeting-{request_id}@seriktes".encode() in agenda.data

    scheduling.solve_for(db_session, fair.organiser, fair.event.id, time_limit=2)
    assert len(_told(db_session, "schedule_published")) == len(published)  # nothing changed

    scheduling.cancel_participant(db_session, fair.organiser, fair.event.id, fair.producer.id)
    cancelled = _told(db_session, "meeting_cancelled")
    assert {n.user_id for n in cancelled} == buyers  # the cancelled side is not told


def test_a_site_visit_sign_up_is_confirmed_and_the_organisers_learn_it_is_full(
    db_session: Session, smtp_env: Inbox
) -> None:
    fair = make_fair(db_session)
    visit_in = VisitIn(title="Завод «Север»", capacity=1, first_slot=0)
    visit = events.add_visit(db_session, fair.organiser, fair.event.id, visit_in)
    events.sign_up(db_session, fair.buyer_users[0], fair.event.id, visit.id, fair.buyer.id)
    [kk_told] = [
        n for n in _told(db_session, "visit_confirmed") if n.user_id == fair.buyer_users[1].id
    ]
    assert kk_told.link == f"/events/{fair.event.id}"
    assert [n.user_id for n in _told(db_session, "visit_full")] == [fair.organiser.id]


def test_a_deal_asks_the_other_side_and_its_confirmation_achieves_a_commitment(
    db_session: Session, smtp_env: Inbox
) -> None:
    a: Agreement = make_agreement(db_session)
    buyer = member(db_session, a.buyer, "ru")
    supplier = member(db_session, a.supplier, "kk")
    coordinator = make_user(db_session, Role.COORDINATOR, kato=SKO)
    values = {
        "number": "Д-777",
        "signed_on": date(2026, 3, 1),
        "buyer_id": a.buyer.id,
        "supplier_id": a.supplier.id,
        "subject": "Футеровочные плиты",
        "amount": "120000000",
        "commitment_ids": [a.turnover.id],
    }
    deal = deals.create_deal(db_session, buyer, DealIn.model_validate(values))
    [asked] = _told(db_session, "deal_awaiting")
    assert asked.user_id == supplier.id
    assert asked.params["number"] == "Д-777"
    [email] = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.notification_id == asked.id)
    )
    assert email.subject == "Д-777 мәмілесі сіздің растауыңызды күтуде"

    confirmation.confirm(db_session, supplier, deal.id, ConfirmIn())
    achieved = _told(db_session, "commitment_achieved")
    assert coordinator.id in {n.user_id for n in achieved}
    assert all(n.params["commitment"] == a.turnover.title for n in achieved)


def test_the_sweep_reminds_once_of_requests_expiring_and_commitments_due_or_overdue(
    db_session: Session, smtp_env: Inbox
) -> None:
    fair = make_fair(db_session)
    data = RequestIn(requester_id=fair.producer.id, recipient_id=fair.buyer.id)
    request = create_request(db_session, fair.producer_users[0], fair.event.id, data)
    request.deadline = clock.now() + timedelta(hours=10)
    db_session.flush()
    assert event_reminders.remind_expiring(db_session) == 1
    assert event_reminders.remind_expiring(db_session) == 1
    expiring = _told(db_session, "request_expiring")
    assert sorted(n.user_id for n in expiring) == sorted(u.id for u in fair.buyer_users)

    a = make_agreement(db_session)
    coordinator = make_user(db_session, Role.COORDINATOR, kato=VKO)
    for _ in range(2):
        reminders.remind_commitments(db_session, date(2026, 12, 5))
    due = [n for n in _told(db_session, "commitment_due") if n.user_id == coordinator.id]
    assert len(due) == 3  # the memorandum's three commitments, each once
    assert {n.params["deadline"] for n in due} == {"31.12.2026"}
    reminders.remind_commitments(db_session, date(2027, 1, 5))
    overdue = [n for n in _told(db_session, "commitment_overdue") if n.user_id == coordinator.id]
    assert {n.subject_id for n in overdue} == {a.turnover.id, a.supply.id, a.jobs.id}


def test_new_strong_matches_wait_for_the_daily_digest(db_session: Session, smtp_env: Inbox) -> None:
    fair = make_fair(db_session)
    buyer_org = fair.buyer.organisation
    need = make_need(db_session, buyer_org, "Подшипник 6205-2RS")
    offer = make_offer(db_session, fair.producer.organisation, "Подшипники шариковые")
    db_session.add(Match(need_id=need.id, offer_id=offer.id, rank=1, score=0.9, explanation={}))
    db_session.flush()
    assert notify_strong_matches(db_session) == 2  # the buyer and the producer
    told = _told(db_session, "strong_matches")
    assert {n.delivery for n in told} == {Delivery.DIGEST}
    mine = [n for n in told if n.user_id == fair.buyer_users[0].id]
    assert mine[0].params["titles"] == "Подшипник 6205-2RS"
    assert Decimal(mine[0].params["count"]) == 1
    notify_strong_matches(db_session)
    assert len(_told(db_session, "strong_matches")) == len(told)


def test_a_confirmed_import_tells_its_uploader(db_session: Session, smtp_env: Inbox) -> None:
    admin = make_user(db_session, Role.ADMIN)
    admin.language = "kk"
    buyer = make_org(db_session, VKO)
    upload = store_upload(
        db_session, admin, "needs", "needs.csv", needs_csv(str(buyer.bin), [2, 5])
    )
    confirm_upload(db_session, admin, upload.id)
    [told] = _told(db_session, "import_done")
    assert (told.user_id, told.link, told.params["created"]) == (
        admin.id,
        f"/import/{upload.id}/done",
        2,
    )
    [email] = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.notification_id == told.id)
    )
    assert email.subject == "Импорт аяқталды: needs.csv"
