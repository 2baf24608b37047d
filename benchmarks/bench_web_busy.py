"""The busy-day scenario of bench_web: API token clients, logins and a burst of bad logins
at once, against the same server, with 0 errors as the target.

Token clients send GET /api/v1/me and a need's matches with their own bearer tokens back to
back (each token's last use is written at most once a minute, after the answer); login
clients log in and out without pause (the attempt counted, the session stored, then ended);
once during the run 100 wrong logins from different accounts arrive together (each counted
before its password is checked). Every one of these writes while the others read.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
from dataclasses import dataclass

import httpx
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from bench_http import Connection, Tally, one_request, percentile
from seriktes.accounts.models import Role
from seriktes.accounts.service import create_token, create_user

TOKENS, LOGINS, BURST = "GET /me, …/matches (token)", "POST /login, /logout", "burst: wrong logins"
EMAIL, PASSWORD = "bench-busy@example.kz", "bench busy day 2026"
LOGIN_CLIENTS = 5
BURST_SIZE = 100
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Accounts:
    """The bench user and one API token per token client."""

    email: str
    password: str
    tokens: list[str]


def add_accounts(engine: Engine, tokens: int) -> Accounts:
    """Create the bench user and its API tokens in a loaded database."""
    with Session(engine) as session:
        user = create_user(session, EMAIL, PASSWORD, "Bench", Role.ADMIN)
        made = [create_token(session, user, f"bench-{n}") for n in range(tokens)]
        session.commit()
    return Accounts(EMAIL, PASSWORD, made)


async def token_client(
    base: tuple[str, int], until: float, token: str, need_ids: list[int], seed: int, tally: Tally
) -> None:
    """Requests with a bearer token back to back until the deadline."""
    rng = random.Random(seed)
    connection = Connection(*base, headers={"Authorization": f"Bearer {token}"})
    while time.perf_counter() < until:
        target = (
            "/api/v1/me" if rng.random() < 0.5 else f"/api/v1/needs/{rng.choice(need_ids)}/matches"
        )
        tally.add(*await one_request(connection, target))
    await connection.close()


def behind_proxy(base: str, address: str) -> httpx.AsyncClient:
    """A browser at `address` behind the loopback proxy the server trusts (so that the
    clients of the run are different clients to the login throttling, as they would be)."""
    headers = {"X-Forwarded-For": address}
    return httpx.AsyncClient(base_url=base, timeout=60, headers=headers)


async def form_post(
    client: httpx.AsyncClient, path: str, data: dict[str, str], expected: set[int]
) -> tuple[float, str | None]:
    """Post a form with the page's CSRF token; return the latency and the problem, if any."""
    started = time.perf_counter()
    try:
        page = await client.get("/login")
        token = CSRF.search(page.text)
        if token is None:
            return time.perf_counter() - started, f"HTTP {page.status_code} (no form)"
        answer = await client.post(path, data=data | {"csrf_token": token.group(1)})
        problem = None if answer.status_code in expected else f"HTTP {answer.status_code}"
    except httpx.HTTPError as exc:
        problem = type(exc).__name__
    return time.perf_counter() - started, problem


async def login_client(
    base: str, until: float, accounts: Accounts, number: int, tally: Tally
) -> None:
    """Log in and out back to back until the deadline."""
    credentials = {"email": accounts.email, "password": accounts.password}
    async with behind_proxy(base, f"10.0.0.{number + 1}") as client:
        while time.perf_counter() < until:
            tally.add(*await form_post(client, "/login", credentials, {303}))
            tally.add(*await form_post(client, "/logout", {}, {303}))


async def bad_burst(base: str, delay: float, tally: Tally) -> None:
    """After `delay` s, 100 wrong logins at once, each at its own account."""
    await asyncio.sleep(delay)

    async def one(number: int) -> None:
        wrong = {"email": f"nobody{number}@example.kz", "password": "not the password"}
        async with behind_proxy(base, f"10.1.{number // 250}.{number % 250 + 1}") as client:
            tally.add(*await form_post(client, "/login", wrong, {401, 429}))

    await asyncio.gather(*(one(n) for n in range(BURST_SIZE)))


async def busy_day(
    base: tuple[str, int], accounts: Accounts, need_ids: list[int], seconds: float
) -> dict[str, Tally]:
    """Run the token clients, the login clients and the burst together; tallies by kind."""
    tallies = {TOKENS: Tally(), LOGINS: Tally(), BURST: Tally()}
    until = time.perf_counter() + seconds
    url = f"http://{base[0]}:{base[1]}"
    await asyncio.gather(
        *(
            token_client(base, until, token, need_ids, n, tallies[TOKENS])
            for n, token in enumerate(accounts.tokens)
        ),
        *(login_client(url, until, accounts, n, tallies[LOGINS]) for n in range(LOGIN_CLIENTS)),
        bad_burst(url, seconds / 3, tallies[BURST]),
    )
    return tallies


def busy_rows(backend: str, seconds: float, tallies: dict[str, Tally]) -> list[str]:
    """Table rows of the busy day: requests, errors and p95 per kind, against 0 errors."""
    rows = []
    for name, tally in tallies.items():
        done, errors = tally.latencies, sum(tally.errors.values())
        p95 = percentile(done, 0.95) if done else float("nan")
        kinds = ", ".join(f"{k} ×{v}" for k, v in tally.errors.items())
        rows.append(
            f"{backend:<11}{name:<33}{len(done) + errors:>9}{(len(done) + errors) / seconds:>8.1f}"
            f"{p95:>8.0f}{errors:>8}  {'meets' if errors == 0 else 'MISSES'} target"
            f"{f' ({kinds})' if kinds else ''}"
        )
    return rows


BUSY_HEADER = (
    f"{'backend':<11}{'busy day':<33}{'requests':>9}{'req/s':>8}{'p95 ms':>8}{'errors':>8}"
    "  target: no errors"
)
