"""`seriktes users`: create users and API tokens."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from seriktes.cli.runtime import console, fail, run

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
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = run(lambda session: create_user(session, email, password, name, chosen, region, org))
    console.print(f"User {user.email} ({user.role.value}) created.")


@users_app.command("token")
def token(
    email: Annotated[str, typer.Argument(help="Whose token.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "api",
) -> None:
    """Create an API token for a user and print it once."""
    from seriktes.accounts.models import User
    from seriktes.accounts.service import create_token

    def action(session: Session) -> str:
        user = session.scalar(select(User).where(User.email == email.strip().lower()))
        if user is None:
            from seriktes.kit.errors import NotFound

            raise NotFound(f"no user with e-mail {email}")
        return create_token(session, user, name)

    print(run(action))


@users_app.command("list")
def list_users() -> None:
    """List the users with their roles."""
    from seriktes.accounts.models import User

    def action(session: Session) -> list[str]:
        return [
            f"{u.email}  {u.role.value}  {u.full_name}{'' if u.is_active else '  (inactive)'}"
            for u in session.scalars(select(User).order_by(User.email))
        ]

    for line in run(action):
        console.print(line)
