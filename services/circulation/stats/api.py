"""HTTP handlers of statistics: the report, the district roll-up (with quiet libraries), exports and the
IPLM/UPLM table. Thin: parse and check the query, ask the read side, encode."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import asyncpg
import msgspec
from litestar import Request, Response, get, post
from litestar.params import Parameter

from kernel.wire import CIRCULATION_PREFIX
from pustaka.access import Staff, may_read_scope
from pustaka.errors import Forbidden, Invalid
from pustaka.web import idempotent
from services.circulation.clock import today as jakarta_today
from services.circulation.stats import domain, exports, pdf, privacy, views
from services.circulation.stats.directory import catalog_for, catalog_titles, libraries_in, refresh_holdings
from services.circulation.stats.domain import Scope

PREFIX = CIRCULATION_PREFIX
FORMATS = ("csv", "xlsx")
From = Annotated[str, Parameter(query="from", description="first day, YYYY-MM-DD (Asia/Jakarta)")]
To = Annotated[str, Parameter(query="to", description="last day, YYYY-MM-DD, inclusive")]
ScopeQuery = Annotated[str, Parameter(query="scope", description="library:CODE, kecamatan:CODE or kabupaten:CODE")]
_ENCODER = msgspec.json.Encoder()


class Prepared(msgspec.Struct):
    scope: Scope
    libraries: list
    start: dt.date
    end: dt.date


def _date(text: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Invalid("date_invalid", f"'{text}' is not a date of the form YYYY-MM-DD", field=field) from None


async def _prepare(
    request: Request, conn: asyncpg.Connection, staff: Staff, scope_text: str, from_: str, to: str
) -> Prepared:
    """Check the query and the caller's right to see the scope; load the scope's libraries and holdings."""
    scope = domain.parse_scope(scope_text)
    start, end = _date(from_, "from"), _date(to, "to")
    domain.check_range(start, end)
    if not may_read_scope(staff, scope.kind, scope.code):
        raise Forbidden(
            "scope_forbidden", f"{staff.username} ({staff.role}) may not read statistics of {scope}", field="scope"
        )
    catalog = catalog_for(request)
    libraries = await libraries_in(conn, catalog, scope)
    await refresh_holdings(conn, catalog, [r["code"] for r in libraries])
    return Prepared(scope, libraries, start, end)


async def _report(
    request: Request,
    pool: asyncpg.Pool,
    staff: Staff,
    scope: str,
    from_: str,
    to: str,
    group_by: str,
    breakdown: str | None,
) -> views.Report:
    group_by = domain.parse_grouping(group_by)
    breakdowns = domain.parse_breakdowns(breakdown, domain.parse_scope(scope))
    async with pool.acquire() as conn:
        p = await _prepare(request, conn, staff, scope, from_, to)
        report = await views.report(
            conn,
            scope=p.scope,
            libraries=p.libraries,
            start=p.start,
            end=p.end,
            group_by=group_by,
            breakdowns=breakdowns,
            today=jakarta_today(),
        )
        if "never_borrowed" in breakdowns:
            await views.never_borrowed(conn, report, await catalog_titles(catalog_for(request), p.scope.code))
    return report


@get(f"{PREFIX}/stats")
async def get_stats(
    request: Request,
    pool: asyncpg.Pool,
    staff: Staff,
    scope_: ScopeQuery,
    from_: From,
    to: To,
    group_by: str = "month",
    breakdown: str | None = None,
) -> Response[views.Report]:
    """Indicators of a library, kecamatan or kabupaten over [from, to], per day, month or year."""
    report = await _report(request, pool, staff, scope_, from_, to, group_by, breakdown)
    return Response(_ENCODER.encode(report), media_type="application/json")


def _file(content: bytes, name: str, fmt: str) -> Response:
    media = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _format(fmt: str, allowed: tuple[str, ...] = FORMATS) -> str:
    if fmt not in allowed:
        raise Invalid("format_invalid", f"format must be one of {', '.join(allowed)}", field="format")
    return fmt


def _name(prefix: str, report: views.Report, fmt: str) -> str:
    code = report.scope.split(":", 1)[1].replace(".", "")
    return f"{prefix}-{code}-{report.from_}-{report.to}{'-simulasi' if report.simulated else ''}.{fmt}"


@get(f"{PREFIX}/stats/export")
async def export_stats(
    request: Request,
    pool: asyncpg.Pool,
    staff: Staff,
    scope_: ScopeQuery,
    from_: From,
    to: To,
    group_by: str = "month",
    breakdown: str | None = None,
    format: str = "csv",
) -> Response:
    """The report as CSV (indicators) or XLSX (indicators and one sheet per breakdown), Indonesian headers."""
    fmt = _format(format)
    report = await _report(request, pool, staff, scope_, from_, to, group_by, breakdown)
    if fmt == "csv":
        content = exports.to_csv(*exports.indicator_rows(report))
    else:
        content = exports.report_xlsx(report)
    return _file(content, _name("statistik", report, fmt), fmt)


class LibraryRollup(msgspec.Struct):
    scope: str
    from_: dt.date = msgspec.field(name="from")
    to: dt.date = msgspec.field(default=None)
    quiet_days: int = 30
    libraries: list[dict] = msgspec.field(default_factory=list)
    quiet: list[dict] = msgspec.field(default_factory=list)
    simulated: bool = False


async def _per_library(conn: asyncpg.Connection, p: Prepared) -> views.Report:
    """The whole range as one group, broken down by library: what the roll-up and the IPLM table show."""
    return await views.report(conn, scope=p.scope, libraries=p.libraries, start=p.start, end=p.end,
                              group_by="range", breakdowns=["library"], today=jakarta_today())


@get(f"{PREFIX}/stats/libraries")
async def library_rollup(
    request: Request,
    pool: asyncpg.Pool,
    staff: Staff,
    scope_: ScopeQuery,
    from_: From,
    to: To,
    quiet_days: Annotated[int, Parameter(ge=1, le=3660)] = 30,
) -> Response[LibraryRollup]:
    """Every library of a kecamatan or kabupaten side by side over the range, and those that lent nothing
    and recorded no visitors in the `quiet_days` days up to `to`."""
    async with pool.acquire() as conn:
        p = await _prepare(request, conn, staff, scope_, from_, to)
        report = await _per_library(conn, p)
        quiet = await views.quiet_libraries(conn, libraries=p.libraries, until=p.end, days=quiet_days)
    rows = [
        {
            "library": r["code"],
            "name": r["name"],
            "kind": r["kind"],
            "kecamatan": r["kecamatan"],
            "indicators": {k: v for k, v in report.groups[0].breakdowns["library"][r["code"]].items() if k != "name"},
        }
        for r in p.libraries
    ]
    answer = LibraryRollup(str(p.scope), p.start, p.end, quiet_days, rows, quiet, report.simulated)
    return Response(_ENCODER.encode(answer), media_type="application/json")


@get(f"{PREFIX}/stats/iplm")
async def iplm_export(
    request: Request, pool: asyncpg.Pool, staff: Staff, scope_: ScopeQuery, from_: From, to: To, format: str = "json"
) -> Response:
    """The IPLM/UPLM table: per library (Kemendagri code) members, member and non-member visits, titles,
    items, loans, on-the-spot reads, activities and participants, for the period asked."""
    fmt = _format(format, ("json", *FORMATS))
    async with pool.acquire() as conn:
        p = await _prepare(request, conn, staff, scope_, from_, to)
        report = await _per_library(conn, p)
    libraries = {r["code"]: dict(r) for r in p.libraries}
    header, rows = exports.iplm_rows(report, libraries)
    if fmt == "json":
        body = {
            "scope": report.scope,
            "from": report.from_,
            "to": report.to,
            "simulated": report.simulated,
            "columns": header,
            "rows": [dict(zip(header, row)) for row in rows],
        }
        return Response(_ENCODER.encode(body), media_type="application/json")
    if fmt == "csv":
        return _file(exports.to_csv(header, rows), _name("iplm", report, fmt), fmt)
    return _file(exports.to_xlsx([("IPLM", header, rows)], exports.notes(report)), _name("iplm", report, fmt), fmt)


@get(f"{PREFIX}/stats/report.pdf")
async def monthly_report(
    request: Request,
    pool: asyncpg.Pool,
    staff: Staff,
    scope_: ScopeQuery,
    month: Annotated[str, Parameter(description="YYYY-MM")],
) -> Response:
    """The monthly PDF report of a library, kecamatan or kabupaten, with charts."""
    try:
        first = dt.date.fromisoformat(f"{month}-01") if len(month) == 7 else None
    except ValueError:
        first = None
    if first is None:
        raise Invalid("date_invalid", f"'{month}' is not a month of the form YYYY-MM", field="month")
    last = domain.periods(first, first.replace(day=28) + dt.timedelta(days=4), "month")[0].end
    async with pool.acquire() as conn:
        p = await _prepare(request, conn, staff, scope_, first.isoformat(), last.isoformat())
        common = {"scope": p.scope, "libraries": p.libraries, "start": p.start, "end": p.end, "today": jakarta_today()}
        split = ["category", "library"] if p.scope.kind != "library" else ["category"]
        whole = await views.report(conn, group_by="range", breakdowns=split, **common)
        daily = await views.report(conn, group_by="day", breakdowns=[], **common)
    names = {r["code"]: r["name"] for r in p.libraries}
    title = {
        "library": names.get(p.scope.code, p.scope.code),
        "kecamatan": f"Kecamatan {p.libraries[0]['kecamatan']}",
        "kabupaten": p.libraries[0]["kabupaten"],
    }[p.scope.kind]
    content = pdf.monthly_pdf(title=title, month=whole, daily=daily, libraries=names)
    name = f"laporan-{p.scope.code.replace('.', '')}-{month}{'-simulasi' if whole.simulated else ''}.pdf"
    return Response(
        content, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@post(f"{PREFIX}/privacy/anonymisations", status_code=200)
async def anonymise(
    request: Request, pool: asyncpg.Pool, staff: Staff, data: privacy.Anonymisation
) -> Response[privacy.Anonymised]:
    """Admin only: unlink members from loans returned more than `older_than_days` ago; statistics keep."""
    if staff.role != "admin":
        raise Forbidden("forbidden", f"{staff.username} ({staff.role}) may not anonymise loans")

    async def run(conn: asyncpg.Connection):
        return 200, await privacy.anonymise_returned_loans(
            conn, older_than_days=data.older_than_days, today=jakarta_today(), actor=staff.username
        )

    return await idempotent(request, pool, "circulation", staff.username, await request.body(), run)


HANDLERS = [get_stats, export_stats, library_rollup, iplm_export, monthly_report, anonymise]
