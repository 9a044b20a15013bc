"""`pustaka backup`: the whole state (both schemas and the migrations ledger) in one file, taken from one
snapshot while the system keeps serving.

A REPEATABLE READ transaction exports its snapshot; every table's row count and digest are read in it,
and pg_dump dumps that same snapshot, so the manifest describes exactly what the dump holds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import os
import shutil
import subprocess
import time
from pathlib import Path

import asyncpg
import msgspec

from pustaka.backup_file import FORMAT, FORMAT_VERSION, PARTIAL, DumpWriter, Manifest, TableState, partial_name
from pustaka.pgtools import pg_program
from pustaka.sql import load

Q = load(__file__, "backup.sql")
PREFIX = "pustaka-backup-"
SUFFIX = ".tar"
UTC_SESSION = {"timezone": "UTC", "application_name": "pustaka-backup"}


class BackupFailed(Exception):
    """The backup could not be written; the message says why. Earlier backups are never touched."""


class BackupReport(msgspec.Struct, kw_only=True):
    path: str
    size: int
    seconds: float
    counts: dict[str, int]
    sha256: str
    kind: str
    mirror: str | None = None
    mirror_error: str | None = None
    removed: list[str] = msgspec.field(default_factory=list)


async def table_states(conn: asyncpg.Connection) -> dict[str, TableState]:
    """Every table's row count and content digest, as this connection's transaction sees them."""
    states: dict[str, TableState] = {}
    for table in await conn.fetch(Q.tables):
        row = await conn.fetchrow(Q.table_state.format(table=table["quoted"]))
        states[table["name"]] = TableState(rows=row["rows"], digest=row["digest"])
    return states


async def _migrations(conn: asyncpg.Connection) -> list[str]:
    if not await conn.fetchval(Q.has_ledger):
        return []
    return [r[0] for r in await conn.fetch(Q.migrations)]


def backup_name(now: dt.datetime) -> str:
    return f"{PREFIX}{now.strftime('%Y%m%dT%H%M%SZ')}{SUFFIX}"


def _target(dest: Path, now: dt.datetime) -> Path:
    """A file path as given (an existing file, or a name ending in .tar), or a new, dated file in a folder."""
    if not dest.is_file() and dest.suffix != SUFFIX:
        dest.mkdir(parents=True, exist_ok=True)
        path, n = dest / backup_name(now), 1
        while path.exists():
            n += 1
            path = dest / f"{backup_name(now)[: -len(SUFFIX)]}-{n}{SUFFIX}"
        return path
    dest.parent.mkdir(parents=True, exist_ok=True)
    return dest


def _disk_error(exc: OSError, folder: Path) -> BackupFailed:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return BackupFailed(
            f"the disk holding {folder} is full ({exc.strerror}): no backup was written; "
            "earlier backups are untouched. Free some space or choose another PUSTAKA_BACKUP_DIR"
        )
    return BackupFailed(f"cannot write a backup in {folder}: {exc.strerror or exc}")


def _run_dump(url: str, snapshot: str, partial: Path, manifest: Manifest) -> Manifest:
    """pg_dump of the snapshot streamed into the partial file; returns the manifest with size and sha256."""
    command = [
        pg_program("pg_dump"),
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--snapshot={snapshot}",
        "--dbname",
        url,
    ]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        with partial.open("xb") as handle:
            writer = DumpWriter(handle)
            assert proc.stdout is not None and proc.stderr is not None  # both are pipes
            while chunk := proc.stdout.read(1 << 20):
                writer.write(chunk)
            if proc.wait() != 0:
                raise BackupFailed(f"pg_dump failed: {proc.stderr.read().decode(errors='replace').strip()}")
            manifest.dump_bytes, manifest.dump_sha256 = writer.size, writer.sha.hexdigest()
            writer.finish(manifest)
    except BaseException:
        proc.kill()
        proc.wait()
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(partial: Path, final: Path) -> None:
    os.replace(partial, final)
    _fsync_dir(final.parent)


async def write_backup(url: str, dest: Path, *, app_version: str) -> tuple[Path, Manifest]:
    """Dump the database at `url` into a backup file at `dest` (a file, or a folder to put a dated file in)."""
    now = dt.datetime.now(dt.UTC)
    final = _target(dest, now)
    partial = partial_name(final)
    conn = await asyncpg.connect(url, server_settings=UTC_SESSION)
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await conn.fetchval(Q.export_snapshot)
            manifest = Manifest(
                format=FORMAT,
                format_version=FORMAT_VERSION,
                created_at=now.isoformat(timespec="seconds"),
                app_version=app_version,
                server_version=await conn.fetchval(Q.server_version),
                migrations=await _migrations(conn),
                tables=await table_states(conn),
                dump_bytes=0,
                dump_sha256="",
            )
            try:
                await asyncio.to_thread(_run_dump, url, snapshot, partial, manifest)
            except OSError as exc:
                raise _disk_error(exc, final.parent) from None
    finally:
        await conn.close()
    _publish(partial, final)
    return final, manifest


def copy_to_mirror(path: Path, mirror: Path) -> Path:
    """A second copy (a USB stick, a network folder), also written under a temporary name first."""
    mirror.mkdir(parents=True, exist_ok=True)
    final = mirror / path.name
    partial = partial_name(final)
    try:
        with path.open("rb") as src, partial.open("xb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
            dst.flush()
            os.fsync(dst.fileno())
        _publish(partial, final)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise _disk_error(exc, mirror) from None
    return final


def prune(folder: Path, keep: int) -> list[str]:
    """Keep the newest `keep` backups of a folder; remove older ones and partial files of dead writers."""
    removed: list[str] = []
    backups = sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())
    for old in backups[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)
        removed.append(old.name)
    for partial in folder.glob(f".{PREFIX}*{PARTIAL}"):
        pid = partial.name[: -len(PARTIAL)].rsplit(".", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            partial.unlink(missing_ok=True)
            removed.append(partial.name)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def run_backup(
    url: str, dest: Path, *, kind: str, keep: int, mirror: Path | None, app_version: str, record: bool = True
) -> BackupReport:
    """One backup: write it, copy it to the mirror, prune both folders, and record it in the database."""
    from services.circulation.backups import record_backup

    started = time.monotonic()
    path, manifest = await write_backup(url, dest, app_version=app_version)
    report = BackupReport(
        path=str(path),
        size=path.stat().st_size,
        seconds=0.0,
        sha256=manifest.dump_sha256,
        counts={name: s.rows for name, s in manifest.tables.items()},
        kind=kind,
    )
    if mirror is not None:
        try:
            report.mirror = str(await asyncio.to_thread(copy_to_mirror, path, mirror))
            report.removed += prune(mirror, keep)
        except BackupFailed as exc:
            report.mirror_error = str(exc)
    if keep and path.parent == dest:
        report.removed += prune(dest, keep)
    report.seconds = round(time.monotonic() - started, 3)
    if record:
        conn = await asyncpg.connect(url)
        try:
            if await conn.fetchval(Q.has_backup_record):  # not before this version's migrations ran
                await record_backup(conn, report)
        finally:
            await conn.close()
    return report
