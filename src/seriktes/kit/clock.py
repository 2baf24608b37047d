"""The one clock of the product: the current time, aware and in UTC, and today's date as
people in Kazakhstan read it. Everything asks this module (`clock.now()`, `clock.today()`),
so that a test moves time for all with `monkeypatch.setattr(clock, "now", ...)`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Almaty")  # the product's time zone: dates are Kazakhstan's


def now() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in the product's time zone."""
    return now().astimezone(ZONE).date()
