"""All registry queries."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, cast, column, func, literal, or_, select, table
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session, joinedload

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


def contains_all(column: Any, words: Sequence[str]) -> ColumnElement[bool]:
    """SQL, the cheap first sieve of a search: the text `column`, lower case with ё as е,
    contains the longest word of `words` (folded alike) somewhere — one folding per row,
    which SQLite's `lower` (a Python function, for Cyrillic) makes the cost of a scan;
    `starts_all` then keeps the rows where every word begins a word."""
    longest = max(words, key=len)
    return and_(
        column.is_not(None), func.replace(func.lower(column), "ё", "е").like(f"%{longest}%")
    )


def folded_words(text: str | None) -> str:
    """A text's words folded as search words are (lower case, ё as е, letters and digits
    only), each preceded by a space: «ТОО "Агро-Строй"» → ' тоо агро строй'."""
    return "".join(" " + w for w in re.findall(r"[^\W_]+", (text or "").lower().replace("ё", "е")))


def starts_all(text: str | None, words: Sequence[str]) -> bool:
    """Every word of `words` begins a word of `text`, in any order."""
    held = folded_words(text)
    return all(f" {word}" in held for word in words)


def bin_prefix(prefix: str) -> ColumnElement[bool]:
    """SQL: the BIN begins with the digits `prefix` — a range on the unique index of BINs
    (a LIKE uses no index under PostgreSQL's default collation)."""
    if len(prefix) >= 12:
        return Organisation.bin == prefix[:12]
    return and_(Organisation.bin >= prefix, Organisation.bin < prefix + ":")  # ":" follows "9"


def in_oblasts(oblasts: Sequence[str]) -> ColumnElement[bool]:
    """SQL: the organisation lies in one of the top-level regions (two-digit KATO prefixes);
    no condition without any."""
    if not oblasts:
        return literal(True)
    return Organisation.region.has(or_(*(Region.kato.startswith(o) for o in oblasts)))


BIN_EXACT, BIN_PREFIX, NAME_PREFIX, NAME_WORDS = 0, 1, 2, 3  # ranks of a look-up, best first


CANDIDATES = 400  # rows a name search reads after its SQL sieve, shortest names first
NAME_LENGTH = 500  # the longest name a column holds: a longer word begins no word of one


def names_have_words(dialect: str, words: Sequence[str]) -> ColumnElement[bool]:
    """SQL, the sieve of a name search through the text index of names (migration 0019):
    the Russian or Kazakh name has a word beginning with each of `words` (folded as
    `folded_words` folds, which the index does too). SQLite asks the FTS5 table
    `organisation_words`, PostgreSQL the GIN-indexed `organisation_name_words`; `starts_all`
    then keeps the rows where one name alone has them all."""
    if dialect == "postgresql":
        query = " & ".join(f"'{word}':*" for word in words)  # words have no quote: [^\W_]+
        names = func.organisation_name_words(Organisation.name_ru, Organisation.name_kk)
        return names.op("@@")(cast(literal(query), TSQUERY))
    words_table = table("organisation_words", column("rowid"))
    query = " ".join(f'"{word}"*' for word in words)
    matching = select(words_table.c.rowid).where(column("organisation_words").op("MATCH")(query))
    return Organisation.id.in_(matching)


def look_up_organisations(
    session: Session,
    words: Sequence[str],
    digits: str | None,
    limit: int,
    oblasts: Sequence[str] = (),
) -> list[tuple[Organisation, int]]:
    """Organisations whose BIN begins with `digits` or whose Russian or Kazakh name has every
    word of `words` at the start of one of its words, with their rank: the exact BIN, a BIN
    prefix, the words as typed, in their order, at the start of a word of the name (after
    a legal form such as «ТОО»), the words in any order; then shorter names first.
    `words` are folded (lower case, ё as е). The BIN is read through its unique index; a
    name through the text index of names (`names_have_words`), and Python checks
    (`starts_all`) the `CANDIDATES` shortest names it finds."""
    found: dict[int, tuple[Organisation, int]] = {}
    if digits:
        stmt = (
            select(Organisation)
            .where(bin_prefix(digits), in_oblasts(oblasts))
            .options(joinedload(Organisation.region))
            .order_by(Organisation.bin)
            .limit(limit)
        )
        for org in session.scalars(stmt):
            found[org.id] = (org, BIN_EXACT if org.bin == digits else BIN_PREFIX)
    if words and max(len(w) for w in words) <= NAME_LENGTH:
        dialect = session.get_bind().dialect.name
        stmt = (
            select(Organisation)
            .where(names_have_words(dialect, words), in_oblasts(oblasts))
            .options(joinedload(Organisation.region))
            .order_by(func.length(Organisation.name_ru), Organisation.id)
            .limit(CANDIDATES)
        )
        phrase = " " + " ".join(words)
        for org in session.scalars(stmt):
            held = (folded_words(org.name_ru), folded_words(org.name_kk))
            if any(phrase in text for text in held):
                found.setdefault(org.id, (org, NAME_PREFIX))
            elif any(all(f" {w}" in text for w in words) for text in held):
                found.setdefault(org.id, (org, NAME_WORDS))
    ranked = sorted(found.values(), key=lambda f: (f[1], len(f[0].name_ru), f[0].name_ru, f[0].id))
    return ranked[:limit]


@dataclass(frozen=True)
class _ClassWords:
    """The words of the KP VED class names (folded as search words are), sorted, with the
    codes whose names hold each: found by a word's beginning with a binary search."""

    key: tuple[int, int]  # how many codes and the largest id: a changed classifier is read again
    words: list[str]
    codes: list[frozenset[str]]


_class_words: dict[str, _ClassWords] = {}  # the one index of this process, under ""


def _word_index(session: Session) -> _ClassWords:
    kpved = ClassifierCode.system == ClassifierSystem.KPVED
    count, last = session.execute(
        select(func.count(), func.max(ClassifierCode.id)).where(kpved)
    ).one()
    key = (int(count or 0), int(last or 0))
    held = _class_words.get("")
    if held is not None and held.key == key:
        return held
    holders: dict[str, set[str]] = {}
    stmt = select(ClassifierCode.code, ClassifierCode.name_ru, ClassifierCode.name_kk).where(kpved)
    for code, name_ru, name_kk in session.execute(stmt):
        text = f"{name_ru} {name_kk or ''}".lower().replace("ё", "е")
        for word in re.findall(r"[^\W_]+", text):
            holders.setdefault(word, set()).add(code)
    words = sorted(holders)
    _class_words[""] = _ClassWords(key, words, [frozenset(holders[w]) for w in words])
    return _class_words[""]


def classes_named(session: Session, words: Sequence[str], limit: int = 20) -> list[str]:
    """The KP VED codes whose Russian or Kazakh name has a word beginning with each of
    `words` (folded: lower case, ё as е), in code order, at most `limit`. The classifier's
    words are read once per process (and again when it changes)."""
    if not words:
        return []
    index = _word_index(session)
    found: set[str] | None = None
    for word in words:
        start = bisect.bisect_left(index.words, word)
        codes: set[str] = set()
        for at in range(start, len(index.words)):
            if not index.words[at].startswith(word):
                break
            codes |= index.codes[at]
        found = codes if found is None else found & codes
        if not found:
            return []
    return sorted(found or ())[:limit]


def organisations_by_ids(session: Session, ids: Iterable[int]) -> dict[int, Organisation]:
    """The organisations with these ids, with their regions, keyed by id."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    stmt = (
        select(Organisation)
        .where(Organisation.id.in_(wanted))
        .options(joinedload(Organisation.region))
    )
    return {org.id: org for org in session.scalars(stmt)}


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
