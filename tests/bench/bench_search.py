"""Search benchmark over Magetan's 38 seed packages (38,000 documents): the embedded Tantivy index and a
real Meilisearch 1.21.0 side by side, on the same documents and queries.

    .venv/bin/python tests/bench/bench_search.py [--short] [--seconds 10]

Measures, for each engine: the time to make the 38 packages searchable; 200 realistic queries (typos,
Indonesian and English, prefixes, ISBNs, filters, sorts) and 20 broad village keywords (1,000+ hits, all
facets) in process and over HTTP with one client (p50/p95); searches per second with 16 concurrent
keep-alive clients (the lean client of rawhttp.py) for typo'd titles and for broad keywords apart, against
the catalogue served by uvicorn in its own process on loopback (one and two workers for Meilisearch), and
Meilisearch alone answering the same request bodies; two ways of calling Meilisearch from the catalogue
(the adapter, aiohttp; meilisearch-python in a thread; more in bench_meili_client.py); the bytes of a page
of hits as sent (plain, gzip, brotli); the start-up of `pustaka up` over the 38 packages (index built, then reopened
from disk). The same queries answered by PostgreSQL with pg_trgm, for comparison. Prints a summary and
writes tests/bench/results/search.json. `--short`: 2 s load runs, one round (for a quick check).
Run it on a quiet machine: load generator and server share it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
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

import pg_trgm_baseline  # noqa: E402  (beside this script)

from pustaka.config import load_settings  # noqa: E402
from pustaka.database import server_url, with_database  # noqa: E402
from pustaka.migrations import migrate  # noqa: E402
from pustaka.seeding import seed  # noqa: E402
from search.backend import SearchQuery  # noqa: E402
from search.embedded import EmbeddedBackend  # noqa: E402
from search.indexer import Indexer, rebuild_from_database  # noqa: E402
from search.meili import MeiliBackend, search_body  # noqa: E402
from tests.meiliserver import BIN_VARIABLE, launch, remove  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
WORD = re.compile(r"[A-Za-z]{5,}")
# What patrons of a village library type most: one broad word, 1,000+ hits each, facets over all of them.
VILLAGE_WORDS = [
    "pertanian",
    "kesehatan",
    "padi",
    "anak",
    "sejarah",
    "agama",
    "islam",
    "cerita",
    "indonesia",
    "bahasa",
    "ilmu",
    "pendidikan",
    "masak",
    "ternak",
    "ikan",
    "desa",
    "tanaman",
    "matematika",
    "kamus",
    "novel",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def typo(word: str, rng: random.Random) -> str:
    """One typo, as people make them: a letter dropped, doubled, swapped with its neighbour or replaced."""
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "double", "swap", "replace"])
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeioukrst") + word[i + 1 :]


async def realistic_queries(conn: asyncpg.Connection, rng: random.Random) -> list[dict]:
    """200 queries drawn from the catalogue as patrons would type them."""
    rows = await conn.fetch(
        "SELECT DISTINCT t.title, t.authors, t.isbn13, t.language FROM catalog.titles t "
        "JOIN catalog.items i ON i.title_id = t.id ORDER BY t.title"
    )
    libraries = [r["code"] for r in await conn.fetch("SELECT code FROM catalog.libraries ORDER BY code")]
    english = [r for r in rows if r["language"] == "eng"]
    indonesian = [r for r in rows if r["language"] == "ind"]
    queries: list[dict] = []

    def words(row) -> list[str]:
        return [w.lower() for w in WORD.findall(row["title"])]

    while len(queries) < 50:  # two title words, one with a typo
        ws = words(rng.choice(english))
        if len(ws) >= 2:
            a, b = rng.sample(ws, 2)
            queries.append({"q": f"{a} {typo(b, rng)}"})
    while len(queries) < 80:  # a title as typed, one to three words
        ws = words(rng.choice(english))
        if ws:
            queries.append({"q": " ".join(ws[: rng.randint(1, 3)])})
    while len(queries) < 110:  # an author's surname, half of them misspelt
        authors = rng.choice(rows)["authors"]
        surname = authors[0].split()[-1].lower() if authors else ""
        if len(surname) >= 5:
            queries.append({"q": typo(surname, rng) if rng.random() < 0.5 else surname})
    while len(queries) < 135:  # Indonesian words, with typos or cut short
        ws = words(rng.choice(indonesian))
        if ws:
            w = rng.choice(ws)
            queries.append({"q": rng.choice([w, typo(w, rng), w[: max(4, len(w) // 2)]])})
    while len(queries) < 155:  # a prefix, as typed while looking
        ws = words(rng.choice(rows))
        if ws:
            queries.append({"q": ws[0][: rng.randint(3, 5)]})
    while len(queries) < 175:  # an ISBN, in any written form
        isbn = rng.choice(rows)["isbn13"]
        if isbn:
            queries.append({"q": rng.choice([isbn, isbnlib.mask(isbn), isbnlib.to_isbn10(isbn)])})
    while len(queries) < 190:  # words within one library, sometimes sorted
        ws = words(rng.choice(english))
        if ws:
            queries.append(
                {
                    "q": ws[0],
                    "library": rng.choice(libraries),
                    "sort": rng.choice(["relevance", "relevance", "year", "-year", "title"]),
                }
            )
    while len(queries) < 200:  # browsing one library's shelf with filters
        queries.append(
            {
                "library": rng.choice(libraries),
                "available": "true",
                "sort": rng.choice(["title", "-year"]),
                **rng.choice([{}, {"language": "ind"}]),
            }
        )
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


async def many_clients(
    base: str, queries: list[dict], clients: int, seconds: float, *, meili_key: str | None = None
) -> dict:
    """16 keep-alive connections through the lean client of rawhttp.py: httpx would spend more CPU per
    request than the server does, and on two cores the benchmark would measure the load generator.
    With `meili_key`, `base` is Meilisearch itself, asked the catalogue's own request bodies."""
    done = 0
    failures = 0
    stop_at = time.perf_counter() + seconds
    address = httpx.URL(base)
    if meili_key is None:
        requests = [("GET", httpx.URL(url).raw_path.decode(), None) for url in search_urls(base, queries)]
        headers = {}
    else:
        requests = [("POST", "/indexes/pustaka_titles/search", meili_request(params)) for params in queries]
        headers = {"Authorization": f"Bearer {meili_key}"}

    async def client(offset: int) -> None:
        nonlocal done, failures
        async with Connection(address.host, address.port, headers) as conn:
            i = offset
            while time.perf_counter() < stop_at:
                method, path, body = requests[i % len(requests)]
                status, _ = await conn.request(method, path, body)
                done += 1
                failures += status != 200
                i += 1

    started = time.perf_counter()
    await asyncio.gather(*(client(k * 13) for k in range(clients)))
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "searches": done,
        "failures": failures,
        "seconds": round(elapsed, 2),
        "searches_per_second": round(done / elapsed, 1),
    }


