"""Request dependencies: the database session (the HTTP transaction boundary), short write
transactions of their own, and language.

The dependencies are coroutines: FastAPI runs a plain function dependency in its thread
pool, and the hops to a thread and back cost more than these small functions do. Only a
commit that has rows to write leaves the event loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from starlette.concurrency import run_in_threadpool

from seriktes.http.language import pick_language
from seriktes.kit.db import IMMEDIATE, transaction

_WROTE = "seriktes_wrote"


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, _context: Any) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info[_WROTE] = True


def _writes(session: Session) -> bool:
    """Whether committing `session` writes rows (pending changes or statements that wrote)."""
    return bool(session.new or session.dirty or session.deleted or session.info.get(_WROTE))


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _begins_writing(request: Request, session: Session) -> bool:
    """Whether the request's transaction should take SQLite's write lock as it begins: a
    request that may write (any method but GET, HEAD, OPTIONS) reads first and writes later,
    and a deferred SQLite transaction that does so fails at once (SQLITE_BUSY_SNAPSHOT, no
    waiting) when another connection — a worker, another request — wrote in between. A
    route with short write transactions of its own (`get_writer`: the login) stays deferred,
    so that they never wait behind the request's lock."""
    if request.method in SAFE_METHODS or session.get_bind().dialect.name != "sqlite":
        return False
    dependant = getattr(request.scope.get("route"), "dependant", None)
    own = dependant.dependencies if dependant is not None else []
    return not any(dependency.call is get_writer for dependency in own)


async def get_session(request: Request) -> AsyncIterator[Session]:
    """Yield a session; commit when the request succeeds, roll back when it fails. On SQLite
    a request that may write begins holding the write lock (waiting for it up to the busy
    timeout), so that it never fails on a row another connection wrote meanwhile."""
    session: Session = request.app.state.sessions()
    if _begins_writing(request, session):
        session.bind = session.get_bind().execution_options(**IMMEDIATE)
    try:
        yield session
        if _writes(session):
            await run_in_threadpool(session.commit)
        else:
            session.commit()  # ends a read-only transaction: no rows to write
    except BaseException:
        # The error page still shows who is logged in: keep loaded objects readable
        # (rollback would expire them and they are read after the session is closed).
        session.expunge_all()
        session.rollback()
        raise
    finally:
        session.close()


Writer = Callable[[], AbstractContextManager[Session]]


async def get_writer(request: Request) -> Writer:
    """Open short write transactions apart from the request's, each committed when its block
    ends: for what must be kept whatever the request does next (a login attempt counted
    before its password is checked) or must not hold SQLite's write lock for the whole
    request (a token's last use). They begin holding the write lock, so they wait for
    another writer rather than fail."""
    factory = request.app.state.sessions
    return lambda: transaction(factory, writes=True)


def get_language(request: Request) -> str:
    """Return the UI language of this request."""
    return pick_language(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language"),
        request.app.state.settings.default_language,
    )


async def request_language(request: Request) -> str:
    """`get_language` as a dependency."""
    return get_language(request)


# "function" scope: the transaction ends before the answer is sent, so a client that acts
# on the answer (a redirect after a form) reads what the request wrote, and a failed commit
# is an error answer rather than a success already sent.
DbSession = Annotated[Session, Depends(get_session, scope="function")]
Language = Annotated[str, Depends(request_language)]
SideWrites = Annotated[Writer, Depends(get_writer)]
