"""Previews of uploads kept in the process, so that a large file is parsed and dry-run once
and not on every page that shows its preview (the preview, its errors CSV, the API).

A kept preview is given again only for the same upload (its id, time and content), the same
user (row scope differs between users) and the same data: the counts of needs, offers,
organisations and certificates and the last time one changed, which any import, edit or
deletion moves. The store is small and short-lived: the newest `MAX_KEPT` previews, each
for at most `KEEP_SECONDS`.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import ImportUpload, User
from seriktes.catalog.models import Certificate, Need, Offer
from seriktes.registry.models import Organisation

MAX_KEPT = 16
KEEP_SECONDS = 600.0
T = TypeVar("T")


class Kept(Generic[T]):
    """A small store of values by key, newest kept, each for a limited time; thread-safe."""

    def __init__(self, size: int = MAX_KEPT, seconds: float = KEEP_SECONDS) -> None:
        self.size = size
        self.seconds = seconds
        self._values: OrderedDict[Hashable, tuple[float, T]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> T | None:
        """The value kept under `key`, None when there is none or it is too old."""
        with self._lock:
            found = self._values.get(key)
            if found is None or time.monotonic() - found[0] > self.seconds:
                self._values.pop(key, None)
                return None
            self._values.move_to_end(key)
            return found[1]

    def put(self, key: Hashable, value: T) -> None:
        """Keep `value` under `key`, forgetting the oldest beyond the size."""
        with self._lock:
            self._values[key] = (time.monotonic(), value)
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._values.clear()


def preview_key(session: Session, user: User, upload: ImportUpload) -> Hashable:
    """What a preview depends on: the upload, its content, the user and the data."""
    digest = hashlib.sha256(upload.content).hexdigest()
    return (upload.id, upload.created_at, digest, user.id, user.role, data_version(session))


def data_version(session: Session) -> tuple[object, ...]:
    """Counts and last changes of the tables an import reads and writes."""
    version: list[object] = []
    for model in (Need, Offer, Organisation, Certificate):
        row = session.execute(select(func.count(model.id), func.max(model.updated_at))).one()
        version.extend(row)
    return tuple(version)


def detached(upload: ImportUpload) -> ImportUpload:
    """A copy of the upload's own fields without its content, to keep with its preview."""
    return ImportUpload(
        id=upload.id,
        user_id=upload.user_id,
        kind=upload.kind,
        filename=upload.filename,
        content=b"",
        status=upload.status,
        created_at=upload.created_at,
    )
