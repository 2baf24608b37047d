"""`seriktes worker` (runs background jobs and sends the outbox) and `seriktes jobs` (lists
them, runs matching as a job)."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Annotated

import typer

from seriktes.cli.runtime import console, fail


def worker(
    threads: Annotated[
        int | None, typer.Option(min=1, max=32, help="Jobs run at once (SERIKTES_WORKER_THREADS).")
    ] = None,
) -> None:
    """Run background jobs — schedules, matching, reports — and send notifications, until
    Ctrl-C. Any number of workers may run against one database and one queue."""
    from pydantic import ValidationError

    from seriktes.config import get_settings
    from seriktes.jobs import queue as job_queue
    from seriktes.jobs import runner, wiring

    try:
        settings = get_settings()
    except ValidationError as exc:
        reasons = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise fail(f"cannot start: {reasons}") from None
    if job_queue.is_inline(settings):
        raise fail("a database in memory has no worker: its jobs run in the web process")
    wiring.install()
    try:
        jobs = job_queue.build(settings)
    except ValueError as exc:
        raise fail(str(exc)) from None
    job_queue.attach(jobs.factory, jobs)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    console.print(f"Worker on {job_queue.storage_of(settings)}, database {settings.database_url}")
    stale = timedelta(seconds=settings.job_stale_seconds)
    stop = threading.Event()

    def recovering() -> None:  # lost jobs back to the queue within seconds, not a minute
        while not stop.wait(min(10.0, settings.job_stale_seconds / 2)):
            try:
                for job_id in runner.recover(jobs.factory, stale):
                    jobs.enqueue(job_id)
            except Exception:
                logging.getLogger(__name__).warning("recovery failed", exc_info=True)

    threading.Thread(target=recovering, name="recover-jobs", daemon=True).start()
    consumer = jobs.huey.create_consumer(
        workers=threads or settings.worker_threads,
        worker_type="thread",
        periodic=True,
        initial_delay=0.05,
        backoff=1.5,
        max_delay=0.5,  # the embedded queue is polled: a message waits at most this long
    )
    try:
        consumer.run()
    finally:
        stop.set()


def register(app: typer.Typer) -> None:
    """Add the worker command to `app`."""
    app.command()(worker)
