"""Who may import what through the web, and who may see an upload.

- organisations: administrators, and coordinators for organisations of their region;
- needs and offers: administrators, coordinators for organisations of their region,
  members for their own organisation only;
- registers of producers: administrators, and coordinators for producers of their region;
- an upload is seen, previewed, confirmed or discarded by the user who uploaded it, and by
  administrators.

Which rows of a file a user may import is `imports.scope`; a row outside it is a located
error like any other.
"""

from __future__ import annotations

from seriktes.accounts.models import Role, User
from seriktes.accounts.policy import is_admin
from seriktes.imports.kinds import UPLOAD_KINDS
from seriktes.imports.models import ImportUpload
from seriktes.kit.errors import Forbidden, Message, ValidationFailed
from seriktes.kit.i18n import N_


def may_import_registers(user: User) -> bool:
    """Administrators and coordinators with a region import registers of producers."""
    if not user.is_active:
        return False
    return user.role is Role.ADMIN or (user.role is Role.COORDINATOR and user.region_id is not None)


def may_import(user: User, kind: str) -> bool:
    """May `user` import files of `kind` at all (row scope is checked per row)?"""
    if not user.is_active or kind not in UPLOAD_KINDS:
        return False
    if kind == "producers":
        return may_import_registers(user)
    if user.role is Role.ADMIN:
        return True
    if user.role is Role.COORDINATOR:
        return user.region_id is not None
    return kind != "orgs" and user.organisation_id is not None


def importable_kinds(user: User) -> list[str]:
    """The kinds of file `user` may import, in form order."""
    return [kind for kind in UPLOAD_KINDS if may_import(user, kind)]


def check_may_import(user: User, kind: str) -> None:
    """Refuse an unknown kind (422) or one the user may not import (403)."""
    if kind not in UPLOAD_KINDS:
        raise ValidationFailed(
            N_("unknown import kind %(kind)s; use orgs, needs, offers or producers"),
            params={"kind": repr(kind)},
        )
    if not may_import(user, kind):
        if kind in ("orgs", "producers"):
            what = Message(N_("organisations") if kind == "orgs" else N_("registers of producers"))
            raise Forbidden(
                N_("only administrators and regional coordinators import %(what)s"),
                params={"what": what},
            )
        raise Forbidden(N_("your account may not import needs or offers"))


def may_see_upload(user: User, upload: ImportUpload) -> bool:
    """The uploader and administrators see, preview, confirm and discard an upload."""
    return upload.user_id == user.id or is_admin(user)
