"""The `pustaka` command line. `--json` prints one JSON document on stdout; progress and logs go to stderr."""

from __future__ import annotations

import asyncio
import getpass
import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import msgspec
import typer
from rich.console import Console
from rich.table import Table

from pustaka.commands import _pool, _run, _settings, err
from pustaka.errors import AppError
from pustaka.ops_cli import register as register_ops
from pustaka.runtime import in_process_catalog, reporting_model
from services.catalog.cli import register as register_catalog
from services.catalog.stocktake_cli import register as register_stocktake
from services.circulation.cli import register as register_circulation
from services.circulation.stats.cli import register as register_stats
from services.circulation.users_cli import register as register_users
from services.reporting.cli import register as register_reporting

app = typer.Typer(
    help="Pustaka Desa: catalogue and circulation for village libraries.", no_args_is_help=True, add_completion=False
)
user_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
app.add_typer(user_app, name="user")
out = Console()


@app.command()
def migrate() -> None:
    """Apply pending migrations."""
    settings = _settings()

    async def main() -> None:
        async with _pool(settings):
            pass

    _run(main())
    err.print("migrations applied")


@app.command()
def seed(libraries_only: Annotated[bool, typer.Option("--libraries-only")] = False) -> None:
    """Load seeds/: Magetan's 38 libraries and their aid packages (idempotent)."""
    from pustaka.seeding import seed as run_seed

    settings = _settings()

    def report(r) -> None:
        state = "already ingested" if r.already_ingested else f"{r.items_created} items"
        err.print(f"  {r.library}: {r.titles} titles, {state}, {len(r.rejected)} rows for review")

    async def main() -> None:
        async with _pool(settings) as pool:
            await run_seed(pool, libraries_only=libraries_only, on_package=report)

    _run(main())


@app.command()
def libraries(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List libraries: code, name, kind, kecamatan, kabupaten."""
    from services.catalog import views

    settings = _settings()

    async def main():
        async with _pool(settings) as pool, pool.acquire() as conn:
            return await views.libraries(conn)

    rows = _run(main())
    if as_json:
        sys.stdout.write(
            json.dumps(
                [{k: getattr(r, k) for k in ("code", "name", "kind", "kecamatan", "kabupaten")} for r in rows],
                ensure_ascii=False,
            )
            + "\n"
        )
        return
    table = Table("code", "name", "kind", "kecamatan", "kabupaten")
    for r in rows:
        table.add_row(r.code, r.name, r.kind, r.kecamatan, r.kabupaten)
    out.print(table)


@app.command()
def ingest(
    file: Annotated[Path, typer.Argument(help="the manifest: CSV, XLSX, JSON, or MARC21 (ISO 2709, MARCXML, OAI-PMH)")],
    library: Annotated[str, typer.Option("--library", help="library code, e.g. 35.20.01.2001")],
    year: Annotated[int | None, typer.Option("--year", help="program year of the aid package")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check the file; store nothing")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Ingest an aid-package manifest. Exit 0: all rows accepted; 1: some rejected; 2: unusable input."""
    from pustaka.progress import IngestProgress
    from services.catalog.cli import command_catalogue, command_staff
    from services.catalog.ingest import Delivery
    from services.catalog.ingest import ingest as ingest_delivery

    settings = _settings()
    try:
        handle = file.open("rb")  # read in pieces by the ingest: a large manifest is not loaded whole
    except OSError as exc:
        err.print(f"[red]cannot read {file}:[/red] {exc.strerror}")
        raise typer.Exit(2) from None

    async def main():
        async with command_catalogue(settings) as catalogue:
            with IngestProgress(err) as progress, handle:
                delivery = Delivery(library, handle, file.name, program_year=year, dry_run=dry_run)
                return await ingest_delivery(catalogue, command_staff(), delivery, progress=progress.update)

    try:
        report = asyncio.run(main())
    except AppError as exc:  # an unusable manifest too: the ingest refuses it as `Invalid`
        err.print(f"[red]{exc.code}:[/red] {exc.detail}")
        if as_json:
            sys.stdout.write(json.dumps({"error": {"code": exc.code, "message": str(exc)}}) + "\n")
        raise typer.Exit(2) from None
    if as_json:
        sys.stdout.write(msgspec.json.encode(report).decode() + "\n")
    else:
        _print_report(report, dry_run)
    raise typer.Exit(1 if report.rejected else 0)


def _print_report(report, dry_run: bool) -> None:
    head = "[yellow]dry run:[/yellow] " if dry_run else ""
    if report.already_ingested:
        out.print(
            f"{head}this file was already ingested for {report.library} as package {report.package_id}; "
            "nothing new was created"
        )
    out.print(
        f"{head}{report.library}: {report.rows} rows read, {report.accepted_rows} accepted, "
        f"{report.titles} titles, {report.items_created} items created, "
        f"{report.duplicates_merged} duplicate rows merged, {report.recovered_isbns} ISBNs recovered, "
        f"{len(report.rejected)} rejected"
    )
    if report.repaired:
        out.print(
            f"{len(report.repaired)} repairs in {len({r.row for r in report.repaired})} accepted records "
            "(see --json for each)"
        )
    if report.rejected:
        table = Table("row", "field", "value", "code", "reason", title="Rejected rows (kept for review)")
        for r in report.rejected:
            table.add_row(str(r.row), r.field, r.value, r.code, r.message)
        out.print(table)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="user name")],
    role: Annotated[str, typer.Option("--role", help="admin, district or librarian")],
    scope: Annotated[str | None, typer.Option("--scope", help="kabupaten code (district) or library code")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
) -> None:
    """Create a staff account (or reset its password)."""
    from services.circulation.staff import add_user

    settings = _settings()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            err.print("[red]the passwords differ[/red]")
            raise typer.Exit(2)

    async def main():
        async with _pool(settings) as pool, pool.acquire() as conn:
            return await add_user(
                conn, username=name, password=password, role=role, scope=scope, actor=f"cli:{getpass.getuser()}"
            )

    staff = _run(main())
    err.print(f"user {staff.username} ({staff.role}{' ' + staff.scope if staff.scope else ''}) is ready")


