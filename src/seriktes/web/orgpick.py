"""An organisation chosen on a form through the picker (`templates/_org_picker.html`): the
id the autocomplete (`static/autocomplete.js`) or a choice put in `<id field>`, else the
text typed in the field — a BIN, or words whose matches the form shows again to choose from
(so the picker works without JavaScript)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from seriktes.catalog.orgsearch import Found, find_organisations
from seriktes.kit.errors import ErrorItem, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.values import parse_id
from seriktes.registry.kato import oblast_of
from seriktes.registry.models import Organisation
from seriktes.registry.repository import organisations_by_ids

CHOICES = 10
TYPE_ONE = N_("Type a name, a BIN or a product, then choose the organisation.")
CHOOSE_FOUND = N_("Several organisations match: choose one.")
NONE_FOUND = N_("No organisation matches; check the name or the BIN.")
NOT_HERE = N_("This organisation is of neither region of the event.")


@dataclass
class Picked:
    """What a picker field gave: the organisation, or the matches to choose from (shown again
    with the form) and why none was taken."""

    organisation: Organisation | None = None
    choices: list[Found] = field(default_factory=list)
    error: str | None = None

    def required(self, name: str) -> Organisation:
        """The organisation; else a ValidationFailed located at the field `name`."""
        if self.organisation is None:
            error = self.error or TYPE_ONE
            raise ValidationFailed(error, [ErrorItem(("form", name), error)])
        return self.organisation


def pick(
    session: Session,
    form: Mapping[str, str],
    name: str,
    id_name: str | None = None,
    regions: Sequence[str] = (),
) -> Picked:
    """The organisation of the picker field `name` (its chosen id in `id_name`, by default
    `<name>_id`), of the top-level regions `regions` (KATO codes) when given."""
    oblasts = [oblast_of(kato) for kato in regions]
    chosen = form.get(id_name or f"{name}_id", "").strip()
    if chosen:
        org_id = parse_id(chosen)
        org = organisations_by_ids(session, [org_id]).get(org_id) if org_id else None
        if org is not None and (not oblasts or _in(org, oblasts)):
            return Picked(org)
        return Picked(error=NOT_HERE if org is not None else TYPE_ONE)
    typed = form.get(name, "").strip()
    if not typed:
        return Picked(error=TYPE_ONE)
    found = find_organisations(session, typed, CHOICES, oblasts)
    exact = [f for f in found if f.organisation.bin == typed]
    if exact or len(found) == 1:
        return Picked((exact or found)[0].organisation)
    if not found:
        return Picked(error=NOT_HERE if oblasts and _anywhere(session, typed) else NONE_FOUND)
    return Picked(choices=found, error=CHOOSE_FOUND)


def _in(org: Organisation, oblasts: Sequence[str]) -> bool:
    return org.region is not None and oblast_of(org.region.kato) in oblasts


def _anywhere(session: Session, typed: str) -> bool:
    return bool(find_organisations(session, typed, 1))
