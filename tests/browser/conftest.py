"""A real server on a free port and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import IN_CI, ROOT
from tests.sites import seed_site

ARTIFACTS = ROOT / "test-artifacts"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(env: dict[str, str], quiet: bool = True, timeout: float = 120.0) -> Iterator[str]:
    """`seriktes serve` on a free port with `env`; yields its URL once it answers (a loaded
    machine may take a while) and stops it afterwards."""
    port = _free_port()
    output = subprocess.DEVNULL if quiet else subprocess.PIPE
    process = subprocess.Popen(
        [sys.executable, "-m", "seriktes", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=output,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(url + "/api/v1/stats", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def worker(env: dict[str, str]) -> Iterator[None]:
    """`seriktes worker` with `env` (as `make run` starts one beside the server)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "seriktes", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("live")
    seed_site(folder / "live.db", folder)
    env = {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{folder / 'live.db'}"}
    with serve(env) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        message = "Debian's chromium is not installed (run `make browser`)"
        if IN_CI:
            pytest.fail(message + "; CI requires the browser tests", pytrace=False)
        pytest.skip(message + "; browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    page = context.new_page()
    page.set_default_timeout(60_000)  # a loaded CI machine answers slowly, not wrongly
    yield page
    context.close()


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ for people to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
