"""How the catalogue asks Meilisearch, side by side: the catalogue's CPU per search and searches/s for each
HTTP client and request shape, the cost of our own layers around a search (decoding, grouping, encoding,
compression levels), and searches/s through the catalogue against Meilisearch alone.

    .venv/bin/python tests/bench/bench_meili_client.py [--short] [--seconds 5]
        [--database-url URL]   # a database already holding the 38 seed packages (with PUSTAKA_MEILI_URL and
                               # PUSTAKA_MEILI_KEY naming a Meilisearch whose live index holds them): no seeding

Client options, each answering the same grouped searches (no library chosen: one hit per title with its
holdings) through search/meili.py's own request bodies and decoding, for the realistic queries of
bench_search.py with no library chosen and the 20 broad village words: httpx.AsyncClient, httpx's pooled
transport alone, aiohttp with a keep-alive pool, and meilisearch-python's own calls in a thread; each as
`multi` (what search/meili.py sends: the distinct search, then either the holdings of the page's titles
alone, when every matching title is on the page, or the library counts, the titles on a shelf and the
holdings in one /multi-search request) or `separate` (those as one request each). CPU per search is
time.process_time over N searches of this process, one at a time and 16 at once.

Through the catalogue: the catalogue under uvicorn (one process, the production shape without nginx) and
`pustaka up`, 16 keep-alive clients (tests/bench/rawhttp.py) for typo'd titles, broad words (both grouped)
and searches within one library (one request to Meilisearch each), against
Meilisearch alone answering (a) one search request per query, the distinct search only (the figure the
issue's bar was set against), and (b) the same requests the catalogue sends it for each search. Writes
tests/bench/results/meili_client.json. Last, Meilisearch's own time to index 1,000-title packages in fresh
processes: with its default indexing memory, with tests/meiliserver.py's bound, and with the bound and the
segmenters loaded first (what the indexer does at start). `--short`: 2 s load runs,
100 searches per CPU figure, 3 processes per indexing figure.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import asyncpg
import brotli
import httpx
import msgspec
import uvloop
from rawhttp import Connection

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import bench_search as bs  # noqa: E402  (beside this script)

from search.backend import SearchQuery  # noqa: E402
from search.meili import (  # noqa: E402
    _DECODE_ANSWER,
    _DECODE_ANSWERS,
    MeiliBackend,
    _Answer,
    _counted,
    _grouped_result,
    _result,
    grouped_bodies,
    search_body,
    search_text,
)
from tests.meiliserver import BIN_VARIABLE, INDEXING_MEMORY, MeiliServer, launch, remove  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


class Separate(MeiliBackend):
    """The same searches, one request each (the shape before /multi-search)."""

    async def _many(self, bodies):
        return list(await asyncio.gather(*(self._one(b) for b in bodies)))


class HttpxClient(MeiliBackend):
    """httpx.AsyncClient, as most code would call it."""

    async def _post(self, url, content):
        if not hasattr(self, "_client"):
            self._client = httpx.AsyncClient(
                headers=self._headers, limits=httpx.Limits(max_connections=32, max_keepalive_connections=32)
            )
        answer = await self._client.post(str(url), content=content)
        return answer.content

    async def close(self):
        await self._client.aclose()


class HttpxTransport(MeiliBackend):
    """httpx's pooled transport alone, without the client's layers (the adapter before aiohttp)."""

    async def _post(self, url, content):
        if not hasattr(self, "_transport"):
            self._transport = httpx.AsyncHTTPTransport(
                limits=httpx.Limits(max_connections=32, max_keepalive_connections=32)
            )
        request = httpx.Request("POST", str(url), headers=self._headers, content=content)
        answer = await self._transport.handle_async_request(request)
        try:
            return await answer.aread()
        finally:
            await answer.aclose()

    async def close(self):
        await self._transport.aclose()


class PythonClient(MeiliBackend):
    """meilisearch-python's own search and multi_search, in a worker thread (it is synchronous)."""

    async def _one(self, body):
        options = dict(body)
        q = options.pop("q")
        raw = await asyncio.to_thread(self.client.index(self.index).search, q, options)
        return msgspec.convert(raw, _Answer)

    async def _many(self, bodies):
        queries = [{"indexUid": self.index, **b} for b in bodies]
        raw = await asyncio.to_thread(self.client.multi_search, queries)
        return [msgspec.convert(r, _Answer) for r in raw["results"]]


