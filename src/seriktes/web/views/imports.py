"""Import upload: preview, row errors, confirm (HTML pages and JSON API)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
api_router = APIRouter(prefix="/api/v1", tags=["imports"])
