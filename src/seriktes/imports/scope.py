"""Which rows of a file a user may import through the web: a row outside the user's scope
is a located error like any other, so it refuses the whole file unless the user imports the
valid rows only. Administrators import every row; registers of producers are scoped by
`catalog.producers.scope`."""

from __future__ import annotations

from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.accounts.policy import can_create_for, can_edit_organisation, is_admin
from seriktes.catalog.importer import LineKind
from seriktes.kit.errors import Params
from seriktes.kit.i18n import N_
from seriktes.kit.importing import ParsedRows
from seriktes.registry.kato import oblast_of
from seriktes.registry.models import Region
from seriktes.registry.repository import organisations_by_bin
from seriktes.registry.service import guess_region_kato


def _same_oblast(region: Region | None, user: User) -> bool:
    return (
        region is not None
        and user.region is not None
        and oblast_of(region.kato) == oblast_of(user.region.kato)
    )


def _out_of_scope(user: User, bin_value: str) -> tuple[str, Params]:
    if user.role is Role.MEMBER and user.organisation is not None:
        only = N_("you may import only the rows of your organisation (BIN %(bin)s)")
        return only, {"bin": user.organisation.bin}
    region = user.region.name_ru if user.region else "?"
    elsewhere = N_("the organisation with BIN %(bin)s is not in your region (%(region)s)")
    return elsewhere, {"bin": bin_value, "region": region}


def check_line_scope(session: Session, user: User, kind: LineKind, parsed: ParsedRows) -> None:
    """Flag rows whose buyer or producer the user may not add lines for."""
    if is_admin(user):
        return
    bin_field, name_field = f"{kind.party}_bin", f"{kind.party}_name"
    known = organisations_by_bin(
        session, {str(v[bin_field]) for _r, v in parsed.rows if v.get(bin_field)}
    )
    for row_no, values in parsed.rows:
        bin_value = values.get(bin_field)
        if not bin_value:
            continue
        org = known.get(str(bin_value))
        if org is not None:
            allowed = can_create_for(user, org)
        else:  # a new party: only a coordinator, and only when its name places it in the region
            kato = guess_region_kato(str(values.get(name_field) or ""))
            allowed = user.role is Role.COORDINATOR and _kato_in_region(kato, user)
        if not allowed:
            parsed.error(row_no, bin_field, *_out_of_scope(user, str(bin_value)))


def _kato_in_region(kato: str | None, user: User) -> bool:
    return (
        bool(kato)
        and user.region is not None
        and oblast_of(str(kato)) == oblast_of(user.region.kato)
    )


def check_organisation_scope(session: Session, user: User, parsed: ParsedRows) -> None:
    """Coordinators import organisations of their region only (existing and new)."""
    if is_admin(user):
        return
    known = organisations_by_bin(session, {str(v["bin"]) for _r, v in parsed.rows if v.get("bin")})
    for row_no, values in parsed.rows:
        bin_value = values.get("bin")
        if not bin_value:
            continue
        org = known.get(str(bin_value))
        region = values.get("region")
        if org is not None and not can_edit_organisation(user, org):
            parsed.error(row_no, "bin", *_out_of_scope(user, str(bin_value)))
        elif (org is None or region is not None) and not _same_oblast(
            region if isinstance(region, Region) else None, user
        ):
            name = user.region.name_ru if user.region else "?"
            parsed.error(
                row_no,
                "region",
                N_("you may import organisations of %(name)s only"),
                {"name": name},
            )
