"""A real Meilisearch server for the test session: the binary `scripts/test.sh` installed (pinned npm
package, sha256 checked; its path in PUSTAKA_TEST_MEILI_BIN), on a free loopback port, with a random master
key and a data folder of its own, stopped and removed at the end.

PUSTAKA_MEILI_URL (and PUSTAKA_MEILI_KEY) name a server to use instead. With neither, the tests that need
Meilisearch fail and say why: a suite that silently skipped half its engines would prove nothing.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

BIN_VARIABLE = "PUSTAKA_TEST_MEILI_BIN"
INDEXING_MEMORY = "256MiB"
"""As compose.yaml sets it: by default Meilisearch may use two thirds of the RAM for indexing, and a fresh
process then takes 2-8 s to index a package of 1,000 titles (its first batches page in that memory) instead
of 0.2-0.7 s (tests/bench/bench_meili_client.py --indexing)."""
MISSING = (
    f"no Meilisearch server for the tests: run them with `bash scripts/test.sh` (it installs the pinned "
    f"Meilisearch 1.21.0 and sets {BIN_VARIABLE}), or set PUSTAKA_MEILI_URL and PUSTAKA_MEILI_KEY"
)


@dataclass
class MeiliServer:
    """One Meilisearch process (or an external server when `process` is None)."""

    url: str
    key: str | None
    binary: str | None = None
    port: int = 0
    data: Path | None = None
    process: subprocess.Popen | None = None
    log: Path | None = None
    indexing_memory: str | None = INDEXING_MEMORY
    """None: Meilisearch's default (for the benchmark that compares)."""

    def start(self, timeout: float = 30.0) -> None:
        assert self.binary and self.data is not None
        self.log = self.data.parent / "meilisearch.log"
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    "--http-addr",
                    f"127.0.0.1:{self.port}",
                    "--master-key",
                    self.key or "",
                    "--db-path",
                    str(self.data / "db"),
                    "--dump-dir",
                    str(self.data / "dumps"),
                    "--snapshot-dir",
                    str(self.data / "snapshots"),
                    "--env",
                    "development",
                    "--no-analytics",
                    "--log-level",
                    "WARN",
                    *(["--max-indexing-memory", self.indexing_memory] if self.indexing_memory else []),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Meilisearch exited with {self.process.returncode}: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"Meilisearch did not answer within {timeout} s: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        """Stop the process (the data folder stays, so `start` brings the same indexes back)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def launch() -> MeiliServer | str:
    """A running server, or the reason there is none."""
    if os.environ.get("PUSTAKA_MEILI_URL"):
        return MeiliServer(url=os.environ["PUSTAKA_MEILI_URL"].rstrip("/"), key=os.environ.get("PUSTAKA_MEILI_KEY"))
    binary = os.environ.get(BIN_VARIABLE)
    if not binary:
        return MISSING
    if not os.access(binary, os.X_OK):
        return f"{BIN_VARIABLE}={binary} is not an executable Meilisearch binary"
    port = _free_port()
    folder = Path(tempfile.mkdtemp(prefix="pustaka-meili-"))
    server = MeiliServer(
        url=f"http://127.0.0.1:{port}", key=secrets.token_urlsafe(24), binary=binary, port=port, data=folder / "data"
    )
    server.start()
    return server


def remove(server: MeiliServer) -> None:
    server.stop()
    if server.data is not None:
        shutil.rmtree(server.data.parent, ignore_errors=True)
