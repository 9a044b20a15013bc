"""Searches per second of `pustaka up` with one and with several workers, and its start-up time with the
38 seed packages and with 200, cold (the index built from PostgreSQL) and warm (the index on disk reused).

    .venv/bin/python tests/bench/bench_workers.py [--short] [--seconds 10] [--workers 1,2,3]
        [--code DIR --label NAME]   # the same measures on another checkout's code (e.g. before a change)
        [--no-startup] [--no-load]

Load: 16 keep-alive clients (the lean client of rawhttp.py) asking the 50 typo'd title queries or the 20
broad village keywords of bench_search.py through the whole system (`pustaka up`: gateway, Litestar,
compression) for `--seconds` each; searches/s, latency p50/p95 under that load, and the server's and the
load generator's CPU per search. Start-up: from launching `pustaka up` until `/api/catalog/health` says
search is `ready`, over a database that already holds the packages (PUSTAKA_DATABASE_URL: the PostgreSQL
start is not in these figures); 200 packages are the 38 seed manifests ingested again under 162 more
library codes (`<kecamatan>.9nnn`). Medians of `--runs` starts. The load generator shares the machine's cores
with the server: on two cores it takes about a tenth of the CPU at these rates.
Writes tests/bench/results/workers[-LABEL].json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
import psutil
import uvloop
from rawhttp import Connection

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench_search import (  # noqa: E402  # noqa: E402
    VILLAGE_WORDS,
    free_port,
    percentile,
    process_tree,
    realistic_queries,
    search_urls,
    tree_cpu,
)

from pustaka.config import load_settings  # noqa: E402
from pustaka.database import server_url, with_database  # noqa: E402
from pustaka.migrations import migrate  # noqa: E402
from pustaka.seeding import read_libraries, read_package_index, seed, seeds_dir  # noqa: E402
from services.catalog.ingest import ingest_package  # noqa: E402
from services.catalog.libraries import upsert_libraries  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
EXTRA_PACKAGES = 162


def note(step: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {step}", file=sys.stderr, flush=True)


class Up:
    """`pustaka up` over a database of the bench, from this checkout or `code`."""

    def __init__(self, env: dict, url: str, data_dir: Path, workers: int, code: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        args = [sys.executable, "-m", "pustaka", "up"] + (["--workers", str(workers)] if workers > 1 else [])
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            args,
            cwd=code,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={
                **env,
                "PYTHONPATH": str(code),
                "PUSTAKA_DATABASE_URL": url,
                "PUSTAKA_DATA_DIR": str(data_dir),
                "PUSTAKA_PORT": str(self.port),
            },
        )

    async def ready(self, timeout: float = 600) -> float:
        """Seconds from the launch until search is ready (every worker: asked on fresh connections)."""
        ready_seen = 0
        async with httpx.AsyncClient(base_url=self.base, limits=httpx.Limits(max_keepalive_connections=0)) as client:
            while time.perf_counter() - self.started < timeout:
                if self.process.poll() is not None:
                    raise RuntimeError(f"pustaka up exited with {self.process.returncode}")
                try:
                    answer = await client.get("/api/catalog/health")
                    ready_seen = ready_seen + 1 if answer.json().get("search") == "ready" else 0
                    if ready_seen >= 6:  # six fresh connections in a row: every worker is ready
                        return round(time.perf_counter() - self.started - 5 * 0.02, 2)
                except (httpx.TransportError, ValueError):
                    ready_seen = 0
                await asyncio.sleep(0.02)
        raise RuntimeError("pustaka up was not ready in time")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


async def load(base: str, pids: list[int], queries: list[dict], seconds: float, clients: int = 16) -> dict:
    paths = [httpx.URL(url).raw_path.decode() for url in search_urls(base, queries)]
    address = httpx.URL(base)
    times: list[float] = []
    failures = 0

    async def client(offset: int, stop_at: float) -> None:
        nonlocal failures
        async with Connection(address.host, address.port, {"Accept-Encoding": "br, gzip"}) as conn:
            i = offset
            while time.perf_counter() < stop_at:
                started = time.perf_counter()
                status, _ = await conn.request("GET", paths[i % len(paths)])
                times.append((time.perf_counter() - started) * 1000)
                failures += status != 200
                i += 1

    await asyncio.gather(*(client(k * 7, time.perf_counter() + 1.0) for k in range(clients)))  # warm-up
    times.clear()
    server_cpu, client_cpu = tree_cpu(pids), time.process_time()
    started = time.perf_counter()
    await asyncio.gather(*(client(k * 13, started + seconds) for k in range(clients)))
    elapsed = time.perf_counter() - started
    done = len(times)
    return {
        "searches_per_second": round(done / elapsed, 1),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(percentile(times, 95), 2),
        "failures": failures,
        "searches": done,
        "server_cpu_ms_per_search": round((tree_cpu(pids) - server_cpu) * 1000 / max(done, 1), 3),
        "client_cpu_ms_per_search": round((time.process_time() - client_cpu) * 1000 / max(done, 1), 3),
    }


async def throughput(
    env: dict, url: str, scratch: Path, sets: dict, workers: list[int], seconds: float, code: Path
) -> dict:
    figures = {}
    for count in workers:
        note(f"load, {count} worker(s)")
        up = Up(env, url, scratch / f"load-{count}", count, code)
        try:
            await up.ready()
            await asyncio.sleep(1.0)
            pids = process_tree(up.process.pid)
            figures[f"{count}_worker{'s' if count > 1 else ''}"] = {
                name: await load(up.base, pids, queries, seconds) for name, queries in sets.items()
            }
        finally:
            up.stop()
    return figures


async def add_packages(pool: asyncpg.Pool, count: int) -> int:
    """The seed manifests again under `count` more library codes (`<kecamatan>.9nnn`); copies made."""
    folder = seeds_dir()
    entries = read_package_index(folder)
    libraries = {row["code"]: row for row in read_libraries(folder / "libraries.csv")}
    extra = []
    for n in range(count):
        entry = entries[n % len(entries)]
        base = libraries[entry["library"]]
        code = f"{entry['library'][:8]}.{9000 + n:04d}"  # the same kecamatan, a village code no seed uses
        extra.append(({**base, "code": code, "name": f"{base['name']} (bench {n})"}, entry))
    async with pool.acquire() as conn:
        await upsert_libraries(conn, [row for row, _ in extra])
    gate = asyncio.Semaphore(2)

    async def one(row: dict, entry: dict) -> int:
        path = folder / "packages" / entry["file"]
        async with gate, pool.acquire() as conn:
            report = await ingest_package(
                conn,
                library=row["code"],
                data=path.read_bytes(),
                source_name=path.name,
                actor="bench",
                program_year=int(entry["program_year"]),
                received_on=dt.date.fromisoformat(entry["received_on"]),
            )
        return report.items_created

    return sum(await asyncio.gather(*(one(row, entry) for row, entry in extra)))


async def startup(env: dict, url: str, scratch: Path, name: str, runs: int, code: Path) -> dict:
    """Cold: a data folder without an index (built from PostgreSQL); warm: the same folder again."""
    cold: list[float] = []
    warm: list[float] = []
    memory: list[int] = []
    for run in range(runs):
        data_dir = scratch / f"start-{name}-{run}"
        for kind in (cold, warm):
            up = Up(env, url, data_dir, 1, code)
            try:
                kind.append(await up.ready())
                await asyncio.sleep(1.0)
                memory.append(round(psutil.Process(up.process.pid).memory_info().rss / 2**20))
            finally:
                up.stop()
        note(f"start-up {name}: cold {cold[-1]} s, warm {warm[-1]} s, memory {memory[-2:]} MB")
    return {
        "cold_s": cold,
        "warm_s": warm,
        "cold_median_s": statistics.median(cold),
        "warm_median_s": statistics.median(warm),
        "rss_mb_after_start": memory,
    }


async def main(args: argparse.Namespace) -> dict:
    env = dict(os.environ)
    env.setdefault("PUSTAKA_DATA_DIR", str(ROOT / ".pustaka-bench"))
    env.setdefault("PUSTAKA_JWT_SECRET", "bench-secret-" + "x" * 40)
    env.pop("PUSTAKA_MEILI_URL", None)
    env.pop("PUSTAKA_WORKERS", None)
    server = server_url(load_settings(env))
    name = f"pustaka_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = await asyncpg.connect(with_database(server, "postgres"))
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = with_database(server, name)
    scratch = Path(tempfile.mkdtemp(prefix="pustaka-bench-workers-"))
    code = Path(args.code).resolve() if args.code else ROOT
    figures: dict = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "machine_cpus": os.cpu_count(),
        "code": str(code),
        "load_seconds": args.seconds,
        "load_average_before": os.getloadavg()[0],
    }
    try:
        conn = await asyncpg.connect(url)
        await migrate(conn)
        await conn.close()
        pool = await asyncpg.create_pool(url, min_size=2, max_size=4)
        note("seeding the 38 packages")
        figures["items_38"] = sum(r.items_created for r in await seed(pool))
        async with pool.acquire() as conn:
            await conn.execute("DELETE FROM catalog.search_outbox")  # each start builds or reopens its index
            queries = await realistic_queries(conn, random.Random(2026))
        sets = {"typo_titles": queries[:50], "broad_words": [{"q": w} for w in VILLAGE_WORDS]}
        if not args.no_load:
            figures["load_16_clients"] = await throughput(env, url, scratch, sets, args.workers, args.seconds, code)
        if not args.no_startup:
            figures["startup_38_packages"] = await startup(env, url, scratch, "38", args.runs, code)
            note(f"ingesting {EXTRA_PACKAGES} more packages")
            figures["items_200"] = figures["items_38"] + await add_packages(pool, EXTRA_PACKAGES)
            async with pool.acquire() as conn:
                await conn.execute("DELETE FROM catalog.search_outbox")
            figures["startup_200_packages"] = await startup(env, url, scratch, "200", args.runs, code)
        await pool.close()
        figures["load_average_after"] = os.getloadavg()[0]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--short", action="store_true", help="3 s load runs, one start of each kind")
    parser.add_argument("--workers", default="1,2,3", help="worker counts to load, e.g. 1,2")
    parser.add_argument("--runs", type=int, default=3, help="starts of each kind (medians)")
    parser.add_argument("--code", help="run `pustaka up` from this checkout instead")
    parser.add_argument("--label", default="", help="suffix of the results file")
    parser.add_argument("--no-startup", action="store_true")
    parser.add_argument("--no-load", action="store_true")
    args = parser.parse_args()
    args.workers = [int(w) for w in args.workers.split(",")]
    if args.short:
        args.seconds, args.runs = 3.0, 1
    results = uvloop.run(main(args))
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"workers{'-' + args.label if args.label else ''}.json"
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    print(f"written to {path.relative_to(ROOT)}")
