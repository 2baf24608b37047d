"""`seriktes users`: create users, change passwords, deactivate; create, list and revoke API
tokens."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer
from sqlalchemy.orm import Session

from seriktes.cli.runtime import console, fail, run
from seriktes.kit import clock

if TYPE_CHECKING:
    from seriktes.accounts.models import ApiToken

users_app = typer.Typer(help="Manage users and API tokens.", no_args_is_help=True)


@users_app.command("create")
def create(
    email: Annotated[str, typer.Argument(help="Login e-mail.")],
    role: Annotated[str, typer.Option(help="admin, coordinator or member.")] = "member",
    name: Annotated[str, typer.Option(help="Full name.")] = "",
    region: Annotated[str | None, typer.Option(help="KATO code (coordinators).")] = None,
    org: Annotated[str | None, typer.Option(help="Organisation BIN (members).")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user (the password is asked for, or read from stdin)."""
    from seriktes.accounts.models import Role
    from seriktes.accounts.service import create_user

    try:
        chosen = Role(role)
    except ValueError:
        raise fail(f"unknown role {role!r}; use admin, coordinator or member") from None
    password = _read_password(password_stdin)
    user = run(lambda session: create_user(session, email, password, name, chosen, region, org))
    console.print(f"User {user.email} ({user.role.value}) created.")


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def _read_password(from_stdin: bool) -> str:
    """The password from the first line of stdin, or asked for twice at the terminal."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_app.command("passwd")
def passwd(
    email: Annotated[str, typer.Argument(help="Whose password.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Change a user's password (asked for, or read from stdin); ends their sessions."""
    from seriktes.accounts.service import change_password, user_by_email

    password = _read_password(password_stdin)
    run(lambda session: change_password(session, user_by_email(session, email), password))
    console.print(f"Password of {email.strip().lower()} changed; their sessions are ended.")


@users_app.command("deactivate")
def deactivate(email: Annotated[str, typer.Argument(help="Who may no longer log in.")]) -> None:
    """Stop a user from logging in: ends their sessions and revokes their API tokens."""
    from seriktes.accounts import service

    run(lambda session: service.deactivate(session, service.user_by_email(session, email)))
    console.print(f"User {email.strip().lower()} deactivated; sessions ended, tokens revoked.")


@users_app.command("token")
def token(
    email: Annotated[str, typer.Argument(help="Whose token.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "api",
    days: Annotated[int, typer.Option(help="Days until the token expires (1 to 3650).")] = 90,
) -> None:
    """Create an API token for a user and print it once."""
    from seriktes.accounts.service import create_token, user_by_email

    print(run(lambda session: create_token(session, user_by_email(session, email), name, days)))


@users_app.command("tokens")
def tokens(email: Annotated[str, typer.Argument(help="Whose tokens.")]) -> None:
    """List a user's API tokens: id, name, state, created, last used and expiry."""
    from seriktes.accounts.service import tokens_of, user_by_email

    def action(session: Session) -> list[str]:
        return [_token_line(t) for t in tokens_of(session, user_by_email(session, email))]

    lines = run(action)
    console.print("id  name  state  created  last used  expires" if lines else "No API tokens.")
    for line in lines:
        console.print(line, soft_wrap=True)


def _token_line(token: ApiToken) -> str:
    """One token as a line of `users tokens`."""
    state = (
        "revoked" if token.revoked else "expired" if token.expires_at <= clock.now() else "active"
    )
    used = _when(token.last_used_at) if token.last_used_at else "never"
    return (
        f"{token.id}  {token.name}  {state}  {_when(token.created_at)}  {used}  "
        f"{_when(token.expires_at)}"
    )


def _when(moment: datetime) -> str:
    """A time in UTC to the minute."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


@users_app.command("revoke-token")
def revoke_token(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `users tokens`).")],
) -> None:
    """Revoke an API token: it is refused from now on."""
    from seriktes.accounts import service

    revoked = run(lambda session: service.revoke_token(session, token_id))
    console.print(f"Token {revoked.id} ({revoked.name}) revoked.")


@users_app.command("list")
def list_users() -> None:
    """List the users with their roles."""
    from seriktes.accounts.service import all_users

    def action(session: Session) -> list[str]:
        return [
            f"{u.email}  {u.role.value}  {u.full_name}{'' if u.is_active else '  (inactive)'}"
            for u in all_users(session)
        ]

    for line in run(action):
        console.print(line)
