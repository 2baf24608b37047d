"""Uploaded import files waiting for confirmation, with the preview made of them."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, LargeBinary, String, false
from sqlalchemy.orm import Mapped, mapped_column

from seriktes.kit.db import Base, Timestamped


class ImportUpload(Timestamped, Base):
    """An uploaded import file waiting for the user to confirm it after the preview.

    `preview` keeps the preview once made (`imports.previews`) with the user and the data
    it was made for, `checked` the rows it checked, which confirming writes: no page,
    errors.csv or confirmation of any process parses the file again."""

    __tablename__ = "import_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default="uploaded")
    # a member's whole-portal file: import the lines of the member's organisation only and
    # skip (and count) the others, instead of refusing them row by row
    own_lines_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # the kept preview (`imports.previews`): what it showed, and the rows confirming writes
    preview: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    checked: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
