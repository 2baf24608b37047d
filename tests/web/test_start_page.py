"""The start page (`/start`): a member sees their organisation's lines with new matches,
requests to answer, next meetings, deals to confirm and commitments it answers for; a
coordinator their region's open events, waiting requests, commitments at risk and imports;
an administrator all regions, jobs and the outbox. Nobody sees another's data. Runs on
SQLite and PostgreSQL (the test's transaction)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.catalog.models import Need, NeedStatus, Offer
from seriktes.events import requests, service
from seriktes.events.models import Event, MeetingRequest, MeetingStatus, RequestState
from seriktes.events.schemas import ParticipantIn, RequestIn
from seriktes.imports.models import ImportUpload
from seriktes.kit import clock
from seriktes.matches.models import Match
from seriktes.registry.models import Organisation
from tests.agreements.kit import MIDYEAR, PAVLODAR, SKO, VKO, Agreement, make_agreement
from tests.events.conftest import event_in
from tests.webkit import PASSWORD, build_app, login, make_need, make_offer, make_org, make_user


@dataclass
class World:
    """The agreements world with lines, matches, an event, a request, a meeting, a deal
    awaiting confirmation and an upload."""

    agreement: Agreement
    needs: list[Need]
    offer: Offer
    event: Event
    request: MeetingRequest  # from the supplier to the buyer, waiting for the buyer's answer
    meeting: MeetingRequest  # the buyer's with a third organisation, scheduled
    partner: Organisation  # the third organisation (СКО)
    deal_id: int
    coordinator: User  # of ВКО: organises the event, uploaded a file
    upload: ImportUpload

    @property
    def buyer(self) -> Organisation:
        return self.agreement.buyer

    @property
    def supplier(self) -> Organisation:
        return self.agreement.supplier


def _match(session: Session, need: Need, offer: Offer, band: str, days_ago: int) -> None:
    session.add(
        Match(
            need_id=need.id,
            offer_id=offer.id,
            rank=1,
            score=0.9 if band == "strong" else 0.45,
            explanation={"band": band},
            created_at=clock.now() - timedelta(days=days_ago),
        )
    )
    session.flush()


@pytest.fixture
def browser(db_session: Session) -> Iterator[TestClient]:
    """A browser-like client of the app on the test's transaction."""
    with TestClient(build_app(db_session)) as client:
        yield client


@pytest.fixture
def world(db_session: Session, monkeypatch: pytest.MonkeyPatch) -> World:
    """Seen on the second of July 2026: the turnover commitment is at risk."""
    monkeypatch.setattr(clock, "today", lambda: MIDYEAR)
    agreement = make_agreement(db_session)
    buyer, supplier = agreement.buyer, agreement.supplier
    needs = [make_need(db_session, buyer, f"Футеровка {n}") for n in range(2)]
    make_need(db_session, buyer, "Черновик", status=NeedStatus.DRAFT)
    offer = make_offer(db_session, supplier, "Футеровочные плиты")
    _match(db_session, needs[0], offer, "strong", days_ago=1)
    _match(db_session, needs[1], offer, "possible", days_ago=30)

    coordinator = make_user(db_session, Role.COORDINATOR, kato=VKO)
    event = service.create_event(db_session, coordinator, event_in())
    partner = make_org(db_session, SKO, "ТОО «Третий»")
    joined = {
        org.id: service.add_participant(
            db_session, coordinator, event.id, ParticipantIn(organisation_id=org.id)
        )
        for org in (buyer, supplier, partner)
    }
    supplier_member = make_user(db_session, Role.MEMBER, supplier)
    asked = requests.create_request(
        db_session,
        supplier_member,
        event.id,
        RequestIn(requester_id=joined[supplier.id].id, recipient_id=joined[buyer.id].id),
    )
    meeting = MeetingRequest(
        event_id=event.id,
        requester_id=joined[buyer.id].id,
        recipient_id=joined[partner.id].id,
        deadline=asked.deadline,
        state=RequestState.ACCEPTED,
        slot=4,
        table_no=1,
        meeting_status=MeetingStatus.SCHEDULED,
    )
    db_session.add(meeting)
    deal = agreement.deal(confirmed=False)  # recorded by the administrator: no side confirmed
    upload = ImportUpload(
        user_id=coordinator.id, kind="needs", filename="закуп-вко.xlsx", content=b"x"
    )
    db_session.add(upload)
    db_session.flush()
    return World(
        agreement, needs, offer, event, asked, meeting, partner, deal.id, coordinator, upload
    )


def page_of(browser: TestClient, user: User, lang: str = "ru") -> str:
    login(browser, user)
    answer = browser.get(f"/start?lang={lang}")
    assert answer.status_code == 200, answer.text
    return answer.text


