"""A library that ran the previous release (commit bac709d: its own code, taken from this clone's history)
upgrades in place: `pustaka migrate`, then `pustaka up`, and nothing is lost."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import httpx

from pustaka.database import create_database, drop_database, server_url
from pustaka.migrations import discover
from tests.ops.support import Up, cli, database_state, embedded_url, table_columns

PREVIOUS_RELEASE = "bac709d"
ROOT = Path(__file__).resolve().parents[2]
BOOKS = ROOT / "tests" / "data" / "circulation_books.csv"
GONGGANG = "35.20.01.2002"
API = "/api/circulation/v1"


def _previous_code(folder: Path) -> Path:
    """The previous release's own code, from this repository's history (a clone carries it)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", PREVIOUS_RELEASE], capture_output=True)
    assert archive.returncode == 0, (
        f"the previous release {PREVIOUS_RELEASE} is not in this clone's history: "
        f"{archive.stderr.decode(errors='replace')}"
    )
    folder.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def _old(code: Path, url: str, *args: str, stdin: str | None = None) -> str:
    """`pustaka ARGS` as the previous release runs it, on the database at `url`."""
    env = {
        **os.environ,
        "PYTHONPATH": str(code),
        "PUSTAKA_DATABASE_URL": url,
        "PUSTAKA_DATA_DIR": str(code / ".pustaka"),
        "PUSTAKA_JWT_SECRET": "previous-release-" + "x" * 32,
    }
    done = subprocess.run(
        [sys.executable, "-m", "pustaka", *args],
        env=env,
        cwd=code,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, f"previous release: pustaka {' '.join(args)}: {done.stderr[-2000:]}"
    return done.stdout


async def _previous_release(code: Path, url: str) -> tuple[str, list[str]]:
    """What a library did with the previous release, by that release's own commands: the schema, the
    libraries, a package, a librarian, a member, three loans and one return."""
    _old(code, url, "migrate")
    _old(code, url, "seed", "--libraries-only")
    _old(code, url, "ingest", str(BOOKS), "--library", GONGGANG, "--json")
    _old(
        code,
        url,
        "user",
        "add",
        "pustakawan.lama",
        "--role",
        "librarian",
        "--scope",
        GONGGANG,
        "--password-stdin",
        stdin="rahasia-lama\n",
    )
    member = json.loads(
        _old(
            code,
            url,
            "member",
            "add",
            "Warsini Lama",
            "--library",
            GONGGANG,
            "--birth-year",
            "1970",
            "--gender",
            "P",
            "--json",
        )
    )["member_number"]
    conn = await asyncpg.connect(url)
    try:
        barcodes = [
            r["barcode"]
            for r in await conn.fetch(
                "SELECT barcode FROM catalog.items WHERE library_code = $1 ORDER BY barcode LIMIT 3", GONGGANG
            )
        ]
    finally:
        await conn.close()
    for barcode in barcodes:
        _old(code, url, "checkout", barcode, member, "--json")
    _old(code, url, "checkin", barcodes[0], "--json")
    return member, barcodes


async def test_the_previous_release_upgrades_in_place_with_nothing_lost(settings, tmp_path):
    """Also: a backup made by the previous release restores into this one, migrated forward."""
    server = server_url(settings)
    name = f"pustaka_upgrade_{uuid.uuid4().hex[:6]}"
    url = await create_database(server, name)
    try:
        number, barcodes = await _previous_release(_previous_code(tmp_path / "previous"), url)
        old_schema = await table_columns(url)
        before = await database_state(url, old_schema)
        assert "circulation.backups" not in before and before["circulation.loans"][0] == 3
        new_migrations = len(discover()) - before["public.schema_migrations"][0]

        old_backup = tmp_path / "sebelum-upgrade.tar"
        made = cli(tmp_path / "data", "backup", str(old_backup), PUSTAKA_DATABASE_URL=url)
        assert made.returncode == 0, made.stderr
        migrated = cli(tmp_path / "data", "migrate", PUSTAKA_DATABASE_URL=url)
        assert migrated.returncode == 0, migrated.stderr
        after = await database_state(url, old_schema)  # every row and every old column as it was
        assert {k: v for k, v in after.items() if k != "public.schema_migrations"} == {
            k: v for k, v in before.items() if k != "public.schema_migrations"
        }
        assert (await database_state(url))["circulation.backups"][0] == 0  # the old schema had nowhere for it
        assert after["public.schema_migrations"][0] == before["public.schema_migrations"][0] + new_migrations

        up = Up(tmp_path / "data", PUSTAKA_DATABASE_URL=url, PUSTAKA_BACKUP_CHECK_SECONDS="1").wait()
        try:
            with httpx.Client(base_url=up.url, timeout=30) as http:
                login = http.post(f"{API}/auth/login", json={"username": "pustakawan.lama", "password": "rahasia-lama"})
                assert login.status_code == 200, login.text
                auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
                loans = http.get(f"{API}/members/{number}/loans", headers=auth).json()
                assert sorted(loan["item_barcode"] for loan in loans) == sorted(barcodes[1:])
                back = http.post(f"{API}/returns", headers=auth, json={"item_barcode": barcodes[1]})
                assert back.status_code == 200, back.text
                assert http.get(f"/api/catalog/v1/items/{barcodes[2]}").json()["status"] == "on_loan"
                for _ in range(100):
                    latest = http.get(f"{API}/backups/latest", headers=auth).json()
                    if not latest["stale"]:
                        break
                    await asyncio.sleep(0.3)
                assert latest["kind"] == "daily"
        finally:
            up.stop()
        assert "Traceback" not in up.output(), up.output()[-6000:]

        fresh = tmp_path / "restored"
        restored = cli(fresh, "restore", str(old_backup), "--json")
        assert restored.returncode == 0, restored.stderr
        assert len(json.loads(restored.stdout)["migrations_applied"]) == new_migrations
        state = await database_state(embedded_url(fresh), old_schema)
        assert {k: v for k, v in state.items() if k != "public.schema_migrations"} == {
            k: v for k, v in before.items() if k != "public.schema_migrations"
        }
    finally:
        await drop_database(server, name)
