"""The FastAPI application: API, HTML pages and one error shape per channel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from seriktes import __version__
from seriktes.config import Settings, get_settings, session_secret
from seriktes.events.schedule_notices import tell_participants
from seriktes.http.deps import get_language
from seriktes.http.language import pick_language
from seriktes.jobs import queue as job_queue
from seriktes.jobs import wiring as job_wiring
from seriktes.kit import versions
from seriktes.kit.db import make_engine, make_sessionmaker
from seriktes.kit.errors import Busy, ErrorItem, SeriktesError
from seriktes.kit.i18n import N_
from seriktes.matches.incremental import keep_matches_current
from seriktes.web import api, openapi
from seriktes.web.headers import SecurityHeaders
from seriktes.web.limits import ConcurrencyLimit, KeepAliveRecycle, pool_options, request_bound
from seriktes.web.templating import render
from seriktes.web.views import auth as auth_views
from seriktes.web.views import home

STATIC_DIR = Path(__file__).resolve().parent / "static"


def routers() -> list[APIRouter]:
    """Every router of the application: JSON API first, then HTML pages."""
    from seriktes.agreements import api as agreements_api
    from seriktes.agreements import funnel_api
    from seriktes.analytics import api as analytics_api
    from seriktes.catalog import api as catalog_api
    from seriktes.catalog import directory_api
    from seriktes.events import api as events_api
    from seriktes.events import day_api
    from seriktes.imports import api as imports_api
    from seriktes.jobs import api as jobs_api
    from seriktes.matches import api as matches_api
    from seriktes.matches import feedback_api
    from seriktes.notifications import api as notifications_api
    from seriktes.web.views import (
        agreement_edits,
        audit,
        event_agenda,
        event_catalogue,
        event_day,
        event_days,
        event_people,
        event_requests,
        events,
        feedback,
        goszakup,
        imports,
        jobs,
        memorandum_parts,
        needs,
        notifications,
        offers,
        organisation_edit,
        organisations,
        search,
        start,
    )
    from seriktes.web.views import agreements as agreement_views
    from seriktes.web.views import analytics as analytics_views
    from seriktes.web.views import deals as deal_views

    return [
        matches_api.router,  # first: its two routes are the most used (routes are tried in order)
        api.router,
        directory_api.router,
        catalog_api.router,
        events_api.router,
        day_api.router,
        funnel_api.router,
        agreements_api.router,
        feedback_api.router,
        imports_api.router,
        analytics_api.router,
        jobs_api.router,
        notifications_api.router,
        auth_views.router,
        home.router,
        start.router,
        needs.router,
        feedback.router,
        offers.router,
        organisations.router,
        organisation_edit.router,
        search.router,
        imports.router,
        goszakup.router,
        events.router,
        event_people.router,
        event_days.router,
        event_agenda.router,
        event_day.router,
        event_requests.router,
        event_catalogue.router,
        analytics_views.router,
        agreement_views.router,
        audit.router,
        deal_views.router,
        agreement_edits.router,
        memorandum_parts.router,
        jobs.router,
        notifications.router,
    ]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application for `settings` (the process settings by default)."""
    settings = settings or get_settings()
    app = FastAPI(
        lifespan=_lifespan,
        title="Seriktes",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    keep_matches_current()  # needs and offers written by pages and the API are matched at once
    tell_participants()  # a stored schedule notifies its participants in its transaction
    pool = pool_options(settings.database_url)
    app.state.sessions = make_sessionmaker(make_engine(settings.database_url, **pool))
    job_wiring.install()  # the outbox woken by commits; a job's end notifies its starter
    app.state.jobs = job_queue.build(settings, app.state.sessions)
    job_queue.attach(app.state.sessions, app.state.jobs)  # a commit enqueues what it started
    https = settings.secure_cookies or settings.environment == "production"
    app.state.https = https  # cookies are Secure and HSTS is sent
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie="seriktes_session",
        max_age=14 * 24 * 3600,
        same_site="lax",
        https_only=https,  # production is served over HTTPS: the cookie is Secure there
    )
    if (bound := request_bound(pool)) is not None:
        app.add_middleware(ConcurrencyLimit, limit=bound)
    app.add_middleware(SecurityHeaders, docs_path=app.docs_url, https=https)
    app.add_middleware(KeepAliveRecycle)  # before any work
    if settings.trusted_proxies:  # the client a trusted proxy names, for logins' throttling
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    included = routers()
    for router in included:
        json_api = (router.prefix or "").startswith("/api/")
        app.include_router(router, include_in_schema=json_api)
    _install_error_handlers(app)
    openapi.install(app, included)  # the error shape and security as the application answers
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start-up: warm the search engines when the settings ask for it."""
    if app.state.settings.warm_engines:
        _warm_engines(app)
    yield


def _warm_engines(app: FastAPI) -> None:
    """Build the cached matcher, classifier and need index in a background thread, so that
    the first search or offer written does not wait for them; a failure only means that the
    first one builds them."""
    import logging
    import threading

    from seriktes.matches.cache import cached_matcher, updated_need_index

    def build() -> None:
        try:
            with app.state.sessions() as session:
                cached_matcher(session)
                updated_need_index(session)
        except Exception:  # the database may not be migrated yet
            logging.getLogger(__name__).warning("could not warm the search engines", exc_info=True)

    threading.Thread(target=build, name="warm-engines", daemon=True).start()


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_language(request: Request) -> str:
    """The language of an error answer: the page's for a page; for the API the one the client
    asked for (`?lang`, the cookie, Accept-Language), English when it asked for none, so that
    API clients read the texts they always read."""
    if not _wants_json(request):
        return get_language(request)
    return pick_language(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language"),
        "en",
    )


def _error_response(request: Request, exc: SeriktesError) -> Response:
    """`exc` in the request's language: JSON for the API, the error page for a page."""
    lang = error_language(request)
    payload = exc.as_dict(lang)
    if _wants_json(request):
        return JSONResponse(payload, status_code=exc.status_code)
    if exc.status_code == 401:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    detail, errors = payload["detail"], payload["errors"]
    return render(request, lang, "error.html", exc.status_code, detail=detail, errors=errors)


