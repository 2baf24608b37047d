"""Request dependencies: the database session (the web's transaction boundary) and language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from seriktes.web.i18n import pick_language


def get_session(request: Request) -> Iterator[Session]:
    """Yield a session; commit when the request succeeds, roll back when it fails."""
    session: Session = request.app.state.sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        # The error page still shows who is logged in: keep loaded objects readable
        # (rollback would expire them and they are read after the session is closed).
        session.expunge_all()
        session.rollback()
        raise
    finally:
        session.close()


def get_language(request: Request) -> str:
    """Return the UI language of this request."""
    return pick_language(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language"),
        request.app.state.settings.default_language,
    )


DbSession = Annotated[Session, Depends(get_session)]
Language = Annotated[str, Depends(get_language)]
