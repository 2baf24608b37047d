"""Form handling shared by the HTML pages: submitted fields as services take them, and the
errors of a validation as messages next to the fields."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from seriktes.accounts.models import User
from seriktes.accounts.policy import can_create_for
from seriktes.catalog.queries import get_organisation
from seriktes.kit.errors import ErrorItem, Forbidden, Message, ValidationFailed
from seriktes.kit.i18n import N_, translate
from seriktes.kit.values import parse_id
from seriktes.kit.versions import StaleWrite
from seriktes.web.listing import blank

ERROR_TEXTS = {
    "missing": N_("Required."),
    "int_type": N_("Required."),
    "string_type": N_("Required."),
    "string_too_short": N_("Required."),
    "string_too_long": N_("Too long."),
    "too_long": N_("Too many items."),
    "decimal_parsing": N_("Enter a number."),
    "decimal_type": N_("Enter a number."),
    "greater_than_equal": N_("Must not be negative."),
    "decimal_max_places": N_("Too many digits after the decimal point."),
    "decimal_max_digits": N_("The number is too large."),
    "decimal_whole_digits": N_("The number is too large."),
    "date_from_datetime_parsing": N_("Enter a date."),
    "date_parsing": N_("Enter a date."),
    "string_pattern_mismatch": N_("Use a three-letter code such as KZT."),
    "enum": N_("Choose one of the options."),
    "int_parsing": N_("Choose one of the options."),
    "date_range": N_("Enter a date between 2000 and 2199."),
    "currency_unknown": N_("Choose a currency: KZT, RUB, USD, EUR, CNY, KGS, UZS or BYN."),
}
CHOOSE = N_("Choose one of the options.")
STALE = N_(
    "Someone changed this record while you were editing it, so nothing was saved. The marked "
    "fields were changed meanwhile: compare what you typed with what is saved now, then save "
    "again to keep your values."
)
OUTDATED = N_("This form is out of date: open it again.")
FIELD_ERRORS = {
    "class_code": N_("Enter a KP VED code such as 28.15.10."),
    "enstru_code": N_("Enter an ENS TRU code such as 222929.900.000129."),
    "hs_code": N_("Enter an HS code of 4 to 10 digits."),
    "unit_code": N_("Unknown unit of measure."),
    "delivery_region": N_("Unknown region."),
}


async def form_data(request: Request) -> dict[str, str]:
    """The submitted form as text fields (files ignored)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


Form = Annotated[dict[str, str], Depends(form_data)]


async def submitted_form(request: Request) -> FormData:
    """The submitted form with its files, parsed on the event loop so that the route reading
    it can be a plain function in the thread pool (files are read there through `.file`)."""
    return await request.form()


FormWithFiles = Annotated[FormData, Depends(submitted_form)]


def clean(form: Mapping[str, str], fields: Iterable[str], numbers: Iterable[str]) -> dict[str, Any]:
    """Form fields as a service takes them: blanks are None, «1 500,5» is 1500.5."""
    data: dict[str, Any] = {field: blank(form.get(field)) for field in fields}
    for field in numbers:
        if data.get(field) is not None:
            data[field] = re.sub(r"[\s\u00a0\u202f]", "", data[field]).replace(",", ".")
    return data


def form_errors(exc: ValidationError | ValidationFailed) -> dict[str, str]:
    """Field → what is wrong with it ("" holds errors of no field): a message id, or a
    `Message` of a service's error, both shown in the page's language by `_`."""
    errors: dict[str, str] = {}
    if isinstance(exc, ValidationFailed):
        for item in exc.errors or []:
            field = str(item.loc[-1]) if item.loc else ""
            errors.setdefault(field, FIELD_ERRORS.get(field, Message(item.template, item.params)))
        return errors or {"": Message(exc.template, exc.params)}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        kind = str(error["type"])
        text = FIELD_ERRORS.get(field) if kind == "value_error" else ERROR_TEXTS.get(kind)
        errors.setdefault(field, text or str(error["msg"]))
    return errors


def _message(text: str) -> Message:
    return text if isinstance(text, Message) else Message(text)


def listed(errors: Mapping[str, str]) -> ValidationFailed:
    """The errors of a form (field → message id) as one ValidationFailed: «field: message; …»."""
    template = N_("%(field)s: %(message)s")
    items = [
        ErrorItem((field,), template, {"field": field, "message": _message(text)})
        for field, text in errors.items()
    ]
    return ValidationFailed(N_("%(errors)s"), items, {"errors": tuple(items)})


def chosen_owner(session: Session, user: User, form: Mapping[str, str], field: str) -> int | None:
    """The buyer or producer chosen in the form's `field`, None when none was; an id that is
    no id («²», «٣», 0) is a ValidationFailed at the field; 403 when the user may not act for
    it (checked before anything else)."""
    if blank(form.get(field)) is None:
        return None
    chosen = form_id(form, field)
    if not can_create_for(user, get_organisation(session, chosen)):
        raise Forbidden(N_("you may not add data for this organisation"))
    return chosen


def form_id(form: Mapping[str, str], field: str) -> int:
    """An id chosen in a form (a participant, a request): ASCII digits from 1 up to the
    largest id; anything else is a ValidationFailed located at `field`."""
    chosen = parse_id(form.get(field, ""))
    if chosen is None:
        raise ValidationFailed(CHOOSE, [ErrorItem(("form", field), CHOOSE)])
    return chosen


def form_ids(values: Iterable[object], field: str) -> list[int]:
    """The ids ticked in a form's boxes of one name, each checked as `form_id` checks one."""
    chosen = [parse_id(value) for value in values]
    if any(number is None for number in chosen):
        raise ValidationFailed(CHOOSE, [ErrorItem(("form", field), CHOOSE)])
    return [number for number in chosen if number is not None]


def plain(value: Decimal | float | None) -> str:
    """A number for an input field: 1500.5, no grouping."""
    return "" if value is None else f"{Decimal(str(value)).normalize():f}"


def form_version(form: Mapping[str, str]) -> int | None:
    """The version of the record an edit form was rendered with (its hidden `version`
    field); None for a post without one, which is saved unchecked as the API does."""
    value = form.get("version")
    if value is None:
        return None
    version = parse_id(value)
    if version is None:
        raise ValidationFailed(OUTDATED, [ErrorItem(("form", "version"), OUTDATED)])
    return version


Conflicts = dict[str, tuple[str, str]]


def conflicts(
    exc: StaleWrite,
    typed: Mapping[str, Any],
    stored: Mapping[str, Any],
    lang: str,
    choices: Mapping[str, Mapping[str, str]] | None = None,
) -> Conflicts:
    """Field → (what the user typed, what is saved now) for each field of the form changed
    since the version it was rendered with, chosen values shown by their labels in `lang`."""

    def shown(field: str, value: Any) -> str:
        if isinstance(value, list | tuple):
            return ", ".join(shown(field, v) for v in value) or "—"
        label = (choices or {}).get(field, {}).get(str(value))
        return translate(lang, label) if label else str(value) if value not in ("", None) else "—"

    return {
        field: (shown(field, typed.get(field, "")), shown(field, stored.get(field, "")))
        for field in exc.fields
        if field in stored
    }
