"""A library that ran the previous release (the migrations as of commit bac709d, in tests/data) upgrades in
place: `pustaka migrate`, then `pustaka up`, and nothing is lost."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from pathlib import Path

import asyncpg
import httpx
import uvicorn

from pustaka.database import create_database, drop_database, server_url
from pustaka.seeding import load_libraries, read_libraries, seeds_dir
from services.catalog.ingest import ingest_package
from services.circulation.staff import add_user
from tests.ops.support import Up, cli, database_state, embedded_url, free_port

OLD = Path(__file__).resolve().parents[1] / "data" / "migrations-bac709d"
BOOKS = Path(__file__).resolve().parents[1] / "data" / "circulation_books.csv"
GONGGANG = "35.20.01.2002"
API = "/api/circulation/v1"
LEDGER = """CREATE TABLE IF NOT EXISTS public.schema_migrations (component text NOT NULL, version integer NOT NULL,
name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (component, version))"""


async def _previous_release(url: str) -> None:
    """The schema exactly as the previous release's `pustaka migrate` left it, and a library's data."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(LEDGER)
        for component in ("catalog", "circulation"):
            for path in sorted((OLD / component / "migrations").glob("*.sql")):
                version, name = re.match(r"(\d{3})_(\w+)\.sql", path.name).groups()
                async with conn.transaction():
                    await conn.execute(path.read_text("utf-8"))
                    await conn.execute("INSERT INTO public.schema_migrations (component, version, name) "
                                       "VALUES ($1, $2, $3)", component, int(version), name)
        await load_libraries(conn, read_libraries(seeds_dir() / "libraries.csv"))
        await ingest_package(conn, library=GONGGANG, data=BOOKS.read_bytes(), source_name=BOOKS.name, actor="t")
        await add_user(conn, username="pustakawan.lama", password="rahasia-lama", role="librarian", scope=GONGGANG,
                       actor="t")
    finally:
        await conn.close()


async def _desk_history(settings, url: str) -> tuple[str, list[str]]:
    """A few days of the desk on the old schema, over HTTP: a member, three loans, one of them returned."""
    from pustaka.runtime import build_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(build_app(settings, url), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            login = await http.post(f"{API}/auth/login", json={"username": "pustakawan.lama", "password": "rahasia-lama"})
            auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
            member = (await http.post(f"{API}/members", headers=auth, json={
                "name": "Warsini Lama", "library": GONGGANG, "birth_year": 1970, "gender": "P"})).json()
            items = (await http.get(f"/api/catalog/v1/libraries/{GONGGANG}/items", params={"per_page": 3})).json()
            barcodes = [i["barcode"] for i in items["items"]]
            for barcode in barcodes:
                answer = await http.post(f"{API}/loans", headers=auth, json={
                    "item_barcode": barcode, "member_number": member["member_number"]})
                assert answer.status_code == 201, answer.text
            assert (await http.post(f"{API}/returns", headers=auth, json={"item_barcode": barcodes[0]})).status_code == 200
            await asyncio.sleep(2.5)  # the status changes reach the catalogue (relay)
    finally:
        server.should_exit = True
        await task
    return member["member_number"], barcodes


async def test_the_previous_release_upgrades_in_place_with_nothing_lost(settings, tmp_path):
    """Also: a backup made by the previous release restores into this one, migrated forward."""
    server = server_url(settings)
    name = f"pustaka_upgrade_{uuid.uuid4().hex[:6]}"
    url = await create_database(server, name)
    try:
        await _previous_release(url)
        number, barcodes = await _desk_history(settings, url)
        before = await database_state(url)
        assert "circulation.backups" not in before and before["circulation.loans"][0] == 3

        old_backup = tmp_path / "sebelum-upgrade.tar"
        made = cli(tmp_path / "data", "backup", str(old_backup), PUSTAKA_DATABASE_URL=url)
        assert made.returncode == 0, made.stderr
        migrated = cli(tmp_path / "data", "migrate", PUSTAKA_DATABASE_URL=url)
        assert migrated.returncode == 0, migrated.stderr
        after = await database_state(url)
        assert {k: v for k, v in after.items() if k not in ("circulation.backups", "public.schema_migrations")} == \
            {k: v for k, v in before.items() if k != "public.schema_migrations"}
        assert after["circulation.backups"][0] == 0  # the old schema had nowhere to record the backup
        assert after["public.schema_migrations"][0] == before["public.schema_migrations"][0] + 1

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
        assert "Traceback" not in up.output()

        fresh = tmp_path / "restored"
        restored = cli(fresh, "restore", str(old_backup), "--json")
        assert restored.returncode == 0, restored.stderr
        assert json.loads(restored.stdout)["migrations_applied"] == ["circulation/020_backups.sql"]
        state = await database_state(embedded_url(fresh))
        assert {k: v for k, v in state.items() if k not in ("circulation.backups", "public.schema_migrations")} == \
            {k: v for k, v in before.items() if k != "public.schema_migrations"}
    finally:
        await drop_database(server, name)
