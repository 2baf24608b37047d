"""Analytics pages: who may see them, the turnover matrix, the pair report and its downloads."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role
from tests.analytics.builders import SKO, VKO, pair_world
from tests.webkit import build_app, login, make_org, make_user


@pytest.fixture
def browser(db_session: Session) -> Iterator[TestClient]:
    """A browser-like client of the app on the test's transaction, with the pair world."""
    pair_world(db_session)
    with TestClient(build_app(db_session)) as client:
        yield client


def test_the_public_is_sent_to_log_in_and_members_are_refused(
    browser: TestClient, db_session: Session
) -> None:
    answer = browser.get("/analytics", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    login(browser, make_user(db_session, Role.MEMBER, make_org(db_session, VKO)))
    refused = browser.get("/analytics/pair")
    assert refused.status_code == 403
    # in the page's language (it was English on a Russian page: issue 18)
    assert "координаторам и администраторам" in refused.text


def test_analytics_page_shows_the_turnover_matrix(browser: TestClient, db_session: Session) -> None:
    login(browser, make_user(db_session, Role.COORDINATOR, kato=SKO))
    page = browser.get("/analytics")
    assert page.status_code == 200
    assert "Межрегиональный товарооборот, 2026" in page.text
    row = page.text.split(f'<tr data-kato="{SKO}">')[1].split("</tr>")[0]
    assert f'href="/analytics/pair?host={VKO}&guest={SKO}&year=2026">11,0 млн ₸</a>' in row
    assert "МСБ в закупках крупных покупателей, 2026" in page.text
    sme = page.text.split('data-table="sme"')[1].split("</table>")[0]
    assert sme.count("<td>Восточно-Казахстанская область</td>") == 1  # each region once
    older = browser.get("/analytics?year=2025")
    assert "4,0 млн ₸" in older.text


def test_pair_page_in_kazakh_with_downloads(browser: TestClient, db_session: Session) -> None:
    login(browser, make_user(db_session, Role.ADMIN))
    page = browser.get("/analytics/pair", params={"host": "ВКО", "guest": "СКО", "lang": "kk"})
    assert page.status_code == 200
    assert '<html lang="kk">' in page.text
    assert "ШҚО ↔ СҚО: өңіраралық ынтымақтастық" in page.text
    assert 'data-key="turnover"><span class="value">13,0 млн ₸</span>' in page.text
    assert "PDF жүктеп алу" in page.text
    # 2026 runs January to May, the data begin in June 2025: no percentage, the reason
    assert "Салыстырмалы кезең жоқ: деректердің басталу күні — 2025 жылғы 1 маусым" in page.text
    assert "<td>наурыз</td>" in page.text  # months by name
    assert 'data-rule="comparison"' in page.text and 'data-rule="sources"' in page.text
    query = f"host={VKO}&guest={SKO}&year=2026&lang=kk"
    assert 'action="/analytics/pair/report-jobs"' in page.text  # the files are made by a job
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    form = {"csrf_token": token[1], "host": VKO, "guest": SKO, "year": "2026", "format": "pdf"}
    started = browser.post("/analytics/pair/report-jobs?lang=kk", data=form)
    assert started.status_code == 200 and "/analytics/pair?" in str(started.url)
    link = re.search(r'href="(/jobs/\d+/result)"', started.text)
    assert link is not None, "the job ran (inline: the database is in memory) and offers its file"
    made = browser.get(link[1])
    assert made.headers["content-type"] == "application/pdf" and made.content.startswith(b"%PDF-")
    assert (
        'filename="report-630000000-590000000-2026-kk.pdf"' in made.headers["content-disposition"]
    )

    pdf = browser.get(f"/analytics/pair/report.pdf?{query}")  # the direct route still answers
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    assert 'filename="report-630000000-590000000-2026-kk.pdf"' in pdf.headers["content-disposition"]
    workbook = browser.get(f"/analytics/pair/report.xlsx?{query}")
    book = load_workbook(io.BytesIO(workbook.content))
    assert book.sheetnames[0] == "Жиынтық"
    html = browser.get(f"/analytics/pair/report.html?host={VKO}&guest={SKO}&lang=ru")
    assert html.headers["content-type"].startswith("text/html")
    assert "ВКО ↔ СКО: межрегиональное сотрудничество" in html.text


def test_unknown_region_is_shown_on_the_page(browser: TestClient, db_session: Session) -> None:
    login(browser, make_user(db_session, Role.ADMIN))
    page = browser.get("/analytics/pair", params={"host": "Марс", "guest": "СКО"})
    assert page.status_code == 422
    # in the page's language (it was English on a Russian page: issue 18)
    assert "неизвестный регион" in page.text
