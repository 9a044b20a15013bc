"""Circulation on the command line: `pustaka member ...`, `checkout`, `checkin`, `renew`, `hold ...`,
`overdue`. `--json` prints the same answer the HTTP API gives, and nothing else, on stdout.

The commands act as an admin (whoever can run them owns the data folder) and write the same events,
audit rows and outbox entries as the desk does; the outbox is drained before the command ends.
"""

from __future__ import annotations

import asyncio
import getpass
import sys
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import asyncpg
import msgspec
import typer
from rich.console import Console

from pustaka.access import Staff
from pustaka.config import ConfigError, Settings, load_settings
from pustaka.errors import AppError

member_app = typer.Typer(help="Members (anggota): add, import, show.", no_args_is_help=True)
hold_app = typer.Typer(help="Holds: place, cancel, list.", no_args_is_help=True)
err = Console(stderr=True)
Json = Annotated[bool, typer.Option("--json", help="print one JSON document on stdout")]
Library = Annotated[str, typer.Option("--library", help="library code, e.g. 35.20.01.2002")]


CatalogAppFactory = Callable[[Settings, str, asyncpg.Pool], Any]
_catalog_app: CatalogAppFactory = lambda settings, url, pool: None  # noqa: E731  (set by `register`)


def register(app: typer.Typer, catalog_app: CatalogAppFactory) -> None:
    """Add the circulation commands to the `pustaka` command line. `catalog_app` gives the catalogue app of
    this process (the embedded default), or None when the catalogue is reached over HTTP."""
    global _catalog_app
    _catalog_app = catalog_app
    app.add_typer(member_app, name="member")
    app.add_typer(hold_app, name="hold")
    for command in (checkout, checkin, renew, overdue):
        app.command()(command)


def _staff() -> Staff:
    return Staff(f"cli:{getpass.getuser()}", "admin", None)


@asynccontextmanager
async def _circulation():
    """The circulation service for one command (its own pool and catalogue client, the real Jakarta
    clock); item statuses are sent to the catalogue before it ends."""
    from kernel.clock import JakartaClock
    from pustaka.migrations import prepare_database
    from services.circulation.app import catalog_client
    from services.circulation.relay import OutboxRelay
    from services.circulation.service import Circulation

    settings = load_settings()
    url = await prepare_database(settings)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    catalog = catalog_client(settings, _catalog_app(settings, url, pool))
    circulation = Circulation(pool, catalog, JakartaClock())
    try:
        yield circulation
    finally:
        await circulation.aclose()
        try:
            await asyncio.wait_for(OutboxRelay(pool, catalog).drain(), timeout=5)
        except Exception:  # noqa: BLE001 - left in the outbox, the server's relay sends it later
            err.print("[yellow]the catalogue was not told yet; the server will tell it[/yellow]")
        await catalog.aclose()
        await pool.close()


def _finish(answer: Any, as_json: bool, human: str) -> None:
    if as_json:
        sys.stdout.write(msgspec.json.encode(answer).decode() + "\n")
    else:
        Console().print(human)


def _run(coro, as_json: bool) -> Any:
    """Run a command; a refusal prints its code (and, with --json, an error document) and exits 1."""
    try:
        return asyncio.run(coro)
    except ConfigError as exc:
        err.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2) from None
    except AppError as exc:
        err.print(f"[red]{exc.code}:[/red] {exc.detail}")
        if as_json:
            sys.stdout.write(
                msgspec.json.encode(
                    {"error": {"code": exc.code, "message": exc.detail, "field": exc.field, **exc.extra}}
                ).decode()
                + "\n"
            )
        raise typer.Exit(1) from None


async def _use(use_case, *args) -> Any:
    """Run a use case as the HTTP handlers do: `use_case(circulation, staff, *args)`."""
    async with _circulation() as circulation:
        return await use_case(circulation, _staff(), *args)


@member_app.command("add")
def member_add(
    name: Annotated[str, typer.Argument(help="full name")],
    library: Library,
    birth_year: Annotated[int, typer.Option("--birth-year")],
    gender: Annotated[str, typer.Option("--gender", help="L (laki-laki) or P (perempuan)")],
    disability: Annotated[bool, typer.Option("--disability", help="the member has a disability")] = False,
    contact: Annotated[str | None, typer.Option("--contact", help="phone or address")] = None,
    as_json: Json = False,
) -> None:
    """Register a member; prints the member number for the card."""
    from services.circulation import members
    from services.circulation.domain.members import parse_gender

    async def main():
        order = members.Registration(name, library, birth_year, parse_gender(gender), disability, contact)
        return await _use(members.register_member, order)

    m = _run(main(), as_json)
    _finish(m, as_json, f"member [bold]{m.member_number}[/bold]: {m.name} ({m.category}), valid until {m.expires_on}")


