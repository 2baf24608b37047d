"""HTML page that changes an organisation's profile (its members, its region's coordinators,
administrators), with the version it was rendered with: a profile changed meanwhile is shown
again with both values instead of being overwritten."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from seriktes.accounts.editing import update_organisation
from seriktes.accounts.policy import can_edit_organisation
from seriktes.catalog.queries import get_organisation
from seriktes.http.auth import RequiredUser, verify_csrf
from seriktes.http.deps import DbSession, Language
from seriktes.kit.errors import Forbidden, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.versions import StaleWrite
from seriktes.registry.models import Organisation
from seriktes.registry.schemas import OrganisationChanges
from seriktes.web.forms import (
    STALE,
    Conflicts,
    Form,
    conflicts,
    form_errors,
    form_version,
)
from seriktes.web.listing import SIZES
from seriktes.web.views.pages import show

router = APIRouter()
PROFILE_FIELDS = (
    "name_kk",
    "address",
    "contact_person",
    "phone",
    "email",
    "website",
    "oked",
    "size_class",
)


def profile_values(org: Organisation) -> dict[str, str]:
    """An organisation's profile as the form shows it."""
    values = {name: str(getattr(org, name) or "") for name in PROFILE_FIELDS}
    values["size_class"] = org.size_class.value if org.size_class else ""
    return values


def _editable(session: DbSession, user: RequiredUser, org_id: int) -> Organisation:
    org = get_organisation(session, org_id)
    if not can_edit_organisation(user, org):
        raise Forbidden(N_("you may not change this organisation"))
    return org


def _form(
    request: Request,
    lang: str,
    org: Organisation,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    stale: Conflicts | None = None,
) -> HTMLResponse:
    status = 409 if stale is not None else 422 if errors else 200
    return show(
        request,
        lang,
        "organisations_form.html",
        status,
        org=org,
        values=values,
        errors=errors,
        conflicts=stale or {},
    )


@router.get("/organisations/{org_id}/edit", response_class=HTMLResponse)
def organisation_edit(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, org_id: int
) -> HTMLResponse:
    """The form of an organisation's profile."""
    org = _editable(session, user, org_id)
    return _form(request, lang, org, {**profile_values(org), "version": str(org.version)}, {})


@router.post(
    "/organisations/{org_id}/edit", response_model=None, dependencies=[Depends(verify_csrf)]
)
def organisation_save(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    org_id: int,
    form: Form,
) -> HTMLResponse | RedirectResponse:
    """Save the profile; show the form again with the errors, or with what was saved
    meanwhile when the profile changed since the form was rendered (409)."""
    org = _editable(session, user, org_id)
    data = {name: (form.get(name) or "").strip() or None for name in PROFILE_FIELDS}
    try:
        changes = OrganisationChanges.model_validate(data)
        update_organisation(session, user, org_id, changes, form_version(form))
    except StaleWrite as exc:
        stale = conflicts(exc, form, profile_values(org), lang, {"size_class": SIZES})
        return _form(request, lang, org, {**form, "version": str(exc.version)}, {"": STALE}, stale)
    except (ValidationError, ValidationFailed) as exc:
        return _form(request, lang, org, form, form_errors(exc))
    return RedirectResponse(f"/organisations/{org_id}", status_code=303)
