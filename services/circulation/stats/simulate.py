"""`pustaka simulate --months N --seed S`: a believable circulation history driven through the real use
cases (register_member, check_out, check_in, renew, record_visits, record_read, record_activity), one
transaction each, as the desk would run them day after day.

The use cases stamp now(); each simulated transaction then restamps the events it wrote with the
simulated moment and marks them `simulated` (the one change the event log allows the simulator, see
migrations/012_privacy.sql), so every statistic drawn from them says `"simulated": true`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Literal, cast
from zoneinfo import ZoneInfo

import asyncpg
import msgspec

from kernel.clock import FixedClock
from pustaka.access import Staff
from pustaka.errors import AppError
from pustaka.unit_of_work import Once, Work
from services.circulation import lending, members, records
from services.circulation.clients.catalog import CatalogClient
from services.circulation.copies import Replica
from services.circulation.queries import simulate as q
from services.circulation.queries.simulate import CopyFacts
from services.circulation.records import ActivityHeld, OnsiteRead, VisitTally
from services.circulation.service import Circulation
from services.circulation.stats.rollup import drain

WIB = ZoneInfo("Asia/Jakarta")
SIMULATOR = Staff("simulator", "admin", None)
COPIES_PER_LIBRARY = 60
FIRST_NAMES = ("Siti", "Budi", "Ani", "Agus", "Dewi", "Eko", "Sri", "Joko", "Rina", "Wahyu", "Tri", "Lestari")
LAST_NAMES = ("Rahayu", "Santoso", "Wulandari", "Prasetyo", "Susanti", "Hidayat", "Purnomo", "Handayani")
ACTIVITIES = (
    ("Dongeng anak", "bercerita"),
    ("Pelatihan membatik", "pelatihan"),
    ("Lomba mewarnai", "lomba"),
    ("Bimbingan belajar", "bimbingan_baca"),
    ("Diskusi pertanian organik", "diskusi"),
)


class SimulationReport(msgspec.Struct):
    months: int
    seed: int
    start: dt.date
    end: dt.date
    libraries: int
    members: int = 0
    loans: int = 0
    returns: int = 0
    renewals: int = 0
    visits: int = 0
    reads: int = 0
    activities: int = 0
    refusals: int = 0
    simulated: bool = True


@dataclass
class _Library:
    code: str
    barcodes: list[str]
    facts: list[CopyFacts] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    on_loan: dict[str, tuple[int, dt.date]] = field(default_factory=dict)


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randrange(8, 17), rng.randrange(60)), WIB)


class _SimulatedDesk(Circulation):
    """The circulation service on a simulated day: its clock stands at the simulated moment, and each unit of
    work restamps the events (and the loan) it wrote with that moment."""

    async def write(self, work: Work, once: Once | None = None):
        at = self.clock.now()

        async def stamped(conn: asyncpg.Connection):
            await q.enable(conn)
            result = await work(conn)
            await q.restamp_events(conn, at=at)
            if isinstance(result, lending.Loan):
                await q.restamp_loan_out(conn, loan_id=result.loan_id, at=at)
            elif isinstance(result, lending.Return):
                await q.restamp_loan_back(conn, loan_id=result.loan_id, at=at)
            return result

        return await super().write(stamped, once)


async def _library_days(
    desk: _SimulatedDesk, lib: _Library, days: list[dt.date], rng: random.Random, report: SimulationReport
) -> None:
    clock = desk.clock
    assert isinstance(clock, FixedClock)
    for index, day in enumerate(days):
        if day.isoweekday() == 7:  # closed on Sunday (the default calendar)
            continue
        joining = rng.randrange(4, 9) if index < 6 else (1 if rng.random() < 0.25 else 0)
        for _ in range(joining):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            clock.set(_moment(day, rng))
            m = await members.register_member(
                desk,
                SIMULATOR,
                members.Registration(
                    name,
                    lib.code,
                    rng.choice((rng.randrange(2008, 2020), rng.randrange(1950, 2007))),
                    cast(Literal["L", "P"], rng.choice("LP")),
                    rng.random() < 0.03,
                    None,
                ),
            )
            lib.members.append(m.member_number)
            report.members += 1
        for barcode, (loan_id, due) in list(lib.on_loan.items()):
            late = (day - due).days
            if rng.random() < (0.08 if day < due else 0.5 if late < 7 else 0.2):
                try:
                    clock.set(_moment(day, rng))
                    await lending.check_in(desk, SIMULATOR, lending.CopyScan(barcode))
                    del lib.on_loan[barcode]
                    report.returns += 1
                except AppError:
                    report.refusals += 1
            elif day == due and rng.random() < 0.3:
                try:
                    clock.set(_moment(day, rng))
                    renewal = await lending.renew(desk, SIMULATOR, loan_id)
                    lib.on_loan[barcode] = (loan_id, renewal.due_date)
                    report.renewals += 1
                except AppError:
                    report.refusals += 1
        shelf = [b for b in lib.barcodes if b not in lib.on_loan]
        for _ in range(min(len(shelf), rng.randrange(0, 5)) if lib.members else 0):
            barcode = shelf.pop(rng.randrange(len(shelf)))
            try:
                clock.set(_moment(day, rng))
                loan = await lending.check_out(desk, SIMULATOR, lending.CheckOut(barcode, rng.choice(lib.members)))
                lib.on_loan[barcode] = (loan.loan_id, loan.due_date)
                report.loans += 1
            except AppError:
                report.refusals += 1
        member_visits, others = rng.randrange(0, 12), rng.randrange(0, 8)
        clock.set(_moment(day, rng))
        await records.record_visits(desk, SIMULATOR, VisitTally(lib.code, day, member_visits, others))
        report.visits += member_visits + others
        for _ in range(rng.randrange(0, 4) if lib.facts else 0):
            copy = rng.choice(lib.facts)
            clock.set(_moment(day, rng))
            await records.record_read(desk, SIMULATOR, OnsiteRead(lib.code, item_barcode=copy.barcode, date=day))
            report.reads += 1
        if rng.random() < 0.05:
            title, kind = rng.choice(ACTIVITIES)
            children = rng.randrange(5, 30)
            clock.set(_moment(day, rng))
            await records.record_activity(
                desk,
                SIMULATOR,
                ActivityHeld(lib.code, day, title, kind, children + 3, "PKK Desa", {"anak": children, "dewasa": 3}),
            )
            report.activities += 1


async def simulate(
    pool: asyncpg.Pool,
    catalog: CatalogClient,
    *,
    months: int,
    seed: int,
    today: dt.date,
    libraries: list[str] | None = None,
    concurrency: int = 6,
) -> SimulationReport:
    """Simulate `months` months of desk work up to yesterday in every library (or those given)."""
    rng = random.Random(seed)
    end = today - dt.timedelta(days=1)
    start = end - dt.timedelta(days=round(months * 30.44) - 1)
    codes = libraries or [lib.code for lib in await catalog.libraries()]
    replica = Replica(pool, catalog)
    found: list[_Library] = []
    for code in codes:
        barcodes = await catalog.available_barcodes(code, COPIES_PER_LIBRARY)
        for barcode in barcodes:
            await replica.sight(barcode)
        if barcodes:
            async with pool.acquire() as conn:
                found.append(_Library(code, barcodes, await q.copy_facts(conn, library=code)))
    report = SimulationReport(months, seed, start, end, len(found))
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    gate = asyncio.Semaphore(concurrency)

    async def run(lib: _Library, lib_rng: random.Random) -> None:
        async with gate:
            desk = _SimulatedDesk(pool, catalog, FixedClock(), shared_replica=replica)
            await _library_days(desk, lib, days, lib_rng, report)

    await asyncio.gather(*(run(lib, random.Random(rng.random())) for lib in found))
    await replica.aclose()
    async with pool.acquire() as conn:
        await drain(conn)
    return report
