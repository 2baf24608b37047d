"""Plans pulled from goszakup, on a coordinator's page: the form that starts a sync as a
background job (`jobs.kinds.goszakup_sync`, the CLI's `seriktes goszakup sync`), its
progress, and where every sync stands."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from seriktes.accounts.models import Role, User
from seriktes.catalog.goszakup_sync.sync import check_target, sync_states, target_oblast
from seriktes.catalog.policy import check_goszakup_sync
from seriktes.http.auth import RequiredUser, verify_csrf
from seriktes.http.deps import DbSession, Language
from seriktes.jobs import kinds as job_kinds
from seriktes.jobs import service as job_service
from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import Forbidden, ValidationFailed
from seriktes.kit.i18n import N_
from seriktes.kit.values import is_digits
from seriktes.registry.kato import oblast_of
from seriktes.registry.names import ordered_regions
from seriktes.registry.repository import organisations_by_bin, top_level_regions
from seriktes.web.forms import Form
from seriktes.web.templating import render

router = APIRouter(include_in_schema=False)


def _check_page(user: User) -> None:
    """Administrators and coordinators with a region open the page."""
    if not (user.role is Role.ADMIN or (user.role is Role.COORDINATOR and user.region)):
        raise Forbidden(N_("only administrators and coordinators pull plans from goszakup"))


@router.get("/goszakup", response_class=HTMLResponse, name="goszakup")
def goszakup_page(
    request: Request,
    session: DbSession,
    lang: Language,
    user: RequiredUser,
    job: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    """The sync form, the job it started and every sync's state."""
    _check_page(user)
    sync_job = job_service.get_job(session, user, job) if job is not None else None
    if sync_job is not None and sync_job.kind != job_kinds.GOSZAKUP:
        sync_job = None
    regions = top_level_regions(session)
    states = sync_states(session)
    bins = [
        state.target.removeprefix("bin:") for state in states if state.target.startswith("bin:")
    ]
    buyers = organisations_by_bin(session, bins)
    names = {
        f"bin:{b}": (org.name_kk if lang == "kk" and org.name_kk else org.name_ru)
        for b, org in buyers.items()
    }
    names |= {f"region:{region.kato}": region.name(lang) for region in regions}
    own = user.region.kato if user.region is not None else None
    return render(
        request,
        lang,
        "goszakup.html",
        regions=[(r.kato, r.name(lang)) for r in ordered_regions(regions, lang)],
        own_region=oblast_of(own) + "0000000" if own else None,
        states=states,
        names=names,
        sync_job=sync_job,
    )


@router.post("/goszakup/sync", dependencies=[Depends(verify_csrf)])
def start_sync(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, form: Form
) -> RedirectResponse:
    """Start a sync of a buyer (BIN) or a region as a job; back to the page, which follows it."""
    _check_page(user)
    bin_value = form.get("bin", "").strip() or None
    region = form.get("region", "").strip() or None
    year_text = form.get("year", "").strip()
    if year_text and not (is_digits(year_text) and len(year_text) == 4):
        raise ValidationFailed(N_("%(year)s is not a plan year"), params={"year": year_text[:10]})
    year = int(year_text) if year_text else None
    if bin_value and region:  # the form's region is a default: a BIN typed in wins
        region = None
    target = check_target(session, bin_value, region, year)
    check_goszakup_sync(user, target_oblast(session, target))
    full = form.get("full") == "true"
    job = request.app.state.jobs.submit(
        session,
        user,
        job_kinds.GOSZAKUP,
        params={"bin": target.bin, "region": target.region, "year": year, "full": full},
        language=lang,
        scope=f"{target.key}:{year or 0}",
    )
    return RedirectResponse(f"/goszakup?job={job.id}", status_code=303)
