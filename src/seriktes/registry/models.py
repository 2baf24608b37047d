"""Registry tables: regions, organisations, classifier codes, units of measure."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ColumnElement,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from seriktes.kit.db import Base, Timestamped
from seriktes.kit.versions import Versioned
from seriktes.registry.names import region_name, region_short, unit_name, unit_symbol


def enum_column(enum_cls: type[enum.Enum], length: int = 16) -> Enum:
    """Return a portable VARCHAR + CHECK enum column type storing the enum's values."""
    return Enum(
        enum_cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class SizeClass(enum.StrEnum):
    """Enterprise size class as the law on entrepreneurship defines it."""

    LARGE = "large"
    MEDIUM = "medium"
    SMALL = "small"
    MICRO = "micro"


class ClassifierSystem(enum.StrEnum):
    """Product and activity classifiers held as data."""

    KPVED = "KPVED"
    ENS_TRU = "ENS_TRU"
    HS = "HS"
    OKED = "OKED"


class Region(Base):
    """An administrative-territorial unit of the KATO classifier."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kato: Mapped[str] = mapped_column(String(9), unique=True)
    level: Mapped[str] = mapped_column(String(16), index=True)
    type_code: Mapped[int] = mapped_column(Integer, default=0)
    name_ru: Mapped[str] = mapped_column(String(255))
    name_kk: Mapped[str] = mapped_column(String(255))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)

    parent: Mapped[Region | None] = relationship(remote_side=[id])

    def name(self, lang: str) -> str:
        """Return the name in `lang`: English for the top-level regions, Kazakh when known,
        Russian otherwise (`registry.names`)."""
        return region_name(self.kato, self.name_ru, self.name_kk, lang)

    def short_name(self, lang: str) -> str:
        """Return the short name for titles and tables: ВКО, ШҚО, East Kazakhstan."""
        return region_short(self.kato, self.name_ru, self.name_kk, lang)


class Organisation(Versioned, Timestamped, Base):
    """A legal entity: a buyer, a producer or both.

    It is identified by its BIN. A register that names a producer without a BIN (the ST-KZ
    serial certificates) identifies it by `identity_key`, a digest of its normalised name
    and address: such an organisation is unverified until it gets a BIN.
    """

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("bin IS NOT NULL OR identity_key IS NOT NULL", name="identified"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bin: Mapped[str | None] = mapped_column(String(12), unique=True)
    identity_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    name_ru: Mapped[str] = mapped_column(String(500))
    name_kk: Mapped[str | None] = mapped_column(String(500))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    size_class: Mapped[SizeClass | None] = mapped_column(enum_column(SizeClass))
    oked: Mapped[str | None] = mapped_column(String(8))
    certificates: Mapped[list[str]] = mapped_column(JSON, default=list)
    address: Mapped[str | None] = mapped_column(String(500))
    contact_person: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(255))
    website: Mapped[str | None] = mapped_column(String(255))

    region: Mapped[Region | None] = relationship()

    @hybrid_property
    def bin_verified(self) -> bool:
        """True when the organisation is known by a BIN (its check digit verified)."""
        return self.bin is not None

    @bin_verified.inplace.expression
    @classmethod
    def _bin_verified_expression(cls) -> ColumnElement[bool]:
        return cls.bin.is_not(None)

    @property
    def is_domestic_producer(self) -> bool:
        """True when the organisation holds at least one domestic-producer certificate."""
        return bool(self.certificates)


class ClassifierCode(Base):
    """One code of a classifier (KP VED, ENS TRU, HS, OKED) with its names and parent."""

    __tablename__ = "classifier_codes"
    __table_args__ = (UniqueConstraint("system", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    system: Mapped[ClassifierSystem] = mapped_column(enum_column(ClassifierSystem))
    code: Mapped[str] = mapped_column(String(32))
    parent_code: Mapped[str | None] = mapped_column(String(32), index=True)
    level: Mapped[int] = mapped_column(Integer)
    name_ru: Mapped[str] = mapped_column(Text)
    name_kk: Mapped[str | None] = mapped_column(Text)


class Unit(Base):
    """A unit of measure identified by its MKEI code."""

    __tablename__ = "units"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name_ru: Mapped[str] = mapped_column(String(64))
    name_kk: Mapped[str] = mapped_column(String(64))
    short_ru: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)

    def name(self, lang: str) -> str:
        """Return the unit's name in `lang` (piece, дана, штука)."""
        return unit_name(self.code, self.name_ru, self.name_kk, lang)

    def symbol(self, lang: str) -> str:
        """Return the unit's symbol after a number in `lang` (pcs, дана, шт)."""
        return unit_symbol(self.code, self.short_ru, lang)

    def as_dict(self) -> dict[str, Any]:
        """Return the unit as plain data."""
        return {"code": self.code, "name_ru": self.name_ru, "short_ru": self.short_ru}
