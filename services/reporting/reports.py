"""The report use cases, one function each, called the same way by the HTTP handlers (api.py) and any
command line: check the query and the caller's right to read the scope (pustaka.access), make sure the
read model is fresh (by asking the write side's upkeep, see freshness.py: never by writing), then read in
one read-only transaction. Each reads the day it runs on from the model's clock (Asia/Jakarta)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager

import asyncpg
import msgspec

from pustaka.access import Staff, may_read_scope
from pustaka.errors import Forbidden, Invalid, NotFound
from services.reporting import domain, exports, pdf, views
from services.reporting.domain import Scope
from services.reporting.freshness import ReadModel
from services.reporting.queries import reports as q
from services.reporting.queries.reports import Library

SNAPSHOT_SECONDS = 600
"""A holdings snapshot is good this long (the read model's contract: circulation's directory.REFRESH_SECONDS)."""
FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class StatsQuery(msgspec.Struct):
    """GET /stats and its export: a scope (library:CODE, kecamatan:CODE, kabupaten:CODE) over [from, to]."""

    scope: str
    from_: str
    to: str
    group_by: str = "month"
    breakdown: str | None = None


class ReportFile(msgspec.Struct):
    """A file to hand on: its name, media type and bytes."""

    name: str
    media_type: str
    content: bytes


class LibraryRollup(msgspec.Struct):
    scope: str
    from_: dt.date = msgspec.field(name="from")
    to: dt.date
    quiet_days: int = 30
    libraries: list[dict] = msgspec.field(default_factory=list)
    quiet: list[dict] = msgspec.field(default_factory=list)
    simulated: bool = False


class IplmTable(msgspec.Struct):
    scope: str
    from_: dt.date = msgspec.field(name="from")
    to: dt.date
    simulated: bool = False
    columns: list[str] = msgspec.field(default_factory=list)
    rows: list[dict] = msgspec.field(default_factory=list)


def _date(text: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid("date_invalid", f"'{text}' is not a date of the form YYYY-MM-DD", field=field) from None


def _format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> str:
    if fmt not in allowed:
        raise Invalid("format_invalid", f"format must be one of {', '.join(allowed)}", field="format")
    return fmt


def _checked(staff: Staff, scope_text: str, from_: str, to: str) -> tuple[Scope, dt.date, dt.date]:
    """The scope and range asked, once the caller may read the scope."""
    scope = domain.parse_scope(scope_text)
    start, end = _date(from_, "from"), _date(to, "to")
    domain.check_range(start, end)
    if not may_read_scope(staff, scope.kind, scope.code):
        raise Forbidden(
            "scope_forbidden", f"{staff.username} ({staff.role}) may not read statistics of {scope}", field="scope"
        )
    return scope, start, end


async def _libraries(model: ReadModel, scope: Scope, today: dt.date) -> list[Library]:
    """The scope's libraries, once the read model is fresh: the directory knows the scope and has a recent
    holdings snapshot of today of each library, and every committed event is folded. What is missing is asked of
    the upkeep (both waits at once, bounded); a 404 problem when no library is known in the scope."""
    async with model.pool.acquire() as conn:
        libraries = await q.libraries_in(conn, kind=scope.kind, code=scope.code)
        stale = not libraries or await q.snapshot_missing(
            conn, libraries=[lib.code for lib in libraries], today=today, fresh_seconds=SNAPSHOT_SECONDS
        )
        unfolded = await q.unfolded(conn)
    if model.freshness is not None and (stale or unfolded):
        waits: list[Awaitable[None]] = []
        if stale:
            waits.append(model.freshness.directory_fresh())
        if unfolded:
            waits.append(model.freshness.events_folded())
        await asyncio.gather(*waits)
        if stale:
            async with model.pool.acquire() as conn:
                libraries = await q.libraries_in(conn, kind=scope.kind, code=scope.code)
    if not libraries:
        raise NotFound("scope_not_found", f"no library is known in {scope}", field="scope")
    return libraries


@asynccontextmanager
async def _reading(model: ReadModel) -> AsyncIterator[asyncpg.Connection]:
    """One read-only transaction on one snapshot: every figure of a report agrees with the others."""
    async with model.pool.acquire() as conn, conn.transaction(readonly=True, isolation="repeatable_read"):
        yield conn


async def statistics(model: ReadModel, staff: Staff, query: StatsQuery) -> views.Report:
    """Indicators of a library, kecamatan or kabupaten over [from, to], per day, month or year, with the
    breakdowns asked."""
    today = model.clock.today()
    group_by = domain.parse_grouping(query.group_by)
    breakdowns = domain.parse_breakdowns(query.breakdown, domain.parse_scope(query.scope))
    scope, start, end = _checked(staff, query.scope, query.from_, query.to)
    libraries = await _libraries(model, scope, today)
    held = []
    if "never_borrowed" in breakdowns and model.held_titles is not None:
        held = list(await model.held_titles(scope.code))
    async with _reading(model) as conn:
        report = await views.report(
            conn,
            scope=scope,
            libraries=libraries,
            start=start,
            end=end,
            group_by=group_by,
            breakdowns=breakdowns,
            today=today,
        )
        if "never_borrowed" in breakdowns:
            await views.never_borrowed(conn, report, held)
    return report


def _name(prefix: str, report: views.Report, fmt: str) -> str:
    code = report.scope.split(":", 1)[1].replace(".", "")
    return f"{prefix}-{code}-{report.from_}-{report.to}{'-simulasi' if report.simulated else ''}.{fmt}"


async def export_statistics(model: ReadModel, staff: Staff, query: StatsQuery, fmt: str) -> ReportFile:
    """The report as CSV (indicators) or XLSX (indicators and one sheet per breakdown), Indonesian headers."""
    fmt = _format(fmt)
    report = await statistics(model, staff, query)
    content = exports.to_csv(*exports.indicator_rows(report)) if fmt == "csv" else exports.report_xlsx(report)
    return ReportFile(_name("statistik", report, fmt), MEDIA_TYPES[fmt], content)


async def _per_library(
    conn: asyncpg.Connection, scope: Scope, libraries: list[Library], start: dt.date, end: dt.date, today: dt.date
) -> views.Report:
    """The whole range as one group, broken down by library: what the roll-up and the IPLM table show."""
    return await views.report(
        conn,
        scope=scope,
        libraries=libraries,
        start=start,
        end=end,
        group_by="range",
        breakdowns=["library"],
        today=today,
    )


async def library_rollup(
    model: ReadModel, staff: Staff, scope_text: str, from_: str, to: str, quiet_days: int
) -> LibraryRollup:
    """Every library of the scope side by side over the range, and those that lent nothing and recorded no
    visitors in the `quiet_days` days up to `to`."""
    today = model.clock.today()
    scope, start, end = _checked(staff, scope_text, from_, to)
    libraries = await _libraries(model, scope, today)
    async with _reading(model) as conn:
        report = await _per_library(conn, scope, libraries, start, end, today)
        quiet = await views.quiet_libraries(conn, libraries=libraries, until=end, days=quiet_days)
    by_library = report.groups[0].breakdowns["library"]
    rows = [
        {
            "library": lib.code,
            "name": lib.name,
            "kind": lib.kind,
            "kecamatan": lib.kecamatan,
            "indicators": {k: v for k, v in by_library[lib.code].items() if k != "name"},
        }
        for lib in libraries
    ]
    return LibraryRollup(str(scope), start, end, quiet_days, rows, quiet, report.simulated)


async def iplm(
    model: ReadModel, staff: Staff, scope_text: str, from_: str, to: str, fmt: str
) -> IplmTable | ReportFile:
    """The IPLM/UPLM table: per library (Kemendagri code) members, member and non-member visits, titles,
    items, loans, on-the-spot reads, activities and participants; as JSON rows, CSV or XLSX."""
    today = model.clock.today()
    fmt = _format(fmt, ("json", *FORMATS))
    scope, start, end = _checked(staff, scope_text, from_, to)
    libraries = await _libraries(model, scope, today)
    async with _reading(model) as conn:
        report = await _per_library(conn, scope, libraries, start, end, today)
    header, rows = exports.iplm_rows(report, {lib.code: msgspec.structs.asdict(lib) for lib in libraries})
    if fmt == "json":
        return IplmTable(
            report.scope,
            report.from_,
            report.to,
            report.simulated,
            header,
            [dict(zip(header, row, strict=True)) for row in rows],
        )
    if fmt == "csv":
        return ReportFile(_name("iplm", report, fmt), MEDIA_TYPES[fmt], exports.to_csv(header, rows))
    content = exports.to_xlsx([("IPLM", header, rows)], exports.notes(report))
    return ReportFile(_name("iplm", report, fmt), MEDIA_TYPES[fmt], content)


def _month(text: str) -> tuple[dt.date, dt.date]:
    try:
        first = dt.date.fromisoformat(f"{text}-01") if len(text) == 7 else None
    except ValueError:
        first = None
    if first is None:
        raise Invalid("date_invalid", f"'{text}' is not a month of the form YYYY-MM", field="month")
    return first, domain.periods(first, first.replace(day=28) + dt.timedelta(days=4), "month")[0].end


async def monthly_report(model: ReadModel, staff: Staff, scope_text: str, month: str) -> ReportFile:
    """The monthly PDF report of a library, kecamatan or kabupaten, with charts."""
    today = model.clock.today()
    first, last = _month(month)
    scope, start, end = _checked(staff, scope_text, first.isoformat(), last.isoformat())
    libraries = await _libraries(model, scope, today)
    split = ["category", "library"] if scope.kind != "library" else ["category"]
    async with _reading(model) as conn:
        whole = await views.report(
            conn,
            scope=scope,
            libraries=libraries,
            start=start,
            end=end,
            group_by="range",
            breakdowns=split,
            today=today,
        )
        daily = await views.report(
            conn, scope=scope, libraries=libraries, start=start, end=end, group_by="day", breakdowns=[], today=today
        )
    names = {lib.code: lib.name for lib in libraries}
    title = {
        "library": names.get(scope.code, scope.code),
        "kecamatan": f"Kecamatan {libraries[0].kecamatan}",
        "kabupaten": libraries[0].kabupaten,
    }[scope.kind]
    content = pdf.monthly_pdf(title=title, month=whole, daily=daily, libraries=names)
    name = f"laporan-{scope.code.replace('.', '')}-{month}{'-simulasi' if whole.simulated else ''}.pdf"
    return ReportFile(name, MEDIA_TYPES["pdf"], content)
