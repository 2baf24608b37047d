"""Reading goszakup OWS v3 plan JSON (`{"items": [...]}`) into needs and their buyers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from seriktes.catalog.parsing import class_from_enstru, parse_enstru
from seriktes.kit.errors import NO_PARAMS, ErrorItem, Params, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.importing import CellError, ParsedRows, decimal_value
from seriktes.kit.tabular import Source, current_limits
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


def load_items(source: Source) -> list[Any]:
    """Return the `items` of a plan file (or a bare list of items), at most as many as the
    reading limits allow rows."""
    name = source.name
    try:
        data = json.loads(source.data.decode("utf-8-sig"))
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
    lookups = Lookups.load(session)
    parsed = ParsedRows(source.name, dict(PLAN_KEYS), row_label="item")
    for number, item in enumerate(load_items(source), start=1):
        if not isinstance(item, dict):
            parsed.error(number, "", N_("is not an object"))
            continue
        values = _item_values(item, number, parsed, lookups)
        parsed.rows.append((number, values))
    return parsed


def _item_values(
    item: dict[str, Any], number: int, parsed: ParsedRows, lookups: Lookups
) -> dict[str, object]:
    values: dict[str, object] = {}
    converters: dict[str, Callable[[Any], object]] = {
        "buyer_bin": lambda v: check_bin(None if v is None else str(v)),
        "enstru_code": parse_enstru,
        "quantity": decimal_value,
        "unit": lambda v: lookups.unit_code(None if v is None else str(v)),
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
