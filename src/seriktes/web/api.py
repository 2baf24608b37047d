"""JSON API of the platform as a whole (/api/v1)."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from seriktes.analytics.stats import table_counts
from seriktes.http.auth import RequiredUser
from seriktes.http.deps import DbSession

router = APIRouter(prefix="/api/v1", tags=["platform"])


class Me(BaseModel):
    """The user behind the request."""

    id: int
    email: str
    full_name: str
    role: str
    region_id: int | None
    organisation_id: int | None


@router.get("/stats")
def stats(session: DbSession) -> dict[str, int]:
    """Counts of every main table."""
    return table_counts(session)


@router.get("/me")
def me(user: RequiredUser) -> Me:
    """Who am I (for API token holders and logged-in browsers)."""
    return Me(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        role=user.role.value,
        region_id=user.region_id,
        organisation_id=user.organisation_id,
    )
