"""Demo logins, one per role, so that a new user can try every part of the UI."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.accounts.service import create_user
from seriktes.catalog.models import Need, Offer
from seriktes.registry.models import Organisation, Region

DEMO_PASSWORD = "demo-seriktes-2026"  # demo data only; documented in the README


def _busiest(session: Session, owner: object, kato: str) -> Organisation | None:
    """The organisation of region `kato` with the most needs (or offers)."""
    stmt = (
        select(Organisation)
        .join(Organisation.region)
        .join(owner)  # type: ignore[arg-type]
        .where(Region.kato == kato)
        .group_by(Organisation.id)
        .order_by(func.count().desc(), Organisation.id)
        .limit(1)
    )
    return session.scalars(stmt).first()


def create_demo_users(session: Session) -> list[tuple[str, str]]:
    """Create the demo users (skipping existing ones); return (e-mail, what they may do)."""
    buyer = _busiest(session, Need, "630000000")
    producer = _busiest(session, Offer, "590000000")
    plan: list[tuple[str, str, Role, str | None, str | None, str]] = [
        ("admin@seriktes.demo", "Администратор Демо", Role.ADMIN, None, None, "administrator"),
        (
            "vko@seriktes.demo",
            "Координатор ВКО",
            Role.COORDINATOR,
            "630000000",
            None,
            "coordinator of East Kazakhstan",
        ),
        (
            "sko@seriktes.demo",
            "Координатор СКО",
            Role.COORDINATOR,
            "590000000",
            None,
            "coordinator of North Kazakhstan",
        ),
    ]
    if buyer is not None:
        plan.append(
            (
                "buyer@seriktes.demo",
                "Закупщик Демо",
                Role.MEMBER,
                None,
                buyer.bin,
                f"member of {buyer.name_ru}",
            )
        )
    if producer is not None:
        plan.append(
            (
                "producer@seriktes.demo",
                "Производитель Демо",
                Role.MEMBER,
                None,
                producer.bin,
                f"member of {producer.name_ru}",
            )
        )
    created = []
    for email, name, role, kato, org_bin, scope in plan:
        if session.scalar(select(User.id).where(User.email == email)) is None:
            create_user(session, email, DEMO_PASSWORD, name, role, kato, org_bin)
        created.append((email, scope))
    return created
