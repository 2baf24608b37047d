"""CLI plumbing: the transaction boundary, error printing and progress bars."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from seriktes.config import get_settings
from seriktes.kit.db import make_engine, make_sessionmaker, transaction
from seriktes.kit.errors import SeriktesError
from seriktes.kit.i18n import LANGUAGES

__all__ = ["SeriktesError", "console", "engine", "err_console", "fail", "refused", "run"]

T = TypeVar("T")
err_console = Console(stderr=True, highlight=False)
console = Console(highlight=False)


@lru_cache(maxsize=1)
def engine() -> Engine:
    """Return the engine of the configured database."""
    return make_engine(get_settings().database_url)


def cli_language() -> str:
    """The language the CLI speaks: `SERIKTES_LANG`, else the locale's (LC_ALL, LC_MESSAGES,
    LANG) when it is Russian or Kazakh, else English."""
    chosen = os.environ.get("SERIKTES_LANG", "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        locale = os.environ.get(name, "")
        if locale:
            code = locale[:2].lower()
            return code if code in LANGUAGES else "en"
    return "en"


def refused(exc: SeriktesError) -> typer.Exit:
    """Print a service's error to stderr in the CLI's language; return the exit to raise."""
    return fail(exc.message(cli_language()))


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print `message` to stderr and return the exit to raise."""
    err_console.print(f"[bold red]Error:[/] {message}", markup=True, soft_wrap=True)
    return typer.Exit(code)


def friendly_db_error(exc: sa_exc.SQLAlchemyError) -> str:
    """Turn a database error into a sentence a user can act on."""
    message = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    if "no such table" in message or "does not exist" in message:
        return f"the database is not set up ({message}); run `seriktes db upgrade` first"
    if isinstance(exc, sa_exc.OperationalError):
        return f"cannot use the database {engine().url!r}: {message}"
    return f"database error: {message}"


def run(action: Callable[[Session], T]) -> T:
    """Run `action` in one transaction; turn every error into a message and an exit code."""
    try:
        with transaction(make_session_factory()) as session:
            return action(session)
    except SeriktesError as exc:
        raise refused(exc) from None
    except sa_exc.SQLAlchemyError as exc:
        raise fail(friendly_db_error(exc)) from None
    except OSError as exc:
        raise fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")) from None


def make_session_factory() -> sessionmaker[Session]:
    """Return the session factory of the configured database."""
    return make_sessionmaker(engine())


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int | None], None]]:
    """Show a progress bar on stderr when it is a terminal; yield `update(done, total)`."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        yield lambda _done, _total: None
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield update
