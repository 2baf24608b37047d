"""What the needs and offers pages share: counts of matches, who may add lines for whom,
and the pages that change or delete one line (a need or an offer)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError
from sqlalchemy.orm import Session

from seriktes.accounts.models import Role, User
from seriktes.accounts.policy import can_create_for, can_edit_organisation
from seriktes.catalog.models import Need, Offer
from seriktes.catalog.policy import visible_offers
from seriktes.catalog.queries import OrganisationFilters, list_organisations
from seriktes.http.auth import RequiredUser, verify_csrf
from seriktes.http.deps import DbSession, Language
from seriktes.kit.errors import Forbidden, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.pagination import MAX_PER_PAGE, PageRequest
from seriktes.kit.versions import StaleWrite
from seriktes.matches import repository as matches_repository
from seriktes.registry.models import Organisation
from seriktes.web.forms import STALE, Conflicts, Form, conflicts, form_errors, form_version
from seriktes.web.views.pages import show

L = TypeVar("L", Need, Offer)


class FormPage(Protocol):
    """Renders the form of a line: its values, errors and conflicts with a newer version."""

    def __call__(
        self,
        request: Request,
        session: Session,
        lang: str,
        user: User,
        line: Any,
        values: Mapping[str, str],
        errors: Mapping[str, str],
        conflicts: Conflicts | None = None,
        /,
    ) -> HTMLResponse: ...


def match_counts(
    session: Session, user: User | None, column: Any, ids: Sequence[int], weak: bool = False
) -> dict[int, int]:
    """How many strong or possible stored matches (with offers `user` may read) each need or
    offer has; with `weak`, weak ones count too."""
    return matches_repository.match_counts(session, column, ids, visible_offers(user), weak)


def acting_for(session: Session, user: User) -> list[Organisation]:
    """The organisations `user` may add needs and offers for (at most 1,000)."""
    if user.role is Role.MEMBER:
        org = user.organisation
        return [org] if org is not None and can_create_for(user, org) else []
    if user.role is Role.COORDINATOR and user.region is None:
        return []
    region = user.region.kato if user.role is Role.COORDINATOR and user.region else None
    found: list[Organisation] = []
    for number in range(1, 6):
        page = list_organisations(
            session, OrganisationFilters(region=region), PageRequest(number, MAX_PER_PAGE)
        )
        found.extend(org for org in page.items if can_create_for(user, org))
        if number >= page.pages:
            break
    return found


@dataclass(frozen=True)
class LineKind(Generic[L]):
    """How the shared pages handle one kind of line (a need or an offer)."""

    name: str  # "need" or "offer": the template variable and the path's singular
    get: Callable[[Session, User | None, int], L]
    owner: Callable[[L], Organisation]
    update: Callable[[Session, User | None, int, dict[str, Any], int | None], L]
    delete: Callable[[Session, User | None, int], None]
    data: Callable[[Mapping[str, str]], dict[str, Any]]  # form fields → service fields
    values: Callable[[L], dict[str, str]]  # stored line → form fields
    form: FormPage
    choices: Callable[[Session, str], Mapping[str, Mapping[str, str]]]  # chosen values' labels
    match_column: Any  # Match.need_id or Match.offer_id

    @property
    def path(self) -> str:
        """The pages' path: /needs or /offers."""
        return f"/{self.name}s"

    def editable(self, session: Session, user: User, line_id: int) -> L:
        """The line, when `user` may change it (403 otherwise, 404 when it is not there)."""
        line = self.get(session, user, line_id)
        if not can_edit_organisation(user, self.owner(line)):
            raise Forbidden(N_("you may not change this %(name)s"), params={"name": self.name})
        return line


def add_change_pages(router: APIRouter, kind: LineKind[Any]) -> None:
    """Add the pages that change and delete a line of `kind` to `router`."""
    base, name = kind.path, kind.name

    @router.get(f"{base}/{{line_id}}/edit", response_class=HTMLResponse, name=f"{name}_edit")
    def edit(
        request: Request, session: DbSession, lang: Language, user: RequiredUser, line_id: int
    ) -> HTMLResponse:
        """The form of an existing line."""
        line = kind.editable(session, user, line_id)
        values = {**kind.values(line), "version": str(line.version)}
        return kind.form(request, session, lang, user, line, values, {})

    @router.post(
        f"{base}/{{line_id}}/edit",
        response_model=None,
        dependencies=[Depends(verify_csrf)],
        name=f"{name}_save",
    )
    def save(
        request: Request,
        session: DbSession,
        lang: Language,
        user: RequiredUser,
        line_id: int,
        form: Form,
    ) -> HTMLResponse | RedirectResponse:
        """Save the changes of a line; show the form again with the errors, or with what
        was saved meanwhile when the line changed since the form was rendered (409)."""
        line = kind.editable(session, user, line_id)
        try:
            kind.update(session, user, line_id, kind.data(form), form_version(form))
        except StaleWrite as exc:
            stale = conflicts(exc, form, kind.values(line), lang, kind.choices(session, lang))
            again = {**form, "version": str(exc.version)}
            page = kind.form(request, session, lang, user, line, again, {"": STALE}, stale)
            page.status_code = 409
            return page
        except (ValidationError, ValidationFailed) as exc:
            return kind.form(request, session, lang, user, line, form, form_errors(exc))
        return RedirectResponse(f"{base}/{line_id}?saved=1", status_code=303)

    @router.get(f"{base}/{{line_id}}/delete", response_class=HTMLResponse, name=f"{name}_drop")
    def delete_confirm(
        request: Request, session: DbSession, lang: Language, user: RequiredUser, line_id: int
    ) -> HTMLResponse:
        """Ask before deleting a line."""
        line = kind.editable(session, user, line_id)
        count = match_counts(session, user, kind.match_column, [line.id], weak=True).get(line.id, 0)
        context = {name: line, "match_count": count}
        return show(request, lang, f"{name}s_delete.html", **context)

    @router.post(
        f"{base}/{{line_id}}/delete",
        dependencies=[Depends(verify_csrf)],
        name=f"{name}_delete",
    )
    def delete(session: DbSession, user: RequiredUser, line_id: int) -> RedirectResponse:
        """Delete a line and its matches."""
        kind.delete(session, user, line_id)
        return RedirectResponse(f"{base}?deleted=1", status_code=303)
