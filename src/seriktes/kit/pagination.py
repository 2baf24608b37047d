"""Pages of query results: the request (page, size, sort) and the answer (items, total)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from seriktes.kit.errors import ErrorItem, ValidationFailed
from seriktes.kit.i18n import N_

T = TypeVar("T")
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class PageRequest:
    """Which page, how many per page and the sort key ("-" first for descending)."""

    page: int = 1
    per_page: int = 25
    sort: str | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of results and the total count."""

    items: Sequence[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """Number of pages."""
        return max(1, math.ceil(self.total / self.per_page))


def order_by(
    stmt: Select[Any], sort: str | None, columns: Mapping[str, Any], default: str, tiebreak: Any
) -> Select[Any]:
    """Apply a sort key from `columns` (then `tiebreak` for a stable order); refuse unknown
    keys with the allowed ones named."""
    key = sort or default
    name = key.lstrip("-")
    if name not in columns:
        allowed = ", ".join(sorted(columns))
        raise ValidationFailed(
            N_("cannot sort by %(name)s; use one of %(allowed)s"),
            [
                ErrorItem(
                    ("query", "sort"), N_("unknown sort key %(name)s"), params={"name": repr(name)}
                )
            ],
            params={"name": repr(name), "allowed": allowed},
        )
    column = columns[name]
    return stmt.order_by(column.desc() if key.startswith("-") else column.asc(), tiebreak)


def paginate(session: Session, stmt: Select[Any], request: PageRequest) -> Page[Any]:
    """Run `stmt` for one page and count all its rows."""
    if request.page < 1 or not 1 <= request.per_page <= MAX_PER_PAGE:
        raise ValidationFailed(
            N_("page must be ≥ 1 and per_page between 1 and %(MAX_PER_PAGE)s"),
            params={"MAX_PER_PAGE": MAX_PER_PAGE},
        )
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = (
        session.scalars(stmt.limit(request.per_page).offset((request.page - 1) * request.per_page))
        .unique()
        .all()
    )
    return Page(list(rows), int(total), request.page, request.per_page)
