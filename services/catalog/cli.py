"""Catalogue exchange on the command line: `pustaka export --library CODE --format marcxml|iso2709|dc`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the export command to the `pustaka` command line."""
    app.command()(export)


def export(
    library: Annotated[str, typer.Option("--library", help="library code, e.g. 35.20.01.2002")],
    fmt: Annotated[str, typer.Option("--format", help="marcxml, iso2709 or dc")] = "marcxml",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="write here instead of stdout")] = None,
) -> None:
    """Export a library's catalogue with its copies (852: $a library, $h call number, $p barcode)."""
    from pustaka.commands import _pool, _run, _settings, err
    from services.catalog.export import export_library

    settings = _settings()

    async def main() -> bytes:
        async with _pool(settings) as pool, pool.acquire() as conn:
            return await export_library(conn, library, fmt)

    data = _run(main())
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)
        err.print(f"{library}: {len(data):,} bytes written to {output}")
