"""The shapes every JSON route shares: a page of a list and the error answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from seriktes.kit.pagination import Page

T = TypeVar("T")
S = TypeVar("S")


# A page is built with `model_construct`, without validation, as the views it holds are
# (see `registry.schemas`).
class PageOut(BaseModel, Generic[T]):
    """One page of a list: the items, the total count and where the page is."""

    items: list[T]
    total: int
    page: int
    per_page: int
    pages: int

    @classmethod
    def of(cls, page: Page[S], convert: Callable[[S], T]) -> PageOut[T]:
        """Convert a service page with `convert` applied to each item."""
        return cls.model_construct(
            items=[convert(item) for item in page.items],
            total=page.total,
            page=page.page,
            per_page=page.per_page,
            pages=page.pages,
        )


class ErrorItemOut(BaseModel):
    """One located problem of a request."""

    loc: list[str | int]
    msg: str


class ErrorOut(BaseModel):
    """The shape of every API error."""

    error: str = Field(description="Kind: NotFound, Forbidden, ValidationFailed, …")
    detail: str
    errors: list[ErrorItemOut]
