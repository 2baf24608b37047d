"""Which rows of a register a user may import through the web (who may import registers
at all is `imports.policy`).

Administrators import any register. A regional coordinator imports the rows of the
producers of their region: an existing producer they may edit, or a new one whose region
(from its KATO code or address) is theirs. Any other row is a located error like any other.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import User
from seriktes.accounts.policy import can_edit_organisation, is_admin
from seriktes.catalog.producers import ParsedRegister
from seriktes.catalog.producers.writer import stored_organisations
from seriktes.kit.i18n import N_
from seriktes.kit.importing import CellError
from seriktes.registry.kato import oblast_of
from seriktes.registry.models import Region


def check_scope(session: Session, user: User, checked: ParsedRegister) -> None:
    """Flag the rows of producers outside the coordinator's region."""
    if is_admin(user):
        return
    known = stored_organisations(session, {line.org_key for line in checked.lines})
    region_ids = {line.org["region_id"] for line in checked.lines} - {None}
    stmt = select(Region.id, Region.kato).where(Region.id.in_(region_ids))
    katos: dict[int, str] = {row.id: row.kato for row in session.execute(stmt)}
    mine = oblast_of(user.region.kato) if user.region is not None else None
    header = checked.parsed.header
    where = next((f for f in ("bin", "name", "producer") if f in header), "name")
    for line in checked.lines:
        org = known.get(line.org_key)
        if org is not None:
            allowed = can_edit_organisation(user, org)
        else:
            kato = katos.get(line.org["region_id"])
            allowed = mine is not None and kato is not None and oblast_of(kato) == mine
        if not allowed:
            name = user.region.name_ru if user.region else "?"
            checked.parsed.error(
                line.row,
                where,
                CellError(
                    N_("the producer %(producer)s is not in your region (%(region)s)"),
                    params={"producer": line.org["name_ru"], "region": name},
                ),
            )
