"""The one clock: aware UTC time, and today's date as it is in Kazakhstan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from seriktes.kit import clock


def test_now_is_aware_utc() -> None:
    now = clock.now()
    assert now.tzinfo is UTC
    assert abs(datetime.now(UTC) - now) < timedelta(seconds=5)


def test_today_turns_at_midnight_in_kazakhstan(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 20:00 UTC on New Year's Eve it is already the first of January in Astana."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 31, 20, 0, tzinfo=UTC))
    assert clock.today() == date(2027, 1, 1)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 31, 18, 0, tzinfo=UTC))
    assert clock.today() == date(2026, 12, 31)
