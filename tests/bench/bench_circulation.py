"""Circulation benchmark: check-out + check-in cycles over real HTTP against one uvicorn process serving the
whole system as `pustaka up` does, with 16 and 64 concurrent clients; then a race of all clients for the
same copies. Verifies zero double loans in the database.

Run: `.venv/bin/python tests/bench/bench_circulation.py`  (BENCH_SECONDS, BENCH_CLIENTS, BENCH_PROFILE=1)
Bar (DESIGN.md): at least 500 cycles/s with 64 clients, p99 under 100 ms.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, fresh_database, save, settings, summary  # noqa: E402
from rawhttp import Connection  # noqa: E402

from pustaka.seeding import load_libraries, read_libraries, seeds_dir  # noqa: E402
from services.catalog.ingest import ingest_package  # noqa: E402
from services.circulation.staff import add_user  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CLIENTS = [int(c) for c in os.environ.get("BENCH_CLIENTS", "16,64").split(",")]
LIBRARY = "35.20.01.2002"
API = "/api/circulation/v1"
SECRET = "bench-secret-" + "x" * 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(url: str, port: int) -> subprocess.Popen:
    """`pustaka up`'s app (both services and the pages, one process) on uvicorn, in a process of its own."""
    env = {
        **os.environ,
        "PUSTAKA_DATABASE_URL": url,
        "PUSTAKA_JWT_SECRET": SECRET,
        "PUSTAKA_PORT": str(port),
        "PUSTAKA_DATA_DIR": str(ROOT / ".pustaka-bench"),
    }
    code = (
        "import uvicorn; from pustaka.config import load_settings; from pustaka.runtime import build_app; "
        "s = load_settings(); uvicorn.run(build_app(s, s.database_url), host='127.0.0.1', port=s.port, "
        "log_level='warning', lifespan='on')"
    )
    return subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT)


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU time of a process (this one by default), from /proc."""
    fields = Path(f"/proc/{pid or os.getpid()}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds() -> float:
    """CPU time of the benchmark's PostgreSQL server: its postmaster and live backends (a backend that
    ended meanwhile is not counted, so this is a lower bound)."""
    pid_file = ROOT / ".pustaka-bench" / "postgres" / "postmaster.pid"
    if not pid_file.exists():
        return 0.0
    postmaster = int(pid_file.read_text().split()[0])
    total = cpu_seconds(postmaster)
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                total += cpu_seconds(int(proc.name))
        except (OSError, ValueError, IndexError):
            continue
    return total


def profile(pid: int) -> subprocess.Popen | None:
    """With BENCH_PROFILE=1, sample the server with py-spy (pip-installed for profiling only) during a run."""
    if not os.environ.get("BENCH_PROFILE"):
        return None
    out = ROOT / "tests" / "bench" / "results" / "circulation-profile.txt"
    out.parent.mkdir(exist_ok=True)
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("py-spy")),
            "record",
            "-p",
            str(pid),
            "-d",
            str(int(SECONDS)),
            "-f",
            "raw",
            "-o",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
    )


async def prepare(pool: asyncpg.Pool, members: int) -> list[str]:
    """Libraries, one seed package (about 1,300 copies) and a desk account; the copies' barcodes."""
    async with pool.acquire() as conn:
        await load_libraries(conn, read_libraries(seeds_dir() / "libraries.csv"))
        package = seeds_dir() / "packages" / f"{LIBRARY}.csv"
        await ingest_package(conn, library=LIBRARY, data=package.read_bytes(), source_name=package.name, actor="bench")
        await add_user(
            conn, username="bench", password="bench-password", role="librarian", scope=LIBRARY, actor="bench"
        )
        return [
            r["barcode"]
            for r in await conn.fetch(
                "SELECT barcode FROM catalog.items WHERE library_code = $1 ORDER BY barcode", LIBRARY
            )
        ]


async def register_members(http: httpx.AsyncClient, headers: dict, count: int) -> list[str]:
    numbers = []
    for n in range(count):
        answer = await http.post(
            f"{API}/members",
            headers=headers,
            json={"name": f"Anggota {n}", "library": LIBRARY, "birth_year": 1980 + n % 30, "gender": "LP"[n % 2]},
        )
        numbers.append(answer.json()["member_number"])
    return numbers


