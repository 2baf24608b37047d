"""The web's transaction boundary: a request's writes are committed before its answer goes
out, so a client acting on the answer (a redirect after a form) reads them."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import text
from starlette.types import Message

from seriktes.http.deps import DbSession
from seriktes.kit.db import make_engine, make_sessionmaker
from tests.webkit import run_async


def test_writes_are_committed_before_the_answer_is_sent(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'notes.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE notes (body TEXT)")
    app = FastAPI()
    app.state.sessions = make_sessionmaker(engine)

    @app.post("/notes")
    def add(session: DbSession) -> dict[str, bool]:
        session.execute(text("INSERT INTO notes VALUES ('seen by the next request')"))
        return {"ok": True}

    seen_when_answered: list[int] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            with engine.connect() as other:  # another connection, as the next request's
                count = other.exec_driver_sql("SELECT count(*) FROM notes").scalar()
                seen_when_answered.append(int(count or 0))

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/notes",
        "raw_path": b"/notes",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"test")],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
    }
    run_async(app(scope, receive, send))
    assert seen_when_answered == [1]
    engine.dispose()
