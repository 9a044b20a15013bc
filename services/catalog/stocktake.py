"""Stock-taking (inventarisasi / stock opname): start, scan, report, finish; one function per use case,
each in its own unit of work of the catalogue (the work itself is the private function of the same name).

Start takes a snapshot of the library's copies (on the shelf and, apart, on loan); a partial unique index
keeps one open stock-take per library. Scans from several librarians at once share a row lock on the
stock-take, finishing takes it exclusively, so no scan slips in after the report. Copies the library adds
while the stock-take is open are expected too. The report is computed from the snapshot, the scans and the
copies' state now, and kept with the stock-take when it finishes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict

import asyncpg
import msgspec

from kernel.ddc import class_of_call_number, hundreds
from pustaka.access import Action, Staff, authorise
from pustaka.errors import Conflict, NotFound
from pustaka.unit_of_work import Once
from services.catalog import views
from services.catalog.domain.stocktake import ShelfScan, misshelved, scan_kind
from services.catalog.queries import catalogue as q
from services.catalog.queries import stocktake as st
from services.catalog.service import Catalogue

MAX_BARCODE = 64


class Started(msgspec.Struct):
    id: int
    library: str
    expected: int
    on_loan: int
    started_at: dt.datetime


class Unexpected(msgspec.Struct):
    barcode: str
    reason: str
    """`other_library`, `withdrawn` or `lost` (a copy written off that turned up)."""
    library: str | None = None
    title: str | None = None


class ScanResult(msgspec.Struct):
    accepted: int
    unknown: list[str]
    unexpected: list[Unexpected]
    duplicates: list[str]
    """Barcodes scanned before (in this request or an earlier one): counted once."""
    scanned: int


class CopyLine(msgspec.Struct):
    barcode: str
    call_number: str
    title: str


class MisshelvedCopy(msgspec.Struct):
    barcode: str
    call_number: str
    title: str
    neighbours_class: str
    after: str | None
    before: str | None
    run: str


class ClassProgress(msgspec.Struct):
    main_class: str
    expected: int
    scanned: int


class Report(msgspec.Struct):
    id: int
    library: str
    status: str
    started_at: dt.datetime
    started_by: str
    finished_at: dt.datetime | None
    expected: int
    expected_on_loan: int
    scanned: int
    found: int
    added_during: list[str]
    missing: list[CopyLine]
    on_loan: list[CopyLine]
    unexpected: list[Unexpected]
    unknown: list[str]
    misshelved: list[MisshelvedCopy]
    duplicates: list[str]
    progress: list[ClassProgress]
    marked_lost: list[str] = []


_REPORT = msgspec.json.Decoder(Report)


async def start(catalogue: Catalogue, staff: Staff, library: str, once: Once | None = None) -> Started:
    """Start a stock-take of a library: a snapshot of the copies expected on its shelves."""
    return await catalogue.write(lambda conn: _start(conn, library, staff), once)


async def scan(
    catalogue: Catalogue,
    staff: Staff,
    stocktake_id: int,
    barcodes: list[str],
    run: str | None = None,
    once: Once | None = None,
) -> ScanResult:
    """Record scanned barcodes, in the order scanned, as one walk along the shelves (`run`)."""
    return await catalogue.write(lambda conn: _scan(conn, stocktake_id, barcodes, staff, run), once)


async def report(catalogue: Catalogue, staff: Staff, stocktake_id: int) -> Report:
    """The report of a stock-take, open (as it stands now) or finished (as it was kept)."""
    return await catalogue.read(lambda conn: _report(conn, stocktake_id, staff))


async def finish(
    catalogue: Catalogue, staff: Staff, stocktake_id: int, mark_missing_lost: bool, once: Once | None = None
) -> Report:
    """Finish with the report; `mark_missing_lost` writes the missing copies off as lost."""
    finished_at = catalogue.clock.now().astimezone(dt.UTC)
    return await catalogue.write(lambda conn: _finish(conn, stocktake_id, mark_missing_lost, staff, finished_at), once)


async def library_stocktakes(catalogue: Catalogue, staff: Staff, library: str) -> list[StocktakeRef]:
    """A library's stock-takes, newest first."""
    return await catalogue.read(lambda conn: _library_stocktakes(conn, library, staff))


