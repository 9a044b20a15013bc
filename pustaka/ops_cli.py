"""`pustaka init`, `pustaka backup` and `pustaka restore`: running the system for years."""

from __future__ import annotations

import asyncio
import os
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import asyncpg
import msgspec
import typer
from rich.console import Console

err = Console(stderr=True)


def app_version() -> str:
    return version("pustaka-desa")


def _settings():
    from pustaka.commands import _settings as settings

    return settings()


def _emit(report, as_json: bool, text: str) -> None:
    if as_json:
        sys.stdout.write(msgspec.json.encode(report).decode() + "\n")
    else:
        err.print(text)


def _refuse(message: str, as_json: bool, code: str) -> None:
    err.print(f"[red]{code}:[/red] {message}")
    if as_json:
        sys.stdout.write(msgspec.json.encode({"error": {"code": code, "message": message}}).decode() + "\n")
    raise typer.Exit(2)


def init_command(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """First run: migrate, load the libraries, create the first admin from PUSTAKA_ADMIN_PASSWORD(_FILE)."""
    from pustaka.database import application_url, ensure_database
    from pustaka.errors import AppError
    from pustaka.first_run import InitRefused, admin_password, initialise
    from pustaka.migrations import migrate

    settings = _settings()

    async def main():
        url = application_url(settings)
        await ensure_database(url)
        conn = await asyncpg.connect(url)
        try:
            applied = await migrate(conn)
            report = await initialise(conn, applied=applied, password=admin_password(dict(os.environ)))
        finally:
            await conn.close()
        if settings.meili_url:  # an empty index, so that the OPAC answers "nothing found" before the first package
            from search import backend_for

            backend = backend_for(settings)
            try:
                await backend.ensure_index()
            finally:
                await backend.close()
        return report

    try:
        report = asyncio.run(main())
    except InitRefused as exc:
        _refuse(str(exc), as_json, "init_refused")
    except AppError as exc:  # e.g. a first admin's password that is too short
        _refuse(f"the first admin cannot be created: {exc.detail}", as_json, exc.code)
    _emit(
        report,
        as_json,
        f"ready: {len(report.migrations_applied)} migrations applied, {report.libraries} "
        f"libraries, admin user [bold]{report.admin}[/bold] "
        f"{'created' if report.admin_created else 'already there'}",
    )


def backup_command(
    path: Annotated[
        Path | None, typer.Argument(help="a file, or a folder for a dated file (default: PUSTAKA_BACKUP_DIR)")
    ] = None,
    verify: Annotated[
        Path | None,
        typer.Option("--verify", help="restore FILE into a scratch database and compare every table; change nothing"),
    ] = None,
    schedule: Annotated[
        bool,
        typer.Option(
            "--schedule",
            help="keep running: back up daily and after each ingest, as `pustaka up` does (compose runs this)",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Back up the whole state into one file (consistent while the system serves), or --verify one."""
    from pustaka.backup import BackupFailed, run_backup
    from pustaka.backup_file import BackupRefused
    from pustaka.database import application_url, ensure_database, server_url
    from pustaka.pgtools import ToolMissing
    from pustaka.restore import verify_backup

    settings = _settings()
    try:
        if verify is not None:
            report = asyncio.run(verify_backup(verify, server_url(settings)))
            _emit(
                report,
                as_json,
                f"{verify.name}: {report.tables} tables, {report.rows:,} rows "
                + ("restored and equal to the manifest" if report.ok else "DIFFER: " + "; ".join(report.mismatches)),
            )
            raise typer.Exit(0 if report.ok else 1)
        url = application_url(settings)
        asyncio.run(ensure_database(url))
        if schedule:
            _run_schedule(settings, url)
            return
        written = asyncio.run(
            run_backup(
                url,
                path or settings.backup_dir,
                kind="manual",
                keep=settings.backup_keep,
                mirror=settings.backup_mirror,
                app_version=app_version(),
            )
        )
    except (BackupRefused, BackupFailed, ToolMissing, asyncpg.PostgresError) as exc:
        _refuse(str(exc), as_json, "backup_refused" if isinstance(exc, BackupRefused) else "backup_failed")
    rows = sum(written.counts.values())
    _emit(
        written,
        as_json,
        f"backup written: {written.path} ({written.size:,} bytes, {rows:,} rows, "
        f"{written.seconds:.1f} s)"
        + (f"; copy in {written.mirror}" if written.mirror else "")
        + (f"; [yellow]no second copy:[/yellow] {written.mirror_error}" if written.mirror_error else ""),
    )


def _run_schedule(settings, url: str) -> None:
    """The automatic backups of `pustaka up`, alone, until SIGTERM or Ctrl-C."""
    import contextlib
    import signal

    from pustaka import logs
    from pustaka.autobackup import backup_forever

    logs.setup(settings.log_level)

    async def main() -> None:
        task = asyncio.create_task(backup_forever(settings, url, app_version(), settings.backup_check_seconds))
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, task.cancel)
        with contextlib.suppress(asyncio.CancelledError):
            await task

    err.print(
        f"automatic backups into {settings.backup_dir}"
        + (f" and {settings.backup_mirror}" if settings.backup_mirror else "")
        + f", keeping {settings.backup_keep}; Ctrl-C stops"
    )
    asyncio.run(main())


def restore_command(
    file: Annotated[Path, typer.Argument(help="a backup file made by `pustaka backup`")],
    force: Annotated[bool, typer.Option("--force", help="replace a database that holds data")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Restore a backup into this data folder or database (refuses to replace data unless --force)."""
    from pustaka import uplock
    from pustaka.backup_file import BackupRefused, read_manifest
    from pustaka.database import application_url
    from pustaka.pgtools import ToolMissing
    from pustaka.restore import RestoreRefused, restore_backup

    settings = _settings()
    try:
        read_manifest(file)  # a bad file is refused before any server is started
        if settings.embedded and (pid := uplock.holder(settings.data_dir)) is not None:
            raise RestoreRefused(f"`pustaka up` (pid {pid}) is serving {settings.data_dir}: stop it, then restore")
        report = asyncio.run(restore_backup(file, application_url(settings), force=force))
        report.search = asyncio.run(_rebuild_search(settings))
    except (BackupRefused, RestoreRefused, ToolMissing, asyncpg.PostgresError) as exc:
        _refuse(str(exc), as_json, "restore_refused")
    _emit(
        report,
        as_json,
        f"restored {file.name} (made {report.created_at}): {sum(report.counts.values()):,} rows "
        f"in {len(report.counts)} tables, counts verified; "
        f"{len(report.migrations_applied)} migrations applied; {report.search}",
    )


async def _rebuild_search(settings) -> str:
    if not settings.meili_url:
        return "the search index is built from the restored data when `pustaka up` starts"
    from pustaka.database import application_url
    from search import backend_for
    from search.indexer import rebuild_from_database

    pool = await asyncpg.create_pool(application_url(settings), min_size=1, max_size=2)
    backend = backend_for(settings)
    try:
        return f"search index rebuilt: {await rebuild_from_database(pool, backend):,} documents"
    finally:
        await backend.close()
        await pool.close()


def register(app: typer.Typer) -> None:
    app.command("init")(init_command)
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
