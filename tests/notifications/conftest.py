"""An SMTP server in-process (aiosmtpd) that keeps the messages it receives, the settings that
point the platform at it, and a small B2B day whose organisations have members."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.config import get_settings
from seriktes.events import service
from seriktes.events.models import Event, Participant
from seriktes.events.schemas import ParticipantIn
from seriktes.registry.models import Organisation
from tests.events.conftest import SKO, VKO, event_in
from tests.webkit import make_org, make_user


def free_port() -> int:
    """A TCP port nobody listens on (at this moment)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """aiosmtpd's handler: keeps every message it accepts, optionally slowly."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.delay = 0.0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Accept a message."""
        if self.delay:
            time.sleep(self.delay)  # holds the server: the other deliverer runs meanwhile
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self._lock:
            self.messages.append(parsed)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages received for `address`."""
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, str]]:
    """A running SMTP server and its URL."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


@pytest.fixture
def smtp_env(smtp: tuple[Inbox, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """SERIKTES_SMTP_URL pointing at the running server; the inbox."""
    monkeypatch.setenv("SERIKTES_SMTP_URL", smtp[1])
    monkeypatch.setenv("SERIKTES_BASE_URL", "https://seriktes.example.kz")
    get_settings.cache_clear()
    yield smtp[0]
    get_settings.cache_clear()


@pytest.fixture
def no_smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """SERIKTES_SMTP_URL unset."""
    monkeypatch.delenv("SERIKTES_SMTP_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@dataclass
class Fair:
    """An event with buyers of ВКО — one with two members (ru and kk), one with no users but a
    contact e-mail — and a producer of СКО with a member reading Kazakh."""

    organiser: User
    event: Event
    buyer: Participant
    producer: Participant
    lonely: Participant
    buyer_users: list[User] = field(default_factory=list)
    producer_users: list[User] = field(default_factory=list)


def member(session: Session, org: Organisation, lang: str) -> User:
    """A member of `org` reading in `lang`."""
    user = make_user(session, Role.MEMBER, org)
    user.language = lang
    session.flush()
    return user


def make_fair(session: Session) -> Fair:
    """The event of `Fair`, flushed."""
    organiser = make_user(session, Role.COORDINATOR, kato=VKO)
    event = service.create_event(session, organiser, event_in())

    def join(org: Organisation) -> Participant:
        data = ParticipantIn.model_validate({"organisation_id": org.id, "languages": ["ru"]})
        return service.add_participant(session, organiser, event.id, data)

    buyer_org = make_org(session, VKO, "АО «Покупатель»")
    producer_org = make_org(session, SKO, "ТОО «Производитель»")
    producer_org.name_kk = "«Өндіруші» ЖШС"
    lonely_org = make_org(session, VKO, "ТОО «Без пользователей»")
    lonely_org.email = "contact@lonely.example.kz"
    fair = Fair(organiser, event, join(buyer_org), join(producer_org), join(lonely_org))
    fair.buyer_users = [member(session, buyer_org, "ru"), member(session, buyer_org, "kk")]
    fair.producer_users = [member(session, producer_org, "kk")]
    return fair