def both_shapes(transport: type[MeiliBackend]) -> dict[str, type[MeiliBackend]]:
    return {"multi": transport, "separate": type(f"Separate{transport.__name__}", (Separate, transport), {})}


OPTIONS: dict[str, type[MeiliBackend]] = {
    **{f"httpx_client_{k}": v for k, v in both_shapes(HttpxClient).items()},
    **{f"httpx_transport_{k}": v for k, v in both_shapes(HttpxTransport).items()},
    **{f"aiohttp_{k}": v for k, v in both_shapes(MeiliBackend).items()},
    **{f"meilisearch_python_thread_{k}": v for k, v in both_shapes(PythonClient).items()},
}


async def cpu_per_search(backend: MeiliBackend, queries: list[SearchQuery], count: int, concurrent: int) -> dict:
    for query in queries[:20]:  # warm-up: connections open
        await backend.search(query)
    done = 0

    async def worker(offset: int) -> None:
        nonlocal done
        for i in range(count // concurrent):
            await backend.search(queries[(offset + i) % len(queries)])
            done += 1

    cpu, started = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker(k * 13) for k in range(concurrent)))
    elapsed = time.perf_counter() - started
    return {
        "cpu_ms_per_search": round((time.process_time() - cpu) * 1000 / done, 3),
        "searches_per_second": round(done / elapsed, 1),
    }


async def client_options(url: str, key: str, queries: list[SearchQuery], count: int) -> dict:
    figures = {}
    for name, kind in OPTIONS.items():
        backend = kind(url, key)
        try:
            figures[name] = {
                "one_at_a_time": await cpu_per_search(backend, queries, count, 1),
                "16_at_once": await cpu_per_search(backend, queries, count * 2, 16),
            }
        finally:
            await backend.close()
        bs.note(f"{name}: {figures[name]}")
    return figures


class Recorder(MeiliBackend):
    """Keeps the bytes Meilisearch answered (and whether to /multi-search), to time our own layers on them."""

    async def _post(self, url, content):
        data = await super()._post(url, content)
        self.recorded.append((url == self._multi_url, data))
        return data


def ms_per(function, rounds: int) -> float:
    started = time.process_time()
    for _ in range(rounds):
        function()
    return round((time.process_time() - started) * 1000 / rounds, 4)


def decoded(answers: list[tuple[bool, bytes]]) -> list:
    return [_DECODE_ANSWERS(data).results if multi else _DECODE_ANSWER(data) for multi, data in answers]


async def layers(url: str, key: str, queries: list[SearchQuery], rounds: int) -> dict:
    """CPU of our own work per grouped search, on answers recorded from the live engine."""
    recorder = Recorder(url, key)
    recorded = []
    for query in queries:
        recorder.recorded = []
        result = await recorder.search(query)
        recorded.append((query, recorder.recorded, msgspec.json.encode(result)))
    await recorder.close()

    def build_all() -> None:
        for query, answers, _ in recorded:
            first, *rest = decoded(answers)
            result = _result(query, first)
            if not rest:
                _grouped_result(query, result, _Answer(), _Answer(), [])
            elif isinstance(rest[0], list):
                libraries, on_shelf, held = rest[0]
                _grouped_result(query, result, libraries, on_shelf, held.hits)
            else:
                _grouped_result(query, result, *_counted(rest[0].hits), rest[0].hits)

    def decode_generic() -> None:
        for _, answers, _ in recorded:
            for _, data in answers:
                msgspec.json.decode(data)

    def decode_structs() -> None:
        for _, answers, _ in recorded:
            decoded(answers)

    results = [msgspec.json.decode(enc, type=dict) for _, _, enc in recorded]
    n = len(recorded)
    figures: dict = {
        "searches": n,
        "decode_generic_dicts_ms": round(ms_per(decode_generic, rounds) / n, 4),
        "decode_structs_ms": round(ms_per(decode_structs, rounds) / n, 4),
        "decode_and_group_ms": round(ms_per(build_all, rounds) / n, 4),
        "encode_answer_json_ms": round(ms_per(lambda: [msgspec.json.encode(r) for r in results], rounds) / n, 4),
        "answer_bytes_median": int(statistics.median(len(enc) for _, _, enc in recorded)),
        "request_bodies_encode_ms": round(
            ms_per(
                lambda: [
                    msgspec.json.encode(
                        {"queries": [{"q": search_text(q), **search_body(q)}, *grouped_bodies(q).values()]}
                    )
                    for q, _, _ in recorded
                ],
                rounds,
            )
            / n,
            4,
        ),
        "round_trips_to_meilisearch": dict(
            sorted(
                Counter("+".join("multi" if m else "search" for m, _ in answers) for _, answers, _ in recorded).items()
            )
        ),
    }
    bodies = [enc for _, _, enc in recorded if len(enc) >= 500]
    compression = {}
    for level in (1, 4, 5, 6, 9, 11):
        compression[f"brotli_{level}"] = _compress(lambda b, level=level: brotli.compress(b, quality=level), bodies)
    for level in (1, 6, 9):
        compression[f"gzip_{level}"] = _compress(lambda b, level=level: gzip.compress(b, compresslevel=level), bodies)
    figures["compression_per_answer"] = compression
    return figures


