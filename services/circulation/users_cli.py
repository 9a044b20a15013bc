"""`pustaka user list|disable|enable|set-scope|reset-password`: staff accounts on the command line."""

from __future__ import annotations

import asyncio
import getpass
import sys
from typing import Annotated

import asyncpg
import msgspec
import typer
from rich.console import Console

from pustaka.config import load_settings
from pustaka.errors import AppError

err = Console(stderr=True)
Json = Annotated[bool, typer.Option("--json", help="print one JSON document on stdout")]
Name = Annotated[str, typer.Argument(help="user name")]


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _run(use_case, as_json: bool = False):
    """Run one use case in one transaction on the configured database; print it as JSON if asked."""
    from pustaka.migrations import prepare_database

    async def main():
        url = await prepare_database(load_settings())
        conn = await asyncpg.connect(url)
        try:
            async with conn.transaction():
                return await use_case(conn)
        finally:
            await conn.close()

    try:
        result = asyncio.run(main())
    except AppError as exc:
        err.print(f"[red]{exc.code}:[/red] {exc.detail}")
        raise typer.Exit(2) from None
    if as_json:
        sys.stdout.write(msgspec.json.encode(result).decode() + "\n")
    return result


def list_users(as_json: Json = False) -> None:
    """List staff accounts: name, role, scope, active."""
    from services.circulation import users

    found = _run(users.list_users, as_json)
    if not as_json:
        for u in found:
            err.print(f"{u.username:<32} {u.role:<10} {u.scope or '-':<22} {'active' if u.active else 'DISABLED'}")


def disable(name: Name, as_json: Json = False) -> None:
    """Disable an account: no log-in, and its tokens stop working within seconds."""
    from services.circulation import users

    user = _run(lambda conn: users.set_active(conn, actor=_actor(), username=name, active=False), as_json)
    err.print(f"user {user.username} is disabled")


def enable(name: Name, as_json: Json = False) -> None:
    """Enable a disabled account again."""
    from services.circulation import users

    user = _run(lambda conn: users.set_active(conn, actor=_actor(), username=name, active=True), as_json)
    err.print(f"user {user.username} is enabled")


def set_scope(name: Name, code: Annotated[str, typer.Argument(help="library code or kabupaten code")],
              as_json: Json = False) -> None:
    """Move a librarian to another library or a district user to another kabupaten."""
    from services.circulation import users

    user = _run(lambda conn: users.set_scope(conn, actor=_actor(), username=name, scope=code), as_json)
    err.print(f"user {user.username} now works in {user.scope}; their old tokens no longer work")


def reset_password(name: Name, password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
                   as_json: Json = False) -> None:
    """Set a new password (read from stdin, or generated and printed once)."""
    from services.circulation import users

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    done = _run(lambda conn: users.reset_password(conn, actor=_actor(), username=name, password=password), as_json)
    if done.password and not as_json:
        sys.stdout.write(done.password + "\n")
    err.print(f"the password of {done.user.username} is reset; their old tokens no longer work")


def register(user_app: typer.Typer) -> None:
    """Add these commands to `pustaka user`."""
    user_app.command("list")(list_users)
    for command in (disable, enable, set_scope, reset_password):
        user_app.command(command.__name__.replace("_", "-"))(command)
