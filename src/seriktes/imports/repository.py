"""Queries of the imports domain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from seriktes.accounts.models import User
from seriktes.imports.models import ImportUpload


def recent_uploads(
    session: Session, user_id: int | None, limit: int = 10
) -> list[tuple[ImportUpload, User]]:
    """The latest uploads of a user, or of everyone when `user_id` is None, newest first,
    each with its uploader (files, previews and checked rows not loaded)."""
    stmt = (
        select(ImportUpload, User)
        .join(User, ImportUpload.user_id == User.id)
        .options(defer(ImportUpload.content))
    )
    if user_id is not None:
        stmt = stmt.where(ImportUpload.user_id == user_id)
    rows = session.execute(stmt.order_by(ImportUpload.id.desc()).limit(limit))
    return [(upload, uploader) for upload, uploader in rows]
