"""Search benchmark over Magetan's 38 seed packages (38,000 documents), with the embedded backend.

    .venv/bin/python tests/bench/bench_search.py [--seconds 10]

Measures: the time to ingest the 38 packages and to make them searchable (through the outbox, and by a
full rebuild); 200 realistic queries (typos, Indonesian and English, prefixes, ISBNs, filters, sorts) in
process and over HTTP with one client (p50/p95); searches per second with 16 concurrent keep-alive clients
(the lean client of rawhttp.py) against the catalogue served by uvicorn in its own process on loopback;
the same queries answered by PostgreSQL with pg_trgm, for comparison. Prints a summary and writes the
figures to tests/bench/results/search.json. Run it on a quiet machine: load generator and server share it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import asyncpg
import httpx
import isbnlib
import uvloop
from rawhttp import Connection

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pustaka.config import load_settings  # noqa: E402
from pustaka.database import server_url, with_database  # noqa: E402
from pustaka.migrations import migrate  # noqa: E402
from pustaka.seeding import seed  # noqa: E402
from search.backend import SearchQuery  # noqa: E402
from search.embedded import EmbeddedBackend  # noqa: E402
from search.indexer import Indexer, rebuild_from_database  # noqa: E402
import pg_trgm_baseline  # noqa: E402  (beside this script)

RESULTS = Path(__file__).resolve().parent / "results"
WORD = re.compile(r"[A-Za-z]{5,}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def typo(word: str, rng: random.Random) -> str:
    """One typo, as people make them: a letter dropped, doubled, swapped with its neighbour or replaced."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "double", "swap", "replace"])
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + rng.choice("aeioukrst") + word[i + 1:]


