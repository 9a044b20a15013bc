"""What every command of the `pustaka` command line shares: settings checked with a message, a pool on the
migrated database, and a refusal printed instead of a traceback."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

import asyncpg
import typer
from rich.console import Console

from pustaka.config import ConfigError, Settings, load_settings
from pustaka.errors import AppError
from pustaka.migrations import prepare_database

err = Console(stderr=True)


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        err.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2) from None


@asynccontextmanager
async def _pool(settings: Settings):
    url = await prepare_database(settings)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4, server_settings={"application_name": "pustaka-cli"})
    try:
        yield pool
    finally:
        await pool.close()


def _run(coro):
    try:
        return asyncio.run(coro)
    except AppError as exc:
        err.print(f"[red]{exc.code}:[/red] {exc.detail}")
        raise typer.Exit(2) from None
