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
    msg: str = Field(description="What is wrong, in the request's language (English by default)")
    code: str = Field("", description="Stable code of the message: its English template")
    params: dict[str, str] = Field(default_factory=dict, description="The template's values")


class ErrorOut(BaseModel):
    """The shape of every API error."""

    error: str = Field(description="Kind: NotFound, Forbidden, ValidationFailed, …")
    detail: str = Field(description="The message, in the request's language (`?lang`, the "
                        "`lang` cookie, Accept-Language; English when none is given)")  # fmt: skip
    code: str = Field("", description="Stable code of the message: its English template, "
                      "with `%(name)s` places filled from `params`")  # fmt: skip
    params: dict[str, str] = Field(default_factory=dict, description="The template's values")
    errors: list[ErrorItemOut]
