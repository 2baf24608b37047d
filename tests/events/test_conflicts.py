"""Why a run left meetings out: stored with request and participant ids, read in the
reader's language (ru, kk, en) with organisation names and slot times."""

from __future__ import annotations

from fastapi.testclient import TestClient

from seriktes.events import conflicts, scheduling, service
from seriktes.events.models import MeetingRequest
from tests.events.conftest import Day
from tests.events.test_scheduling import meet
from tests.webkit import login


def _crowded(day: Day) -> list[MeetingRequest]:
    """Two meetings of a buyer that is free in one slot only: one of them cannot be placed."""
    made = [meet(day, 0, 0), meet(day, 0, 1)]
    day.buyers[0].blocked_slots = [1, 2, 3, 4, 5]
    day.buyers[0].organisation.name_kk = "«Сатып алушы 0» АҚ"
    return made


def test_a_run_keeps_its_conflicts_with_request_and_participant_ids(day: Day) -> None:
    made = _crowded(day)
    info = scheduling.solve_for(day.session, day.organiser, day.event.id, time_limit=2)
    details = info["conflict_details"]
    kinds = {d["kind"] for d in details}
    assert kinds == {"placed", "one at a time"}
    placed = [d for d in details if d["kind"] == "placed"]
    assert sorted(r for d in placed for r in d["requests"]) == sorted(r.id for r in made)
    assert all(day.buyers[0].id in d["participants"] and d["unavailable"] == 5 for d in placed)
    alone = [d for d in details if d["kind"] == "one at a time"]
    assert [d["participants"] for d in alone] == [[day.buyers[0].id]]
    # the texts the API has always answered: English, organisations by their Russian name
    assert len(info["conflicts"]) == len(details)
    assert any(f"request {made[0].id} takes place (participants" in t for t in info["conflicts"])
    assert any(day.buyers[0].organisation.name_ru in t for t in info["conflicts"])


def test_conflicts_read_in_the_readers_language(day: Day) -> None:
    made = _crowded(day)
    scheduling.schedule_event(day.session, day.event.id, time_limit=2)
    kazakh = " ".join(conflicts.shown_conflicts(day.session, day.event, "kk"))
    russian = " ".join(conflicts.shown_conflicts(day.session, day.event, "ru"))
    english = " ".join(conflicts.shown_conflicts(day.session, day.event, "en"))
    assert f"сұраныс {made[0].id}" in kazakh and "«Сатып алушы 0» АҚ" in kazakh
    assert "қолжетімсіз слоттар: 5" in kazakh and "request" not in kazakh
    assert f"запрос {made[0].id}" in russian and "АО «Покупатель 0»" in russian
    assert "недоступных слотов: 5" in russian
    assert english == " ".join(day.event.schedule_info["conflicts"])


def test_the_schedule_page_shows_the_conflicts_in_kazakh(client: TestClient, day: Day) -> None:
    made = _crowded(day)
    scheduling.schedule_event(day.session, day.event.id, time_limit=2)
    login(client, day.organiser)
    page = client.get(f"/events/{day.event.id}/schedule?lang=kk").text
    assert f"сұраныс {made[0].id}: кездесу өтеді" in page
    assert "«Сатып алушы 0» АҚ" in page


def test_a_run_stored_before_structured_conflicts_shows_its_texts(day: Day) -> None:
    day.event.schedule_info = {"conflicts": ["request 7: a participant cancelled"]}
    shown = conflicts.shown_conflicts(day.session, day.event, "kk")
    assert shown == ["request 7: a participant cancelled"]
    day.event.schedule_info = {}
    assert conflicts.shown_conflicts(day.session, day.event, "kk") == []


def test_a_fixed_slot_is_named_with_its_time(day: Day) -> None:
    made = [meet(day, 0, 0)]
    scheduling.schedule_event(day.session, day.event.id, time_limit=2)
    detail = {"kind": "placed", "requests": [made[0].id], "participants": [], "slots": [0]}
    detail["participants"] = [day.buyers[0].id, day.producers[0].id]
    people = {p.id: p for p in day.buyers + day.producers}
    [text] = conflicts.conflict_texts(day.event, [detail], people, "en")
    start = service.slot_times(day.event)[0][0].strftime("%H:%M")
    assert f"fixed to slot 1 ({start})" in text
