"""`pustaka stocktake start --library CODE | scan ID FILE | finish ID [--mark-missing-lost]`, each with
`--json` (the same answer as the HTTP API, alone on stdout). The commands act as an admin: whoever can run
them owns the data folder. Exit codes: 0 done, 2 refused (the code and reason on stderr)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import msgspec
import typer
from rich.console import Console

from pustaka.config import ConfigError, load_settings
from pustaka.errors import AppError
from services.catalog.cli import command_catalogue, command_staff
from services.catalog.service import Catalogue

stocktake_app = typer.Typer(help="Stock-taking (stock opname): start, scan, finish.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)
Json = Annotated[bool, typer.Option("--json", help="print one JSON document on stdout")]


def register(app: typer.Typer) -> None:
    app.add_typer(stocktake_app, name="stocktake")


T = TypeVar("T")


def _run(use: Callable[[Catalogue], Awaitable[T]]) -> T:
    """Run a use case on the data folder's catalogue; refusals exit with 2."""

    async def main() -> T:
        try:
            settings = load_settings()
        except ConfigError as exc:
            err.print(f"[red]configuration error:[/red] {exc}")
            raise typer.Exit(2) from None
        async with command_catalogue(settings) as catalogue:
            return await use(catalogue)

    try:
        return asyncio.run(main())
    except AppError as exc:
        err.print(f"[red]{exc.code}:[/red] {exc.detail}")
        raise typer.Exit(2) from None


def _print(result, as_json: bool, text: str) -> None:
    if as_json:
        print(msgspec.json.encode(result).decode())
    else:
        out.print(text)


@stocktake_app.command("start")
def start(library: Annotated[str, typer.Option("--library", help="library code")], as_json: Json = False) -> None:
    """Start a stock-take of a library (a snapshot of the copies expected on its shelves)."""
    from services.catalog import stocktake

    started = _run(lambda catalogue: stocktake.start(catalogue, command_staff(), library.strip()))
    _print(
        started,
        as_json,
        f"stock-take {started.id} of {started.library} started: {started.expected} copies "
        f"expected on the shelves, {started.on_loan} on loan",
    )


@stocktake_app.command("scan")
def scan(
    stocktake_id: Annotated[int, typer.Argument(metavar="ID")],
    file: Annotated[Path, typer.Argument(metavar="FILE", help="a scanner's text file, one barcode a line")],
    run: Annotated[str | None, typer.Option("--run", help="name of this walk along the shelves")] = None,
    as_json: Json = False,
) -> None:
    """Record the barcodes of a scanner's text file."""
    from services.catalog import stocktake
    from services.catalog.stocktake_api import barcodes_of_file

    try:
        barcodes = barcodes_of_file(file.read_bytes())
    except OSError as exc:
        err.print(f"[red]file_unreadable:[/red] {exc}")
        raise typer.Exit(2) from None
    result = _run(
        lambda catalogue: stocktake.scan(catalogue, command_staff(), stocktake_id, barcodes, run or file.name)
    )
    _print(
        result,
        as_json,
        f"{result.scanned} scans: {result.accepted} accepted, {len(result.duplicates)} "
        f"scanned before, {len(result.unexpected)} unexpected, {len(result.unknown)} unknown",
    )


@stocktake_app.command("finish")
def finish(
    stocktake_id: Annotated[int, typer.Argument(metavar="ID")],
    mark_missing_lost: Annotated[bool, typer.Option("--mark-missing-lost")] = False,
    as_json: Json = False,
) -> None:
    """Finish a stock-take and print its report; optionally write the missing copies off as lost."""
    from services.catalog import stocktake

    report = _run(lambda catalogue: stocktake.finish(catalogue, command_staff(), stocktake_id, mark_missing_lost))
    expected = report.expected + len(report.added_during)
    _print(
        report,
        as_json,
        f"stock-take {report.id} finished: {report.found} of {expected} found, "
        f"{len(report.missing)} missing ({len(report.marked_lost)} marked lost), {len(report.on_loan)} on loan, "
        f"{len(report.unexpected)} unexpected, {len(report.unknown)} unknown, "
        f"{len(report.misshelved)} mis-shelved",
    )
