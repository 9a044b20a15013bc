"""`pustaka stats --scope S --from D --to D`: the statistics report on the command line, through the same
use case as GET /api/circulation/v1/stats (reports.statistics); `--json` prints the same document, and
`--format csv|xlsx --output FILE` writes the same file as GET /stats/export. The command acts as an admin
(whoever can run it owns the data folder)."""

from __future__ import annotations

import asyncio
import getpass
import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Annotated

import msgspec
import typer
from rich.console import Console
from rich.table import Table

from pustaka.access import Staff
from pustaka.config import ConfigError
from pustaka.errors import AppError
from services.reporting import reports
from services.reporting.freshness import ReadModel

OpenModel = Callable[[], AbstractAsyncContextManager[ReadModel]]
SHOWN = ("loans", "returns", "active_borrowers", "members", "visits", "collection_items", "turnover")
err = Console(stderr=True)


def _staff() -> Staff:
    return Staff(f"cli:{getpass.getuser()}", "admin", None)


def _human(report) -> None:
    table = Table(title=f"{report.scope} {report.from_} .. {report.to}{' (simulasi)' if report.simulated else ''}")
    for column in ("period", *SHOWN):
        table.add_column(column, justify="left" if column == "period" else "right")
    for g in report.groups:
        table.add_row(g.period, *("-" if g.indicators[c] is None else str(g.indicators[c]) for c in SHOWN))
    Console().print(table)


def register(app: typer.Typer, open_model: OpenModel) -> None:
    """Add `pustaka stats`; `open_model` (from the composition root) opens the read model for one command."""

    @app.command("stats")
    def stats_command(
        scope: Annotated[str, typer.Option("--scope", help="library:CODE, kecamatan:CODE or kabupaten:CODE")],
        from_: Annotated[str, typer.Option("--from", help="first day, YYYY-MM-DD (Asia/Jakarta)")],
        to: Annotated[str, typer.Option("--to", help="last day, YYYY-MM-DD, inclusive")],
        group_by: Annotated[str, typer.Option("--group-by", help="day, month or year")] = "month",
        breakdown: Annotated[str | None, typer.Option("--breakdown", help="e.g. category,library")] = None,
        fmt: Annotated[str | None, typer.Option("--format", help="csv or xlsx: write the export file")] = None,
        output: Annotated[Path | None, typer.Option("--output", help="where --format writes")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="print one JSON document on stdout")] = False,
    ) -> None:
        """Indicators of a library, kecamatan or kabupaten over a range (as GET /stats answers them)."""
        query = reports.StatsQuery(scope, from_, to, group_by, breakdown)

        async def main():
            async with open_model() as model:
                if fmt is not None:
                    return await reports.export_statistics(model, _staff(), query, fmt)
                return await reports.statistics(model, _staff(), query)

        try:
            answer = asyncio.run(main())
        except ConfigError as exc:
            err.print(f"[red]configuration error:[/red] {exc}")
            raise typer.Exit(2) from None
        except AppError as exc:
            err.print(f"[red]{exc.code}:[/red] {exc.detail}")
            if as_json:
                error = {"code": exc.code, "message": exc.detail, "field": exc.field}
                sys.stdout.write(msgspec.json.encode({"error": error}).decode() + "\n")
            raise typer.Exit(1) from None
        if isinstance(answer, reports.ReportFile):
            target = output or Path(answer.name)
            target.write_bytes(answer.content)
            err.print(f"wrote {target}")
        elif as_json:
            sys.stdout.write(msgspec.json.encode(answer).decode() + "\n")
        else:
            _human(answer)
