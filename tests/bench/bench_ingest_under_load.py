"""Searches while a very large manifest is ingested: search p50/p99 over HTTP before and during the ingest
of a 200,000-row manifest (the bar: p99 under 200 ms), the ingest's duration, and the server process's peak
memory (VmHWM) before and after. One uvicorn process serves the whole system, as `pustaka up` does.

Run: `.venv/bin/python tests/bench/bench_ingest_under_load.py [--quick]`  (--quick: 20,000 rows)
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_circulation import free_port, start_server  # noqa: E402
from common import fresh_database, save, summary  # noqa: E402

from pustaka.seeding import load_libraries, read_libraries, seeds_dir  # noqa: E402
from services.catalog.ingest import ingest_package  # noqa: E402
from services.circulation.staff import add_user  # noqa: E402

BIG_LIBRARY, SEARCHED_LIBRARY = "35.20.01.2008", "35.20.01.2002"
WORDS = [
    "buku",
    "cerita",
    "anak",
    "desa",
    "sejarah",
    "pertanian",
    "ikan",
    "hutan",
    "sungai",
    "matematika",
    "bahasa",
    "kisah",
    "rakyat",
    "jawa",
    "pelangi",
    "laskar",
    "kebun",
    "padi",
    "sekolah",
    "guru",
]
QUERIES = ["laskar", "pelangi", "sejarah", "anak", "cerita rakyat", "matematika", "bahasa", "pertanian"]


def isbn13(n: int) -> str:
    body = f"978602{n:06d}"
    check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body)) % 10) % 10
    return body + str(check)


def big_manifest(rows: int) -> bytes:
    """`rows` distinct titles (valid ISBN-13s), one copy each, as Indonesian Excel writes a CSV."""
    rnd = random.Random(7)
    lines = ["ISBN;Judul;Pengarang;Penerbit;Tahun Terbit;Jumlah;No. Klas"]
    for n in range(rows):
        title = " ".join(rnd.choice(WORDS) for _ in range(4)).title()
        lines.append(
            f"{isbn13(n)};{title} {n};Penulis {n % 997};Penerbit {n % 53};{1990 + n % 35};1;"
            f"{rnd.randint(0, 999):03d}.{rnd.randint(0, 99)}"
        )
    return ("\n".join(lines) + "\n").encode()


def peak_rss_mb(pid: int, field: str = "VmHWM") -> float:
    """The process's peak resident memory (or another /proc status field: RssAnon = heap, RssFile = mapped
    files such as the search index's segments)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


async def search_until(http: httpx.AsyncClient, done: asyncio.Event, samples: list[float]) -> None:
    while not done.is_set():
        q = QUERIES[len(samples) % len(QUERIES)]
        start = time.perf_counter()
        answer = await http.get("/api/catalog/v1/search", params={"q": q, "library": SEARCHED_LIBRARY})
        samples.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, answer.text
        await asyncio.sleep(0.01)


async def main(rows: int) -> dict:
    data = big_manifest(rows)
    async with fresh_database("ingestload") as url:
        conn = await asyncpg.connect(url)
        await load_libraries(conn, read_libraries(seeds_dir() / "libraries.csv"))
        seed = seeds_dir() / "examples" / "manifest-bersih.xlsx"
        await ingest_package(
            conn, library=SEARCHED_LIBRARY, data=seed.read_bytes(), source_name=seed.name, actor="bench"
        )
        await add_user(conn, username="bench", password="bench-password", role="admin", scope=None, actor="bench")
        await conn.close()
        port = free_port()
        server = start_server(url, port)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=600) as http:
                for _ in range(300):
                    try:
                        if (await http.get("/api/catalog/health")).status_code == 200:
                            break
                    except httpx.TransportError:
                        await asyncio.sleep(0.1)
                token = (
                    await http.post(
                        "/api/circulation/v1/auth/login", json={"username": "bench", "password": "bench-password"}
                    )
                ).json()
                headers = {"Authorization": f"Bearer {token['access_token']}"}
                idle: list[float] = []
                calm = asyncio.Event()
                asyncio.get_running_loop().call_later(3, calm.set)
                await search_until(http, calm, idle)
                rss_before = peak_rss_mb(server.pid)
                busy: list[float] = []
                done = asyncio.Event()
                async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as searcher:
                    searching = asyncio.create_task(search_until(searcher, done, busy))
                    started = time.perf_counter()
                    answer = await http.post(
                        f"/api/catalog/v1/libraries/{BIG_LIBRARY}/packages",
                        headers=headers,
                        files={"file": ("paket-besar.csv", data, "text/csv")},
                    )
                    ingest_seconds = time.perf_counter() - started
                    rss_upload = peak_rss_mb(server.pid)  # before the indexer takes the new titles
                    during_upload = len(busy)
                    await asyncio.sleep(5)  # the indexer drains the new titles' outbox meanwhile
                    done.set()
                    await searching
                assert answer.status_code == 201, answer.text[:500]
                report = answer.json()
                after: list[float] = []  # the same searches over the grown index, nothing else running
                calm = asyncio.Event()
                asyncio.get_running_loop().call_later(3, calm.set)
                await search_until(http, calm, after)
                return {
                    "rows": rows,
                    "manifest_mb": round(len(data) / 2**20, 1),
                    "items_created": report["items_created"],
                    "ingest_seconds": round(ingest_seconds, 2),
                    "search_idle": summary(idle),
                    "search_during_ingest": summary(busy),
                    "search_during_upload": summary(busy[:during_upload]),
                    "search_while_indexing": summary(busy[during_upload:]),
                    "search_after": summary(after),
                    "server_peak_rss_mb_before": rss_before,
                    "server_peak_rss_mb_after_upload": rss_upload,
                    "server_peak_rss_mb_after": peak_rss_mb(server.pid),
                    "server_rss_anon_mb_end": peak_rss_mb(server.pid, "RssAnon"),
                    "server_rss_file_mb_end": peak_rss_mb(server.pid, "RssFile"),
                    "bar_p99_ms": 200,
                }
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="20,000 rows instead of 200,000")
    args = parser.parse_args()
    result = asyncio.run(main(20_000 if args.quick else 200_000))
    save("ingest_under_load" + ("_quick" if args.quick else ""), result)
