"""JSON routes of jobs: start the long work of pages as jobs, follow, cancel, fetch results.

A page polls `GET /api/v1/jobs/{id}` for its progress bar; the answer's texts are in the
request's language."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request, Response, status
from pydantic import BaseModel, Field

from seriktes.analytics.policy import check_analytics_reader
from seriktes.events.service import managed_event
from seriktes.http.auth import RequiredUser
from seriktes.http.deps import DbSession, Language
from seriktes.http.params import WRITE, errors
from seriktes.jobs import kinds, service, texts
from seriktes.jobs.models import Job
from seriktes.kit.db import MAX_ID
from seriktes.kit.errors import Conflict
from seriktes.kit.i18n import N_, translate

router = APIRouter(prefix="/api/v1", tags=["jobs"])

JobId = Annotated[int, Path(ge=1, le=MAX_ID)]
EventId = Annotated[int, Path(ge=1, le=MAX_ID)]
READ_ERRORS = errors(401, 404, 422)
WRITE_ERRORS = errors(401, 403, 404, 409, 422)


class JobOut(BaseModel):
    """A job as its starter follows it."""

    id: int
    kind: str
    label: str
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    status_label: str = Field(description="the status in the request's language")
    done: int
    total: int
    percent: int | None = Field(description="done / total in percent; null while unknown")
    message: str | None
    object_type: str | None
    object_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    cancel_requested: bool
    result_url: str | None = Field(description="the page showing the result, or the file")
    summary: dict[str, Any] | None
    error: str | None = Field(description="why it failed, in the request's language")
    error_code: str | None


class SolveJobIn(BaseModel):
    """How long the scheduler may search."""

    time_limit: int = Field(default=10, ge=kinds.MIN_SOLVE_SECONDS, le=kinds.MAX_SOLVE_SECONDS)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)


class ReportJobIn(BaseModel):
    """Which pair report to render."""

    host: str = Field(pattern=r"^[0-9]{9}$")
    guest: str = Field(pattern=r"^[0-9]{9}$")
    year: int | None = Field(default=None, ge=2000, le=2100)
    format: Literal["pdf", "xlsx"] = "pdf"


def job_out(job: Job, lang: str) -> JobOut:
    """The job as the API shows it, its texts in `lang`."""
    percent = round(100 * job.done / job.total) if job.total else None
    result = job.result_url
    if result is None and job.result_name is not None:
        result = f"/jobs/{job.id}/result"
    return JobOut(
        id=job.id,
        kind=job.kind,
        label=translate(lang, kinds.LABELS.get(job.kind, job.kind)),
        status=job.status.value,
        status_label=translate(lang, texts.status(job)),
        done=job.done,
        total=job.total,
        percent=percent,
        message=translate(lang, job.message) if job.message else None,
        object_type=job.object_type,
        object_id=job.object_id,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        cancel_requested=job.cancel_requested,
        result_url=result,
        summary=job.summary,
        error=texts.error(lang, job) or None,
        error_code=job.error,
    )


@router.get("/jobs", responses=READ_ERRORS)
def list_jobs(session: DbSession, user: RequiredUser, lang: Language) -> list[JobOut]:
    """The latest 100 jobs the user started (every job for administrators), newest first."""
    return [job_out(job, lang) for job in service.jobs_of(session, user)]


@router.get("/jobs/{job_id}", responses=READ_ERRORS)
def get_job(session: DbSession, user: RequiredUser, lang: Language, job_id: JobId) -> JobOut:
    """A job's status and progress."""
    return job_out(service.get_job(session, user, job_id), lang)


@router.post("/jobs/{job_id}/cancel", dependencies=WRITE, responses=WRITE_ERRORS)
def cancel_job(session: DbSession, user: RequiredUser, lang: Language, job_id: JobId) -> JobOut:
    """Cancel a queued job, or ask a running one to stop; what it computed is not kept."""
    return job_out(service.cancel(session, user, job_id), lang)


@router.post(
    "/events/{event_id}/schedule/jobs",
    dependencies=WRITE,
    responses=WRITE_ERRORS,
    status_code=status.HTTP_202_ACCEPTED,
)
def solve_job(
    request: Request,
    session: DbSession,
    user: RequiredUser,
    lang: Language,
    event_id: EventId,
    data: SolveJobIn,
) -> JobOut:
    """Build the event's schedule in the background (organisers): answers at once with the
    job to follow; a build already running for the event is joined."""
    managed_event(session, user, event_id)
    job = request.app.state.jobs.submit(
        session,
        user,
        kinds.SCHEDULE,
        object_type="event",
        object_id=event_id,
        params=data.model_dump(),
        language=lang,
    )
    return job_out(job, lang)


@router.post(
    "/analytics/pair/report-jobs",
    dependencies=WRITE,
    responses=WRITE_ERRORS,
    status_code=status.HTTP_202_ACCEPTED,
)
def report_job(
    request: Request, session: DbSession, user: RequiredUser, lang: Language, data: ReportJobIn
) -> JobOut:
    """Render the pair report as PDF or XLSX in the background; its file is the job's
    result (`GET /api/v1/jobs/{id}/result`)."""
    check_analytics_reader(user)
    scope = f"{data.host}:{data.guest}:{data.year}:{data.format}:{lang}:{user.id}"
    job = request.app.state.jobs.submit(
        session, user, kinds.REPORT, params=data.model_dump(), language=lang, scope=scope
    )
    return job_out(job, lang)


@router.get("/jobs/{job_id}/result", responses=READ_ERRORS)
def job_result(session: DbSession, user: RequiredUser, job_id: JobId) -> Response:
    """The file a finished job made (a report)."""
    return file_response(service.get_job(session, user, job_id))


def file_response(job: Job) -> Response:
    """The file a job made, as an attachment; 409 when it made none."""
    if job.result_name is None or job.result_data is None:
        raise Conflict(N_("the job has no file to download"))
    return Response(
        content=job.result_data,
        media_type=job.result_type or "application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{job.result_name}"'},
    )
