"""The pages of the meeting day: the check-in link as an organiser and as anyone else, the
arrivals list with ticks, undo and absentees, a participant's meetings with the QR code and
the outcome form, the deal form pre-filled from a meeting, the funnel on the event page."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.events import repository, requests, scheduling
from seriktes.events.models import (
    CheckinMethod,
    MeetingOutcome,
    MeetingRequest,
    MeetingStatus,
    Outcome,
    ParticipantStatus,
)
from seriktes.events.schemas import RequestIn
from seriktes.kit import clock
from tests.events.conftest import Day
from tests.webkit import login, make_need, make_user

END_OF_THE_DAY = datetime(2099, 5, 14, 15, 0, tzinfo=UTC)  # 20:00 in Almaty
BEFORE_THE_DAY = datetime(2099, 5, 14, 3, 0, tzinfo=UTC)  # 08:00 in Almaty


def scheduled(day: Day, **fields: object) -> MeetingRequest:
    """A scheduled meeting: the first producer asked the first buyer."""
    data = RequestIn.model_validate(
        {"requester_id": day.producers[0].id, "recipient_id": day.buyers[0].id, **fields}
    )
    request = requests.create_request(day.session, day.organiser, day.event.id, data)
    requests.answer_request(day.session, day.organiser, day.event.id, request.id, True)
    scheduling.schedule_event(day.session, day.event.id, time_limit=2)
    assert request.meeting_status is MeetingStatus.SCHEDULED
    return request


def test_an_organiser_confirms_an_arrival_from_the_check_in_link(
    client: TestClient, day: Day, db_session: Session
) -> None:
    producer = day.producers[0]
    link = f"/events/{day.event.id}/checkin/{producer.checkin_token}"
    token = login(client, day.organiser)
    page = client.get(link)
    assert page.status_code == 200
    assert "ТОО «Производитель 0»" in html.unescape(page.text)
    assert "data-confirm-arrival" in page.text
    refused = client.post(link, data={"day": "0"}, follow_redirects=False)
    assert refused.status_code == 403  # no CSRF token
    assert repository.checkin_of(db_session, producer.id, 0) is None
    done = client.post(link, data={"day": "0", "csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303
    arrived = repository.checkin_of(db_session, producer.id, 0)
    assert arrived is not None and arrived.method is CheckinMethod.QR
    again = client.post(link, data={"day": "0", "csrf_token": token})
    assert again.status_code == 200 and 'data-arrived="1"' in again.text
    assert client.get(f"/events/{day.event.id}/checkin/wrong-code").status_code == 404


@pytest.mark.parametrize("who", ["public", "member", "other organisation"])
def test_anyone_else_is_sent_to_the_desk_and_learns_nothing(
    client: TestClient, day: Day, db_session: Session, who: str
) -> None:
    producer = day.producers[0]
    if who == "member":
        login(client, make_user(db_session, Role.MEMBER, producer.organisation))
    elif who == "other organisation":
        login(client, make_user(db_session, Role.MEMBER, day.buyers[1].organisation))
    page = client.get(f"/events/{day.event.id}/checkin/{producer.checkin_token}?lang=ru")
    assert page.status_code == 200 and 'data-checkin="desk"' in page.text
    assert "стойке регистрации" in page.text
    assert "Производитель 0" not in html.unescape(page.text)
    wrong = client.get(f"/events/{day.event.id}/checkin/wrong-code")
    assert wrong.status_code == 200 and 'data-checkin="desk"' in wrong.text  # same answer


def test_the_arrivals_page_ticks_undoes_and_marks_absent(
    client: TestClient, day: Day, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = scheduled(day)
    monkeypatch.setattr(clock, "now", lambda: BEFORE_THE_DAY)  # sessions last from "now"
    token = login(client, day.organiser)
    url = f"/events/{day.event.id}/arrivals"
    page = client.get(url + "?lang=kk")
    assert page.status_code == 200
    assert "Келгендер" in page.text and "/static/arrivals.js" in page.text
    assert page.text.count("data-arrival=") == 5
    buyer = day.buyers[0]
    tick = {"participant_id": str(buyer.id), "day": "0", "csrf_token": token, "action": "in"}
    assert client.post(url + "/tick", data=tick, follow_redirects=False).status_code == 303
    assert repository.checkin_of(db_session, buyer.id, 0) is not None
    counted = client.get(url + "?lang=ru")
    assert re.search(
        r"<strong data-arrived>1</strong>.*<strong data-expected>5</strong>", counted.text
    )
    found = client.get(url + "?q=Покупатель 0")
    assert found.text.count("data-arrival=") == 1
    undo = {**tick, "action": "undo", "q": "Покупатель 0"}
    undone = client.post(url + "/tick", data=undo, follow_redirects=False)
    assert undone.status_code == 303  # back to the list as it was searched
    assert "q=%D0%9F%D0%BE%D0%BA" in undone.headers["location"]
    assert repository.checkin_of(db_session, buyer.id, 0) is None
    monkeypatch.setattr(clock, "now", lambda: END_OF_THE_DAY)
    late = client.get(url)
    assert late.text.count('name="participant_ids"') == 2  # both sides of the meeting
    absent = client.post(
        url + "/absent",
        data={"participant_ids": [str(day.producers[0].id)], "day": "0", "csrf_token": token},
        follow_redirects=False,
    )
    assert absent.status_code == 303 and "done=absent" in absent.headers["location"]
    db_session.refresh(day.producers[0])
    db_session.refresh(meeting)
    assert day.producers[0].status is ParticipantStatus.NO_SHOW
    assert meeting.meeting_status is MeetingStatus.NO_SHOW


def test_members_do_not_see_the_arrivals(client: TestClient, day: Day, db_session: Session) -> None:
    login(client, make_user(db_session, Role.MEMBER, day.buyers[0].organisation))
    assert client.get(f"/events/{day.event.id}/arrivals").status_code == 403


def test_a_side_records_deal_expected_and_records_the_deal(
    client: TestClient, day: Day, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    need = make_need(db_session, day.buyers[0].organisation, "Футеровка мельницы")
    meeting = scheduled(day, need_id=need.id)
    member = make_user(db_session, Role.MEMBER, day.producers[0].organisation)
    monkeypatch.setattr(clock, "now", lambda: BEFORE_THE_DAY)  # sessions last from "now"
    token = login(client, member)
    programme = client.get(f"/events/{day.event.id}")
    mine = f"/events/{day.event.id}/participants/{day.producers[0].id}/meetings"
    assert mine in programme.text and 'id="funnel"' not in programme.text
    page = client.get(mine)
    assert page.status_code == 200 and "<svg" in page.text
    assert f"/checkin/{day.producers[0].checkin_token}" in page.text
    assert 'name="result"' not in page.text  # the meeting is not over yet
    monkeypatch.setattr(clock, "now", lambda: END_OF_THE_DAY)
    assert 'name="result"' in client.get(mine).text
    posted = client.post(
        f"/events/{day.event.id}/meetings/{meeting.id}/outcome",
        data={
            "participant_id": str(day.producers[0].id),
            "result": "deal_expected",
            "comment": "КП до пятницы",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert posted.status_code == 303
    saved = db_session.scalars(
        select(MeetingOutcome).where(MeetingOutcome.meeting_id == meeting.id)
    ).one()
    assert (saved.participant_id, saved.outcome) == (day.producers[0].id, Outcome.DEAL_EXPECTED)
    after = client.get(mine)
    assert f'data-record-deal="{meeting.id}"' in after.text
    form = client.get(f"/deals/new?meeting={meeting.id}")
    assert form.status_code == 200
    assert f'value="{day.buyers[0].organisation.bin}"' in form.text
    assert f'value="{day.producers[0].organisation.bin}"' in form.text
    assert f'value="{need.id}"' in form.text and f'data-from-meeting="{meeting.id}"' in form.text
    other = client.post(
        f"/events/{day.event.id}/meetings/{meeting.id}/outcome",
        data={
            "participant_id": str(day.buyers[0].id),
            "result": "no_interest",
            "csrf_token": token,
        },
    )
    assert other.status_code == 403  # not its side


def test_the_deal_form_hides_meetings_of_others(
    client: TestClient, day: Day, db_session: Session
) -> None:
    meeting = scheduled(day)
    login(client, make_user(db_session, Role.MEMBER, day.producers[2].organisation))
    assert client.get(f"/deals/new?meeting={meeting.id}").status_code == 404


def test_the_organiser_sees_the_funnel(client: TestClient, day: Day) -> None:
    scheduled(day)
    login(client, day.organiser)
    page = client.get(f"/events/{day.event.id}?lang=ru")
    assert 'id="funnel"' in page.text and "Воронка мероприятия" in page.text
    assert re.search(
        r'data-funnel="requests"><th scope="row">[^<]+</th><td class="n">1<', page.text
    )
    assert f"/events/{day.event.id}/arrivals" in page.text
