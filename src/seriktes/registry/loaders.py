"""Loaders of reference files: KATO units, the OKPD2 tree and plain classifier CSVs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from seriktes.kit.codes import classifier_parent, format_classifier_code
from seriktes.kit.errors import NO_PARAMS, Params, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.importing import (
    Column,
    ImportFailed,
    Progress,
    RowError,
    map_columns,
    row_values,
    text,
)
from seriktes.kit.tabular import open_table
from seriktes.registry import repository
from seriktes.registry.kato import oblast_kato
from seriktes.registry.models import ClassifierCode, ClassifierSystem, Region

KATO_LEVELS = ("oblast", "district", "sub_district", "settlement")
KATO_COLUMNS = (
    Column("kato", ("код", "код като", "te"), required=True),
    Column("level", ("уровень",), required=True),
    Column("type_code", ("тип",)),
    Column("name_ru", ("наименование", "наименование на русском"), required=True),
    Column("name_kk", ("атауы", "наименование на казахском"), required=True),
)
CLASSIFIER_COLUMNS = (
    Column("code", ("код",), required=True),
    Column("name_ru", ("наименование", "название"), required=True),
    Column("name_kk", ("атауы", "наименование каз")),
    Column("parent", ("родитель", "parent_code", "код родителя")),
)


OKPD2_FILE = Path("okpd2") / "okpd2_full_tree.json"


@dataclass
class LoadResult:
    """Counts of a reference load."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


def kato_parent_candidates(code: str) -> list[str]:
    """Return the codes that may be a KATO unit's parent, nearest first."""
    candidates = [code[:6] + "000", code[:4] + "00000", oblast_kato(code)]
    return [c for c in dict.fromkeys(candidates) if c != code]


def load_kato(session: Session, path: Path, progress: Progress | None = None) -> LoadResult:
    """Load every KATO unit of a file like kato.csv; all-or-nothing, upsert by code."""
    table = open_table(path)
    mapping = map_columns(table.header, KATO_COLUMNS, path.name)
    errors: list[RowError] = []
    rows: dict[str, dict[str, object]] = {}
    for row_no, cells in table.rows:
        values = {k: text(v) for k, v in row_values(cells, mapping).items()}
        problem = _kato_problem(values)
        if problem:
            errors.append(
                RowError.of(path.name, row_no, table.header[mapping[problem[0]]], *problem[1:])
            )
            continue
        code = str(values["kato"])
        type_raw = values.get("type_code") or "0"
        rows[code] = {
            "kato": code,
            "level": values["level"],
            "type_code": int(type_raw) if type_raw.isdigit() else 0,
            "name_ru": values["name_ru"],
            "name_kk": values.get("name_kk") or values["name_ru"],
        }
        if progress and row_no % 500 == 0:
            progress(row_no - 1, table.total)
    if errors:
        raise ImportFailed.from_errors(path.name, errors)
    return _write_regions(session, rows)


def _kato_problem(values: dict[str, str | None]) -> tuple[str, str, Params] | None:
    code = values.get("kato") or ""
    if len(code) != 9 or not code.isdigit():
        return "kato", N_("KATO code must be 9 digits, got %(code)s"), {"code": repr(code)}
    if values.get("level") not in KATO_LEVELS:
        levels, given = ", ".join(KATO_LEVELS), repr(values.get("level"))
        return (
            "level",
            N_("level must be one of %(levels)s, got %(given)s"),
            {
                "levels": levels,
                "given": given,
            },
        )
    if not values.get("name_ru"):
        return "name_ru", N_("name is empty"), NO_PARAMS
    return None


def _write_regions(session: Session, rows: dict[str, dict[str, object]]) -> LoadResult:
    result = LoadResult()
    existing = repository.regions_by_kato(session)
    new_rows = [row for code, row in rows.items() if code not in existing]
    for code, row in rows.items():
        region = existing.get(code)
        if region is None:
            continue
        changed = any(getattr(region, key) != value for key, value in row.items())
        if changed:
            for key, value in row.items():
                setattr(region, key, value)
            result.updated += 1
        else:
            result.unchanged += 1
    if new_rows:
        session.execute(insert(Region), new_rows)
        result.created = len(new_rows)
    session.flush()
    ids = {code: region.id for code, region in repository.regions_by_kato(session).items()}
    parents = []
    for code in rows:
        parent = next((ids[c] for c in kato_parent_candidates(code) if c in ids), None)
        parents.append({"id": ids[code], "parent_id": parent})
    session.execute(update(Region), parents)
    session.expire_all()
    return result


def load_okpd2(
    session: Session, path: Path, system: ClassifierSystem = ClassifierSystem.KPVED
) -> LoadResult:
    """Load the OKPD2 tree JSON `{section: {code: name}}` as KP VED codes."""
    return _write_codes(session, system, read_okpd2(path, system))


