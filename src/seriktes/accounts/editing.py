"""Changing an organisation's profile, with the access rules applied."""

from __future__ import annotations

from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.accounts.policy import can_edit_organisation
from seriktes.kit import versions
from seriktes.kit.db import get_by_id
from seriktes.kit.errors import Forbidden, NotFound
from seriktes.kit.i18n import N_
from seriktes.registry.models import Organisation
from seriktes.registry.schemas import OrganisationChanges

ALIASES = {"region_id": "region"}  # columns by the names clients read them under


def update_organisation(
    session: Session,
    user: User | None,
    org_id: int,
    changes: OrganisationChanges,
    version: int | None = None,
) -> Organisation:
    """Change the profile fields sent in `changes` (an empty text clears a field). With
    `version` (the one the client read), a profile changed since is refused (`StaleWrite`)."""
    org = get_by_id(session, Organisation, org_id)
    if org is None:
        raise NotFound(N_("no organisation with id %(org_id)s"), params={"org_id": org_id})
    if not can_edit_organisation(user, org):
        raise Forbidden(N_("you may not change this organisation"))
    versions.check(org, version, N_("organisation"), ALIASES)
    values = changes.model_dump(exclude_unset=True)
    versions.assign(org, {field: _stored(field, value) for field, value in values.items()})
    versions.flush(session, "organisation")
    return org


def _stored(field: str, value: object) -> object:
    """Empty texts are stored as NULL; OKED codes without dots, as the importer stores them."""
    if not isinstance(value, str):
        return value
    return (value.replace(".", "") if field == "oked" else value) or None
