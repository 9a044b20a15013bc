"""An operator brings up compose.yaml (here as processes: tests/deploy/topology.py) and follows the README:
the first-run step, then a patron searches, a librarian lends a book, the desk page opens, all through the
gateway; and the logs of every process hold no member's name or number."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.deploy.topology import Topology, start_gateway, start_meilisearch, start_postgres

BOOKS = Path(__file__).resolve().parents[1] / "data" / "circulation_books.csv"
GONGGANG = "35.20.01.2002"
DOTENV = {
    "POSTGRES_PASSWORD": "pg-rahasia-uji",
    "MEILI_MASTER_KEY": "meili-master-key-uji-0123456789",
    "PUSTAKA_JWT_SECRET": "jwt-" + "r" * 40,
}
ADMIN_PASSWORD = "admin-pertama-uji"
MEMBER_NAME = "Sulastri Wahyuningsih"


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("compose")
    (tmp / "secrets").mkdir()
    (tmp / "secrets" / "admin_password").write_text(ADMIN_PASSWORD + "\n")
    top = Topology(tmp, DOTENV)
    try:
        start_postgres(top)
        start_meilisearch(top)
        init = top.run_service("init")
        assert init.wait(timeout=120) == 0, top.output("init")
        for name in ("catalog", "circulation", "pages"):
            top.run_service(name)
        for name in ("catalog", "circulation", "pages"):
            top.wait_healthy(name)
        top.run_service("indexer")
        top.run_service("backup")
        start_gateway(top)
        _wait_for(lambda: httpx.get(top.gateway + "/api/catalog/health", timeout=2).status_code == 200)
        yield top
    finally:
        top.stop()
        if hasattr(top, "stop_postgres"):
            top.stop_postgres()


def _hits(gw: httpx.Client, q: str) -> list[dict]:
    answer = gw.get("/api/catalog/v1/search", params={"q": q, "library": GONGGANG})
    assert answer.status_code == 200, answer.text
    return answer.json()["hits"]


def _wait_for(check, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
            if result:
                return result
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.3)


def test_the_first_run_step_prepared_libraries_and_the_admin_and_changes_nothing_when_run_again(topology):
    assert "38 libraries, admin user admin created" in " ".join(topology.output("init").split())
    again = subprocess.run(
        topology.command("init"), env={**topology.service_env("init")}, capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0, again.stderr
    assert "admin user admin already there" in " ".join(again.stderr.split())
    libraries = httpx.get(topology.gateway + "/api/catalog/v1/libraries").json()
    assert len(libraries) == 38


def test_the_pages_are_served_through_the_gateway(topology):
    for path, marker in (
        ("/", "Cari buku"),
        ("/judul/9789797568368", "Cari buku"),
        ("/desk/", "desk.js"),
        ("/dashboard/", "dashboard.js"),
    ):
        page = httpx.get(topology.gateway + path, follow_redirects=True)
        assert page.status_code == 200, path
        assert page.headers["content-type"] == "text/html; charset=utf-8", path
        assert marker in page.text, path
        assert page.headers["x-request-id"], path
    assert httpx.get(topology.gateway + "/static/desk.js").status_code == 200


def test_a_patron_finds_a_book_and_a_librarian_lends_it_through_the_gateway(topology):
    gw = httpx.Client(base_url=topology.gateway, timeout=30)
    # The operator adds a librarian as the README says (docker compose exec circulation pustaka user add ...).
    added = subprocess.run(
        [
            str(topology.command("init")[0]),
            "user",
            "add",
            "pustakawan.gonggang",
            "--role",
            "librarian",
            "--scope",
            GONGGANG,
            "--password-stdin",
        ],
        input="rahasia-gonggang\n",
        env=topology.service_env("circulation"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert added.returncode == 0, added.stderr
    admin = gw.post("/api/circulation/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert admin.status_code == 200, admin.text
    login = gw.post(
        "/api/circulation/v1/auth/login", json={"username": "pustakawan.gonggang", "password": "rahasia-gonggang"}
    )
    auth = {"Authorization": f"Bearer {login.json()['access_token']}"}

    package = gw.post(
        f"/api/catalog/v1/libraries/{GONGGANG}/packages",
        headers=auth,
        files={"file": (BOOKS.name, BOOKS.read_bytes(), "text/csv")},
    )
    assert package.status_code == 201, package.text
    assert package.json()["items_created"] == 12

    found = _wait_for(lambda: _hits(gw, "kalkulus integral"))
    assert found[0]["isbn13"] == "9789797568368" and found[0]["available"] == 1

    member = gw.post(
        "/api/circulation/v1/members",
        headers=auth,
        json={"name": MEMBER_NAME, "library": GONGGANG, "birth_year": 1988, "gender": "P"},
    )
    assert member.status_code == 201, member.text
    number = member.json()["member_number"]
    items = gw.get(f"/api/catalog/v1/libraries/{GONGGANG}/items", params={"per_page": 50}).json()["items"]
    barcode = next(i["barcode"] for i in items if i["isbn13"] == "9789797568368")
    loan = gw.post("/api/circulation/v1/loans", headers=auth, json={"item_barcode": barcode, "member_number": number})
    assert loan.status_code == 201, loan.text
    assert gw.get(f"/api/circulation/v1/members/{number}/loans", headers=auth).status_code == 200
    # The loan reaches the catalogue and the search index: the patron now sees the copy out.
    _wait_for(lambda: _hits(gw, "kalkulus integral")[0]["available"] == 0)
    refused = gw.post(
        "/api/circulation/v1/loans", headers=auth, json={"item_barcode": barcode, "member_number": number}
    )
    assert refused.status_code == 409 and refused.headers["x-request-id"]
    assert gw.post("/api/circulation/v1/returns", headers=auth, json={"item_barcode": barcode}).status_code == 200
    # The backup service made the day's backup at start, and another after the package was ingested.
    latest = _wait_for(
        lambda: (lambda b: b if b["kind"] == "after_ingest" else None)(
            gw.get("/api/circulation/v1/backups/latest", headers=auth).json()
        ),
        timeout=60,
    )
    assert latest["stale"] is False
    backups = sorted((topology.tmp / "backup" / "data" / "backups").glob("pustaka-backup-*.tar"))
    assert latest["file_name"] == backups[-1].name and len(backups) == 2
    # The district's view of every library: holdings come from the catalogue in one request.
    admin_auth = {"Authorization": f"Bearer {admin.json()['access_token']}"}
    rollup = gw.get(
        "/api/circulation/v1/stats/libraries",
        headers=admin_auth,
        params={"scope": "kabupaten:35.20", "from": "2026-01-01", "to": "2026-12-31"},
    )
    assert rollup.status_code == 200, rollup.text
    held = {r["library"]: r["indicators"]["collection_items"] for r in rollup.json()["libraries"]}
    assert len(held) == 38 and held[GONGGANG] == 12 and sum(held.values()) == 12

    logs = topology.all_output()
    assert MEMBER_NAME not in logs and number not in logs
    assert "[member]" in (topology.tmp / "nginx" / "access.log").read_text()
    assert "HTTP Request:" not in logs  # httpx's INFO line for every internal call
    for line in logs.splitlines():
        if " ERROR " in line or "Traceback" in line:
            assert "[req=" in line, line


def test_the_operator_restores_a_backup_into_the_running_deployment(topology):
    """docker compose exec backup pustaka backup; later: stop the services, restore --force, start them again."""
    gw = httpx.Client(base_url=topology.gateway, timeout=30)
    backup_env = topology.service_env("backup")
    path = topology.tmp / "sebelum.tar"
    made = subprocess.run(
        [str(topology.command("backup")[0]), "backup", str(path), "--json"],
        env=backup_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    login = gw.post("/api/circulation/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
    auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
    later = gw.post(
        "/api/circulation/v1/members",
        headers=auth,
        json={"name": "Anggota Sesudah Cadangan", "library": GONGGANG, "birth_year": 2001, "gender": "L"},
    )
    assert later.status_code == 201
    in_use = subprocess.run(
        [str(topology.command("backup")[0]), "restore", str(path), "--force", "--json"],
        env=backup_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert in_use.returncode == 2 and "is in use" in json.loads(in_use.stdout)["error"]["message"]

    for name in ("backup", "indexer", "circulation", "catalog"):
        topology.procs[name].terminate()
        topology.procs[name].wait(timeout=30)
    restored = subprocess.run(
        [str(topology.command("backup")[0]), "restore", str(path), "--force", "--json"],
        env=backup_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert restored.returncode == 0, restored.stderr
    report = json.loads(restored.stdout)
    assert report["replaced"]["libraries"] == 38 and report["search"].startswith("search index rebuilt: ")
    for name in ("catalog", "circulation"):
        topology.run_service(name)
    for name in ("catalog", "circulation"):
        topology.wait_healthy(name)
    topology.run_service("indexer")

    assert _hits(gw, "kalkulus integral")[0]["isbn13"] == "9789797568368"
    login = gw.post("/api/circulation/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
    auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
    gone = gw.get(f"/api/circulation/v1/members/{later.json()['member_number']}", headers=auth)
    assert gone.status_code == 404
