"""Optimistic locking: rows that people edit carry a version, and a write made on an older
version than the stored one is refused (409) with the fields changed meanwhile.

`Versioned` adds two columns. `version` is SQLAlchemy's `version_id_col`: every UPDATE of
the row sets it one higher and is made only `WHERE version = <the version read>`, so a
concurrent write in another transaction makes the flush fail (StaleDataError) instead of
overwriting. `field_versions` maps each column (or collection) to the version that last
changed it, so that a refused write can name what changed since the version the client had:
the unit of work keeps it up to date for column changes (a `before_update` listener), a
service that replaces a collection calls `touch`, and a bulk UPDATE by primary key
(imports) builds its rows with `bulk_change`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import JSON, Integer, event, inspect
from sqlalchemy.orm import Mapped, Mapper, Session, declared_attr, mapped_column
from sqlalchemy.orm.exc import StaleDataError

from seriktes.kit.errors import NO_PARAMS, Conflict, ErrorItem, Message, Params
from seriktes.kit.i18n import N_

UNTRACKED = frozenset({"version", "field_versions", "created_at", "updated_at"})
CHANGED = N_("changed by someone else since your version")


class Versioned:
    """Adds `version` (bumped by every UPDATE, checked by it) and `field_versions`."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    field_versions: Mapped[dict[str, int]] = mapped_column(JSON, default=dict, server_default="{}")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


@event.listens_for(Versioned, "before_update", propagate=True)
def _track(_mapper: Mapper[Any], _connection: Any, target: Versioned) -> None:
    """Record, for each column this UPDATE changes, the version it will write."""
    state = inspect(target)
    changed = [
        attr.key
        for attr in state.mapper.column_attrs
        if attr.key not in UNTRACKED and state.attrs[attr.key].history.has_changes()
    ]
    if changed:
        _mark(target, changed)


def _mark(row: Versioned, names: Iterable[str]) -> None:
    # the version in memory is the one read (or last flushed); the UPDATE writes one more
    upcoming = int(row.version or 1) + 1
    row.field_versions = {**(row.field_versions or {}), **dict.fromkeys(names, upcoming)}


def assign(row: object, values: Mapping[str, Any]) -> None:
    """Set the fields of `row` whose values differ from the stored ones (read first when not
    loaded): an unchanged field is left alone and not counted as changed by this version."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def touch(row: Versioned, *names: str) -> None:
    """Say that collections of `row` (parties, sectors, linked commitments) were replaced:
    the row's version goes up with them, and they count as changed by this version."""
    _mark(row, names)


def changed_since(row: Versioned, version: int, aliases: Mapping[str, str] = {}) -> list[str]:
    """The fields of `row` changed after `version`, by their public names (`aliases` maps
    a column such as `delivery_region_id` to the name clients use)."""
    names = (aliases.get(k, k) for k, v in (row.field_versions or {}).items() if v > version)
    return sorted(dict.fromkeys(names))


class StaleWrite(Conflict):
    """A write based on an older version of a row: nothing was written. `fields` are the
    fields changed since that version (public names), `version` the stored version."""

    def __init__(
        self,
        detail: str,
        fields: list[str],
        version: int,
        loc: str = "body",
        params: Params = NO_PARAMS,
    ) -> None:
        items = [ErrorItem((loc, name), CHANGED) for name in fields]
        super().__init__(detail, items or [ErrorItem((loc,), CHANGED)], params)
        self.fields = fields
        self.version = version

    @property
    def kind(self) -> str:
        """The API names it a Conflict, as every other 409."""
        return "Conflict"


def check(row: Versioned, expected: int | None, kind: str, aliases: Mapping[str, str] = {}) -> None:
    """Refuse a write based on version `expected` when the row has another one now (no
    version given: the write goes ahead, as clients written before versions expect)."""
    if expected is None or expected == row.version:
        return
    fields = changed_since(row, expected, aliases)
    listed = ", ".join(fields) or Message(N_("its record"))
    raise StaleWrite(
        N_(
            "this %(kind)s was changed by someone else since version %(expected)s (now version "
            "%(version)s): %(listed)s; nothing was saved"
        ),
        fields,
        row.version,
        params={
            "kind": Message(kind),
            "expected": expected,
            "version": row.version,
            "listed": listed,
        },
    )


def concurrent(kind: str = N_("record")) -> StaleWrite:
    """The 409 of a write whose UPDATE found the row's version moved on: another transaction
    changed it between this one's read and its write."""
    detail = N_("this %(kind)s was changed by someone else at the same moment; nothing was saved")
    return StaleWrite(detail, [], 0, params={"kind": Message(kind)})


@contextmanager
def guarded(kind: str) -> Iterator[None]:
    """Turn a concurrent write found at flush into a 409 (`concurrent`)."""
    try:
        yield
    except StaleDataError:
        raise concurrent(kind) from None


def flush(session: Session, kind: str) -> None:
    """Flush the session's changes, a concurrent write to a versioned row being a 409."""
    with guarded(kind):
        session.flush()


def bulk_change(stored: Mapping[str, Any], diff: Mapping[str, Any]) -> dict[str, Any]:
    """One row of a bulk UPDATE by primary key (imports): `diff` with the row's id, the
    version read (which the UPDATE checks and bumps) and its changed fields recorded;
    `stored` holds `id`, `version` and `field_versions` as read."""
    upcoming = int(stored["version"]) + 1
    marks = dict.fromkeys((k for k in diff if k not in UNTRACKED), upcoming)
    return {
        "id": stored["id"],
        "version": stored["version"],
        "field_versions": {**(stored.get("field_versions") or {}), **marks},
        **diff,
    }
