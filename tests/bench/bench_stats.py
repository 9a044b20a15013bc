"""Statistics benchmark: a year of circulation in Kabupaten Magetan's 38 libraries with 1,000,000 loans
(and their returns, renewals and daily visitor tallies), then the report per library, kecamatan and
kabupaten, grouped by month and by year. Run: `.venv/bin/python tests/bench/bench_stats.py`
(BENCH_LOANS to change the size, BENCH_RUNS the repetitions).

The history is written with COPY as the rows journal.record writes (loans at 500/s over HTTP would take
over half an hour); the report is the one GET /api/circulation/v1/stats answers, called in process, and
also measured over real HTTP (uvicorn, loopback) with a district token.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import random
import socket
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from common import fresh_database, save, settings, summary  # noqa: E402

from pustaka import tokens  # noqa: E402
from pustaka.database import create_database, server_url, with_database  # noqa: E402
from pustaka.migrations import migrate  # noqa: E402
from pustaka.seeding import load_libraries, read_libraries, seeds_dir  # noqa: E402
from services.circulation.domain.members import member_number  # noqa: E402
from services.circulation.queries.directory import upsert_libraries  # noqa: E402
from services.circulation.stats.rollup import drain  # noqa: E402
from services.reporting import domain, views  # noqa: E402
from services.reporting.queries.reports import libraries_in  # noqa: E402

LOANS = int(os.environ.get("BENCH_LOANS", "1000000"))
RUNS = int(os.environ.get("BENCH_RUNS", "25"))
MEMBERS_PER_LIBRARY = 300
TITLES_PER_LIBRARY = 1000
WIB = ZoneInfo("Asia/Jakarta")
YEAR = 2025
COLUMNS = (
    "at",
    "type",
    "actor",
    "library_code",
    "member_id",
    "member_category",
    "member_gender",
    "member_disability",
    "member_library",
    "loan_id",
    "barcode",
    "title_id",
    "isbn13",
    "ddc_class",
    "audience",
    "category",
    "language",
    "due_date",
    "late_days",
    "detail",
)


def history(libraries: list[str], rng: random.Random):
    """Event rows for LOANS loans over one year, with returns (some late), renewals and visitor tallies."""
    start = dt.datetime(YEAR, 1, 1, 7, tzinfo=WIB)
    cats = ("anak", "remaja", "dewasa", "lansia")
    ddc = ("000", "100", "200", "300", "400", "500", "600", "700", "800", "900")
    for loan_id in range(1, LOANS + 1):
        lib_index = rng.randrange(len(libraries))
        library = libraries[lib_index]
        member = lib_index * MEMBERS_PER_LIBRARY + rng.randrange(MEMBERS_PER_LIBRARY) + 1
        category, gender = cats[member % 4], "LP"[member % 2]
        title = lib_index * TITLES_PER_LIBRARY + int(rng.paretovariate(1.2)) % TITLES_PER_LIBRARY + 1
        facts = (title, f"978602{title:07d}", ddc[title % 10], "umum", "fiksi", "ind")
        at = start + dt.timedelta(seconds=rng.randrange(364 * 86400))
        due = at.date() + dt.timedelta(days=14)
        row = (library, member, category, gender, False, library, loan_id, f"B{title}", *facts)
        yield (at, "checked_out", "bench", *row[:9], row[9], row[10], row[11], row[12], row[13], due, None, "{}")
        if rng.random() < 0.1:
            due = due + dt.timedelta(days=14)
            yield (at + dt.timedelta(days=10), "renewed", "bench", *row, due, None, "{}")
        if rng.random() < 0.95:
            back = at + dt.timedelta(days=rng.randrange(3, 35))
            late = max(0, (back.astimezone(WIB).date() - due).days)
            yield (back, "checked_in", "bench", *row, due, late, "{}")
    for library in libraries:
        for day in range(0, 364):
            date = dt.date(YEAR, 1, 1) + dt.timedelta(days=day)
            m, n = rng.randrange(20), rng.randrange(10)
            yield (
                dt.datetime.combine(date, dt.time(17), WIB),
                "visits_recorded",
                "bench",
                library,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                json.dumps({"date": date.isoformat(), "member_visits": m, "non_member_visits": n}),
            )


async def load(url: str) -> dict:
    conn = await asyncpg.connect(url)
    rows = read_libraries(seeds_dir() / "libraries.csv")
    await load_libraries(conn, rows)
    libs = await conn.fetch(
        "SELECT code, name, kind, kecamatan, kecamatan_code, kabupaten, kabupaten_code"
        " FROM catalog.libraries ORDER BY code"
    )
    codes = [r["code"] for r in libs]
    # what circulation learns from the catalogue over HTTP: the directory and a holdings snapshot
    await upsert_libraries(
        conn,
        **{
            f"{c}s": [r[c] for r in libs]
            for c in ("code", "name", "kind", "kecamatan", "kecamatan_code", "kabupaten", "kabupaten_code")
        },
    )
    await conn.executemany(
        "INSERT INTO circulation.stats_holdings (library_code, as_of, items, titles) VALUES ($1, $2, 1200, 1000)",
        [(c, dt.date(YEAR, 1, 1)) for c in codes],
    )
    rng = random.Random(2025)
    members = []
    for index, code in enumerate(codes):
        for seq in range(1, MEMBERS_PER_LIBRARY + 1):
            registered = dt.date(YEAR - 1, 1, 1) + dt.timedelta(days=rng.randrange(700))
            members.append(
                (
                    member_number(code, seq),
                    code,
                    f"Anggota {index}-{seq}",
                    rng.randrange(1950, 2020),
                    "LP"[seq % 2],
                    registered,
                    registered + dt.timedelta(days=3 * 365),
                    "bench",
                )
            )
    await conn.copy_records_to_table(
        "members",
        schema_name="circulation",
        records=members,
        columns=(
            "member_number",
            "library_code",
            "name",
            "birth_year",
            "gender",
            "registered_on",
            "expires_on",
            "created_by",
        ),
    )
    t0 = time.perf_counter()
    events = list(history(codes, rng))
    t1 = time.perf_counter()
    await conn.copy_records_to_table("events", schema_name="circulation", records=events, columns=COLUMNS)
    t2 = time.perf_counter()
    folded = await drain(conn)
    t3 = time.perf_counter()
    await conn.execute("VACUUM ANALYZE")
    await conn.close()
    return {
        "libraries": len(codes),
        "members": len(members),
        "events": len(events),
        "loans": LOANS,
        "generate_s": round(t1 - t0, 1),
        "copy_s": round(t2 - t1, 1),
        "fold_s": round(t3 - t2, 1),
        "folded": folded,
        "fold_events_per_s": round(folded / (t3 - t2)),
    }


CASES = [("library", "35.20.01.2002"), ("kecamatan", "35.20.01"), ("kabupaten", "35.20")]


async def in_process(url: str) -> dict:
    conn = await asyncpg.connect(url)
    found = {}
    for kind, code in CASES:
        scope = domain.Scope(kind, code)
        libraries = await libraries_in(conn, kind=kind, code=code)
        for group_by in ("month", "year"):
            samples, report = [], None
            for _ in range(RUNS + 3):
                t0 = time.perf_counter()
                report = await views.report(
                    conn,
                    scope=scope,
                    libraries=libraries,
                    start=dt.date(YEAR, 1, 1),
                    end=dt.date(YEAR, 12, 31),
                    group_by=group_by,
                    breakdowns=[],
                    today=dt.date(YEAR + 1, 6, 1),
                )
                samples.append((time.perf_counter() - t0) * 1000)
            found[f"{kind}-{group_by}"] = {
                **summary(samples[3:]),
                "loans": sum(g.indicators["loans"] for g in report.groups),
            }
    await conn.close()
    return found


async def over_http(url: str) -> dict:
    """The same reports through GET /api/circulation/v1/stats on a real server (uvicorn, loopback)."""
    import uvicorn

    from pustaka.runtime import build_app

    conf = settings()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(build_app(conf, url), host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.05)
    from services.circulation.staff import add_user

    conn = await asyncpg.connect(url)
    dinas = await add_user(
        conn, username="dinas", password="bench-" + "x" * 12, role="district", scope="35.20", actor="bench"
    )
    await conn.close()
    token, _ = tokens.issue(dinas, conf.jwt_secret, 60)
    found = {}
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=60, headers={"Authorization": f"Bearer {token}"}
    ) as http:
        for kind, code in CASES:
            for group_by in ("month", "year"):
                params = {
                    "scope": f"{kind}:{code}",
                    "from": f"{YEAR}-01-01",
                    "to": f"{YEAR}-12-31",
                    "group_by": group_by,
                }
                samples = []
                for _ in range(RUNS + 3):
                    t0 = time.perf_counter()
                    answer = await http.get("/api/circulation/v1/stats", params=params)
                    samples.append((time.perf_counter() - t0) * 1000)
                    assert answer.status_code == 200, answer.text
                found[f"{kind}-{group_by}"] = summary(samples[3:])
    server.should_exit = True
    await task
    return found


@asynccontextmanager
async def database():
    """A fresh database, or with BENCH_DB=name one kept between runs (loaded on first use)."""
    name = os.environ.get("BENCH_DB")
    if not name:
        async with fresh_database("stats") as url:
            yield url, await load(url)
        return
    server = server_url(settings())
    admin = await asyncpg.connect(with_database(server, "postgres"))
    exists = await admin.fetchval("SELECT exists (SELECT 1 FROM pg_database WHERE datname = $1)", name)
    await admin.close()
    url = with_database(server, name)
    if exists:
        conn = await asyncpg.connect(url)
        await migrate(conn)
        await conn.close()
        yield url, {"reused_database": name}
        return
    await create_database(server, name)
    conn = await asyncpg.connect(url)
    await migrate(conn)
    await conn.close()
    yield url, await load(url)


async def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    async with database() as (url, setup):
        print(json.dumps(setup), file=sys.stderr)
        result = {"setup": setup, "in_process": await in_process(url)}
        try:
            result["over_http"] = await over_http(url)
        except Exception as exc:  # the pages app may not build while it is being changed
            result["over_http"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    result["measured_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    save("stats", result)


if __name__ == "__main__":
    asyncio.run(main())
