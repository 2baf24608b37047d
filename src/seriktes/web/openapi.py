"""The OpenAPI document as the application answers: one error shape, declared security.

FastAPI describes a failed validation (422) with its own `HTTPValidationError` (a `detail`
array), while the application answers every error as `ErrorOut` ({"error", "detail",
"errors": [{"loc", "msg"}]}): every 4xx answer is described with `ErrorOut` here. Routes
that need a signed-in user declare the two ways to be one (a bearer API token or the
session cookie); routes that read more for a signed-in user declare them as optional.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from seriktes.http.auth import current_user, require_user
from seriktes.http.schemas import ErrorOut

SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "An API token"},
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "seriktes_session",
        "description": "The session cookie of a signed-in browser (writes need the CSRF header)",
    },
}
SIGNED_IN: list[dict[str, list[str]]] = [{"bearer": []}, {"session": []}]
ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
FASTAPI_ERRORS = ("HTTPValidationError", "ValidationError")


def install(app: FastAPI, routers: list[APIRouter]) -> None:
    """Make `app.openapi` build (once) the document described above; `routers` are those
    the application includes (their routes tell which need a user)."""
    app.openapi = _builder(app, routers)  # type: ignore[method-assign]


def _builder(app: FastAPI, routers: list[APIRouter]) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title, version=app.version, routes=app.routes, description=app.description
            )
            _error_shape(document)
            _security(document, routers)
            app.openapi_schema = document
        return app.openapi_schema

    return openapi


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            yield path, method, operation


def _error_shape(document: dict[str, Any]) -> None:
    """Every 4xx answer in the application's error shape; FastAPI's own models removed."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in (
        ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        .pop("$defs", {})
        .items()
    ):
        schemas.setdefault(name, schema)
    schemas.setdefault(
        "ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    )
    for _path, _method, operation in _operations(document):
        for code, answer in operation.get("responses", {}).items():
            if code.startswith("4"):
                answer["content"] = {"application/json": {"schema": ERROR_REF}}
    for name in FASTAPI_ERRORS:
        schemas.pop(name, None)


def _security(document: dict[str, Any], routers: list[APIRouter]) -> None:
    """Security schemes, required on routes that need a user, optional where a user only
    changes what is read."""
    document.setdefault("components", {})["securitySchemes"] = SCHEMES
    needs: dict[tuple[str, str], list[dict[str, list[str]]]] = {}
    for route in (r for router in routers for r in router.routes):
        if not isinstance(route, APIRoute):
            continue
        calls = set(_calls(route.dependant))
        if require_user in calls:
            security = SIGNED_IN
        elif current_user in calls:
            security = [{}, *SIGNED_IN]
        else:
            continue
        for method in route.methods or ():
            needs[route.path_format, method.lower()] = security
    for path, method, operation in _operations(document):
        if (path, method) in needs:
            operation["security"] = needs[path, method]


def _calls(dependant: Dependant) -> Iterator[object]:
    """Every dependency callable of a route, nested ones included."""
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)
