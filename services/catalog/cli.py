"""The catalogue on the command line: `pustaka export --library CODE --format marcxml|iso2709|dc`, and the
`Catalogue` every catalogue command (`pustaka ingest`, `pustaka stocktake …`) runs its use case on.

The commands act as an admin: whoever can run them owns the data folder."""

from __future__ import annotations

import getpass
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

import asyncpg
import typer

from pustaka.access import Staff
from pustaka.config import Settings
from services.catalog.service import Catalogue


def register(app: typer.Typer) -> None:
    """Add the export command to the `pustaka` command line."""
    app.command()(export)


def command_staff() -> Staff:
    """Who a command acts as: the system user, as an admin."""
    return Staff(f"cli:{getpass.getuser()}", "admin", None)


@asynccontextmanager
async def command_catalogue(settings: Settings) -> AsyncIterator[Catalogue]:
    """The catalogue for one command: its own small pool on the data folder's database, the Jakarta clock."""
    from kernel.clock import JakartaClock
    from pustaka.migrations import prepare_database

    url = await prepare_database(settings)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4, server_settings={"application_name": "pustaka-cli"})
    try:
        yield Catalogue(pool, JakartaClock())
    finally:
        await pool.close()


def export(
    library: Annotated[str, typer.Option("--library", help="library code, e.g. 35.20.01.2002")],
    fmt: Annotated[str, typer.Option("--format", help="marcxml, iso2709 or dc")] = "marcxml",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write here instead of stdout")] = None,
) -> None:
    """Export a library's catalogue with its copies (852: $a library, $h call number, $p barcode)."""
    from pustaka.commands import _run, _settings, err
    from services.catalog.export import export_library

    settings = _settings()

    async def main() -> bytes:
        async with command_catalogue(settings) as catalogue:
            return await export_library(catalogue, library, fmt)

    data = _run(main())
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)
        err.print(f"{library}: {len(data):,} bytes written to {output}")
