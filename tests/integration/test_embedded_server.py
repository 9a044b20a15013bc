"""The embedded PostgreSQL of a data folder is shared by every `pustaka` process and stopped by the last."""

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

HOLD = """
import sys, time
from pustaka.database import embedded_server
embedded_server(__import__('pathlib').Path(sys.argv[1]))
print('ready', flush=True)
time.sleep(120)
"""


def env_for(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PUSTAKA_DATABASE_URL"}
    return {**env, "PUSTAKA_DATA_DIR": str(data_dir)}


def server_running(data_dir: Path) -> bool:
    pgdata = str((data_dir / "postgres").resolve())
    for process in psutil.process_iter(["name", "cmdline"]):
        if process.info["name"] == "postgres" and pgdata in (process.info["cmdline"] or []):
            return True
    return False


def pustaka(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pustaka", *args], env=env_for(data_dir), capture_output=True, text=True, timeout=120
    )


def test_a_command_that_started_the_server_stops_it_unless_another_process_uses_it(tmp_path):
    data_dir = tmp_path / "desa"
    assert pustaka(data_dir, "migrate").returncode == 0
    assert not server_running(data_dir)

    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data_dir)], env=env_for(data_dir), stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        listed = pustaka(data_dir, "libraries", "--json")
        assert listed.returncode == 0 and listed.stdout.strip() == "[]"
        assert server_running(data_dir), "the command stopped a server another process still uses"

        holder.kill()  # dies without signing off
        holder.wait()
        assert pustaka(data_dir, "libraries", "--json").returncode == 0
        deadline = time.monotonic() + 10
        while server_running(data_dir) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not server_running(data_dir), "a dead user kept the server running"
    finally:
        holder.kill()