async def realistic_queries(conn: asyncpg.Connection, rng: random.Random) -> list[dict]:
    """200 queries drawn from the catalogue as patrons would type them."""
    rows = await conn.fetch("SELECT DISTINCT t.title, t.authors, t.isbn13, t.language FROM catalog.titles t "
                            "JOIN catalog.items i ON i.title_id = t.id ORDER BY t.title")
    libraries = [r["code"] for r in await conn.fetch("SELECT code FROM catalog.libraries ORDER BY code")]
    english = [r for r in rows if r["language"] == "eng"]
    indonesian = [r for r in rows if r["language"] == "ind"]
    queries: list[dict] = []

    def words(row) -> list[str]:
        return [w.lower() for w in WORD.findall(row["title"])]

    while len(queries) < 50:                       # two title words, one with a typo
        ws = words(rng.choice(english))
        if len(ws) >= 2:
            a, b = rng.sample(ws, 2)
            queries.append({"q": f"{a} {typo(b, rng)}"})
    while len(queries) < 80:                       # a title as typed, one to three words
        ws = words(rng.choice(english))
        if ws:
            queries.append({"q": " ".join(ws[:rng.randint(1, 3)])})
    while len(queries) < 110:                      # an author's surname, half of them misspelt
        authors = rng.choice(rows)["authors"]
        surname = authors[0].split()[-1].lower() if authors else ""
        if len(surname) >= 5:
            queries.append({"q": typo(surname, rng) if rng.random() < 0.5 else surname})
    while len(queries) < 135:                      # Indonesian words, with typos or cut short
        ws = words(rng.choice(indonesian))
        if ws:
            w = rng.choice(ws)
            queries.append({"q": rng.choice([w, typo(w, rng), w[: max(4, len(w) // 2)]])})
    while len(queries) < 155:                      # a prefix, as typed while looking
        ws = words(rng.choice(rows))
        if ws:
            queries.append({"q": ws[0][: rng.randint(3, 5)]})
    while len(queries) < 175:                      # an ISBN, in any written form
        isbn = rng.choice(rows)["isbn13"]
        if isbn:
            queries.append({"q": rng.choice([isbn, isbnlib.mask(isbn), isbnlib.to_isbn10(isbn)])})
    while len(queries) < 190:                      # words within one library, sometimes sorted
        ws = words(rng.choice(english))
        if ws:
            queries.append({"q": ws[0], "library": rng.choice(libraries),
                            "sort": rng.choice(["relevance", "relevance", "year", "-year", "title"])})
    while len(queries) < 200:                      # browsing one library's shelf with filters
        queries.append({"library": rng.choice(libraries), "available": "true",
                        "sort": rng.choice(["title", "-year"]), **rng.choice([{}, {"language": "ind"}])})
    return queries


def as_query(params: dict) -> SearchQuery:
    values = {k: (v == "true" if k == "available" else v) for k, v in params.items()}
    return SearchQuery(**values)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def search_urls(base: str, queries: list[dict]) -> list[httpx.URL]:
    """Each query as a ready URL: the load generator's own work per request is then as small as httpx allows
    (it shares the machine's two cores with the server)."""
    return [httpx.URL(f"{base}/api/catalog/v1/search?{urlencode(params)}") for params in queries]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _get(transport: httpx.AsyncHTTPTransport, url: httpx.URL) -> int:
    """One GET through httpx's transport API: the client's cookie, auth and redirect handling is work the
    load generator does not need, and on two cores it would be measured instead of the server."""
    response = await transport.handle_async_request(httpx.Request("GET", url))
    try:
        await response.aread()
    finally:
        await response.aclose()
    return response.status_code


async def one_client(base: str, queries: list[dict], rounds: int) -> list[float]:
    times = []
    urls = search_urls(base, queries)
    async with httpx.AsyncHTTPTransport() as transport:
        for url in urls[:20]:  # warm-up
            await _get(transport, url)
        for _ in range(rounds):
            for url in urls:
                started = time.perf_counter()
                status = await _get(transport, url)
                times.append((time.perf_counter() - started) * 1000)
                assert status == 200, url
    return times


async def many_clients(base: str, queries: list[dict], clients: int, seconds: float) -> dict:
    """16 keep-alive connections through the lean client of rawhttp.py: httpx would spend more CPU per
    request than the server does, and on two cores the benchmark would measure the load generator."""
    done = 0
    failures = 0
    stop_at = time.perf_counter() + seconds
    address = httpx.URL(base)
    paths = [httpx.URL(url).raw_path.decode() for url in search_urls(base, queries)]

    async def client(offset: int) -> None:
        nonlocal done, failures
        async with Connection(address.host, address.port, {}) as conn:
            i = offset
            while time.perf_counter() < stop_at:
                status, _ = await conn.request("GET", paths[i % len(paths)])
                done += 1
                failures += status != 200
                i += 1

    started = time.perf_counter()
    await asyncio.gather(*(client(k * 13) for k in range(clients)))
    elapsed = time.perf_counter() - started
    return {"clients": clients, "searches": done, "failures": failures, "seconds": round(elapsed, 2),
            "searches_per_second": round(done / elapsed, 1)}


async def main(seconds: float) -> dict:
    env = dict(os.environ)
    env.setdefault("PUSTAKA_DATA_DIR", str(ROOT / ".pustaka-test"))
    env.setdefault("PUSTAKA_JWT_SECRET", "bench-secret-" + "x" * 40)
    settings = load_settings(env)
    server = server_url(settings)
    name = f"pustaka_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = await asyncpg.connect(with_database(server, "postgres"))
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = with_database(server, name)
    figures: dict = {"when": dt.datetime.now().isoformat(timespec="seconds"), "machine_cpus": os.cpu_count()}
    process = None
    try:
        conn = await asyncpg.connect(url)
        await migrate(conn)
        await conn.close()
        pool = await asyncpg.create_pool(url, min_size=2, max_size=8)

        started = time.perf_counter()
        reports = await seed(pool)
        figures["ingest_38_packages_s"] = round(time.perf_counter() - started, 2)
        backend = EmbeddedBackend()
        started = time.perf_counter()
        cleared = await Indexer(pool, backend, embedded=True).drain()
        figures["outbox_to_searchable_s"] = round(time.perf_counter() - started, 2)
        figures["documents"] = backend.document_count()
        figures["outbox_rows_drained"] = cleared
        started = time.perf_counter()
        await rebuild_from_database(pool, EmbeddedBackend())
        figures["full_rebuild_s"] = round(time.perf_counter() - started, 2)
        figures["items"] = sum(r.items_created for r in reports)

        async with pool.acquire() as conn:
            queries = await realistic_queries(conn, random.Random(2026))
        figures["queries"] = len(queries)
        in_process = []
        for params in queries:
            await backend.search(as_query(params))
        for _ in range(5):
            for params in queries:
                query = as_query(params)
                t = time.perf_counter()
                await backend.search(query)
                in_process.append((time.perf_counter() - t) * 1000)
        figures["in_process_ms"] = {"p50": round(statistics.median(in_process), 3),
                                    "p95": round(percentile(in_process, 95), 3)}
        figures["pg_trgm_in_process_ms"] = await pg_trgm_baseline.measure(pool, queries)
        await pool.close()

        port = free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "pustaka.asgi:catalog", "--factory", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning", "--no-access-log"],
            env={**env, "PUSTAKA_DATABASE_URL": url}, cwd=ROOT,
        )
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=base) as client:
            for _ in range(300):
                try:
                    if (await client.get("/api/catalog/health")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        http_one = await one_client(base, queries, rounds=3)
        figures["http_one_client_ms"] = {"p50": round(statistics.median(http_one), 3),
                                         "p95": round(percentile(http_one, 95), 3)}
        server_cpu, client_cpu = cpu_seconds(process.pid), time.process_time()
        many = figures["http_16_clients"] = await many_clients(base, queries, 16, seconds)
        many["server_cpu_ms_per_search"] = round((cpu_seconds(process.pid) - server_cpu) * 1000 / many["searches"], 3)
        many["client_cpu_ms_per_search"] = round((time.process_time() - client_cpu) * 1000 / many["searches"], 3)
        figures["load_average_during_run"] = os.getloadavg()[0]
    finally:
        if process is not None:
            process.terminate()
            process.wait(10)
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()
    return figures


def report(figures: dict) -> None:
    print(f"documents {figures['documents']:,} ({figures['items']:,} items in 38 packages)")
    print(f"ingest of the 38 packages       {figures['ingest_38_packages_s']:.2f} s")
    print(f"outbox drained, all searchable  {figures['outbox_to_searchable_s']:.2f} s "
          f"({figures['outbox_rows_drained']:,} rows)")
    print(f"full rebuild from PostgreSQL    {figures['full_rebuild_s']:.2f} s")
    print(f"{figures['queries']} queries in process      p50 {figures['in_process_ms']['p50']:.3f} ms   "
          f"p95 {figures['in_process_ms']['p95']:.3f} ms")
    print(f"  the same in PostgreSQL (pg_trgm word similarity + unaccent, GIN index): "
          f"p50 {figures['pg_trgm_in_process_ms']['p50']:.3f} ms   p95 {figures['pg_trgm_in_process_ms']['p95']:.3f} ms")
    print(f"over HTTP, one client            p50 {figures['http_one_client_ms']['p50']:.3f} ms   "
          f"p95 {figures['http_one_client_ms']['p95']:.3f} ms   (bar: p95 < 10 ms)")
    many = figures["http_16_clients"]
    print(f"over HTTP, 16 clients            {many['searches_per_second']:,.0f} searches/s "
          f"({many['searches']:,} in {many['seconds']} s, {many['failures']} failures; bar: >= 1,000/s)")
    print(f"  CPU per search: server {many['server_cpu_ms_per_search']:.3f} ms, "
          f"client {many['client_cpu_ms_per_search']:.3f} ms; load average {figures['load_average_during_run']:.2f} "
          f"on {figures['machine_cpus']} CPUs")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of the 16-client run")
    args = parser.parse_args()
    results = uvloop.run(main(args.seconds))
    report(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "search.json"
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {path.relative_to(ROOT)}")
