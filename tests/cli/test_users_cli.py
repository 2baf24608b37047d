"""`seriktes users` for passwords, deactivation and API tokens, and `seriktes serve` as an
administrator starts it: refused with a short secret in production, and deaf to
X-Forwarded-For from peers that are not configured proxies."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from seriktes.accounts.throttle import FREE_PER_ACCOUNT
from tests.cli.test_cli import seriktes

EMAIL, PASSWORD = "aliya@example.kz", "steppe wind 2026"


def _env(db: Path) -> dict[str, str]:
    return {**os.environ, "SERIKTES_DATABASE_URL": f"sqlite:///{db}", "COLUMNS": "200"}


def users(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`seriktes users ARGS` on the database `db`, with `stdin` as its input."""
    return subprocess.run(
        [sys.executable, "-m", "seriktes", "users", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(db),
        timeout=120,
        check=False,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "users.db"
    assert seriktes(path, "db", "upgrade").returncode == 0
    made = users(path, "create", EMAIL, "--role", "admin", "--password-stdin", stdin=PASSWORD)
    assert made.returncode == 0, made.stderr
    return path


def test_a_trivial_password_is_refused_with_the_reason(db: Path) -> None:
    made = users(
        db, "create", "x@example.kz", "--role", "admin", "--password-stdin", stdin="1234567890"
    )
    assert made.returncode == 1
    assert "sequence" in made.stderr and "Traceback" not in made.stderr


def test_passwd_changes_the_password_under_the_rule(db: Path) -> None:
    weak = users(db, "passwd", EMAIL, "--password-stdin", stdin="aaaaaaaaaa")
    assert weak.returncode == 1 and "repeats" in weak.stderr
    done = users(db, "passwd", EMAIL, "--password-stdin", stdin="a fresh pass phrase")
    assert done.returncode == 0, done.stderr
    unknown = users(db, "passwd", "nobody@example.kz", "--password-stdin", stdin="whatever it is 9")
    assert unknown.returncode == 1 and "no user" in unknown.stderr


def test_tokens_are_listed_with_expiry_and_revoked(db: Path) -> None:
    made = users(db, "token", EMAIL, "--name", "robot", "--days", "7")
    assert made.returncode == 0 and made.stdout.startswith("srk_")
    listed = users(db, "tokens", EMAIL).stdout
    line = next(row for row in listed.splitlines() if "robot" in row)
    token_id = line.split()[0]
    assert " active " in line and "never" in line
    assert users(db, "revoke-token", token_id).returncode == 0
    assert " revoked " in next(
        r for r in users(db, "tokens", EMAIL).stdout.splitlines() if "robot" in r
    )
    assert users(db, "revoke-token", "999999").returncode == 1
    assert users(db, "token", EMAIL, "--days", "0").returncode == 1


def test_deactivate_revokes_tokens_and_marks_the_user(db: Path) -> None:
    assert users(db, "token", EMAIL, "--name", "robot").returncode == 0
    assert users(db, "deactivate", EMAIL).returncode == 0
    assert "(inactive)" in users(db, "list").stdout
    assert " revoked " in users(db, "tokens", EMAIL).stdout


def test_serve_refuses_a_short_secret_in_production(tmp_path: Path) -> None:
    env = {
        **_env(tmp_path / "p.db"),
        "SERIKTES_ENVIRONMENT": "production",
        "SERIKTES_SECRET_KEY": "x",
    }
    result = subprocess.run(
        [sys.executable, "-m", "seriktes", "serve"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "at least 32 bytes" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture
def server(db: Path) -> Iterator[str]:
    """`seriktes serve` on a free loopback port; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "seriktes", "serve", "--port", str(port), "--no-access-log"],
        env={**_env(db), "SERIKTES_WARM_ENGINES": "false"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/login", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(20)


def test_a_live_server_ignores_x_forwarded_for_from_local_peers(server: str) -> None:
    with httpx.Client(base_url=server) as browser:
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/login").text)
        assert csrf

        def attempt(password: str, forwarded: str) -> int:
            form = {"email": EMAIL, "password": password, "csrf_token": csrf.group(1)}
            headers = {"X-Forwarded-For": forwarded}
            return browser.post("/login", data=form, headers=headers).status_code

        for number in range(FREE_PER_ACCOUNT):
            assert attempt("wrong guess!", f"203.0.113.{number}") == 401
        assert attempt(PASSWORD, "203.0.113.200") == 429  # the same client: it must wait
