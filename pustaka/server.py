"""`pustaka up`: prepare the database, seed on first start, and serve the whole system with uvicorn."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
import sys

import asyncpg
import uvicorn
from rich.console import Console

from pustaka import logs, uplock
from pustaka.config import Settings
from pustaka.runtime import build_app, in_process_catalog, prepare_database

log = logging.getLogger("pustaka.server")
err = Console(stderr=True)


async def _first_start(settings: Settings, url: str) -> None:
    from pustaka.seeding import seed
    from services.circulation.staff import add_user

    pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    try:
        async with pool.acquire() as conn:
            has_libraries = await conn.fetchval("SELECT exists (SELECT 1 FROM catalog.libraries)")
            has_admin = await conn.fetchval("SELECT exists (SELECT 1 FROM circulation.staff_users)")
        if not has_libraries:
            err.print("first start: loading Magetan's 38 libraries and their aid packages ...")
            reports = await seed(pool)
            err.print(f"  {sum(r.items_created for r in reports):,} items in {len(reports)} packages")
        if not has_admin:
            password = secrets.token_urlsafe(12)
            async with pool.acquire() as conn:
                await add_user(conn, username="admin", password=password, role="admin", scope=None, actor="setup")
            from services.circulation.staff import add_demo_librarians

            async with pool.acquire() as conn:
                demo = await add_demo_librarians(
                    conn,
                    [
                        (r["code"], r["village"])
                        for r in await conn.fetch("SELECT code, village FROM catalog.libraries ORDER BY code LIMIT 2")
                    ],
                )
            settings.data_dir.mkdir(parents=True, exist_ok=True)  # absent when PUSTAKA_DATABASE_URL is used
            path = settings.data_dir / "admin-password.txt"
            path.write_text(f"admin\n{password}\n")
            path.chmod(0o600)
            demo_path = settings.data_dir / "demo-librarians.txt"
            demo_path.write_text("".join(f"{u} {p} {c}\n" for u, p, c in demo))
            demo_path.chmod(0o600)
            err.print(f"first start: staff user [bold]admin[/bold], password [bold]{password}[/bold] (also in {path})")
            for username, secret, code in demo:
                err.print(f"  demo librarian of {code}: [bold]{username}[/bold], password [bold]{secret}[/bold]")
    finally:
        await pool.close()


def serve(settings: Settings, *, demo: bool = False, workers: int = 1) -> None:
    level = settings.log_level if os.environ.get("PUSTAKA_LOG_LEVEL") else "warning"
    logs.setup(level)
    if settings.embedded and uplock.hold(settings.data_dir) is None:
        err.print(
            f"[red]another `pustaka up` (pid {uplock.holder(settings.data_dir)}) already serves "
            f"{settings.data_dir}[/red]"
        )
        raise SystemExit(2)
    url = asyncio.run(prepare_database(settings))
    asyncio.run(_first_start(settings, url))
    if demo:  # a simulated circulation history, marked as such in every statistic
        from services.circulation.stats.cli import load_demo

        asyncio.run(load_demo(settings, url, in_process_catalog))
    app = build_app(settings, url)
    logs.setup(level)  # again: creating a Litestar app configures logging its own way
    base = f"http://{settings.host}:{settings.port}"
    err.print(
        f"Pustaka Desa is running: open [bold]{base}/[/bold]  (API: {base}/api/catalog/v1/libraries, "
        f"{base}/api/catalog/schema)"
    )
    # uvicorn re-raises SIGTERM after a graceful shutdown; exiting normally instead lets the embedded
    # PostgreSQL be stopped when this was its last user.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    readers: list = []
    sockets = None
    if workers > 1:  # this process writes; the others read (pustaka/workers.py)
        from pustaka import workers as pool_of_workers

        sock = pool_of_workers.listening_socket(settings.host, settings.port)
        sockets = [sock]
        readers = pool_of_workers.start_readers(settings, url, sock, workers - 1, level)
        app = pool_of_workers.WorkerHeader(app, 1)
        err.print(f"  {workers} workers answer on that port (this process, pid {os.getpid()}, writes)")
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)

    async def main() -> None:
        from pustaka.autobackup import backup_forever
        from pustaka.ops_cli import app_version

        backups = asyncio.create_task(
            backup_forever(settings, url, app_version(), settings.backup_check_seconds), name="automatic-backups"
        )
        try:
            await server.serve(sockets=sockets)
        finally:
            backups.cancel()

    try:
        with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:  # uvloop, as uvicorn.run picks it
            runner.run(main())
    finally:
        if readers:
            from pustaka.workers import stop_readers

            stop_readers(readers)
