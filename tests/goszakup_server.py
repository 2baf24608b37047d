"""A local goszakup OWS v3 server for the sync's tests: a real HTTP server on 127.0.0.1 in a
thread, serving pages cut from ../shared/data/goszakup/plans_dev.json in the service's shape
(`total`, `limit`, `next_page`, `items`), with failures scripted on the way."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.conftest import shared_file

TOKEN = "test-token"


def plan_items() -> list[dict[str, Any]]:
    """The items of the real plan file (the test is skipped when the file is absent)."""
    data = json.loads(shared_file("goszakup/plans_dev.json").read_text(encoding="utf-8"))
    return list(data["items"])


@dataclass
class PlanService:
    """What the server serves and how it misbehaves: `failures` maps the number of a request
    (1-based, counted over the server's life) to the status it answers instead (429 with
    `Retry-After: 0`); `down_from` makes every request from that number on a 503."""

    items: list[dict[str, Any]]
    limit: int = 50
    failures: dict[int, int] = field(default_factory=dict)
    down_from: int | None = None
    requests: list[str] = field(default_factory=list)
    authorisations: list[str | None] = field(default_factory=list)
    url: str = ""

    def answer(self, path: str, authorisation: str | None) -> tuple[int, dict[str, str], bytes]:
        """The status, headers and body of a GET of `path`."""
        self.requests.append(path)
        self.authorisations.append(authorisation)
        number = len(self.requests)
        if self.down_from is not None and number >= self.down_from:
            return 503, {}, b'{"error": "maintenance"}'
        if number in self.failures:
            status = self.failures[number]
            headers = {"Retry-After": "0"} if status == 429 else {}
            return status, headers, b'{"error": "try again"}'
        if authorisation != f"Bearer {TOKEN}":
            return 401, {}, b'{"error": "token"}'
        parts = urlsplit(path)
        segments = parts.path.strip("/").split("/")
        if segments[:2] != ["v3", "plans"] or len(segments) != 3:
            return 404, {}, b'{"error": "not found"}'
        subject = segments[2]
        chosen = sorted(
            (item for item in self.items if subject == "all" or item["subject_biin"] == subject),
            key=lambda item: int(item["id"]),
        )
        after = int(parse_qs(parts.query).get("search_after", ["0"])[0])
        rest = [item for item in chosen if int(item["id"]) > after]
        page = rest[: self.limit]
        more = len(rest) > self.limit
        next_page = f"{parts.path}?page=next&search_after={page[-1]['id']}" if more else ""
        body = {"total": len(chosen), "limit": self.limit, "next_page": next_page, "items": page}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()


@contextmanager
def serve(service: PlanService) -> Iterator[PlanService]:
    """Run the server on a free port of 127.0.0.1 for the block; `service.url` is its address."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = service.answer(self.path, self.headers.get("Authorization"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
