"""All registry queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.registry.kato import oblast_of, padded
from seriktes.registry.models import ClassifierCode, ClassifierSystem, Organisation, Region, Unit

CHUNK = 900  # below SQLite's bound-parameter limit


def chunks(values: Sequence[str], size: int = CHUNK) -> Iterable[Sequence[str]]:
    """Yield `values` in slices of at most `size`."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def regions_by_kato(session: Session) -> dict[str, Region]:
    """Return every region keyed by KATO code."""
    return {region.kato: region for region in session.scalars(select(Region))}


def top_level_regions(session: Session) -> list[Region]:
    """Return the oblast-level regions (oblasts and cities of republican significance)."""
    stmt = select(Region).where(Region.level == "oblast").order_by(Region.type_code, Region.name_ru)
    return list(session.scalars(stmt))


def region_by_kato(session: Session, kato: str) -> Region | None:
    """The region of a KATO code; a short code («63») is padded with zeros."""
    return session.scalars(select(Region).where(Region.kato == padded(kato))).first()


def oblast_region(session: Session, kato: str) -> Region | None:
    """The top-level region a KATO code lies in (its first two digits), if the registry has it."""
    stmt = select(Region).where(Region.kato.startswith(oblast_of(kato)), Region.level == "oblast")
    return session.scalars(stmt).first()


def organisation_by_bin(session: Session, bin_value: str) -> Organisation | None:
    """The organisation with this BIN, if any."""
    return session.scalars(select(Organisation).where(Organisation.bin == bin_value)).first()


def organisations_by_bin(session: Session, bins: Iterable[str]) -> dict[str, Organisation]:
    """Return the organisations with the given BINs, keyed by BIN."""
    found: dict[str, Organisation] = {}
    for part in chunks(sorted(set(bins))):
        for org in session.scalars(select(Organisation).where(Organisation.bin.in_(part))):
            found[str(org.bin)] = org
    return found


def organisations_by_identity_key(session: Session, keys: Iterable[str]) -> dict[str, Organisation]:
    """Return the organisations known by the given name-and-address keys, keyed by key."""
    found: dict[str, Organisation] = {}
    for part in chunks(sorted(set(keys))):
        stmt = select(Organisation).where(Organisation.identity_key.in_(part))
        for org in session.scalars(stmt):
            found[str(org.identity_key)] = org
    return found


def units(session: Session) -> list[Unit]:
    """Return every unit of measure."""
    return list(session.scalars(select(Unit).order_by(Unit.code)))


def classifier_codes(session: Session, system: ClassifierSystem) -> dict[str, ClassifierCode]:
    """Return the codes of one classifier keyed by code."""
    stmt = select(ClassifierCode).where(ClassifierCode.system == system)
    return {code.code: code for code in session.scalars(stmt)}


def class_names(session: Session, codes: Iterable[str | None]) -> dict[str, tuple[str, str | None]]:
    """KP VED code → (Russian name, Kazakh name) of the given codes the registry holds."""
    wanted = sorted({code for code in codes if code})
    if not wanted:
        return {}
    stmt = select(ClassifierCode.code, ClassifierCode.name_ru, ClassifierCode.name_kk).where(
        ClassifierCode.system == ClassifierSystem.KPVED, ClassifierCode.code.in_(wanted)
    )
    return {code: (ru, kk) for code, ru, kk in session.execute(stmt)}


def has_codes(session: Session, system: ClassifierSystem) -> bool:
    """Whether the registry holds any code of the classifier `system`."""
    stmt = select(ClassifierCode.id).where(ClassifierCode.system == system).limit(1)
    return session.scalar(stmt) is not None


def has_code(session: Session, system: ClassifierSystem, code: str) -> bool:
    """Whether the registry holds `code` of the classifier `system`."""
    stmt = select(ClassifierCode.id).where(
        ClassifierCode.system == system, ClassifierCode.code == code
    )
    return session.scalar(stmt.limit(1)) is not None


def count(session: Session, model: type[object]) -> int:
    """Return the number of rows of a table."""
    return int(session.scalar(select(func.count()).select_from(model)) or 0)