def note(step: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {step}", file=sys.stderr, flush=True)


def meili_request(params: dict) -> dict:
    """The body the catalogue sends Meilisearch for these search parameters."""
    query = as_query(params)
    return {"q": "" if query.isbn13 else query.q, **search_body(query)}


def ms(times: list[float]) -> dict:
    return {"p50": round(statistics.median(times), 3), "p95": round(percentile(times, 95), 3)}


async def in_process(backend, queries: list[dict], rounds: int) -> dict:
    times = []
    for params in queries:  # warm-up
        await backend.search(as_query(params))
    for _ in range(rounds):
        for params in queries:
            query = as_query(params)
            started = time.perf_counter()
            await backend.search(query)
            times.append((time.perf_counter() - started) * 1000)
    return ms(times)


def process_tree(pid: int) -> list[int]:
    """A process and its children (uvicorn's workers), from /proc."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        for child in children:
            pids += process_tree(int(child))
    return pids


def tree_cpu(pids: list[int]) -> float:
    return sum(cpu_seconds(p) for p in pids if Path(f"/proc/{p}").exists())


def start_catalog(env: dict, url: str, workers: int = 1) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "pustaka.asgi:catalog",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--workers",
            str(workers),
        ],
        env={**env, "PUSTAKA_DATABASE_URL": url},
        cwd=ROOT,
    )
    return process, f"http://127.0.0.1:{port}"


async def wait_ready(base: str, process: subprocess.Popen, timeout: float = 300) -> tuple[float, float]:
    """Seconds until the service answers, and until its search is ready."""
    started = time.perf_counter()
    answering = None
    async with httpx.AsyncClient(base_url=base) as client:
        while time.perf_counter() - started < timeout:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args} exited with {process.returncode}")
            try:
                answer = await client.get("/api/catalog/health")
                if answer.status_code == 200:
                    answering = answering or time.perf_counter() - started
                    if answer.json().get("search") == "ready":
                        return round(answering, 2), round(time.perf_counter() - started, 2)
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError(f"{base} not ready within {timeout} s")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def load(base: str, pids: list[int], queries: list[dict], seconds: float, **options) -> dict:
    server_cpu, client_cpu = tree_cpu(pids), time.process_time()
    many = await many_clients(base, queries, 16, seconds, **options)
    many["server_cpu_ms_per_search"] = round((tree_cpu(pids) - server_cpu) * 1000 / max(many["searches"], 1), 3)
    many["client_cpu_ms_per_search"] = round((time.process_time() - client_cpu) * 1000 / max(many["searches"], 1), 3)
    return many


async def over_http(base: str, pids: list[int], sets: dict[str, list[dict]], seconds: float, rounds: int) -> dict:
    figures = {}
    figures["one_client_ms"] = ms(await one_client(base, sets["realistic"], rounds))
    figures["one_client_broad_ms"] = ms(await one_client(base, sets["broad"], rounds * 5))
    figures["16_clients_typo_titles"] = await load(base, pids, sets["typo"], seconds)
    figures["16_clients_broad_words"] = await load(base, pids, sets["broad"], seconds)
    return figures


async def client_options(meili: MeiliBackend, queries: list[dict], seconds: float) -> dict:
    """Searches/s and this process's CPU per search, 16 concurrent searches, for the two ways of asking."""
    index = meili.client.index(meili.index)
    bodies = [(as_query(p), meili_request(p)) for p in queries]

    async def via_adapter(i: int) -> None:
        await meili.search(bodies[i % len(bodies)][0])

    async def via_thread(i: int) -> None:
        body = dict(bodies[i % len(bodies)][1])
        await asyncio.to_thread(index.search, body.pop("q"), body)

    figures = {}
    for name, call in (("adapter_aiohttp", via_adapter), ("meilisearch_python_thread", via_thread)):
        done = 0
        stop_at = time.perf_counter() + seconds
        cpu = time.process_time()

        async def worker(offset: int, call=call, stop_at=stop_at) -> None:
            nonlocal done
            i = offset
            while time.perf_counter() < stop_at:
                await call(i)
                done += 1
                i += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker(k * 7) for k in range(16)))
        elapsed = time.perf_counter() - started
        figures[name] = {
            "searches_per_second": round(done / elapsed, 1),
            "catalogue_cpu_ms_per_search": round((time.process_time() - cpu) * 1000 / done, 3),
        }
    return figures


