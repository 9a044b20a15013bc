"""HTTP handlers of reporting: the statistics report, its exports, the district roll-up (with quiet
libraries), the IPLM/UPLM table and the monthly PDF. Thin: decode the query, call the use case
(reports.py), encode. The URLs stay under the circulation prefix, where the pages and district staff find
them; the composition root routes them here."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Response, get
from litestar.datastructures import State
from litestar.params import Parameter

from kernel.wire import CIRCULATION_PREFIX
from pustaka.access import Staff
from services.reporting import reports, views
from services.reporting.freshness import ReadModel

PREFIX = CIRCULATION_PREFIX
From = Annotated[str, Parameter(query="from", description="first day, YYYY-MM-DD (Asia/Jakarta)")]
To = Annotated[str, Parameter(query="to", description="last day, YYYY-MM-DD, inclusive")]
ScopeQuery = Annotated[str, Parameter(query="scope", description="library:CODE, kecamatan:CODE or kabupaten:CODE")]
_ENCODER = msgspec.json.Encoder()


async def provide_model(state: State) -> ReadModel:
    return ReadModel(state.pool, state.freshness, state.held_titles, state.clock)


def _json(answer: object) -> Response:
    return Response(_ENCODER.encode(answer), media_type="application/json")


def _file(file: reports.ReportFile) -> Response:
    return Response(
        file.content, media_type=file.media_type, headers={"Content-Disposition": f'attachment; filename="{file.name}"'}
    )


@get(f"{PREFIX}/stats")
async def get_stats(
    model: ReadModel,
    staff: Staff,
    scope_: ScopeQuery,
    from_: From,
    to: To,
    group_by: str = "month",
    breakdown: str | None = None,
) -> Response[views.Report]:
    """Indicators of a library, kecamatan or kabupaten over [from, to], per day, month or year."""
    query = reports.StatsQuery(scope_, from_, to, group_by, breakdown)
    return _json(await reports.statistics(model, staff, query))


@get(f"{PREFIX}/stats/export")
async def export_stats(
    model: ReadModel,
    staff: Staff,
    scope_: ScopeQuery,
    from_: From,
    to: To,
    group_by: str = "month",
    breakdown: str | None = None,
    format: str = "csv",
) -> Response:
    """The report as CSV (indicators) or XLSX (indicators and one sheet per breakdown), Indonesian headers."""
    query = reports.StatsQuery(scope_, from_, to, group_by, breakdown)
    return _file(await reports.export_statistics(model, staff, query, format))


@get(f"{PREFIX}/stats/libraries")
async def library_rollup(
    model: ReadModel,
    staff: Staff,
    scope_: ScopeQuery,
    from_: From,
    to: To,
    quiet_days: Annotated[int, Parameter(ge=1, le=3660)] = 30,
) -> Response[reports.LibraryRollup]:
    """Every library of a kecamatan or kabupaten side by side over the range, and those that lent nothing
    and recorded no visitors in the `quiet_days` days up to `to`."""
    return _json(await reports.library_rollup(model, staff, scope_, from_, to, quiet_days))


@get(f"{PREFIX}/stats/iplm")
async def iplm_export(
    model: ReadModel, staff: Staff, scope_: ScopeQuery, from_: From, to: To, format: str = "json"
) -> Response:
    """The IPLM/UPLM table: per library (Kemendagri code) members, member and non-member visits, titles,
    items, loans, on-the-spot reads, activities and participants, for the period asked."""
    answer = await reports.iplm(model, staff, scope_, from_, to, format)
    return _file(answer) if isinstance(answer, reports.ReportFile) else _json(answer)


@get(f"{PREFIX}/stats/report.pdf")
async def monthly_report(
    model: ReadModel,
    staff: Staff,
    scope_: ScopeQuery,
    month: Annotated[str, Parameter(description="YYYY-MM")],
) -> Response:
    """The monthly PDF report of a library, kecamatan or kabupaten, with charts."""
    return _file(await reports.monthly_report(model, staff, scope_, month))


HANDLERS = [get_stats, export_stats, library_rollup, iplm_export, monthly_report]
