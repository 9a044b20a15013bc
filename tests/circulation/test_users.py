"""Staff accounts: the admin disables, moves and resets users; the user's tokens stop working within seconds
in both services, on the HTTP API and from the command line."""

from __future__ import annotations

import asyncio
import json
import time

import httpx

from pustaka.revocation import TTL_SECONDS
from tests.circulation.conftest import API, GONGGANG, SOMBO
from tests.integration.test_cli import run_cli
from tests.support import token_for

CATALOG_WRITE = "/api/catalog/v1/packages/999999/rejections/1/dismissal"


async def _refused_within_seconds(http: httpx.AsyncClient, headers: dict, path: str) -> float:
    """Seconds until `headers` stop opening `path`: a 401 `token_revoked` (tried twice a second)."""
    started = time.monotonic()
    while time.monotonic() - started < TTL_SECONDS + 3:
        answer = await http.get(path, headers=headers)
        if answer.status_code == 401:
            assert answer.json()["code"] == "token_revoked"
            return time.monotonic() - started
        await asyncio.sleep(0.5)
    raise AssertionError(f"{path} still opens with the old token")


async def _login(http: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await http.post(f"{API}/auth/login", json={"username": username, "password": password})


async def test_a_disabled_librarian_is_locked_out_of_both_services_within_seconds(http, magetan, admin):
    sri = await token_for(http, magetan, "sri", "librarian", GONGGANG)
    assert (await http.get(f"{API}/libraries/{GONGGANG}/overdue", headers=sri)).status_code == 200
    assert (await http.post(CATALOG_WRITE, headers=sri)).json()["code"] == "package_not_found"

    disabled = await http.post(f"{API}/users/sri/disable", headers=admin)

    assert disabled.status_code == 200 and disabled.json()["active"] is False
    assert await _refused_within_seconds(http, sri, f"{API}/libraries/{GONGGANG}/overdue") <= TTL_SECONDS + 1
    catalog = await http.post(CATALOG_WRITE, headers=sri)
    assert (catalog.status_code, catalog.json()["code"]) == (401, "token_revoked")
    assert (await _login(http, "sri", "rahasia-sri")).json()["code"] == "login_failed"
    assert (await http.post(f"{API}/users/sri/enable", headers=admin)).json()["active"] is True
    assert (await _login(http, "sri", "rahasia-sri")).status_code == 200


async def test_a_librarian_moved_to_another_library_must_log_in_again_and_works_only_there(http, magetan, admin):
    sri = await token_for(http, magetan, "sri", "librarian", GONGGANG)

    moved = await http.put(f"{API}/users/sri/scope", headers=admin, json={"scope": SOMBO})

    assert moved.status_code == 200 and moved.json()["scope"] == SOMBO
    await _refused_within_seconds(http, sri, f"{API}/libraries/{GONGGANG}/overdue")
    fresh = {"Authorization": "Bearer " + (await _login(http, "sri", "rahasia-sri")).json()["access_token"]}
    assert (await http.get(f"{API}/libraries/{SOMBO}/overdue", headers=fresh)).status_code == 200
    assert (await http.get(f"{API}/libraries/{GONGGANG}/overdue", headers=fresh)).status_code == 403
    wrong = await http.put(f"{API}/users/sri/scope", headers=admin, json={"scope": "35.20"})
    assert (wrong.status_code, wrong.json()["code"]) == (422, "scope_invalid")


async def test_a_password_reset_ends_the_old_tokens_and_the_old_password(http, magetan, admin):
    sri = await token_for(http, magetan, "sri", "librarian", GONGGANG)

    reset = await http.post(f"{API}/users/sri/password", headers=admin, json={"password": "kata-sandi-baru"})

    assert reset.status_code == 200, reset.text
    await _refused_within_seconds(http, sri, f"{API}/libraries/{GONGGANG}/overdue")
    assert (await _login(http, "sri", "rahasia-sri")).status_code == 401
    assert (await _login(http, "sri", "kata-sandi-baru")).status_code == 200


async def test_only_an_admin_manages_users(http, magetan, admin):
    sri = await token_for(http, magetan, "sri", "librarian", GONGGANG)
    for method, path, body in [
        ("GET", "/users", None),
        ("POST", "/users/root/disable", None),
        ("PUT", "/users/root/scope", {"scope": GONGGANG}),
        ("POST", "/users/root/password", {"password": "diambil-alih"}),
    ]:
        answer = await http.request(method, f"{API}{path}", headers=sri, json=body)
        assert (answer.status_code, answer.json()["code"]) == (403, "forbidden"), path
    listed = await http.get(f"{API}/users", headers=admin)
    assert [(u["username"], u["role"], u["scope"], u["active"]) for u in listed.json()] == [
        ("root", "admin", None, True),
        ("sri", "librarian", GONGGANG, True),
    ]
    assert (await http.post(f"{API}/users/nobody/disable", headers=admin)).json()["code"] == "user_not_found"
    assert (await http.post(f"{API}/users/root/disable", headers=admin)).json()["code"] == "cannot_disable_self"


async def test_the_command_line_manages_users_and_revokes_their_tokens(http, magetan, database_url):
    sri = await token_for(http, magetan, "sri", "librarian", GONGGANG)

    listed = await run_cli(database_url, "user", "list", "--json")
    disabled = await run_cli(database_url, "user", "disable", "sri")

    assert [u["username"] for u in json.loads(listed.stdout)] == ["sri"]
    assert disabled.returncode == 0, disabled.stderr
    await _refused_within_seconds(http, sri, f"{API}/libraries/{GONGGANG}/overdue")
    assert (await run_cli(database_url, "user", "enable", "sri")).returncode == 0
    moved = await run_cli(database_url, "user", "set-scope", "sri", SOMBO, "--json")
    assert json.loads(moved.stdout)["scope"] == SOMBO
    reset = await run_cli(database_url, "user", "reset-password", "sri")
    new_password = reset.stdout.strip()
    assert reset.returncode == 0 and len(new_password) >= 12
    assert (await _login(http, "sri", new_password)).status_code == 200
    unknown = await run_cli(database_url, "user", "disable", "nobody")
    assert unknown.returncode == 2 and "user_not_found" in unknown.stderr