async def _start(conn: asyncpg.Connection, library: str, staff: Staff) -> Started:
    """Open a stock-take of a library with a snapshot of its copies; a second open one is refused."""
    authorise(staff, Action.CATALOGUE, library)
    await views.library(conn, library)
    try:
        async with conn.transaction():  # a savepoint: the refusal below still reads in this transaction
            row = await st.start(conn, library=library, actor=staff.username)
    except asyncpg.UniqueViolationError:
        other = await st.open_stocktake(conn, library=library)
        assert other is not None  # the open one the unique index kept this one from joining
        raise Conflict(
            "stocktake_already_open",
            f"stock-take {other.id} of {library} (started by {other.started_by}) is still open: "
            "continue it or finish it first",
            field="library",
            extra={"open_stocktake": other.id},
        ) from None
    assert row is not None  # INSERT … RETURNING
    counts = await st.snapshot(conn, stocktake_id=row.id, library=library)
    assert counts is not None  # an aggregate always has its row
    await q.audit(
        conn,
        actor=staff.username,
        action="stocktake.start",
        library=library,
        target=f"stocktake:{row.id}",
        detail=json.dumps({"expected": counts.expected, "on_loan": counts.on_loan}),
    )
    return Started(row.id, library, counts.expected, counts.on_loan, row.started_at)


def _clean_barcodes(barcodes: list[str]) -> list[str]:
    cleaned = [b.strip()[:MAX_BARCODE] for b in barcodes]
    return [b for b in cleaned if b]


async def _scan(
    conn: asyncpg.Connection, stocktake_id: int, barcodes: list[str], staff: Staff, run: str | None = None
) -> ScanResult:
    """Record scanned barcodes; each counts once, however often it is scanned."""
    head = await st.lock_for_scans(conn, stocktake_id=stocktake_id)
    if head is None:
        raise NotFound("stocktake_not_found", f"no stock-take has id {stocktake_id}", field="id")
    authorise(staff, Action.CATALOGUE, head.library_code)
    if head.status != "open":
        raise Conflict(
            "stocktake_finished", f"stock-take {stocktake_id} is finished: scans are no longer taken", field="id"
        )
    cleaned = _clean_barcodes(barcodes)
    times: dict[str, int] = {}
    for code in cleaned:
        times[code] = times.get(code, 0) + 1
    known = {r.barcode: r for r in await st.items_by_barcode(conn, barcodes=list(times))}
    kinds = [
        scan_kind(
            library=known[b].library_code if b in known else None,
            status=known[b].status if b in known else None,
            stocktake_library=head.library_code,
        )
        for b in times
    ]
    rows = await st.record_scans(
        conn,
        stocktake_id=stocktake_id,
        run=run or staff.username,
        actor=staff.username,
        barcodes=list(times),
        kinds=[k for k, _ in kinds],
        reasons=[r for _, r in kinds],
        times=list(times.values()),
    )
    first = {r.barcode for r in rows if r.first_time}
    return ScanResult(
        accepted=sum(1 for b, (k, _) in zip(times, kinds) if k == "accepted" and b in first),
        unknown=[b for b, (k, _) in zip(times, kinds) if k == "unknown"],
        unexpected=[
            Unexpected(b, r or "", known[b].library_code) for b, (k, r) in zip(times, kinds) if k == "unexpected"
        ],
        duplicates=[b for b, n in times.items() if n > 1 or b not in first],
        scanned=len(cleaned),
    )


