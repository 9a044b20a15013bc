"""Where one search's CPU goes, end to end through the gateway: the whole system's ASGI app (as `pustaka up`
builds it) over a seeded data folder, asked the same searches many times in process under cProfile, with
the time of each phase. Stop `pustaka up` on that folder first (the index allows one writer).

    PUSTAKA_DATA_DIR=.pustaka-prof .venv/bin/python tests/bench/profile_search.py [--n 2000] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pustaka.config import load_settings  # noqa: E402
from pustaka.runtime import build_app, prepare_database  # noqa: E402

TYPO = ["harry poter", "laskar pelngi", "the hobit", "sejarh indonesia", "pride prejudise"]
BROAD = ["cerita", "novel", "sejarah", "anak", "islam", "agama", "pendidikan", "indonesia"]


async def call(app, path: str, query: str) -> tuple[int, int]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"accept-encoding", b"gzip, deflate, br")],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    status, size = 0, 0

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        nonlocal status, size
        if message["type"] == "http.response.start":
            status = message["status"]
        else:
            size += len(message.get("body", b""))

    await app(scope, receive, send)
    return status, size


async def main(n: int, profile: bool) -> None:
    settings = load_settings()
    url = await prepare_database(settings)
    app = build_app(settings, url)
    inbox: asyncio.Queue = asyncio.Queue()
    outbox: asyncio.Queue = asyncio.Queue()
    life = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, inbox.get, outbox.put)
    )
    await inbox.put({"type": "lifespan.startup"})
    print(await outbox.get(), file=sys.stderr)
    while True:
        status, _ = await call(app, "/api/catalog/health", "")
        import httpx  # noqa: F401

        catalog = app.app.routes[0][1]
        if catalog.state.search_indexer.ready:
            break
        await asyncio.sleep(0.2)
    backend = catalog.state.search
    from search.backend import SearchQuery

    for name, words in (("typo", TYPO), ("broad", BROAD)):
        for q in words:
            await call(app, "/api/catalog/v1/search", f"q={q.replace(' ', '+')}")
        cpu = time.process_time()
        for i in range(n):
            await backend.search(SearchQuery(q=words[i % len(words)]))
        engine_cpu = (time.process_time() - cpu) * 1000 / n
        profiler = cProfile.Profile() if profile else None
        cpu = time.process_time()
        if profiler:
            profiler.enable()
        for i in range(n):
            status, size = await call(app, "/api/catalog/v1/search", f"q={words[i % len(words)].replace(' ', '+')}")
            assert status == 200
        if profiler:
            profiler.disable()
        total_cpu = (time.process_time() - cpu) * 1000 / n
        print(
            f"{name}: {total_cpu:.3f} ms CPU per search through the gateway, {engine_cpu:.3f} ms in the engine "
            f"(search_now), last answer {size} bytes",
            flush=True,
        )
        if profiler:
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats(40)
    await inbox.put({"type": "lifespan.shutdown"})
    await outbox.get()
    await life


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(args.n, args.profile))
