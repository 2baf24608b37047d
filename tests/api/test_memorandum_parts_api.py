"""The JSON API of a memorandum's parts: parties with their signatories' posts, withdrawal,
milestones, the responsible person, and the progress with the rule that decided it and
contracted / delivered side by side."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from seriktes.kit import clock
from tests.agreements.kit import PAVLODAR, VKO, Agreement, make_agreement
from tests.webkit import make_org, make_user, token_headers


@pytest.fixture
def agreement(db_session: Session, monkeypatch: pytest.MonkeyPatch) -> Agreement:
    monkeypatch.setattr(clock, "today", lambda: date(2026, 7, 2))
    return make_agreement(db_session)


def test_parties_withdrawal_and_milestones_through_the_api(
    client: TestClient, db_session: Session, agreement: Agreement
) -> None:
    memo = agreement.memo
    auth = token_headers(db_session, make_user(db_session, Role.COORDINATOR, kato=VKO))
    outsider = token_headers(db_session, make_user(db_session, Role.COORDINATOR, kato=PAVLODAR))
    plant = make_org(db_session, PAVLODAR, "ТОО «Павлодар Сталь»")
    party = {"organisation_id": plant.id, "signatory": "Б. Б.", "signatory_post": "директор"}

    parties = f"/api/v1/memoranda/{memo.id}/parties"
    assert client.post(parties, json=party, headers=outsider).status_code == 403
    added = client.post(f"/api/v1/memoranda/{memo.id}/parties", json=party, headers=auth)
    assert added.status_code == 201, added.text
    assert added.json()["signatory_post"] == "директор"
    party_id = added.json()["id"]
    changed = client.put(
        f"/api/v1/memoranda/{memo.id}/parties/{party_id}",
        json={**party, "signatory_post": "генеральный директор", "role": "guest"},
        headers=auth,
    )
    assert changed.status_code == 200 and changed.json()["role"] == "guest"
    read = client.get(f"/api/v1/memoranda/{memo.id}").json()
    assert {"генеральный директор"} <= {p["signatory_post"] for p in read["parties"]}
    stale = client.post(
        f"/api/v1/memoranda/{memo.id}/parties",
        json={"region": PAVLODAR},
        headers={**auth, "If-Match": '"1"'},
    )
    assert stale.status_code == 409
    removed = client.delete(f"/api/v1/memoranda/{memo.id}/parties/{party_id}", headers=auth)
    assert removed.status_code == 204

    turnover = agreement.turnover.id
    milestone = client.post(
        f"/api/v1/commitments/{turnover}/milestones",
        json={"due_on": "2026-06-01", "target": "30000000", "note": "полугодие"},
        headers=auth,
    )
    assert milestone.status_code == 201, milestone.text
    wrong = client.post(
        f"/api/v1/commitments/{turnover}/milestones",
        json={"due_on": "2027-06-01", "target": "1"},
        headers=auth,
    )
    assert wrong.status_code == 422
    person = client.patch(
        f"/api/v1/commitments/{turnover}",
        json={"responsible_person": "Иванова С. П.", "responsible_post": "директор"},
        headers=auth,
    )
    assert person.status_code == 200
    shown = client.get(f"/api/v1/commitments/{turnover}", headers=auth).json()
    assert shown["responsible_person"] == "Иванова С. П."
    assert [m["due_on"] for m in shown["milestones"]] == ["2026-06-01"]
    assert shown["progress"]["basis"] == "milestone"
    assert shown["progress"]["milestone_due_on"] == "2026-06-01"
    assert shown["progress"]["contracted"] == "0"
    public = client.get(f"/api/v1/commitments/{turnover}").json()
    assert public["progress"]["contracted"] is None  # what deals add up to is not public
    edited = client.patch(
        f"/api/v1/milestones/{milestone.json()['id']}", json={"target": "20000000"}, headers=auth
    )
    assert edited.status_code == 200 and edited.json()["target"] == "20000000"
    gone = client.delete(f"/api/v1/milestones/{milestone.json()['id']}", headers=auth)
    assert gone.status_code == 204

    withdrawn = client.post(
        f"/api/v1/memoranda/{memo.id}/withdrawal",
        json={"reason": "Заменён новым меморандумом"},
        headers=auth,
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["withdrawal_reason"] == "Заменён новым меморандумом"
    assert client.get(f"/api/v1/memoranda/{memo.id}").status_code == 200
    again = client.patch(f"/api/v1/memoranda/{memo.id}", json={"title": "Иное"}, headers=auth)
    assert again.status_code == 409