def _compress(function, bodies: list[bytes]) -> dict:
    rounds = max(1, 200 // max(1, len(bodies)))
    started = time.process_time()
    for _ in range(rounds):
        sizes = [len(function(b)) for b in bodies]
    spent = (time.process_time() - started) * 1000 / (rounds * len(bodies))
    return {
        "cpu_ms": round(spent, 3),
        "bytes_median": int(statistics.median(sizes)),
        "plain_bytes_median": int(statistics.median(len(b) for b in bodies)),
    }


async def catalogue_requests(url: str, key: str, params: list[dict]) -> list[list[tuple[str, str, bytes]]]:
    """For each query, the requests the catalogue sends Meilisearch for it (recorded from search/meili.py)."""
    out = []

    class Keep(MeiliBackend):
        async def _post(self, target, content):
            sent.append(("POST", target.raw_path_qs, content))
            return await super()._post(target, content)

    backend = Keep(url, key)
    for p in params:
        sent: list[tuple[str, str, bytes]] = []
        await backend.search(bs.as_query(p))
        out.append(sent)
    await backend.close()
    return out


async def meili_alone(
    url: str, key: str, pid: int, per_search: list[list[tuple[str, str, bytes]]], seconds: float
) -> dict:
    """16 keep-alive clients asking Meilisearch itself; one search = its list of requests, in order."""
    address = httpx.URL(url)
    headers = {"Authorization": f"Bearer {key}"}
    done = 0
    stop_at = time.perf_counter() + seconds

    async def client(offset: int) -> None:
        nonlocal done
        async with Connection(address.host, address.port, headers) as conn:
            i = offset
            while time.perf_counter() < stop_at:
                for method, path, body in per_search[i % len(per_search)]:
                    status, _ = await conn.request(method, path, json.loads(body))
                    assert status == 200, status
                done += 1
                i += 1

    cpu = bs.tree_cpu([pid])
    started = time.perf_counter()
    await asyncio.gather(*(client(k * 13) for k in range(16)))
    elapsed = time.perf_counter() - started
    return {
        "searches_per_second": round(done / elapsed, 1),
        "meilisearch_cpu_ms_per_search": round((bs.tree_cpu([pid]) - cpu) * 1000 / max(done, 1), 3),
    }


async def through(base: str, pids: list[int], sets: dict[str, list[dict]], seconds: float) -> dict:
    figures = {}
    for name in ("typo", "broad", "library"):
        figures[name] = await bs.load(base, pids, sets[name], seconds)
    figures["one_client_ms"] = bs.ms(await bs.one_client(base, sets["typo"], 1))
    return figures


async def indexing(source: MeiliServer, runs: int, packages: int) -> dict:
    """Meilisearch's own time to index a package of 1,000 titles into a fresh process's index (the task's
    `duration`): with its default indexing memory, with the bound of tests/meiliserver.py, and with the bound
    and the segmenters loaded first as the indexer does; `runs` fresh processes each, `packages` packages (of
    the live index's documents, in its order) one after the other in each."""
    headers = {"Authorization": f"Bearer {source.key}"}
    async with httpx.AsyncClient(base_url=source.url, headers=headers, timeout=60) as http:
        docs = (await http.post("/indexes/pustaka_titles/documents/fetch", json={"limit": 1000 * packages})).json()[
            "results"
        ]
    figures: dict = {}
    for memory, warm_up in ((None, False), (INDEXING_MEMORY, False), (INDEXING_MEMORY, True)):
        durations = []
        for _ in range(runs):
            folder = Path(tempfile.mkdtemp(prefix="pustaka-meili-"))
            server = MeiliServer(
                url="",
                key="bench-key-" + uuid.uuid4().hex,
                binary=os.environ[BIN_VARIABLE],
                port=bs.free_port(),
                data=folder / "data",
                indexing_memory=memory,
            )
            server.url = f"http://127.0.0.1:{server.port}"
            server.start()
            try:
                backend = MeiliBackend(server.url, server.key, index="indexing_bench")
                if warm_up:  # what the indexer does at start (search/meili.py ensure_index)
                    await backend.ensure_index()
                else:
                    await backend._call(backend._prepare, "indexing_bench")
                async with httpx.AsyncClient(
                    base_url=server.url, timeout=60, headers={"Authorization": f"Bearer {server.key}"}
                ) as http:
                    for i in range(packages):
                        package = docs[i * 1000 : (i + 1) * 1000]
                        await asyncio.to_thread(
                            backend._wait,
                            backend.client.index("indexing_bench").add_documents(package, primary_key="id"),
                        )
                        last = (await http.get("/tasks", params={"limit": 1})).json()["results"][0]
                        durations.append(_seconds(last["duration"]))
                await backend.close()
            finally:
                remove(server)
        key = f"max_indexing_memory_{memory or 'default'}{'_segmenters_loaded_first' if warm_up else ''}"
        figures[key] = {
            "median_s": round(statistics.median(durations), 3),
            "max_s": round(max(durations), 3),
            "durations_s": [round(d, 3) for d in durations],
        }
        bs.note(f"indexing, {key}: {figures[key]}")
    return figures


def _seconds(duration: str) -> float:
    """An ISO 8601 duration as Meilisearch writes it (`PT0.969S`, `PT1M2.5S`)."""
    minutes, _, seconds = duration.removeprefix("PT").removesuffix("S").rpartition("M")
    return int(minutes or 0) * 60 + float(seconds)


def start_up(env: dict, url: str, data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = bs.free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "pustaka", "up"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        env={**env, "PUSTAKA_DATABASE_URL": url, "PUSTAKA_DATA_DIR": str(data_dir), "PUSTAKA_PORT": str(port)},
    )
    return process, f"http://127.0.0.1:{port}"


async def main(args) -> dict:
    seconds = 2.0 if args.short else args.seconds
    count = 100 if args.short else 400
    env = dict(os.environ)
    env.setdefault("PUSTAKA_DATA_DIR", str(ROOT / ".pustaka-bench"))
    env.setdefault("PUSTAKA_JWT_SECRET", "bench-secret-" + "x" * 40)
    figures: dict = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "machine_cpus": os.cpu_count(),
        "load_average_before": os.getloadavg()[0],
        "load_seconds": seconds,
    }
    cleanup = []
    if args.database_url:
        url = args.database_url
        bs.server_url(bs.load_settings(env))  # the embedded PostgreSQL started, when it is the one named
        server = launch()
        assert not isinstance(server, str) and server.process is None, "--database-url needs PUSTAKA_MEILI_URL"
    else:
        os.environ[BIN_VARIABLE] = bs.meili_binary()
        env.pop("PUSTAKA_MEILI_URL", None)
        os.environ.pop("PUSTAKA_MEILI_URL", None)
        server = launch()
        assert not isinstance(server, str), server
        cleanup.append(lambda: remove(server))
        settings = bs.load_settings(env)
        admin_url = bs.server_url(settings)
        name = f"pustaka_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        admin = await asyncpg.connect(bs.with_database(admin_url, "postgres"))
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        url = bs.with_database(admin_url, name)

        async def drop(database: str = name) -> None:  # `name` is a loop variable further down
            admin = await asyncpg.connect(bs.with_database(admin_url, "postgres"))
            await admin.execute(f'DROP DATABASE "{database}" WITH (FORCE)')
            await admin.close()

        cleanup.append(drop)
        conn = await asyncpg.connect(url)
        await bs.migrate(conn)
        await conn.close()
        pool = await asyncpg.create_pool(url, min_size=1, max_size=8)
        bs.note("seeding the 38 packages and indexing them in Meilisearch")
        await bs.seed(pool)
        meili = MeiliBackend(server.url, server.key)
        await bs.rebuild_from_database(pool, meili)
        await meili.close()
        async with pool.acquire() as conn:
            await conn.execute("DELETE FROM catalog.search_outbox")
        await pool.close()
    processes: list[subprocess.Popen] = []
    scratch = Path(tempfile.mkdtemp(prefix="pustaka-bench-"))
    try:
        conn = await asyncpg.connect(url)
        realistic = await bs.realistic_queries(conn, random.Random(2026))
        await conn.close()
        # Patron searches with no library chosen: the grouped kind, the catalogue's heaviest path.
        grouped = [p for p in realistic if "library" not in p]
        # A library chosen: one request to Meilisearch per search, the same as Meilisearch alone answers.
        sets = {
            "typo": grouped[:50],
            "broad": [{"q": w} for w in bs.VILLAGE_WORDS],
            "library": [p for p in realistic if "library" in p],
        }
        queries = [bs.as_query(p) for p in grouped + sets["broad"]]
        bs.note("client options")
        figures["client_options"] = await client_options(server.url, server.key, queries, count)
        bs.note("our own layers")
        figures["layers_ms_per_search"] = await layers(server.url, server.key, queries, 3 if args.short else 10)

        meili_env = {**env, "PUSTAKA_MEILI_URL": server.url, "PUSTAKA_MEILI_KEY": server.key or ""}
        meili_pid = server.process.pid if server.process else int(os.environ["PUSTAKA_MEILI_PID"])
        gateway: dict = {}
        figures["sixteen_clients"] = gateway
        for shape in ("catalogue_uvicorn", "pustaka_up"):
            bs.note(f"through the catalogue: {shape}")
            if shape == "pustaka_up":
                process, base = start_up(meili_env, url, scratch / "up")
            else:
                process, base = bs.start_catalog(meili_env, url)
            processes.append(process)
            await bs.wait_ready(base, process)
            await asyncio.sleep(0.5)
            gateway[shape] = await through(base, bs.process_tree(process.pid), sets, seconds)
            bs.stop(process)
        bs.note("Meilisearch alone")
        alone: dict = {}
        gateway["meilisearch_alone"] = alone
        for name in ("typo", "broad", "library"):
            catalogue = await catalogue_requests(server.url, server.key, sets[name])
            distinct_only = [
                [("POST", "/indexes/pustaka_titles/search", json.dumps(bs.meili_request(p)).encode())]
                for p in sets[name]
            ]
            alone[name] = {
                "distinct_search_only": await meili_alone(server.url, server.key, meili_pid, distinct_only, seconds),
                "requests_of_a_catalogue_search": await meili_alone(
                    server.url, server.key, meili_pid, catalogue, seconds
                ),
            }
        for shape in ("catalogue_uvicorn", "pustaka_up"):
            for name in ("typo", "broad", "library"):
                f = gateway[shape][name]
                f["share_of_alone_distinct_only"] = round(
                    f["searches_per_second"] / alone[name]["distinct_search_only"]["searches_per_second"], 3
                )
                f["share_of_alone_same_requests"] = round(
                    f["searches_per_second"] / alone[name]["requests_of_a_catalogue_search"]["searches_per_second"], 3
                )
        if not args.no_indexing:
            bs.note("Meilisearch's own indexing of 1,000-title packages")
            figures["meilisearch_indexing_1000_titles"] = await indexing(server, 3 if args.short else 5, 3)
        figures["load_average_after"] = os.getloadavg()[0]
    finally:
        for process in processes:
            if process.poll() is None:
                bs.stop(process)
        shutil.rmtree(scratch, ignore_errors=True)
        for step in reversed(cleanup):
            outcome = step()
            if asyncio.iscoroutine(outcome):
                await outcome
    return figures


