"""`pustaka init`: what a fresh production database needs before the services start (compose runs it once,
as a one-shot service the others wait for): the schema, the libraries with their villages and kecamatan, and
the first admin, whose password comes from a secret. Running it again changes nothing that exists."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import msgspec

from pustaka.seeding import load_libraries, read_libraries, seeds_dir
from pustaka.sql import load
from services.circulation.staff import add_user

Q = load(__file__, "first_run.sql")
ADMIN = "admin"


class InitRefused(Exception):
    """First-run setup cannot go on; the message names the setting to fix."""


class InitReport(msgspec.Struct, kw_only=True):
    migrations_applied: list[str]
    libraries: int
    admin: str
    admin_created: bool


def admin_password(env: dict[str, str]) -> str | None:
    """PUSTAKA_ADMIN_PASSWORD, or the content of the file PUSTAKA_ADMIN_PASSWORD_FILE (a Docker secret)."""
    path = env.get("PUSTAKA_ADMIN_PASSWORD_FILE", "").strip()
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise InitRefused(f"PUSTAKA_ADMIN_PASSWORD_FILE={path!r} cannot be read: {exc.strerror}") from None
    return env.get("PUSTAKA_ADMIN_PASSWORD") or None


async def initialise(
    conn: asyncpg.Connection, *, applied: list[str], password: str | None, username: str = ADMIN
) -> InitReport:
    """Load the libraries and create the first admin if there is no admin yet."""
    libraries = await load_libraries(conn, read_libraries(seeds_dir() / "libraries.csv"))
    has_admin = await conn.fetchval(Q.has_admin)
    if not has_admin:
        if not password:
            raise InitRefused(
                "there is no admin yet: set PUSTAKA_ADMIN_PASSWORD, or PUSTAKA_ADMIN_PASSWORD_FILE "
                "to a file that holds the first admin's password (at least 8 characters)"
            )
        async with conn.transaction():
            await add_user(conn, username=username, password=password, role="admin", scope=None, actor="init")
    return InitReport(migrations_applied=applied, libraries=libraries, admin=username, admin_created=not has_admin)
