"""Pydantic shapes of registry data going out (API) and coming in (profile changes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Row

from seriktes.kit.pagination import Page
from seriktes.registry.models import Organisation, Region, SizeClass

T = TypeVar("T")
S = TypeVar("S")


# Views are built with `model_construct`, without validation: their values come typed from the
# database and FastAPI does not validate a returned model again, which halves the cost of a
# list. tests/api/test_views.py checks that every view is a valid model.


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


class RegionRef(BaseModel):
    """A region as other objects refer to it."""

    kato: str
    name_ru: str
    name_kk: str

    @classmethod
    def of(cls, region: Region | Row[Any] | None) -> RegionRef | None:
        """The reference of a region, or None (also for a row of an outer join's missing
        region, whose columns are all None)."""
        if region is None or region.kato is None:
            return None
        return cls.model_construct(kato=region.kato, name_ru=region.name_ru, name_kk=region.name_kk)


class OrganisationRef(BaseModel):
    """An organisation as needs, offers and matches refer to it."""

    id: int
    bin: str | None = Field(
        description="None for a producer known only by its name and address (unverified)"
    )
    name_ru: str
    name_kk: str | None
    region: RegionRef | None

    @classmethod
    def of(cls, org: Organisation) -> OrganisationRef:
        """The reference of an organisation."""
        return cls.of_columns(org, RegionRef.of(org.region))

    @classmethod
    def of_columns(cls, org: Organisation | Row[Any], region: RegionRef | None) -> OrganisationRef:
        """The reference of an organisation from its columns (an entity or a Core row)."""
        return cls.model_construct(
            id=org.id, bin=org.bin, name_ru=org.name_ru, name_kk=org.name_kk, region=region
        )


class OrganisationOut(OrganisationRef):
    """An organisation's public profile."""

    size_class: SizeClass | None
    oked: str | None
    certificates: list[str]
    address: str | None
    contact_person: str | None
    phone: str | None
    email: str | None
    website: str | None
    version: int = Field(description="Changes with every write; send it back as If-Match")

    @classmethod
    def of(cls, org: Organisation, contacts: bool = True) -> OrganisationOut:
        """The profile of an organisation; without `contacts`, no contact person, phone or
        e-mail (personal data, for signed-in users)."""
        return cls.model_construct(
            id=org.id,
            bin=org.bin,
            name_ru=org.name_ru,
            name_kk=org.name_kk,
            region=RegionRef.of(org.region),
            size_class=org.size_class,
            oked=org.oked,
            certificates=list(org.certificates or []),
            address=org.address,
            contact_person=org.contact_person if contacts else None,
            phone=org.phone if contacts else None,
            email=org.email if contacts else None,
            website=org.website,
            version=org.version,
        )


class NulFree(BaseModel):
    """Refuses NUL characters in text fields and lists of texts (PostgreSQL cannot store them)."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("text may not contain NUL characters")
        return value


class OrganisationChanges(NulFree):
    """Profile fields an organisation (or its coordinator) may change; absent means unchanged."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name_kk: str | None = Field(default=None, max_length=500)
    address: str | None = Field(default=None, max_length=500)
    contact_person: str | None = Field(default=None, max_length=255)
    phone: str | None = Field(default=None, max_length=64)
    email: str | None = Field(default=None, max_length=255, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    website: str | None = Field(default=None, max_length=255)
    oked: str | None = Field(
        default=None, pattern=r"^[0-9](\.?[0-9]){0,4}$", description="OKED code, up to 5 digits"
    )
    size_class: SizeClass | None = None


class RegionOut(BaseModel):
    """A region of the KATO classifier."""

    kato: str
    name_ru: str
    name_kk: str
    level: str
    parent_kato: str | None

    @classmethod
    def of(cls, region: Region) -> RegionOut:
        """The region's fields."""
        return cls.model_construct(
            kato=region.kato,
            name_ru=region.name_ru,
            name_kk=region.name_kk,
            level=region.level,
            parent_kato=region.parent.kato if region.parent else None,
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
