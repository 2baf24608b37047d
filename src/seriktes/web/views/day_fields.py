"""The meeting days on the events forms: a day's fields are named `d<n>_<field>` (n from
0); «add a day» and «remove» are submit buttons that show the form again with one row more
or less, so that the forms work without JavaScript. Pauses are typed as the day's slot
numbers from 1, as on the form before there were several days."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from seriktes.events.schemas import MAX_DAYS
from seriktes.kit.i18n import N_
from seriktes.kit.values import is_digits
from seriktes.web.listing import blank

DAY_FIELDS = (
    "meets_on", "morning_start", "afternoon_start", "morning_slots", "afternoon_slots",
    "tables", "pause_after", "pause_minutes",
)  # fmt: skip
DEFAULT_DAY = {
    "meets_on": "",
    "morning_start": "10:00",
    "afternoon_start": "14:00",
    "morning_slots": "6",
    "afternoon_slots": "6",
    "tables": "10",
    "pause_after": "",
    "pause_minutes": "15",
}
PAUSES = N_("Enter slot numbers separated by commas.")


def day_rows(values: dict[str, str]) -> list[dict[str, str]]:
    """The rows of days of a form's values, in their order (at least one)."""
    numbers = sorted(
        int(key[1:].split("_", 1)[0])
        for key in values
        if key.endswith("_meets_on") and is_digits(key[1:].split("_", 1)[0]) and len(key) < 14
    )
    rows = [
        {"id": values.get(f"d{n}_id", ""), **{f: values.get(f"d{n}_{f}", "") for f in DAY_FIELDS}}
        for n in numbers[:MAX_DAYS]
    ]
    return rows or [dict(DEFAULT_DAY, id="")]


def as_values(rows: list[dict[str, str]]) -> dict[str, str]:
    """Rows of days back as form values `d<n>_<field>`."""
    return {f"d{n}_{name}": value for n, row in enumerate(rows) for name, value in row.items()}


def row_of(day: Any, n_id: int | None = None) -> dict[str, str]:
    """A stored meeting day as a form row (pauses numbered from 1)."""
    return {
        "id": "" if n_id is None else str(n_id),
        "meets_on": day.meets_on.isoformat(),
        "morning_start": day.morning_start.strftime("%H:%M"),
        "afternoon_start": day.afternoon_start.strftime("%H:%M"),
        "morning_slots": str(day.morning_slots),
        "afternoon_slots": str(day.afternoon_slots),
        "tables": str(day.tables),
        "pause_after": ", ".join(str(p + 1) for p in day.pause_after or []),
        "pause_minutes": str(day.pause_minutes),
    }


def changed_rows(form: dict[str, str]) -> dict[str, str] | None:
    """The form's values with a day added or removed when one of those buttons was pressed,
    else None."""
    adding, removing = bool(form.get("add_day")), is_digits(form.get("remove_day", ""))
    if not adding and not removing:
        return None
    rows = day_rows(form)
    if adding and len(rows) < MAX_DAYS:
        last = dict(rows[-1], id="")
        try:
            after = date.fromisoformat(last["meets_on"]) + timedelta(days=1)
            last["meets_on"] = after.isoformat()
        except ValueError:
            last["meets_on"] = ""
        rows.append(last)
    elif removing and len(rows) > 1 and len(form["remove_day"]) < 3:
        del rows[min(int(form["remove_day"]), len(rows) - 1)]
    kept = {
        k: v
        for k, v in form.items()
        if not re.match(r"d[0-9]+_", k) and k not in ("add_day", "remove_day")
    }
    return {**kept, **as_values(rows)}


def days_from_form(form: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The days of a form as `MeetingDayIn` data, and the errors of fields no model checks."""
    days, errors = [], {}
    for n, row in enumerate(day_rows(form)):
        data: dict[str, Any] = {
            name: blank(row.get(name)) for name in DAY_FIELDS if name != "pause_after"
        }
        data = {name: value for name, value in data.items() if value is not None}
        if is_digits(row.get("id", "")) and len(row["id"]) < 10:
            data["id"] = row["id"]
        pauses = [p.strip() for p in row.get("pause_after", "").split(",") if p.strip()]
        if not all(is_digits(p) and len(p) < 3 and int(p) > 0 for p in pauses):
            errors[f"d{n}_pause_after"] = PAUSES
        data["pause_after"] = [int(p) - 1 for p in pauses if is_digits(p) and len(p) < 3]
        days.append(data)
    return days, errors


def day_field(loc: tuple[Any, ...]) -> str | None:
    """The form field of a pydantic error in a day (`("days", n, name)` → `d<n>_<name>`)."""
    if len(loc) >= 3 and loc[0] == "days":
        return f"d{loc[1]}_{loc[2]}"
    return None
