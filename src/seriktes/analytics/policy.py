"""Who may read the analytics: administrators and regional coordinators.

The figures sum deals between organisations and name large buyers, so they are for the
people who run the cooperation (DESIGN: coordinators' analytics and reports), not public.
"""

from __future__ import annotations

from seriktes.accounts.models import Role, User
from seriktes.kit.errors import Forbidden
from seriktes.kit.i18n import N_


def can_read_analytics(user: User | None) -> bool:
    """True for active administrators and regional coordinators."""
    return user is not None and user.is_active and user.role in (Role.ADMIN, Role.COORDINATOR)


def check_analytics_reader(user: User) -> None:
    """Refuse a logged-in user who may not read the analytics."""
    if not can_read_analytics(user):
        raise Forbidden(N_("the analytics are for regional coordinators and administrators"))
