"""`pustaka restore FILE` and `pustaka backup --verify FILE`.

A restore never changes the live database until the backup has been checked: the file is verified (whole,
ours, checksum), restored into a scratch database next to the target, every table's rows are compared with
the manifest, the scratch database is migrated forward to this version's schema, and only then does it take
the target's name. Anything that fails on the way drops the scratch database and leaves the target as it was.
"""

from __future__ import annotations

import asyncio
import secrets
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import asyncpg
import msgspec

from pustaka.backup import UTC_SESSION, table_states
from pustaka.backup_file import BackupRefused, Manifest, dump_chunks, read_manifest
from pustaka.database import create_database, drop_database, with_database
from pustaka.migrations import migrate
from pustaka.pgtools import pg_program
from pustaka.sql import load

Q = load(__file__, "restore.sql")


class Holdings(msgspec.Struct):
    """How many rows a database holds of what a restore would replace (None: the table does not exist)."""

    libraries: int | None
    copies: int | None
    members: int | None
    loans: int | None
    staff: int | None


class Session(msgspec.Struct):
    who: str


_holdings = Q.one("holdings", Holdings)
_other_sessions = Q.all("other_sessions", Session)
"""The other sessions connected to a database, by application name (or pid)."""
_database_exists = Q.value("database_exists", bool)


class RestoreRefused(Exception):
    """The restore was refused or failed before anything changed; the message says why."""


class VerifyReport(msgspec.Struct, kw_only=True):
    file: str
    created_at: str
    tables: int
    rows: int
    ok: bool
    mismatches: list[str]
    seconds: float


class RestoreReport(msgspec.Struct, kw_only=True):
    file: str
    created_at: str
    database: str
    replaced: dict[str, int] | None
    counts: dict[str, int]
    migrations_applied: list[str]
    search: str
    seconds: float


def _pg_restore(path: Path, url: str) -> None:
    """Feed the dump to pg_restore (one transaction; stops at the first error)."""
    command = [
        pg_program("pg_restore"),
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        "--dbname",
        url,
    ]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stderr is not None  # both are pipes
    stdin, stderr = proc.stdin, proc.stderr
    errors: list[bytes] = []
    reader = threading.Thread(target=lambda: errors.append(stderr.read()), daemon=True)
    reader.start()
    try:
        for chunk in dump_chunks(path):
            stdin.write(chunk)
        stdin.close()
    except BrokenPipeError:
        pass
    code = proc.wait()
    reader.join()
    if code != 0:
        raise RestoreRefused(f"pg_restore failed: {b''.join(errors).decode(errors='replace').strip()}")


def compare(manifest: Manifest, restored: dict) -> list[str]:
    """What differs between the manifest's tables and the restored ones (empty: all equal)."""
    found: list[str] = []
    for name, want in manifest.tables.items():
        got = restored.get(name)
        if got is None:
            found.append(f"{name}: missing after restore")
        elif got.rows != want.rows:
            found.append(f"{name}: {got.rows} rows restored, the backup holds {want.rows}")
        elif got.digest != want.digest:
            found.append(f"{name}: the restored rows differ from the backup's")
    found += [f"{name}: not in the backup" for name in restored if name not in manifest.tables]
    return found


async def _restore_into(path: Path, url: str, manifest: Manifest) -> list[str]:
    await asyncio.to_thread(_pg_restore, path, url)
    conn = await asyncpg.connect(url, server_settings=UTC_SESSION)
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            states = await table_states(conn)
    finally:
        await conn.close()
    return compare(manifest, states)


async def verify_backup(path: Path, server_url: str) -> VerifyReport:
    """Restore into a scratch database of the server, compare every table with the manifest, drop it."""
    started = time.monotonic()
    manifest = read_manifest(path)
    scratch = f"pustaka_verify_{secrets.token_hex(4)}"
    url = await create_database(server_url, scratch)
    try:
        mismatches = await _restore_into(path, url, manifest)
    finally:
        await drop_database(server_url, scratch)
    return VerifyReport(
        file=str(path),
        created_at=manifest.created_at,
        tables=len(manifest.tables),
        rows=sum(t.rows for t in manifest.tables.values()),
        ok=not mismatches,
        mismatches=mismatches,
        seconds=round(time.monotonic() - started, 3),
    )


async def holdings(url: str) -> dict[str, int] | None:
    """What the database at `url` holds (None: it does not exist or holds nothing)."""
    name = urlparse(url).path.lstrip("/")
    admin = await asyncpg.connect(with_database(url, "postgres"))
    try:
        if not await _database_exists(admin, database=name):
            return None
    finally:
        await admin.close()
    conn = await asyncpg.connect(url)
    try:
        row = await _holdings(conn)
    finally:
        await conn.close()
    found = {k: v for k, v in msgspec.structs.asdict(row).items() if v} if row else {}
    return found or None


def describe(found: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {what}" for what, n in found.items())


async def _sessions(url: str) -> list[str]:
    admin = await asyncpg.connect(with_database(url, "postgres"))
    try:
        return [s.who for s in await _other_sessions(admin, database=urlparse(url).path.lstrip("/"))]
    finally:
        await admin.close()


async def restore_backup(path: Path, target_url: str, *, force: bool) -> RestoreReport:
    """Replace the database at `target_url` with the backup's state, migrated to this version."""
    started = time.monotonic()
    manifest = read_manifest(path)
    name = urlparse(target_url).path.lstrip("/")
    existing = await holdings(target_url)
    if existing and not force:
        raise RestoreRefused(
            f"database {name!r} already holds data ({describe(existing)}); "
            "`pustaka restore FILE --force` replaces it with the backup"
        )
    users = await _sessions(target_url)
    if users:
        raise RestoreRefused(
            f"database {name!r} is in use ({', '.join(sorted(set(users)))}): "
            "stop the services that use it, then restore"
        )
    server = with_database(target_url, "postgres")
    scratch = f"{name}_restore_{secrets.token_hex(4)}"
    scratch_url = await create_database(server, scratch)
    try:
        mismatches = await _restore_into(path, scratch_url, manifest)
        if mismatches:
            raise RestoreRefused("the restored data differs from the backup's manifest: " + "; ".join(mismatches[:5]))
        conn = await asyncpg.connect(scratch_url)
        try:
            applied = await migrate(conn)
        finally:
            await conn.close()
        admin = await asyncpg.connect(server)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.execute(f'ALTER DATABASE "{scratch}" RENAME TO "{name}"')
        finally:
            await admin.close()
    except BaseException:
        await drop_database(server, scratch)
        raise
    return RestoreReport(
        file=str(path),
        created_at=manifest.created_at,
        database=name,
        replaced=existing,
        counts={n: t.rows for n, t in manifest.tables.items()},
        migrations_applied=applied,
        search="",
        seconds=round(time.monotonic() - started, 3),
    )


__all__ = ["BackupRefused", "RestoreRefused", "restore_backup", "verify_backup"]