def read_okpd2(
    path: Path, system: ClassifierSystem = ClassifierSystem.KPVED
) -> dict[str, dict[str, object]]:
    """Read and check the OKPD2 tree JSON; return code rows without writing them."""
    try:
        tree = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValidationFailed(
            N_("%(name)s: not a readable JSON file (%(exc)s)"),
            params={"name": path.name, "exc": exc},
        ) from exc
    if not isinstance(tree, dict):
        raise ValidationFailed(
            N_("%(name)s: expected an object of sections"), params={"name": path.name}
        )
    rows: dict[str, dict[str, object]] = {}
    errors: list[RowError] = []
    for section, codes in tree.items():
        if not isinstance(codes, dict):
            errors.append(RowError.of(path.name, 0, str(section), N_("section is not an object")))
            continue
        for code, name in codes.items():
            digits = str(code).replace(".", "")
            if not digits.isdigit() or format_classifier_code(digits) != code:
                errors.append(RowError.of(path.name, 0, str(code), N_("malformed code")))
                continue
            rows[code] = _code_row(system, code, str(name), None, classifier_parent(code))
    if errors:
        raise ImportFailed.from_errors(path.name, errors)
    return rows


def load_classifier_csv(session: Session, path: Path, system: ClassifierSystem) -> LoadResult:
    """Load a plain CSV/XLSX classifier with columns code, name_ru, name_kk, parent."""
    return _write_codes(session, system, read_classifier_csv(path, system))


def read_classifier_file(path: Path) -> list[tuple[str, str]]:
    """Return (code, Russian name) of a classifier file: OKPD2 tree JSON or plain CSV/XLSX."""
    if path.suffix.lower() == ".json":
        rows = read_okpd2(path)
    else:
        rows = read_classifier_csv(path, ClassifierSystem.KPVED)
    return [(code, str(row["name_ru"])) for code, row in rows.items()]


def read_classifier_csv(path: Path, system: ClassifierSystem) -> dict[str, dict[str, object]]:
    """Read and check a plain classifier CSV/XLSX; return code rows without writing them."""
    table = open_table(path)
    mapping = map_columns(table.header, CLASSIFIER_COLUMNS, path.name)
    rows: dict[str, dict[str, object]] = {}
    errors: list[RowError] = []
    for row_no, cells in table.rows:
        values = {k: text(v) for k, v in row_values(cells, mapping).items()}
        code, name = values.get("code"), values.get("name_ru")
        if not code:
            errors.append(
                RowError.of(path.name, row_no, table.header[mapping["code"]], N_("code is empty"))
            )
            continue
        if not name:
            errors.append(
                RowError.of(
                    path.name, row_no, table.header[mapping["name_ru"]], N_("name is empty")
                )
            )
            continue
        parent = values.get("parent")
        if system is ClassifierSystem.KPVED and parent is None:
            parent = classifier_parent(code)
        rows[code] = _code_row(system, code, name, values.get("name_kk"), parent)
    if errors:
        raise ImportFailed.from_errors(path.name, errors)
    return rows


def _code_row(
    system: ClassifierSystem, code: str, name_ru: str, name_kk: str | None, parent: str | None
) -> dict[str, object]:
    return {
        "system": system,
        "code": code,
        "parent_code": parent,
        "level": len(code.replace(".", "")),
        "name_ru": name_ru.strip(),
        "name_kk": name_kk,
    }


def _write_codes(
    session: Session, system: ClassifierSystem, rows: dict[str, dict[str, object]]
) -> LoadResult:
    result = LoadResult()
    existing = repository.classifier_codes(session, system)
    new_rows = []
    changes = []
    for code, row in rows.items():
        current = existing.get(code)
        if current is None:
            new_rows.append(row)
        elif any(getattr(current, key) != value for key, value in row.items()):
            changes.append({"id": current.id, **row})
        else:
            result.unchanged += 1
    if new_rows:
        session.execute(insert(ClassifierCode), new_rows)
    if changes:
        session.execute(update(ClassifierCode), changes)
    result.created, result.updated = len(new_rows), len(changes)
    session.flush()
    return result


@dataclass(frozen=True)
class FolderLoad:
    """A reference file of the data folder and what loading it did."""

    what: str  # "KP VED classes"
    path: Path
    loaded: int | None = None  # rows written; None when the table held them already


def load_data_folder(session: Session, data_dir: Path) -> list[FolderLoad]:
    """Load the KP VED classes (OKPD2 tree) of the data folder into the registry when it holds
    none yet; nothing when the file is absent.

    KATO is left to `load-kato`: with its 15,574 units in the registry, every need or offer
    written reads them all to resolve its region (+0.15 s a write), and codes below the
    oblast already resolve to their oblast without them."""
    okpd2 = data_dir / OKPD2_FILE
    if not okpd2.is_file():
        return []
    if repository.has_codes(session, ClassifierSystem.KPVED):
        return [FolderLoad("KP VED classes", okpd2)]
    return [FolderLoad("KP VED classes", okpd2, load_okpd2(session, okpd2).created)]
