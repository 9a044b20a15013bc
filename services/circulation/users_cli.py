"""`pustaka user list|disable|enable|set-scope|reset-password`: staff accounts on the command line."""

from __future__ import annotations

import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import asyncpg
import msgspec
import typer
from rich.console import Console

from pustaka.access import Staff
from pustaka.config import load_settings
from pustaka.errors import AppError
from services.circulation.service import Circulation

T = TypeVar("T")
err = Console(stderr=True)
Json = Annotated[bool, typer.Option("--json", help="print one JSON document on stdout")]
Name = Annotated[str, typer.Argument(help="user name")]


def _admin() -> Staff:
    """Whoever runs the command line on the server acts as an admin, named after their system account."""
    return Staff(f"cli:{getpass.getuser()}", "admin", None)


def _run(use_case: Callable[[Circulation, Staff], Awaitable[T]], as_json: bool = False) -> T:
    """Run one use case as the HTTP handlers do, on the configured database; print it as JSON if asked."""
    from kernel.clock import JakartaClock
    from pustaka.migrations import prepare_database
    from services.circulation.app import catalog_client

    async def main() -> T:
        settings = load_settings()
        url = await prepare_database(settings)
        pool = await asyncpg.create_pool(url, min_size=1, max_size=2)
        catalog = catalog_client(settings)  # not reached by these use cases
        circulation = Circulation(pool, catalog, JakartaClock())
        try:
            return await use_case(circulation, _admin())
        finally:
            await circulation.aclose()
            await catalog.aclose()
            await pool.close()

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

    user = _run(lambda circulation, admin: users.set_active(circulation, admin, name, False), as_json)
    err.print(f"user {user.username} is disabled")


def enable(name: Name, as_json: Json = False) -> None:
    """Enable a disabled account again."""
    from services.circulation import users

    user = _run(lambda circulation, admin: users.set_active(circulation, admin, name, True), as_json)
    err.print(f"user {user.username} is enabled")


def set_scope(
    name: Name, code: Annotated[str, typer.Argument(help="library code or kabupaten code")], as_json: Json = False
) -> None:
    """Move a librarian to another library or a district user to another kabupaten."""
    from services.circulation import users

    user = _run(lambda circulation, admin: users.set_scope(circulation, admin, name, users.ScopeChange(code)), as_json)
    err.print(f"user {user.username} now works in {user.scope}; their old tokens no longer work")


def reset_password(
    name: Name, password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False, as_json: Json = False
) -> None:
    """Set a new password (read from stdin, or generated and printed once)."""
    from services.circulation import users

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    done = _run(lambda circulation, admin: users.reset_password(circulation, admin, name, password), as_json)
    if done.password and not as_json:
        sys.stdout.write(done.password + "\n")
    err.print(f"the password of {done.user.username} is reset; their old tokens no longer work")


def register(user_app: typer.Typer) -> None:
    """Add these commands to `pustaka user`."""
    user_app.command("list")(list_users)
    for command in (disable, enable, set_scope, reset_password):
        user_app.command(command.__name__.replace("_", "-"))(command)