async def page_bytes(base: str, q: str) -> dict:
    sizes = {}
    async with httpx.AsyncClient(base_url=base) as client:
        for encoding in ("identity", "gzip", "br"):
            async with client.stream(
                "GET", "/api/catalog/v1/search", params={"q": q}, headers={"Accept-Encoding": encoding}
            ) as answer:
                sizes[encoding] = len(b"".join([c async for c in answer.aiter_raw()]))
    return sizes


async def pustaka_up_startup(env: dict, url: str, data_dir: Path) -> dict:
    """`pustaka up` over the seeded database: the first start builds the index, the second reopens it."""
    figures = {}
    for run in ("first_start_index_built", "second_start_index_reopened"):
        port = free_port()
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "pustaka", "up"],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            env={**env, "PUSTAKA_DATABASE_URL": url, "PUSTAKA_DATA_DIR": str(data_dir), "PUSTAKA_PORT": str(port)},
        )
        try:
            answering, ready = await wait_ready(f"http://127.0.0.1:{port}", process)
            spent = time.perf_counter() - started
            figures[run] = {"answering_s": round(spent - (ready - answering), 2), "search_ready_s": round(spent, 2)}
        finally:
            stop(process)
    return figures


def meili_binary() -> str:
    if os.environ.get(BIN_VARIABLE):
        return os.environ[BIN_VARIABLE]
    return subprocess.run(
        ["bash", "-c", "source scripts/tools.sh && ensure_meilisearch"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


async def main(seconds: float, rounds: int) -> dict:
    env = dict(os.environ)
    env.setdefault("PUSTAKA_DATA_DIR", str(ROOT / ".pustaka-bench"))
    env.setdefault("PUSTAKA_JWT_SECRET", "bench-secret-" + "x" * 40)
    env.pop("PUSTAKA_MEILI_URL", None)
    settings = load_settings(env)
    server = server_url(settings)
    name = f"pustaka_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = await asyncpg.connect(with_database(server, "postgres"))
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = with_database(server, name)
    figures: dict = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "machine_cpus": os.cpu_count(),
        "load_seconds": seconds,
    }
    os.environ[BIN_VARIABLE] = meili_binary()
    meili_server = launch()
    processes: list[subprocess.Popen] = []
    scratch = Path(tempfile.mkdtemp(prefix="pustaka-bench-"))
    try:
        conn = await asyncpg.connect(url)
        await migrate(conn)
        await conn.close()
        pool = await asyncpg.create_pool(url, min_size=2, max_size=8)

        note("seeding the 38 packages")
        started = time.perf_counter()
        reports = await seed(pool)
        figures["ingest_38_packages_s"] = round(time.perf_counter() - started, 2)
        figures["items"] = sum(r.items_created for r in reports)
        note("indexing (embedded, Meilisearch)")
        embedded = EmbeddedBackend()
        started = time.perf_counter()
        cleared = await Indexer(pool, embedded, embedded=True).drain()
        figures["documents"] = embedded.document_count()
        indexing = figures["index_38_packages_s"] = {"embedded_outbox": round(time.perf_counter() - started, 2)}
        started = time.perf_counter()
        await rebuild_from_database(pool, EmbeddedBackend())
        indexing["embedded_rebuild"] = round(time.perf_counter() - started, 2)
        meili = MeiliBackend(meili_server.url, meili_server.key)
        started = time.perf_counter()
        await rebuild_from_database(pool, meili)
        indexing["meilisearch_rebuild"] = round(time.perf_counter() - started, 2)
        figures["outbox_rows_drained"] = cleared

        note("in process")
        async with pool.acquire() as conn:
            realistic = await realistic_queries(conn, random.Random(2026))
        sets = {"realistic": realistic, "typo": realistic[:50], "broad": [{"q": w} for w in VILLAGE_WORDS]}
        figures["broad_words_hits"] = {w: (await embedded.search(SearchQuery(q=w))).total for w in VILLAGE_WORDS}
        figures["in_process_ms"] = {
            engine: {
                "realistic": await in_process(b, realistic, rounds * 3),
                "broad": await in_process(b, sets["broad"], rounds * 10),
            }
            for engine, b in (("embedded", embedded), ("meilisearch", meili))
        }
        figures["pg_trgm_in_process_ms"] = await pg_trgm_baseline.measure(pool, realistic)
        figures["meilisearch_client_options"] = await client_options(meili, realistic, seconds)
        await pool.close()

        note("HTTP, embedded")
        http: dict = {}
        figures["http"] = http
        embedded_env = {**env, "PUSTAKA_DATA_DIR": str(scratch / "embedded")}
        process, base = start_catalog(embedded_env, url)
        processes.append(process)
        await wait_ready(base, process)
        http["embedded"] = await over_http(base, process_tree(process.pid), sets, seconds, rounds)
        figures["page_bytes_broad_query"] = {"q": "pertanian", **await page_bytes(base, "pertanian")}
        stop(process)

        note("HTTP, Meilisearch")
        meili_env = {**env, "PUSTAKA_MEILI_URL": meili_server.url, "PUSTAKA_MEILI_KEY": meili_server.key}
        for workers in (1, 2):
            process, base = start_catalog(meili_env, url, workers)
            processes.append(process)
            await wait_ready(base, process)
            await asyncio.sleep(0.5)
            http[f"meilisearch_{workers}_worker{'s' if workers > 1 else ''}"] = await over_http(
                base, process_tree(process.pid), sets, seconds, rounds
            )
            stop(process)
        note("Meilisearch alone")
        meili_pids = [meili_server.process.pid]
        http["meilisearch_alone"] = {
            "16_clients_typo_titles": await load(
                meili_server.url, meili_pids, sets["typo"], seconds, meili_key=meili_server.key
            ),
            "16_clients_broad_words": await load(
                meili_server.url, meili_pids, sets["broad"], seconds, meili_key=meili_server.key
            ),
        }
        await meili.close()
        note("pustaka up")
        figures["pustaka_up_38_packages"] = await pustaka_up_startup(env, url, scratch / "up")
        figures["load_average_after_run"] = os.getloadavg()[0]
    finally:
        for process in processes:
            if process.poll() is None:
                stop(process)
        remove(meili_server)
        shutil.rmtree(scratch, ignore_errors=True)
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()
    return figures


def report(figures: dict) -> None:
    print(
        f"documents {figures['documents']:,} ({figures['items']:,} items in 38 packages); "
        f"ingest {figures['ingest_38_packages_s']:.2f} s"
    )
    print(f"index the 38 packages: {figures['index_38_packages_s']}")
    for engine, sets in figures["in_process_ms"].items():
        print(f"in process {engine:12} realistic {sets['realistic']}  broad {sets['broad']}")
    print(f"  PostgreSQL pg_trgm, realistic: {figures['pg_trgm_in_process_ms']}")
    print(f"Meilisearch from the catalogue, 16 concurrent: {figures['meilisearch_client_options']}")
    for setup, f in figures["http"].items():
        parts = []
        for key, value in f.items():
            if "clients" in key:
                parts.append(
                    f"{key} {value['searches_per_second']:,.0f}/s (server CPU "
                    f"{value['server_cpu_ms_per_search']} ms/search, {value['failures']} failures)"
                )
            else:
                parts.append(f"{key} {value}")
        print(f"HTTP {setup}: " + "; ".join(parts))
    print(f"bytes of a page of hits for 'pertanian': {figures['page_bytes_broad_query']}")
    print(f"pustaka up over the 38 packages: {figures['pustaka_up_38_packages']}")
    print(f"load average after the run: {figures['load_average_after_run']:.2f} on {figures['machine_cpus']} CPUs")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each 16-client run")
    parser.add_argument("--short", action="store_true", help="2 s load runs and one round: a quick check")
    args = parser.parse_args()
    results = uvloop.run(main(2.0 if args.short else args.seconds, 1 if args.short else 3))
    report(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "search.json"
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {path.relative_to(ROOT)}")