@app.command()
def reindex(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Rebuild the search index from PostgreSQL without downtime (build aside, then swap)."""
    from search.commands import reindex as run_reindex

    settings = _settings()

    async def main():
        async with _pool(settings) as pool:
            return await run_reindex(settings, pool)

    report = _run(main())
    if as_json:
        sys.stdout.write(msgspec.json.encode(report).decode() + "\n")
    else:
        err.print(report.message)


@app.command()
def indexer() -> None:
    """Keep Meilisearch in step with PostgreSQL: drain the search outbox until stopped (compose runs this)."""
    from search.commands import run_indexer

    settings = _settings()
    if not settings.meili_url:
        err.print(
            "[red]pustaka indexer needs PUSTAKA_MEILI_URL:[/red] the embedded index lives in the "
            "`pustaka up` process, which drains the outbox itself"
        )
        raise typer.Exit(2)

    async def main() -> None:
        async with _pool(settings) as pool:
            await run_indexer(settings, pool)

    err.print(f"indexing into Meilisearch at {settings.meili_url}; Ctrl-C stops")
    _run(main())


@app.command()
def up(
    demo: Annotated[bool, typer.Option("--demo", help="also load a simulated circulation history")] = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=16,
            envvar="PUSTAKA_WORKERS",
            help="processes answering HTTP (one writes; pustaka/workers.py)",
        ),
    ] = 1,
) -> None:
    """Serve everything on the embedded defaults; migrate and seed on first start."""
    from pustaka.server import serve

    serve(_settings(), demo=demo, workers=workers)


register_circulation(app, in_process_catalog)  # member, checkout, checkin, renew, hold, overdue
register_stats(app)  # simulate
register_reporting(app, reporting_model)  # stats
register_stocktake(app)  # stocktake start|scan|finish
register_users(user_app)  # user list, disable, enable, set-scope, reset-password
register_catalog(app)  # export
register_ops(app)  # init, backup, restore


def main() -> None:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    from pustaka.logs import quiet_libraries

    quiet_libraries()  # e.g. `pustaka simulate`: no line per internal request
    app()
