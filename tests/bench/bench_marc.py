"""MARC21 and OAI-PMH benchmark: importing 10,000 MARC records (ISO 2709 and MARCXML), and a full ListRecords
harvest of the 38 seed libraries by a real harvester (oaipmh-scythe) beside reading the same from the tables.

Run: `.venv/bin/python tests/bench/bench_marc.py` (BENCH_SHORT=1: one run of each, oai_dc harvest only).
The 10,000 records carry the real titles, authors and publishers of the seed manifests, each under an ISBN
of its own (synthetic, valid), so that every record is a new title.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import subprocess
import sys
import time

import asyncpg
import isbnlib
from common import ROOT, fresh_database, save, summary
from lxml import etree

from pustaka.seeding import load_libraries, read_libraries, read_package_index, seed, seeds_dir
from services.catalog.domain.manifest import read_manifest
from services.catalog.domain.marc_write import MARC_NS, Holding, marcxml, to_marc
from services.catalog.ingest import ingest_package

SHORT = os.environ.get("BENCH_SHORT", "1") == "1"
RUNS = 1 if SHORT else 3
RECORDS = 10_000


def ten_thousand_holdings() -> list[Holding]:
    rows = []
    for entry in read_package_index(seeds_dir())[:12]:
        rows.extend(read_manifest((seeds_dir() / "packages" / entry["file"]).read_bytes()).rows)
    now = dt.datetime.now(dt.UTC)
    out = []
    for n in range(RECORDS):
        values = rows[n % len(rows)].values
        stem = f"978623{n:06d}"
        isbn = next(stem + d for d in "0123456789" if isbnlib.is_isbn13(stem + d))
        out.append(
            Holding(
                "",
                "",
                isbn,
                None,
                values.get("title") or f"Buku {n}",
                None,
                tuple(a.strip() for a in (values.get("authors") or "").split(";") if a.strip()),
                values.get("publisher") or None,
                None,
                "ind",
                values.get("ddc") or None,
                (),
                now,
                (),
            )
        )
    return out


async def import_marc(pool, library: str, data: bytes, name: str) -> dict:
    samples = []
    for _ in range(RUNS):
        async with pool.acquire() as conn:
            await conn.execute(
                "TRUNCATE catalog.items, catalog.rejections, catalog.search_outbox, catalog.packages, "
                "catalog.oai_records, catalog.titles, catalog.audit_log RESTART IDENTITY CASCADE"
            )
            start = time.perf_counter()
            report = await ingest_package(conn, library=library, data=data, source_name=name, actor="bench")
            samples.append((time.perf_counter() - start) * 1000)
        assert report.accepted_rows == RECORDS, report.rejected[:3]
    result = summary(samples)
    result["records_per_s"] = round(RECORDS / (result["median_ms"] / 1000))
    result["bytes"] = len(data)
    return result


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def harvest_all(endpoint: str, prefix: str) -> tuple[int, float]:
    from oaipmh_scythe import Scythe
    from oaipmh_scythe.config import HTTPConfig

    start = time.perf_counter()
    with Scythe(endpoint, http_config=HTTPConfig(timeout=120)) as scythe:
        count = sum(1 for _ in scythe.list_records(metadata_prefix=prefix))
    return count, time.perf_counter() - start


async def from_tables(pool) -> tuple[int, float]:
    """The same records read straight from the tables: one query, every title and copy of every library."""
    start = time.perf_counter()
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT r.library_code, t.isbn13, t.title, t.authors, t.publisher, t.year, t.ddc, "
            "array_agg(i.barcode) AS barcodes FROM catalog.oai_records r JOIN catalog.titles t ON t.id = r.title_id "
            "JOIN catalog.items i ON i.library_code = r.library_code AND i.title_id = r.title_id "
            "GROUP BY r.library_code, r.id, r.datestamp, t.id ORDER BY r.datestamp, r.id"
        )
    return len(rows), time.perf_counter() - start


async def harvest(url: str, pool) -> dict:
    port = _port()
    env = {**os.environ, "PUSTAKA_DATABASE_URL": url, "PUSTAKA_DATA_DIR": str(ROOT / ".pustaka-bench")}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "pustaka.asgi:catalog",
            "--factory",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        endpoint = f"http://127.0.0.1:{port}/oai"
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                await asyncio.sleep(0.1)
        result = {}
        for prefix in ("oai_dc",) if SHORT else ("oai_dc", "marc21"):
            count, seconds = await asyncio.to_thread(harvest_all, endpoint, prefix)
            result[prefix] = {"records": count, "seconds": round(seconds, 2), "records_per_s": round(count / seconds)}
            print(prefix, result[prefix], file=sys.stderr)
        count, seconds = await from_tables(pool)
        result["straight_from_tables"] = {
            "records": count,
            "seconds": round(seconds, 3),
            "records_per_s": round(count / seconds),
        }
        return result
    finally:
        server.terminate()
        server.wait()


async def main() -> None:
    holdings = ten_thousand_holdings()
    iso = b"".join(to_marc(h).as_marc() for h in holdings)
    collection = etree.Element(f"{{{MARC_NS}}}collection", nsmap={None: MARC_NS})
    collection.extend(marcxml(to_marc(h)) for h in holdings)
    xml = etree.tostring(collection, xml_declaration=True, encoding="UTF-8")
    async with fresh_database("marc") as url:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
        async with pool.acquire() as conn:
            await load_libraries(conn, read_libraries(seeds_dir() / "libraries.csv"))
        library = read_package_index(seeds_dir())[0]["library"]
        result = {
            "mode": "short" if SHORT else "full",
            "import_10000_iso2709": await import_marc(pool, library, iso, "bench.mrc"),
            "import_10000_marcxml": await import_marc(pool, library, xml, "bench.xml"),
        }
        async with pool.acquire() as conn:
            await conn.execute(
                "TRUNCATE catalog.items, catalog.rejections, catalog.search_outbox, catalog.packages, "
                "catalog.oai_records, catalog.titles, catalog.audit_log RESTART IDENTITY CASCADE"
            )
        start = time.perf_counter()
        reports = await seed(pool)
        result["seed_38_packages_s"] = round(time.perf_counter() - start, 2)
        result["seed_items"] = sum(r.items_created for r in reports)
        async with pool.acquire() as conn:
            await conn.execute("ANALYZE")  # what autovacuum does within a minute of a bulk load
        result["harvest_38_libraries"] = await harvest(url, pool)
        await pool.close()
    save("marc", result)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    asyncio.run(main())
