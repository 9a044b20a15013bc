"""Running the real `pustaka` command and `pustaka up` on data folders of their own."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import asyncpg
import httpx

PUSTAKA = str(Path(sys.executable).parent / "pustaka")
ADMIN_PASSWORD = "admin-rahasia-uji"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(data_dir: Path, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PUSTAKA_")}
    return {**base, "PUSTAKA_DATA_DIR": str(data_dir), "PUSTAKA_JWT_SECRET": "ops-test-" + "s" * 40, **extra}


def cli(data_dir: Path, *args: str, timeout: float = 300, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PUSTAKA, *args], env=env_for(data_dir, **extra), capture_output=True, text=True, timeout=timeout
    )


def cli_json(data_dir: Path, *args: str, **extra: str) -> tuple[int, dict]:
    done = cli(data_dir, *args, "--json", **extra)
    assert done.stdout.strip(), done.stderr
    return done.returncode, json.loads(done.stdout)


class Up:
    """`pustaka up` on a data folder, its output captured."""

    def __init__(self, data_dir: Path, **extra: str) -> None:
        self.port = free_port()
        self.data_dir = data_dir
        self.log = data_dir.parent / f"{data_dir.name}-up.log"
        data_dir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [PUSTAKA, "up"],
            env=env_for(data_dir, PUSTAKA_PORT=str(self.port), **extra),
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}"

    def wait(self, timeout: float = 300) -> Up:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"pustaka up exited: {self.output()[-3000:]}")
            try:
                if httpx.get(self.url + "/api/circulation/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"pustaka up did not answer: {self.output()[-3000:]}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def admin_password(self) -> str:
        return (self.data_dir / "admin-password.txt").read_text().split()[1]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def manifest_of(path: Path) -> dict:
    with tarfile.open(path) as tar:
        return json.loads(tar.extractfile("manifest.json").read())


async def database_state(url: str, columns: dict[str, list[str]] | None = None) -> dict[str, tuple[int, str]]:
    """Every table's rows and an order-independent digest of their content, read here (not by pustaka).
    `columns`: digest only these columns of these tables (what an older schema had)."""
    conn = await asyncpg.connect(url, server_settings={"timezone": "UTC"})
    try:
        tables = await conn.fetch(
            "SELECT n.nspname || '.' || c.relname AS name, format('%I.%I', n.nspname, c.relname) AS q "
            "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind IN ('r', 'p') AND n.nspname IN ('catalog', 'circulation', 'public')"
        )
        state = {}
        for t in tables:
            if columns is not None and t["name"] not in columns:
                continue
            content = (
                "x::text" if columns is None else "row(" + ", ".join(f'x."{c}"' for c in columns[t["name"]]) + ")::text"
            )
            row = await conn.fetchrow(
                f"SELECT count(*), coalesce(sum(hashtextextended({content}, 0)::numeric), 0)::text FROM {t['q']} x"
            )
            state[t["name"]] = (row[0], row[1])
        return state
    finally:
        await conn.close()


def embedded_url(data_dir: Path) -> str:
    """The `pustaka` database of a data folder's embedded server (started or joined by this process)."""
    from pustaka.config import load_settings
    from pustaka.database import application_url

    return application_url(load_settings(env_for(data_dir)))


async def table_columns(url: str) -> dict[str, list[str]]:
    """The columns of every table of ours, in order: what a schema had before an upgrade."""
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT table_schema || '.' || table_name AS t, "
            "array_agg(column_name::text ORDER BY ordinal_position) AS c "
            "FROM information_schema.columns WHERE table_schema IN ('catalog', 'circulation', 'public') "
            "GROUP BY 1"
        )
        return {r["t"]: list(r["c"]) for r in rows}
    finally:
        await conn.close()
