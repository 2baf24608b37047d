"""How a server process shares load: a bound on the requests it handles at once, from its
connection pool, and keep-alive connections that do not stay with one process for ever.

Some work runs on the event loop (the session and user dependencies, the hottest read
routes), and a pool checkout there would block the whole loop while it waits; the
connection it waits for may belong to a request that needs the loop to finish. Letting in
no more requests than the pool has connections (less a reserve for background threads)
means a checkout never waits: a request beyond the bound waits for its turn without
blocking anything, and the queue is served in order.
"""

from __future__ import annotations

import asyncio
import itertools

from sqlalchemy.engine.url import make_url
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POOL_SIZE = 10  # connections kept open per server process
POOL_OVERFLOW = 10  # more opened under load, closed when returned
RESERVED = 2  # connections left for background threads (warming the search engines)
KEEP_ALIVE_REQUESTS = (
    100  # answers per kept-alive connection, on average (as nginx's keepalive_requests)
)


def pool_options(url: str) -> dict[str, int]:
    """Engine options sizing the pool of a server process (an in-memory SQLite database
    has a single shared connection and no such options)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        return {}
    return {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW}


def request_bound(options: dict[str, int]) -> int | None:
    """How many requests may run at once so that none waits for a connection of a pool
    made with `options`; None for the single shared connection of an in-memory database."""
    if not options:
        return None
    return max(1, options["pool_size"] + options["max_overflow"] - RESERVED)


class ConcurrencyLimit:
    """ASGI middleware letting at most `limit` HTTP requests run at once."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.slots = asyncio.Semaphore(limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async with self.slots:
            await self.app(scope, receive, send)


class KeepAliveRecycle:
    """ASGI middleware closing every `every`-th answered connection of this process.

    Server processes share one listening socket, and a client that keeps its connection
    alive stays with the process that accepted it; a burst of new clients is often
    accepted by one process (whichever woke first), which then serves most of them while
    the others idle. Asking a client to reconnect now and then lets the kernel hand the
    new connection to a process waiting for work, so the load evens out.
    """

    def __init__(self, app: ASGIApp, every: int = KEEP_ALIVE_REQUESTS) -> None:
        self.app = app
        self.counter = itertools.count(1)
        self.every = every

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or next(self.counter) % self.every:
            await self.app(scope, receive, send)
            return

        async def closing(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [h for h in message.get("headers", []) if h[0].lower() != b"connection"]
                message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        await self.app(scope, receive, closing)
