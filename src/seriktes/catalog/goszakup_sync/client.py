"""Reading pages of the goszakup OWS v3 REST service: the token as a Bearer header, a 429
answered by waiting (its Retry-After, else a growing wait), a 5xx or a dropped connection
tried again a bounded number of times, and only paths on the configured service followed."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from seriktes.kit.errors import SeriktesError
from seriktes.kit.i18n import N_

ATTEMPTS = 6  # tries of one page before the run stops (it resumes there next time)
FIRST_WAIT = 1.0  # seconds before the second try; doubled each time
MAX_WAIT = 120.0  # the longest wait for one try, Retry-After included


class SyncFailed(SeriktesError):
    """The goszakup service could not be read; the sync resumes from the same page."""

    status_code = 502


@dataclass
class Page:
    """One page of a plan listing: its items, the path of the next page ('' at the end) and
    the total the service counts."""

    items: list[Any]
    next_page: str
    total: int | None


class PlanClient:
    """A client of the service at `base_url`; `sleep` waits (tests pass one that records)."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float = 60.0,
        attempts: int = ATTEMPTS,
        first_wait: float = FIRST_WAIT,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.base_url = base_url.rstrip("/")
        self.http = httpx.Client(
            base_url=self.base_url, headers=headers, timeout=timeout, transport=transport
        )
        self.attempts, self.first_wait, self.sleep = attempts, first_wait, sleep
        self.waits: list[float] = []  # every wait, for the report

    def close(self) -> None:
        """Close the connections."""
        self.http.close()

    def __enter__(self) -> PlanClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def page(self, path: str) -> Page:
        """The page at `path` (a path on the service, as `next_page` gives it)."""
        if not path.startswith("/") or path.startswith("//"):
            raise SyncFailed(
                N_("goszakup gave a next page outside the service: %(path)s"),
                params={"path": path[:200]},
            )
        data = self._get(path)
        items = data.get("items") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise SyncFailed(
                N_("goszakup answered %(path)s with something that is not a plan page"),
                params={"path": path[:200]},
            )
        next_page = data.get("next_page") or ""
        total = data.get("total")
        return Page(items, str(next_page), int(total) if isinstance(total, int) else None)

    def _get(self, path: str) -> Any:
        wait = self.first_wait
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                answer = self.http.get(path)
            except httpx.TransportError as exc:
                if last:
                    raise SyncFailed(
                        N_("cannot reach goszakup at %(url)s: %(reason)s"),
                        params={"url": self.base_url, "reason": str(exc) or type(exc).__name__},
                    ) from None
                wait = self._wait(wait, None)
                continue
            if answer.status_code == 200:
                return _json(answer, path)
            if answer.status_code in (401, 403):
                raise SyncFailed(
                    N_(
                        "goszakup refused the request (%(status)s); set SERIKTES_GOSZAKUP_TOKEN "
                        "to a valid token"
                    ),
                    params={"status": answer.status_code},
                )
            retried = answer.status_code == 429 or answer.status_code >= 500
            if retried and not last:
                wait = self._wait(wait, answer.headers.get("Retry-After"))
                continue
            raise SyncFailed(
                N_("goszakup answered %(status)s for %(path)s (after %(attempts)s attempts)"),
                params={"status": answer.status_code, "path": path[:200], "attempts": attempt},
            )
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, wait: float, retry_after: str | None) -> float:
        """Wait before the next try: the server's Retry-After (seconds) when it gives one,
        else `wait`; return the wait after the next failure."""
        seconds = wait
        if retry_after is not None and retry_after.strip().isdigit():
            seconds = float(retry_after.strip())
        seconds = min(seconds, MAX_WAIT)
        self.waits.append(seconds)
        self.sleep(seconds)
        return min(wait * 2, MAX_WAIT)


def _json(answer: httpx.Response, path: str) -> Any:
    try:  # decimals as Decimal, as a file is read: 190.444754 stays 190.444754
        return json.loads(answer.content.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise SyncFailed(
            N_("goszakup answered %(path)s with something that is not a plan page"),
            params={"path": path[:200]},
        ) from None