async def _compute(conn: asyncpg.Connection, head: st.StocktakeRow) -> Report:
    expected = await st.expected_copies(
        conn, stocktake_id=head.id, library=head.library_code, started_at=head.started_at
    )
    scans = await st.scans(conn, stocktake_id=head.id)
    missing: list[CopyLine] = []
    on_loan: list[CopyLine] = []
    progress: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    for e in expected:
        if e.status_now in ("withdrawn", "lost"):
            continue  # removed during the stock-take: no longer expected
        main = hundreds(class_of_call_number(e.call_number))
        progress[main][0] += 1
        progress[main][1] += e.scanned
        if not e.scanned:
            line = CopyLine(e.barcode, e.call_number, e.title)
            (on_loan if e.status_now == "on_loan" else missing).append(line)
    runs: dict[str, list[st.Scan]] = defaultdict(list)
    for s in scans:
        if s.kind == "accepted":
            runs[s.run].append(s)
    strays = []
    by_barcode = {s.barcode: s for s in scans}
    for run, items in runs.items():
        shelf = [ShelfScan(s.barcode, hundreds(class_of_call_number(s.call_number or ""))) for s in items]
        for m in misshelved(shelf):
            s = by_barcode[m.barcode]
            strays.append(
                MisshelvedCopy(
                    m.barcode, s.call_number or "", s.title or "", m.neighbours_class, m.after, m.before, run
                )
            )
    return Report(
        id=head.id,
        library=head.library_code,
        status=head.status,
        started_at=head.started_at,
        started_by=head.started_by,
        finished_at=head.finished_at,
        expected=head.expected,
        expected_on_loan=head.expected_on_loan,
        scanned=sum(1 for s in scans if s.kind == "accepted"),
        found=sum(1 for e in expected if e.scanned),
        added_during=[e.barcode for e in expected if e.added_during],
        missing=missing,
        on_loan=on_loan,
        unexpected=[
            Unexpected(s.barcode, s.reason or "", s.library_code, s.title) for s in scans if s.kind == "unexpected"
        ],
        unknown=[s.barcode for s in scans if s.kind == "unknown"],
        misshelved=strays,
        duplicates=[s.barcode for s in scans if s.times > 1],
        progress=[ClassProgress(k, v[0], v[1]) for k, v in sorted(progress.items())],
    )


async def _report(conn: asyncpg.Connection, stocktake_id: int, staff: Staff) -> Report:
    """Where a stock-take stands (open), or the report it ended with (finished)."""
    head = await st.stocktake(conn, stocktake_id=stocktake_id)
    if head is None:
        raise NotFound("stocktake_not_found", f"no stock-take has id {stocktake_id}", field="id")
    authorise(staff, Action.CATALOGUE, head.library_code)
    if head.report is not None:
        return _REPORT.decode(head.report)
    return await _compute(conn, head)


async def _finish(
    conn: asyncpg.Connection, stocktake_id: int, mark_missing_lost: bool, staff: Staff, finished_at: dt.datetime
) -> Report:
    """Close a stock-take with its report; optionally write the missing copies off as lost."""
    head = await st.lock_for_finish(conn, stocktake_id=stocktake_id)
    if head is None:
        raise NotFound("stocktake_not_found", f"no stock-take has id {stocktake_id}", field="id")
    authorise(staff, Action.CATALOGUE, head.library_code)
    if head.status != "open":
        raise Conflict("stocktake_finished", f"stock-take {stocktake_id} is already finished", field="id")
    facts = await st.stocktake(conn, stocktake_id=stocktake_id)
    assert facts is not None  # locked above
    result = await _compute(conn, facts)
    if mark_missing_lost and result.missing:
        result.marked_lost = [
            r.barcode
            for r in await st.mark_lost(
                conn,
                barcodes=[m.barcode for m in result.missing],
                library=head.library_code,
                reason=f"stocktake {stocktake_id}",
            )
        ]
    result.status = "finished"
    result.finished_at = finished_at
    encoded = msgspec.json.encode(result).decode()
    await st.finish(
        conn, stocktake_id=stocktake_id, actor=staff.username, marked_lost=len(result.marked_lost), report=encoded
    )
    await q.audit(
        conn,
        actor=staff.username,
        action="stocktake.finish",
        library=head.library_code,
        target=f"stocktake:{stocktake_id}",
        detail=json.dumps(
            {
                "missing": len(result.missing),
                "marked_lost": len(result.marked_lost),
                "unexpected": len(result.unexpected),
                "unknown": len(result.unknown),
            }
        ),
    )
    return result


class StocktakeRef(msgspec.Struct):
    id: int
    status: str
    started_at: dt.datetime
    started_by: str
    finished_at: dt.datetime | None


async def _library_stocktakes(conn: asyncpg.Connection, library: str, staff: Staff) -> list[StocktakeRef]:
    authorise(staff, Action.CATALOGUE, library)
    await views.library(conn, library)
    return [
        StocktakeRef(r.id, r.status, r.started_at, r.started_by, r.finished_at)
        for r in await st.library_stocktakes(conn, library=library)
    ]
