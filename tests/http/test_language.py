"""The language of a request: an explicit choice first, then a Kazakh or Russian browser,
then the site's default (never English just because a browser is set to it)."""

from __future__ import annotations

import pytest

from seriktes.http.language import pick_language


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "expected"),
    [
        ("en", "kk", "ru-RU", "en"),  # the query wins over the cookie
        (None, "kk", "ru-RU", "kk"),  # the cookie over the browser
        ("fr", "en", None, "en"),  # an unknown choice is no choice
        (None, None, "kk-KZ,ru;q=0.8", "kk"),
        (None, None, "kz", "kk"),  # the country code some browsers send
        (None, None, "ru-RU,ru;q=0.9", "ru"),
        (None, None, "en-US,en;q=0.9", "ru"),  # the default, not English
        (None, None, None, "ru"),
    ],
)
def test_the_language_of_a_request(
    query: str | None, cookie: str | None, accept: str | None, expected: str
) -> None:
    assert pick_language(query, cookie, accept) == expected


def test_a_browser_in_another_language_gets_the_sites_default() -> None:
    assert pick_language(None, None, "de-DE", default="kk") == "kk"
