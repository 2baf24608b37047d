"""Notifying in the transaction of the change: who receives, in which language, what the
outbox holds, preferences, the digest, deduplication, the app without SMTP."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.events.requests import answer_request, create_request
from seriktes.events.schemas import RequestIn
from seriktes.notifications import digest, service
from seriktes.notifications.kinds import CONTACT_NOTE, Kind
from seriktes.notifications.models import Delivery, Mode, Notification, OutboxMessage
from tests.notifications.conftest import Fair, Inbox, make_fair


def _outbox(session: Session, prefix: str) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).where(OutboxMessage.idempotency_key.startswith(prefix))
    return list(session.scalars(stmt.order_by(OutboxMessage.id)))


def _notifications(session: Session, key: str) -> list[Notification]:
    stmt = select(Notification).where(Notification.dedupe_key == key)
    return list(session.scalars(stmt.order_by(Notification.id)))


def _send(session: Session, fair: Fair, recipient_id: int) -> int:
    data = RequestIn(requester_id=fair.producer.id, recipient_id=recipient_id)
    return create_request(session, fair.producer_users[0], fair.event.id, data).id


def test_a_request_sent_writes_one_email_per_member_in_their_language(
    db_session: Session, smtp_env: Inbox
) -> None:
    fair = make_fair(db_session)
    request_id = _send(db_session, fair, fair.buyer.id)

    rows = _notifications(db_session, f"request.{request_id}.received")
    assert sorted(r.user_id for r in rows) == sorted(u.id for u in fair.buyer_users)
    assert {r.delivery for r in rows} == {Delivery.EMAIL}
    mails = {m.recipient: m for m in _outbox(db_session, f"request.{request_id}.")}
    ru_user, kk_user = fair.buyer_users
    assert set(mails) == {ru_user.email, kk_user.email}
    assert mails[ru_user.email].subject == "Запрос на встречу от ТОО «Производитель»"
    assert mails[kk_user.email].subject == "«Өндіруші» ЖШС кездесуге сұраныс жіберді"
    assert mails[kk_user.email].language == "kk"
    link = f"https://seriktes.example.kz/events/{fair.event.id}/requests"
    assert link in mails[ru_user.email].body_text
    assert f'href="{link}"' in mails[kk_user.email].body_html
    assert db_session.info.get(service.OUTBOX_PENDING) is True


def test_an_accepted_request_tells_the_requesters_members(
    db_session: Session, smtp_env: Inbox
) -> None:
    fair = make_fair(db_session)
    request_id = _send(db_session, fair, fair.buyer.id)
    answer_request(db_session, fair.buyer_users[0], fair.event.id, request_id, True)
    mails = _outbox(db_session, f"request.{request_id}.request_accepted")
    assert [m.recipient for m in mails] == [fair.producer_users[0].email]
    assert mails[0].subject == "АО «Покупатель» сіздің кездесу сұранысыңызды қабылдады"


def test_an_organisation_without_users_is_written_to_at_its_contact_address(
    db_session: Session, smtp_env: Inbox
) -> None:
    fair = make_fair(db_session)
    request_id = _send(db_session, fair, fair.lonely.id)
    assert _notifications(db_session, f"request.{request_id}.received") == []
    [mail] = _outbox(db_session, f"request.{request_id}.")
    assert mail.recipient == "contact@lonely.example.kz"
    assert mail.language == "ru"
    assert mail.notification_id is None
    assert "нет пользователей в Seriktes" in mail.body_text
    assert CONTACT_NOTE not in mail.body_text  # in Russian, not in English


def test_off_writes_nothing_and_digest_waits_for_the_daily_email(
    db_session: Session, smtp_env: Inbox
) -> None:
    fair = make_fair(db_session)
    ru_user, kk_user = fair.buyer_users
    service.set_modes(db_session, ru_user, {Kind.REQUEST_RECEIVED: Mode.OFF})
    service.set_modes(db_session, kk_user, {Kind.REQUEST_RECEIVED: Mode.DIGEST})
    first = _send(db_session, fair, fair.buyer.id)

    rows = _notifications(db_session, f"request.{first}.received")
    assert [(r.user_id, r.delivery) for r in rows] == [(kk_user.id, Delivery.DIGEST)]
    assert _outbox(db_session, f"request.{first}.") == []

    assert digest.send_digests(db_session) == 1
    assert digest.send_digests(db_session) == 0  # nothing waits any more
    [mail] = _outbox(db_session, f"digest.u{kk_user.id}.")
    assert mail.recipient == kk_user.email
    assert "Соңғы жинақтан бері не болды" in mail.body_text
    assert "«Өндіруші» ЖШС кездесуге сұраныс жіберді" in mail.body_text


def test_a_key_notifies_once(db_session: Session, smtp_env: Inbox) -> None:
    fair = make_fair(db_session)
    params = {"filename": "needs.xlsx", "created": 1, "updated": 0, "unchanged": 0}
    user = fair.buyer_users[0]
    for _ in range(2):
        service.notify(db_session, Kind.IMPORT_DONE, [user], params, "/import", "import.x.done")
    assert len(_notifications(db_session, "import.x.done")) == 1
    assert len(_outbox(db_session, "import.x.done")) == 1


def test_without_smtp_notifications_stay_in_the_app(db_session: Session, no_smtp: None) -> None:
    fair = make_fair(db_session)
    request_id = _send(db_session, fair, fair.buyer.id)
    rows = _notifications(db_session, f"request.{request_id}.received")
    assert len(rows) == 2
    assert {r.delivery for r in rows} == {Delivery.APP}
    assert _outbox(db_session, f"request.{request_id}.") == []
    assert service.OUTBOX_PENDING not in db_session.info
    assert service.unread_count(db_session, fair.buyer_users[0]) == 1