def report(figures: dict) -> None:
    print("client options (catalogue CPU ms per grouped search; searches/s):")
    for name, f in figures["client_options"].items():
        print(
            f"  {name:34} one at a time {f['one_at_a_time']['cpu_ms_per_search']:6.3f} ms "
            f"{f['one_at_a_time']['searches_per_second']:6.0f}/s   16 at once "
            f"{f['16_at_once']['cpu_ms_per_search']:6.3f} ms {f['16_at_once']['searches_per_second']:6.0f}/s"
        )
    print(f"our layers per search: {figures['layers_ms_per_search']}")
    for shape, f in figures["sixteen_clients"].items():
        print(f"16 clients, {shape}: {json.dumps(f)}")
    print(f"Meilisearch indexing a 1,000-title package: {figures.get('meilisearch_indexing_1000_titles')}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each 16-client run")
    parser.add_argument("--short", action="store_true", help="2 s load runs, fewer searches per CPU figure")
    parser.add_argument("--no-indexing", action="store_true", help="skip the indexing-time comparison")
    parser.add_argument("--database-url", help="a database already seeded and indexed (see the docstring)")
    arguments = parser.parse_args()
    results = uvloop.run(main(arguments))
    report(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "meili_client.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {(RESULTS / 'meili_client.json').relative_to(ROOT)}")
