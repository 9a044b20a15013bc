"""schemathesis over both OpenAPI descriptions, against the whole system served over real HTTP in a process
of its own (schemathesis calls synchronously): no server error and no answer outside its schema, for
anonymous and admin callers. Bounded (a few examples per operation) so that it stays well under 2 minutes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.integration.test_cli import PUSTAKA, cli_env

SECRET = "schemathesis-secret-" + "x" * 32
EXAMPLES = int(os.environ.get("PUSTAKA_FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, response_schema_conformance]
BOUNDED = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def system(database_url: str):
    """`pustaka up`'s app on uvicorn in its own process, with Magetan's libraries and an admin; (url, token)."""
    port = _free_port()
    env = {**cli_env(database_url), "PUSTAKA_JWT_SECRET": SECRET, "PUSTAKA_PORT": str(port)}
    subprocess.run([*PUSTAKA, "seed", "--libraries-only"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*PUSTAKA, "user", "add", "penguji", "--role", "admin", "--password-stdin"],
        env=env,
        input=b"kata-sandi-penguji\n",
        check=True,
        capture_output=True,
    )
    code = (
        "import uvicorn; from pustaka.config import load_settings; from pustaka.runtime import build_app; "
        "s = load_settings(); uvicorn.run(build_app(s, s.database_url), host='127.0.0.1', port=s.port, "
        "log_level='warning', lifespan='on')"
    )
    process = subprocess.Popen([sys.executable, "-c", code], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/api/circulation/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        login = httpx.post(
            f"{base}/api/circulation/v1/auth/login", json={"username": "penguji", "password": "kata-sandi-penguji"}
        )
        yield base, login.json()["access_token"]
    finally:
        process.terminate()
        process.wait(timeout=20)


def _call(case, system) -> None:
    base, token = system
    # Writes as the admin; the admin's own account is left alone, so the token keeps working throughout.
    if (case.path_parameters or {}).get("name") == "penguji":
        case.path_parameters = {**case.path_parameters, "name": "someone-else"}
    case.call_and_validate(base_url=base, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS, timeout=30)


def _fuzz(system, description: str) -> list[str]:
    """Every operation of a description, a few generated cases each; the failures, one line per operation.
    (schemathesis' own pytest plugin does not run under this pytest, so hypothesis drives each operation.)"""
    schema = schemathesis.openapi.from_url(f"{system[0]}{description}")
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @BOUNDED
        @given(case=operation.as_strategy())
        def run(case) -> None:
            _call(case, system)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collected, so one run reports every operation that fails
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:600]}")
    return failures


def test_the_catalogue_api_keeps_its_description(system):
    assert _fuzz(system, "/api/catalog/schema/openapi.json") == []


def test_the_circulation_api_keeps_its_description(system):
    assert _fuzz(system, "/api/circulation/schema/openapi.json") == []


def test_the_reporting_api_keeps_its_description(system):
    assert _fuzz(system, "/api/circulation/v1/stats/schema/openapi.json") == []
