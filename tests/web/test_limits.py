"""The bound on concurrent requests that keeps pool checkouts on the event loop from waiting."""

from __future__ import annotations

import asyncio

from starlette.types import Receive, Scope, Send

from seriktes.web.limits import RESERVED, ConcurrencyLimit, pool_options, request_bound


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

    asyncio.run(main())
    assert most == 3
    assert sorted(done) == sorted([f"/{n}" for n in range(12)] + ["life"])
