"""The query and path parameters, headers and error answers that every domain's JSON routes
share: writes that need a user and a CSRF token, paging, sorting, versions (ETag and
If-Match) and the OpenAPI description of error answers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Query, Response

from seriktes.http.auth import require_user, verify_csrf
from seriktes.http.schemas import ErrorOut
from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import ErrorItem, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import MAX_PER_PAGE

# Authentication first, so the public gets 401 rather than the CSRF refusal.
WRITE = [Depends(require_user), Depends(verify_csrf)]
Text = Query(max_length=200, pattern=r"^[^\x00]*$", description="Words to look for")
KatoQuery = Query(pattern=r"^[0-9]{2,9}$", description="KATO code of the top-level region")
PageNo = Query(ge=1, le=100_000)
PerPage = Query(ge=1, le=MAX_PER_PAGE)
OrgId = Annotated[int, Path(ge=1, le=MAX_ID, description="Organisation id")]
KatoPath = Annotated[str, Path(pattern=r"^[0-9]{2,9}$", description="KATO code, e.g. 63")]
_ERRORS = {
    401: "Not logged in and no API token",
    403: "Not allowed (or no CSRF token in a browser session)",
    404: "Not found or not visible to you",
    409: "Conflicts with stored data",
    422: "Invalid request",
}


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        max_length=40,
        description='The ETag of the version you read (e.g. "3"): a record changed since is '
        "a 409 naming the fields changed meanwhile; without it the change is made anyway",
    ),
]
_TAG = re.compile(r'^(?:W/)?"?([0-9]{1,9})"?$')


def expected_version(if_match: str | None) -> int | None:
    """The version an If-Match header names (None without one, or for `*`); a header that
    names no version is a 422 located at it."""
    if if_match is None or if_match.strip() == "*":
        return None
    found = _TAG.match(if_match.strip())
    if found is None:
        message = N_('If-Match must be the ETag of a version, e.g. "3"')
        raise ValidationFailed(message, [ErrorItem(("header", "If-Match"), message)])
    return int(found.group(1))


def tagged(response: Response, version: int) -> None:
    """Give an answer the ETag of the version it shows (a client sends it back in If-Match)."""
    response.headers["ETag"] = f'"{version}"'


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI descriptions of the error answers a route may give."""
    return {code: {"model": ErrorOut, "description": _ERRORS[code]} for code in codes}


def sort_query(keys: Iterable[str], default: str) -> Any:
    """A `sort` query parameter accepting `keys` ("-" first for descending)."""
    names = "|".join(sorted(keys))
    return Query(pattern=f"^-?({names})$", description=f"{names}; '-' descends; {default}")
