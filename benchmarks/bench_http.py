"""HTTP plumbing of the web benchmarks: a lean keep-alive client, per-endpoint tallies and
percentiles (shared by bench_web and its busy-day scenario, bench_web_busy)."""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field


@dataclass
class Tally:
    """Latencies and errors of one endpoint."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def add(self, seconds: float, problem: str | None) -> None:
        """Record one request."""
        if problem is None:
            self.latencies.append(seconds)
        else:
            self.errors[problem] = self.errors.get(problem, 0) + 1


class Connection:
    """A keep-alive HTTP/1.1 connection that sends GETs and reads whole answers.

    Hand-written on asyncio streams so that the load generator spends little CPU of the
    two cores it shares with the server (httpx costs about as much per request as the
    server does).
    """

    def __init__(self, host: str, port: int, headers: dict[str, str] | None = None) -> None:
        self.host, self.port = host, port
        self.extra = "".join(f"{name}: {value}\r\n" for name, value in (headers or {}).items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, target: str) -> int:
        """Send GET `target`; return the status code once the body is read."""
        if self.writer is None or self.reader is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        request = (
            f"GET {target} HTTP/1.1\r\nHost: {self.host}\r\nAccept: application/json\r\n"
            f"{self.extra}\r\n"
        )
        self.writer.write(request.encode("ascii"))
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
        if length is None:
            raise ConnectionError("answer without Content-Length")
        await self.reader.readexactly(int(length.group(1)))
        if re.search(rb"(?i)\r\nconnection: *close", head):
            await self.close()
        return status

    async def close(self) -> None:
        """Close the connection (a new one is opened on the next request)."""
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def one_request(connection: Connection, target: str) -> tuple[float, str | None]:
    """Send one GET; return its latency and the problem, if any."""
    started = time.perf_counter()
    try:
        status = await connection.get(target)
        problem = None if status == 200 else f"HTTP {status}"
    except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
        problem = type(exc).__name__
        await connection.close()
    return time.perf_counter() - started, problem


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile of values (nearest rank), in milliseconds."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index] * 1000