async def cycles(base: str, headers: dict, clients: int, members: list[str], barcodes: list[str]) -> dict:
    """Each client checks out and checks in its own copies for SECONDS; request and cycle latencies."""
    requests_ms: list[float] = []
    cycles_ms: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + SECONDS
    host, port = base.removeprefix("http://").split(":")

    async def client(index: int) -> None:
        own = barcodes[index::clients]
        async with Connection(host, int(port), headers) as http:
            turn = 0
            while time.perf_counter() < deadline:
                barcode = own[turn % len(own)]
                turn += 1
                start = time.perf_counter()
                lent, text = await http.request(
                    "POST", f"{API}/loans", {"item_barcode": barcode, "member_number": members[index]}
                )
                middle = time.perf_counter()
                back, _ = await http.request("POST", f"{API}/returns", {"item_barcode": barcode})
                end = time.perf_counter()
                if lent != 201 or back != 200:
                    errors.append(f"{lent} {back} {text[:100]!r}")
                    continue
                requests_ms.extend(((middle - start) * 1000, (end - middle) * 1000))
                cycles_ms.append((end - start) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "seconds": round(elapsed, 2),
        "cycles": len(cycles_ms),
        "cycles_per_s": round(len(cycles_ms) / elapsed, 1),
        "requests": summary(requests_ms),
        "cycle": summary(cycles_ms),
        "errors": len(errors),
        "first_errors": errors[:3],
    }


async def race(base: str, headers: dict, clients: int, members: list[str], barcodes: list[str], rounds: int) -> dict:
    """All clients try to check out the same copies at once; each copy must be lent exactly once per round."""
    won = 0
    for _ in range(rounds):

        async def grab(index: int) -> int:
            async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as http:
                got = 0
                for barcode in barcodes:
                    answer = await http.post(
                        f"{API}/loans", json={"item_barcode": barcode, "member_number": members[index]}
                    )
                    got += answer.status_code == 201
                return got

        round_won = sum(await asyncio.gather(*(grab(i) for i in range(clients))))
        assert round_won == len(barcodes), f"{round_won} loans for {len(barcodes)} copies"
        won += round_won
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30) as http:
            for barcode in barcodes:
                assert (await http.post(f"{API}/returns", json={"item_barcode": barcode})).status_code == 200
    return {"clients": clients, "copies": len(barcodes), "rounds": rounds, "loans": won}


async def double_loans(pool: asyncpg.Pool) -> dict:
    async with pool.acquire() as conn:
        return {
            "copies_on_two_open_loans": await conn.fetchval(
                "SELECT count(*) FROM (SELECT barcode FROM circulation.loans WHERE status = 'open' "
                "GROUP BY barcode HAVING count(*) > 1) AS doubled"
            ),
            "loans": await conn.fetchval("SELECT count(*) FROM circulation.loans"),
            "checked_out_events": await conn.fetchval(
                "SELECT count(*) FROM circulation.events WHERE type = 'checked_out'"
            ),
            "outbox_left": await conn.fetchval("SELECT count(*) FROM circulation.catalog_outbox"),
        }


async def main() -> None:
    settings()  # starts the embedded PostgreSQL of .pustaka-bench when no PUSTAKA_DATABASE_URL is set
    async with fresh_database("circulation") as url:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
        barcodes = await prepare(pool, max(CLIENTS))
        port = free_port()
        server = start_server(url, port)
        base = f"http://127.0.0.1:{port}"
        try:
            async with httpx.AsyncClient(base_url=base, timeout=30) as http:
                for _ in range(200):
                    try:
                        if (await http.get("/api/circulation/health")).status_code == 200:
                            break
                    except httpx.TransportError:
                        await asyncio.sleep(0.1)
                login = await http.post(f"{API}/auth/login", json={"username": "bench", "password": "bench-password"})
                headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
                members = await register_members(http, headers, max(CLIENTS))
                for barcode in barcodes:  # first sight of every copy (a catalogue look-up), outside the timing
                    await http.post(
                        f"{API}/loans", headers=headers, json={"item_barcode": barcode, "member_number": members[0]}
                    )
                    await http.post(f"{API}/returns", headers=headers, json={"item_barcode": barcode})
            results = {"load_average_before": os.getloadavg(), "runs": []}
            for n in CLIENTS:
                spy = profile(server.pid) if n == max(CLIENTS) else None
                before = cpu_seconds(server.pid), cpu_seconds(), postgres_cpu_seconds()
                run = await cycles(base, headers, n, members, barcodes)
                after = cpu_seconds(server.pid), cpu_seconds(), postgres_cpu_seconds()
                # CPU per cycle does not depend on what else the machine is doing; throughput does.
                run["cpu_ms_per_cycle"] = {
                    name: round((a - b) * 1000 / max(1, run["cycles"]), 2)
                    for name, a, b in zip(("server", "bench_clients", "postgres"), after, before)
                }
                run["load_average_after"] = os.getloadavg()
                results["runs"].append(run)
                if spy is not None:
                    spy.wait()
            results["race"] = await race(base, headers, max(CLIENTS), members, barcodes[:16], rounds=3)
            await asyncio.sleep(1.5)
            results["check"] = await double_loans(pool)
            assert results["check"]["copies_on_two_open_loans"] == 0
            assert results["check"]["loans"] == results["check"]["checked_out_events"]
            results["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
            save("circulation", results)
        finally:
            server.terminate()
            server.wait(timeout=30)
            await pool.close()


if __name__ == "__main__":
    try:
        import uvloop
    except ImportError:
        asyncio.run(main())
    else:
        uvloop.run(main())
