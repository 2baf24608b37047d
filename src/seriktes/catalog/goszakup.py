"""Reading goszakup OWS v3 plan JSON (`{"items": [...]}`) into needs and their buyers.

A file and a sync (`catalog.goszakup_sync`) read items the same way (`parse_plan_items`).
A point of a past plan year (`pln_point_year` before this year, `kit.clock.today`) or one
withdrawn from its plan (deleted, inactive, or of a withdrawn point status) is imported as a
closed need, never as an open one. A unit code the MKEI table does not know keeps its row:
the code is kept (`NEW_UNIT` flags it for the writer) and the import warns about it."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from seriktes.catalog.models import NeedStatus
from seriktes.catalog.parsing import class_from_enstru, parse_enstru
from seriktes.kit import clock
from seriktes.kit.errors import NO_PARAMS, ErrorItem, Params, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.importing import CellError, ParsedRows, decimal_value
from seriktes.kit.tabular import Source, current_limits
from seriktes.kit.values import is_digits
from seriktes.registry.service import Lookups, check_bin, guess_region_kato

# field of ours → key in a plan item, used to name the place of an error
PLAN_KEYS = {
    "external_id": "id",
    "buyer_bin": "subject_biin",
    "buyer_name": "subject_name_ru",
    "title": "name_ru",
    "enstru_code": "ref_enstru_code",
    "quantity": "count",
    "unit": "ref_units_code",
    "unit_price": "price",
}
# `ref_pln_point_status_id` of points withdrawn from their plan: 5 deleted, 6 cancelled
# (the goszakup reference `/v3/refs/ref_pln_point_status`; confirm against it when it grows)
WITHDRAWN_POINT_STATUSES = frozenset({5, 6})
# the value key of a unit code the MKEI table does not know; the writer adds it as a unit
NEW_UNIT = "new_unit_code"


def load_items(source: Source) -> list[Any]:
    """Return the `items` of a plan file (or a bare list of items), at most as many as the
    reading limits allow rows."""
    name = source.name
    try:
        # decimals as Decimal: a quantity such as 190.444754 is read as written
        data = json.loads(source.data.decode("utf-8-sig"), parse_float=Decimal)
    except UnicodeDecodeError as exc:
        byte = f"0x{exc.object[exc.start]:02x}"
        raise _refuse(name, N_("is not UTF-8 text (byte %(byte)s)"), {"byte": byte}) from None
    except RecursionError:  # [[[[…]]]] 200,000 deep
        raise _refuse(name, N_("is nested too deeply to be a goszakup plan")) from None
    except ValueError as exc:  # JSONDecodeError, or an integer of more than 4,300 digits
        raise _refuse(name, N_("is not readable JSON (%(reason)s)"), {"reason": exc}) from None
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValidationFailed(
            N_("%(name)s: expected goszakup plan JSON with an 'items' list"),
            params={"name": name},
        )
    limit = current_limits().rows
    if limit is not None and len(items) > limit:
        raise _refuse(name, N_("has more than %(limit)s items; split it"), {"limit": f"{limit:,}"})
    return items


def _refuse(name: str, message: str, params: Params = NO_PARAMS) -> ValidationFailed:
    item = ErrorItem((name, 0, ""), message, params)
    return ValidationFailed(N_("%(name)s: %(message)s"), [item], {"name": name, "message": item})


def parse_plan_json(session: Session, source: Source) -> ParsedRows:
    """Parse every plan item into need fields; errors name the item and the JSON key."""
    return parse_plan_items(session, source.name, load_items(source))


def parse_plan_items(
    session: Session,
    name: str,
    items: Sequence[Any],
    numbers: Sequence[int] | None = None,
    lookups: Lookups | None = None,
) -> ParsedRows:
    """Parse plan items (of a file, or of pages of the service, numbered by `numbers`) into
    need fields; errors name the item and the JSON key."""
    lookups = lookups or Lookups.load(session)
    parsed = ParsedRows(name, dict(PLAN_KEYS), row_label="item")
    this_year = clock.today().year
    for number, item in zip(numbers or range(1, len(items) + 1), items, strict=True):
        if not isinstance(item, dict):
            parsed.error(number, "", N_("is not an object"))
            continue
        values = _item_values(item, number, parsed, lookups)
        if is_closed(item, this_year):
            values["status"] = NeedStatus.CLOSED
        parsed.rows.append((number, values))
    return parsed


def is_closed(item: dict[str, Any], this_year: int) -> bool:
    """Whether a plan point is over: of a past plan year, or withdrawn from its plan."""
    year = _whole(item.get("pln_point_year"))
    if year is not None and year < this_year:
        return True
    if item.get("is_deleted") in (True, 1, "1") or item.get("is_active") in (False, 0, "0"):
        return True
    return _whole(item.get("ref_pln_point_status_id")) in WITHDRAWN_POINT_STATUSES


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip() if value is not None else ""
    return int(text) if is_digits(text) and len(text) < 10 else None


def _unit(lookups: Lookups, value: Any, values: dict[str, object]) -> str | None:
    """The MKEI code of a plan's unit; a code the table does not know is kept as it is."""
    raw = None if value is None else str(value).strip()
    try:
        return lookups.unit_code(raw)
    except CellError:
        if raw is None or not is_digits(raw) or len(raw) > 8:
            raise
        values[NEW_UNIT] = raw
        return raw


def _item_values(
    item: dict[str, Any], number: int, parsed: ParsedRows, lookups: Lookups
) -> dict[str, object]:
    values: dict[str, object] = {}
    converters: dict[str, Callable[[Any], object]] = {
        "buyer_bin": lambda v: check_bin(None if v is None else str(v)),
        "enstru_code": parse_enstru,
        "quantity": decimal_value,
        "unit": lambda v: _unit(lookups, v, values),
        "unit_price": decimal_value,
    }
    for field, key in PLAN_KEYS.items():
        raw = item.get(key)
        try:
            values[field] = converters[field](raw) if field in converters else _clean(raw)
        except CellError as exc:
            parsed.error(number, field, exc)
    for required in ("external_id", "buyer_name", "title"):
        if not values.get(required):
            parsed.error(number, required, N_("is empty but required"))
    values["external_id"] = f"goszakup:{item.get('id')}"
    values["buyer_name_kk"] = _clean(item.get("subject_name_kz"))
    values["description"] = _clean(item.get("extra_desc_ru"))
    values["specification"] = _clean(item.get("desc_ru"))
    if values.get("enstru_code"):
        values["class_code"] = class_from_enstru(str(values["enstru_code"]))
    kato = guess_region_kato(str(values.get("buyer_name") or ""))
    values["delivery_region"] = lookups.regions.get(kato) if kato else None
    return values


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).replace("\x00", " ").split())
    return text or None