def block(html: str, name: str) -> str:
    """The HTML of one block of the page ("" when the page has no such block)."""
    found = re.search(rf'<section class="block" id="{name}".*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_the_public_is_sent_to_log_in(browser: TestClient) -> None:
    answer = browser.get("/start", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/start"


def test_a_buyer_sees_its_lines_requests_meetings_and_deals(
    browser: TestClient, db_session: Session, world: World
) -> None:
    html = page_of(browser, make_user(db_session, Role.MEMBER, world.buyer))
    assert 'data-part="member"' in html and 'data-part="coordinator"' not in html
    needs = block(html, "needs")
    assert needs.count("data-line=") == 2  # published ones, not the draft
    assert f'data-line="{world.needs[0].id}" data-new="1"' in needs
    assert f'data-line="{world.needs[1].id}" data-new="0"' in needs  # found 30 days ago
    assert "Черновик" not in needs
    assert 'href="/needs?org=' in needs  # the full list
    assert "ни одного опубликованного предложения" in block(html, "offers")

    asked = block(html, "requests")
    assert f'data-request="{world.request.id}"' in asked
    assert f'href="/events/{world.event.id}/requests"' in asked
    meetings = block(html, "meetings")
    assert f'data-meeting="{world.meeting.id}"' in meetings
    assert "ТОО «Третий»" in meetings and "14:20–14:40" in meetings  # the second afternoon slot
    assert f'data-deal="{world.deal_id}"' in block(html, "deals")
    assert "не отвечает ни за одно обязательство" in block(html, "commitments")
    assert 'id="jobs"' not in html and 'id="outbox"' not in html


def test_a_supplier_sees_its_offer_matches_and_the_commitment_it_answers_for(
    browser: TestClient, db_session: Session, world: World
) -> None:
    html = page_of(browser, make_user(db_session, Role.MEMBER, world.supplier))
    offers = block(html, "offers")
    assert f'data-line="{world.offer.id}" data-new="1"' in offers
    commitments = block(html, "commitments")
    assert f'data-commitment="{world.agreement.jobs.id}"' in commitments
    assert f'data-commitment="{world.agreement.turnover.id}"' not in commitments
    # its own request is the buyer's to answer; the deal awaits the supplier's side too
    assert "data-request=" not in block(html, "requests")
    assert f'data-deal="{world.deal_id}"' in block(html, "deals")


def test_a_member_of_another_organisation_sees_none_of_it(
    browser: TestClient, db_session: Session, world: World
) -> None:
    other = make_org(db_session, VKO, "ТОО «Посторонний»")
    html = page_of(browser, make_user(db_session, Role.MEMBER, other))
    for name in ("needs", "offers", "requests", "meetings", "deals", "commitments"):
        assert block(html, name), name
        assert 'class="empty"' in block(html, name), name
    for text in ("Футеровка", world.agreement.memo.number, "ТОО «Третий»", "закуп-вко"):
        assert text not in html


def test_a_coordinator_sees_the_region_events_risks_and_imports(
    browser: TestClient, db_session: Session, world: World
) -> None:
    html = page_of(browser, world.coordinator)
    assert 'data-part="coordinator"' in html and 'data-part="member"' not in html
    events = block(html, "events")
    assert f'data-event="{world.event.id}" data-waiting="1"' in events
    risks = block(html, "risks")
    assert f'data-commitment="{world.agreement.turnover.id}" data-status="at_risk"' in risks
    assert 'data-status="on_track"' not in risks
    assert f'data-upload="{world.upload.id}"' in block(html, "imports")
    assert 'id="jobs"' in html and "Нет выполняемых" in block(html, "jobs")
    assert 'id="outbox"' not in html


def test_a_coordinator_of_another_region_sees_none_of_it(
    browser: TestClient, db_session: Session, world: World
) -> None:
    html = page_of(browser, make_user(db_session, Role.COORDINATOR, kato=PAVLODAR))
    assert "data-event=" not in block(html, "events")
    assert "data-commitment=" not in block(html, "risks")
    assert "data-upload=" not in block(html, "imports")  # uploads are the uploader's


def test_an_administrator_sees_every_region_jobs_and_the_outbox(
    browser: TestClient, db_session: Session, world: World
) -> None:
    html = page_of(browser, world.agreement.admin)
    assert 'data-part="admin"' in html and "Все регионы" in html
    assert f'data-event="{world.event.id}"' in block(html, "events")
    assert f'data-commitment="{world.agreement.turnover.id}"' in block(html, "risks")
    assert f'data-upload="{world.upload.id}"' in block(html, "imports")
    assert world.coordinator.full_name in block(html, "imports")
    assert "застрявших" in block(html, "outbox") and block(html, "jobs")


def test_the_page_in_kazakh(browser: TestClient, db_session: Session, world: World) -> None:
    html = page_of(browser, make_user(db_session, Role.MEMBER, world.buyer), "kk")
    assert "Менің бетім" in html and "Біздің қажеттіліктер" in html
    assert "Менің бетім" in browser.get("/needs?lang=kk").text  # the menu's link


def test_a_login_leads_to_the_start_page_unless_a_page_was_asked(
    browser: TestClient, db_session: Session
) -> None:
    user = make_user(db_session, Role.ADMIN)
    for given, expected in ((None, "/start"), ("/", "/start"), ("/deals", "/deals")):
        form = browser.get("/login" + (f"?next={given}" if given else ""))
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token
        data = {"email": user.email, "password": PASSWORD, "csrf_token": token.group(1)}
        hidden = re.search(r'name="next" value="([^"]*)"', form.text)
        if hidden:
            data["next"] = hidden.group(1)
        answer = browser.post("/login", data=data, follow_redirects=False)
        assert answer.headers["location"] == expected, given
        browser.cookies.clear()


def test_a_meeting_over_earlier_on_the_day_is_no_longer_next(
    browser: TestClient, db_session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = make_user(db_session, Role.MEMBER, world.buyer)
    day = world.event.first_day
    almaty = timezone(timedelta(hours=5))
    at = {"before": datetime(day.year, day.month, day.day, 14, 30, tzinfo=almaty)}
    monkeypatch.setattr(clock, "today", lambda: day)
    monkeypatch.setattr(clock, "now", lambda: at["before"].astimezone(UTC))
    assert f'data-meeting="{world.meeting.id}"' in block(page_of(browser, user), "meetings")
    at["before"] = at["before"] + timedelta(minutes=15)  # 14:45: the 14:20–14:40 meeting is over
    assert "data-meeting=" not in block(browser.get("/start").text, "meetings")
