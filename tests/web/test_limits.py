"""The bound on concurrent requests that keeps pool checkouts on the event loop from waiting."""

from __future__ import annotations

import asyncio

from starlette.types import Message, Receive, Scope, Send

from seriktes.web.limits import (
    RESERVED,
    ConcurrencyLimit,
    KeepAliveRecycle,
    pool_options,
    request_bound,
)
from tests.webkit import run_async


def test_the_bound_follows_the_pool_of_a_file_or_server_database() -> None:
    for url in ("sqlite:///./seriktes.db", "postgresql+psycopg://u@127.0.0.1/test"):
        options = pool_options(url)
        assert request_bound(options) == options["pool_size"] + options["max_overflow"] - RESERVED
    assert pool_options("sqlite://") == {} and request_bound(pool_options("sqlite://")) is None


def test_requests_beyond_the_bound_wait_their_turn_and_all_finish() -> None:
    running, most, done = 0, 0, []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1
        done.append(scope["path"])

    async def main() -> None:
        limited = ConcurrencyLimit(app, limit=3)

        async def nothing() -> dict[str, object]:
            return {}

        async def ignore(message: object) -> None:
            return None

        scopes = [{"type": "http", "path": f"/{n}"} for n in range(12)]
        await asyncio.gather(*(limited(scope, nothing, ignore) for scope in scopes))
        await limited({"type": "lifespan", "path": "life"}, nothing, ignore)  # not counted

    run_async(main())
    assert most == 3
    assert sorted(done) == sorted([f"/{n}" for n in range(12)] + ["life"])


def test_every_nth_answer_asks_the_client_to_reconnect() -> None:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        headers = [(b"content-type", b"text/plain"), (b"connection", b"keep-alive")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})

    sent: list[Message] = []

    async def main() -> None:
        recycled = KeepAliveRecycle(app, every=3)

        async def nothing() -> dict[str, object]:
            return {}

        async def keep(message: Message) -> None:
            sent.append(message)

        for _ in range(6):
            await recycled({"type": "http"}, nothing, keep)

    run_async(main())
    starts = [m for m in sent if m["type"] == "http.response.start"]
    closing = [n for n, m in enumerate(starts, 1) if (b"connection", b"close") in m["headers"]]
    assert closing == [3, 6]
    for start in starts:
        names = [name for name, _ in start["headers"]]
        assert b"content-type" in names and names.count(b"connection") == 1
    assert [m["body"] for m in sent if m["type"] == "http.response.body"] == [b"ok"] * 6