@member_app.command("import")
def member_import(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX member list")], library: Library, as_json: Json = False
) -> None:
    """Import a member list; exit 1 when some rows were rejected (the others are imported)."""
    from services.circulation import members

    async def main():
        return await _use(members.import_members, members.MemberList(library, file.read_bytes(), file.name))

    report = _run(main(), as_json)
    lines = [f"{report.imported} of {report.rows} rows imported into {report.library}"]
    lines += [f"  row {r.row}: {r.field} '{r.value}' {r.code}: {r.message}" for r in report.rejected]
    _finish(report, as_json, "\n".join(lines))
    raise typer.Exit(1 if report.rejected else 0)


@member_app.command("show")
def member_show(number: Annotated[str, typer.Argument()], as_json: Json = False) -> None:
    """A member and their open loans."""
    from services.circulation import members

    shown = _run(_use(members.show_member, number), as_json)
    m = shown.member
    loans = "".join(f"\n  {x.item_barcode} {x.title} due {x.due_date}" for x in shown.open_loans)
    _finish(shown, as_json, f"{m.member_number} {m.name} ({m.category}, {m.status}, until {m.expires_on}){loans}")


def checkout(
    barcode: Annotated[str, typer.Argument()], member: Annotated[str, typer.Argument()], as_json: Json = False
) -> None:
    """Check out a copy to a member."""
    from services.circulation import lending

    loan = _run(_use(lending.check_out, lending.CheckOut(barcode, member)), as_json)
    _finish(loan, as_json, f"loan {loan.loan_id}: {loan.title} to {loan.member_number}, due {loan.due_date}")


def checkin(barcode: Annotated[str, typer.Argument()], as_json: Json = False) -> None:
    """Check in a copy; says when a member is waiting for it."""
    from services.circulation import lending

    back = _run(_use(lending.check_in, lending.CopyScan(barcode)), as_json)
    note = (
        f"; [bold]keep it for {back.hold_waiting.name or '—'} ({back.hold_waiting.member_number})[/bold] until "
        f"{back.hold_waiting.pickup_by}"
        if back.hold_waiting
        else ""
    )
    _finish(back, as_json, f"loan {back.loan_id} returned, {back.late_days} days late{note}")


def renew(loan_id: Annotated[int, typer.Argument()], as_json: Json = False) -> None:
    """Renew a loan."""
    from services.circulation import lending

    renewal = _run(_use(lending.renew, loan_id), as_json)
    _finish(
        renewal,
        as_json,
        f"loan {renewal.loan_id} renewed: due {renewal.due_date}, {renewal.renewals_left} renewals left",
    )


@hold_app.command("place")
def hold_place(
    isbn: Annotated[str, typer.Argument(help="ISBN-13")],
    member: Annotated[str, typer.Argument()],
    library: Library,
    as_json: Json = False,
) -> None:
    """Put a member in the queue for a title."""
    from services.circulation import holds

    hold = _run(_use(holds.place_hold, holds.HoldRequest(isbn, member, library)), as_json)
    where = (
        f"copy {hold.item_barcode} set aside until {hold.pickup_by}"
        if hold.item_barcode
        else f"position {hold.position} in the queue"
    )
    _finish(hold, as_json, f"hold {hold.hold_id} on {hold.title}: {where}")


@hold_app.command("cancel")
def hold_cancel(hold_id: Annotated[int, typer.Argument()], as_json: Json = False) -> None:
    """Cancel a hold."""
    from services.circulation import holds

    hold = _run(_use(holds.cancel_hold, hold_id), as_json)
    _finish(hold, as_json, f"hold {hold.hold_id} cancelled")


@hold_app.command("list")
def hold_list(library: Library, as_json: Json = False) -> None:
    """A library's holds in queue order."""
    from services.circulation import holds

    found = _run(_use(holds.library_holds, library, None), as_json)
    _finish(
        found,
        as_json,
        "\n".join(
            f"{h.hold_id} {h.status} {h.isbn13} {h.title} {h.member_number} {h.item_barcode or ''}" for h in found
        )
        or "no holds",
    )


def overdue(library: Library, as_json: Json = False) -> None:
    """Open loans of a library past their due date, with whom to remind."""
    from services.circulation import lending

    found = _run(_use(lending.overdue, library), as_json)
    _finish(
        found,
        as_json,
        "\n".join(
            f"{o.days_overdue:>3} days  {o.item_barcode} {o.title}  {o.member_number} {o.name or '—'} {o.contact or ''}"
            for o in found
        )
        or "nothing is overdue",
    )
