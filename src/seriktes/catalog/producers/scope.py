"""Who may import which rows of a register through the web.

Administrators import any register. A regional coordinator imports the rows of the
producers of their region: an existing producer they may edit, or a new one whose region
(from its KATO code or address) is theirs. Any other row is a located error like any other.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.accounts.policy import can_edit_organisation, is_admin
from seriktes.catalog.producers import (
    Classify,
    ParsedRegister,
    ProducerReport,
    parse_producers,
    write_producers,
)
from seriktes.catalog.producers.writer import stored_organisations
from seriktes.kit.i18n import N_
from seriktes.kit.importing import CellError
from seriktes.registry.models import Region


def may_import_registers(user: User) -> bool:
    """Administrators and coordinators with a region import registers of producers."""
    if not user.is_active:
        return False
    return user.role is Role.ADMIN or (user.role is Role.COORDINATOR and user.region_id is not None)


def import_register(
    session: Session,
    user: User,
    path: Path,
    skip_invalid: bool,
    classify: Classify | None,
) -> tuple[ParsedRegister, ProducerReport]:
    """Check the register and the user's scope row by row, then write it."""
    checked = parse_producers(session, path)
    check_scope(session, user, checked)
    report = write_producers(session, checked, skip_invalid=skip_invalid, classify=classify)
    return checked, report


def check_scope(session: Session, user: User, checked: ParsedRegister) -> None:
    """Flag the rows of producers outside the coordinator's region."""
    if is_admin(user):
        return
    known = stored_organisations(session, {line.org_key for line in checked.lines})
    region_ids = {line.org["region_id"] for line in checked.lines} - {None}
    stmt = select(Region.id, Region.kato).where(Region.id.in_(region_ids))
    katos: dict[int, str] = {row.id: row.kato for row in session.execute(stmt)}
    mine = user.region.kato[:2] if user.region is not None else None
    header = checked.parsed.header
    where = next((f for f in ("bin", "name", "producer") if f in header), "name")
    for line in checked.lines:
        org = known.get(line.org_key)
        if org is not None:
            allowed = can_edit_organisation(user, org)
        else:
            kato = katos.get(line.org["region_id"])
            allowed = mine is not None and kato is not None and kato[:2] == mine
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
