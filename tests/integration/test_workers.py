"""`pustaka up --workers 2` as a librarian's server runs it: two processes answer on one port, both find
books in the one index on disk, a package ingested by another process is found through either within 2 s,
the embedded PostgreSQL is started once, the search outbox has one drainer, and stopping `pustaka up` stops
everything it started."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

from pustaka.seeding import seeds_dir

SARANGAN, TBM_DADI = "35.20.07.1013", "35.20.07.2012-TBM1"
LASKAR = "Laskar Pelangi (Tetralogi Laskar Pelangi, #1)"
SEARCH = "/api/catalog/v1/search"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(data_dir: Path, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PUSTAKA_")}
    return {**base, "PUSTAKA_DATA_DIR": str(data_dir), "PUSTAKA_JWT_SECRET": "workers-test-" + "s" * 40, **extra}


def pustaka(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pustaka", *args], env=env_for(data_dir), capture_output=True, text=True, timeout=300
    )


def package(library: str) -> str:
    return str(next((seeds_dir() / "packages").glob(f"{library}.*")))


def postmasters(data_dir: Path) -> list[psutil.Process]:
    pgdata = str((data_dir / "postgres").resolve())
    return [
        p
        for p in psutil.process_iter(["name", "cmdline"])
        if p.info["name"] == "postgres" and pgdata in (p.info["cmdline"] or [])
    ]


def ask(base: str, path: str, **params: str) -> tuple[str, httpx.Response]:
    """One request on a connection of its own (so that either worker may take it); who answered, and how."""
    with httpx.Client(base_url=base, timeout=30, limits=httpx.Limits(max_keepalive_connections=0)) as client:
        answer = client.get(path, params=params)
    return answer.headers["x-pustaka-worker"], answer


def from_both(base: str, path: str, params: dict[str, str], passes, timeout: float) -> dict[str, float]:
    """Ask until each worker's answer passes; the seconds after which each did."""
    started = time.monotonic()
    passed: dict[str, float] = {}
    while len(passed) < 2 and time.monotonic() - started < timeout:
        worker, answer = ask(base, path, **params)
        if worker not in passed and answer.status_code == 200 and passes(answer.json()):
            passed[worker] = time.monotonic() - started
        time.sleep(0.01)
    return passed


def wait_answering(base: str, up: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and up.poll() is None:
        try:
            ask(base, "/api/catalog/health")
            return
        except httpx.TransportError:
            time.sleep(0.2)


def test_two_workers_answer_from_one_index_and_both_see_a_fresh_ingest_within_2_s(tmp_path):
    data_dir = tmp_path / "desa"
    assert pustaka(data_dir, "seed", "--libraries-only").returncode == 0
    done = pustaka(data_dir, "ingest", package(SARANGAN), "--library", SARANGAN, "--json")
    assert done.returncode in (0, 1), done.stderr
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "up.log").open("wb")
    up = subprocess.Popen(
        [sys.executable, "-m", "pustaka", "up", "--workers", "2"],
        env=env_for(data_dir, PUSTAKA_PORT=str(port)),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_answering(base, up)
        ready = from_both(base, "/api/catalog/health", {}, lambda body: body["search"] == "ready", 120)
        assert sorted(ready) == ["1", "2"], (tmp_path / "up.log").read_text()[-3000:]
        writer = psutil.Process(up.pid)
        readers = [c for c in writer.children() if "spawn_main" in " ".join(c.cmdline())]
        assert len(readers) == 1
        assert len(postmasters(data_dir)) == 1  # started once, by the writer

        def laskar(body: dict) -> bool:
            return (
                not body["degraded"]
                and body["hits"][0]["title"] == LASKAR
                and [h["library"] for h in body["hits"][0]["holdings"]] == [SARANGAN]
            )

        assert sorted(from_both(base, SEARCH, {"q": "laskar pelagi"}, laskar, 30)) == ["1", "2"]

        ingested = pustaka(data_dir, "ingest", package(TBM_DADI), "--library", TBM_DADI, "--json")
        assert ingested.returncode in (0, 1), ingested.stderr
        titles = json.loads(ingested.stdout)["titles"]
        found = from_both(
            base,
            SEARCH,
            {"library": TBM_DADI, "per_page": "1"},
            lambda body: not body["degraded"] and body["total"] == titles,
            30,
        )
        assert sorted(found) == ["1", "2"], found
        assert max(found.values()) < 2.0, f"searchable after {found} s"
        both = from_both(
            base,
            SEARCH,
            {"q": "laskar pelagi"},
            lambda body: sorted(h["library"] for h in body["hits"][0]["holdings"]) == [SARANGAN, TBM_DADI]
            if body["hits"]
            else False,
            10,
        )
        assert sorted(both) == ["1", "2"]
        workers = [writer, *readers]
    finally:
        up.send_signal(signal.SIGTERM)
        up.wait(60)
        log.close()
    assert up.returncode == 0
    assert not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in workers)
    deadline = time.monotonic() + 10
    while postmasters(data_dir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not postmasters(data_dir), "the embedded PostgreSQL outlived `pustaka up`"
