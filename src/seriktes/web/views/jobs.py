"""Jobs pages: a user's jobs (every job for administrators), cancelling one, its file."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from seriktes.http.auth import RequiredUser, verify_csrf
from seriktes.http.deps import DbSession, Language
from seriktes.jobs import kinds, policy, service
from seriktes.jobs.api import file_response
from seriktes.kit.errors import Conflict, Forbidden, NotFound
from seriktes.kit.i18n import N_
from seriktes.web.flash import flash, flash_error
from seriktes.web.forms import Form
from seriktes.web.templating import render

router = APIRouter()
CSRF = [Depends(verify_csrf)]


@router.get("/jobs", response_class=HTMLResponse, name="jobs")
def jobs_page(
    request: Request, session: DbSession, lang: Language, user: RequiredUser
) -> HTMLResponse:
    """The latest jobs: the user's own, every user's for administrators."""
    jobs = service.jobs_of(session, user)
    return render(
        request,
        lang,
        "jobs_list.html",
        jobs=jobs,
        all_users=policy.sees_all(user),
        platform=policy.can_run_platform_jobs(user),
    )


PLATFORM_JOBS = {"matching": (kinds.MATCHING, "needs"), "index": (kinds.INDEX, "index")}


@router.post("/jobs/platform/{which}", dependencies=CSRF)
def platform_job(
    request: Request, session: DbSession, lang: Language, user: RequiredUser, which: str
) -> RedirectResponse:
    """Match every open need again, or build the matching index (administrators)."""
    if which not in PLATFORM_JOBS:
        raise NotFound(N_("no such job"))
    if not policy.can_run_platform_jobs(user):
        raise Forbidden(N_("only administrators run this job"))
    kind, object_type = PLATFORM_JOBS[which]
    job = request.app.state.jobs.submit(
        session, user, kind, object_type=object_type, object_id=1, language=lang
    )
    flash(request, N_("The job is queued; its progress is shown below."))
    return RedirectResponse(f"/jobs#job-{job.id}", status_code=303)


@router.post("/jobs/{job_id}/cancel", dependencies=CSRF)
def cancel(
    request: Request, session: DbSession, user: RequiredUser, job_id: int, form: Form
) -> RedirectResponse:
    """Cancel a job and go back to the page it was followed on."""
    back = form.get("next") or "/jobs"
    if not back.startswith("/") or back.startswith("//"):
        back = "/jobs"
    try:
        service.cancel(session, user, job_id)
        flash(request, N_("The job is being cancelled."))
    except Conflict as exc:
        flash_error(request, exc)
    return RedirectResponse(back, status_code=303)


@router.get("/jobs/{job_id}/result")
def result(session: DbSession, user: RequiredUser, job_id: int) -> Response:
    """The file a finished job made."""
    return file_response(service.get_job(session, user, job_id))