class _Answered(SeriktesError):
    """An error raised outside the services (routing, request parsing, the server): its
    kind and status are given, not its class's."""

    def __init__(
        self, status: int, kind: str, template: str, errors: list[ErrorItem] | None = None
    ) -> None:
        super().__init__(template, errors or [])
        self.status_code = status
        self._kind = kind

    @property
    def kind(self) -> str:
        """The kind named in the answer."""
        return self._kind


BUSY_MESSAGE = N_("The database is busy with another change. Try again in a few seconds.")
# Starlette's texts of the HTTP errors it raises itself (an unknown path, a wrong method)
HTTP_TEXTS = {
    404: N_("Not Found"),
    405: N_("Method Not Allowed"),
}


def is_busy(exc: OperationalError) -> bool:
    """True for SQLite's «database is locked» / «database is busy», which end when the other
    writer does."""
    text = str(exc.orig).lower()
    return "database is locked" in text or "database is busy" in text


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SeriktesError)
    async def seriktes_error(request: Request, exc: SeriktesError) -> Response:
        return _error_response(request, exc)

    @app.exception_handler(StaleDataError)
    async def concurrent_write(request: Request, exc: StaleDataError) -> Response:
        # a versioned row changed by another transaction between this one's read and write
        return await seriktes_error(request, versions.concurrent())

    @app.exception_handler(OperationalError)
    async def database_error(request: Request, exc: OperationalError) -> Response:
        # SQLite: another connection wrote between this transaction's read and its write, or
        # held the write lock past the busy timeout; the request may simply be sent again
        if not is_busy(exc):
            raise exc  # an error of the server: logged, and answered as one
        answer = await seriktes_error(request, Busy(BUSY_MESSAGE))
        answer.headers["Retry-After"] = "5"
        return answer

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        # pydantic's own texts: English, with its error type as the code
        errors = [ErrorItem(tuple(e["loc"]), e["msg"]) for e in exc.errors()]
        invalid = _Answered(422, "ValidationFailed", N_("invalid request"), errors)
        return _error_response(request, invalid)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        kind = {404: "NotFound", 405: "MethodNotAllowed"}.get(exc.status_code, "HTTPError")
        # Starlette's texts are the msgids of HTTP_TEXTS: shown in the request's language
        return _error_response(request, _Answered(exc.status_code, kind, str(exc.detail)))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        text = N_("internal error; the administrators can find it in the log")
        return _error_response(request, _Answered(500, "InternalError", text))
