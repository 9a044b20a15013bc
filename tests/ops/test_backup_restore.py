"""A librarian backs up while the desk keeps lending, loses the data folder, and restores everything in one
command: every table as it was in the backup's snapshot, and search answering the same."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import httpx

from tests.ops.support import Up, cli, database_state, embedded_url, manifest_of

GONGGANG = "35.20.01.2002"
API = "/api/circulation/v1"


async def _desk(http: httpx.AsyncClient, password: str, members: int) -> tuple[dict, list[str], list[str]]:
    login = await http.post(f"{API}/auth/login", json={"username": "admin", "password": password})
    auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
    numbers = []
    for i in range(members):
        answer = await http.post(
            f"{API}/members",
            headers=auth,
            json={"name": f"Anggota Uji {i}", "library": GONGGANG, "birth_year": 1990 + i, "gender": "L"},
        )
        assert answer.status_code == 201, answer.text
        numbers.append(answer.json()["member_number"])
    items = (
        await http.get(f"/api/catalog/v1/libraries/{GONGGANG}/items", params={"status": "available", "per_page": 30})
    ).json()["items"]
    return auth, numbers, [i["barcode"] for i in items]


async def test_a_backup_taken_while_lending_restores_into_an_empty_folder_as_of_its_snapshot(live, tmp_path):
    backup = tmp_path / "cadangan.tar"
    loans: list[tuple[int, float, float]] = []  # loan id, sent, answered
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:
        auth, members, barcodes = await _desk(http, live.admin_password(), 5)
        stop = asyncio.Event()

        async def lend_and_return() -> None:
            i = 0
            while not stop.is_set():
                barcode, member = barcodes[i % len(barcodes)], members[i % len(members)]
                sent = time.monotonic()
                answer = await http.post(
                    f"{API}/loans", headers=auth, json={"item_barcode": barcode, "member_number": member}
                )
                assert answer.status_code == 201, answer.text
                loans.append((answer.json()["loan_id"], sent, time.monotonic()))
                back = await http.post(f"{API}/returns", headers=auth, json={"item_barcode": barcode})
                assert back.status_code == 200, back.text
                i += 1

        desk = asyncio.create_task(lend_and_return())
        await asyncio.sleep(1.0)
        started = time.monotonic()
        made = await asyncio.to_thread(cli, live.data_dir, "backup", str(backup), "--json")
        finished = time.monotonic()
        await asyncio.sleep(0.5)
        stop.set()
        await desk
        queries = ("anak", "cerita", "cinta", "harry potter", "love", "world")
        before = {q: (await http.get("/api/catalog/v1/search", params=_search(q))).json() for q in queries}
    assert made.returncode == 0, made.stderr
    report = json.loads(made.stdout)
    manifest = manifest_of(backup)
    assert report["path"] == str(backup) and report["size"] == backup.stat().st_size
    assert report["counts"] == {name: t["rows"] for name, t in manifest["tables"].items()}
    assert report["counts"]["catalog.libraries"] == 38 and report["counts"]["catalog.items"] > 40_000
    assert report["seconds"] > 0
    assert len([loan for loan in loans if loan[1] > finished]) > 0, "the desk kept lending after the backup"

    restored = tmp_path / "laptop-baru"
    done = cli(restored, "restore", str(backup), "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["replaced"] is None and answer["migrations_applied"] == []

    state = await database_state(embedded_url(restored))
    assert state == {name: (t["rows"], t["digest"]) for name, t in manifest["tables"].items()}
    in_backup = await _loan_ids(embedded_url(restored))
    assert {loan_id for loan_id, _, answered in loans if answered < started} <= in_backup
    assert not {loan_id for loan_id, sent, _ in loans if sent > finished} & in_backup
    assert state["circulation.loans"][0] == len(in_backup) > 0

    again = Up(restored).wait()
    try:
        async with httpx.AsyncClient(base_url=again.url, timeout=30) as http:
            after = {q: (await http.get("/api/catalog/v1/search", params=_search(q))).json() for q in queries}
    finally:
        again.stop()
    for q in queries:
        assert after[q]["total"] == before[q]["total"] > 0, q
        assert before[q]["total"] <= 100, f"{q}: every hit is compared"
        assert _titles(after[q]) == _titles(before[q]), q


def _search(q: str) -> dict:
    return {"q": q, "library": GONGGANG, "per_page": 100}


def _titles(answer: dict) -> list[tuple]:
    """What a search found, apart from availability (the live desk kept lending after the backup)."""
    return sorted((h["isbn13"], h["library"], h["title"], h["copies"]) for h in answer["hits"])


async def _loan_ids(url: str) -> set[int]:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return {r[0] for r in await conn.fetch("SELECT id FROM circulation.loans")}
    finally:
        await conn.close()


def test_a_restore_refuses_to_replace_data_unless_forced_and_never_while_up_serves_the_folder(live, tmp_path):
    backup = tmp_path / "b.tar"
    assert cli(live.data_dir, "backup", str(backup)).returncode == 0
    serving = cli(live.data_dir, "restore", str(backup))
    assert serving.returncode == 2
    assert f"`pustaka up` (pid {live.proc.pid}) is serving {live.data_dir}" in " ".join(serving.stderr.split())

    other = tmp_path / "other"
    assert cli(other, "restore", str(backup)).returncode == 0
    refused = cli(other, "restore", str(backup))
    assert refused.returncode == 2
    text = " ".join(refused.stderr.split())
    assert "database 'pustaka' already holds data (38 libraries," in text and "--force" in text
    forced = cli(other, "restore", str(backup), "--force", "--json")
    assert forced.returncode == 0, forced.stderr
    assert json.loads(forced.stdout)["replaced"]["libraries"] == 38


def test_backup_verify_restores_into_a_scratch_database_and_compares(live, tmp_path):
    backup = tmp_path / "v.tar"
    assert cli(live.data_dir, "backup", str(backup)).returncode == 0
    done = cli(live.data_dir, "backup", "--verify", str(backup), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True and report["mismatches"] == []
    assert report["rows"] == sum(t["rows"] for t in manifest_of(backup)["tables"].values())


def test_automatic_backups_daily_and_after_each_ingest_in_two_places_keeping_the_newest(live):
    folder, usb = live.data_dir / "backups", live.data_dir.parent / "usb"
    books = Path(__file__).resolve().parents[1] / "data" / "circulation_books.csv"
    with httpx.Client(base_url=live.url, timeout=60) as http:
        login = http.post(f"{API}/auth/login", json={"username": "admin", "password": live.admin_password()})
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        assert http.get(f"{API}/backups/latest").status_code == 401
        daily = sorted(p.name for p in folder.glob("pustaka-backup-*.tar"))
        assert len(daily) == 1, "the first start made the day's backup"
        assert sorted(p.name for p in usb.glob("pustaka-backup-*.tar")) == daily
        made = daily
        before = http.get(f"{API}/backups/latest", headers=auth).json()["file_name"]  # a manual one, maybe
        for n, library in enumerate(("35.20.03.1002", "35.20.04.1013", "35.20.05.2003"), start=1):
            answer = http.post(
                f"/api/catalog/v1/libraries/{library}/packages",
                headers=auth,
                files={"file": (f"tambahan-{n}.csv", books.read_bytes(), "text/csv")},
            )
            assert answer.status_code == 201, answer.text
            latest = _wait_for_new_backup(http, auth, [*made, before])
            made = [*made, latest["file_name"]]
            assert latest["kind"] == "after_ingest" and latest["mirrored"] is True
            assert latest["stale"] is False and latest["age_hours"] < 0.1
    kept = sorted(p.name for p in folder.glob("pustaka-backup-*.tar"))
    assert kept == made[-3:] == sorted(p.name for p in usb.glob("pustaka-backup-*.tar"))
    assert manifest_of(folder / kept[-1])["tables"]["catalog.packages"]["rows"] == 41


def _wait_for_new_backup(http: httpx.Client, auth: dict, seen: list[str], timeout: float = 60) -> dict:
    """GET /backups/latest until it names a backup not in `seen` (the record is written last)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        latest = http.get(f"{API}/backups/latest", headers=auth).json()
        if latest["file_name"] and latest["file_name"] not in seen:
            return latest
        time.sleep(0.3)
    raise AssertionError(f"no backup after {seen}")
