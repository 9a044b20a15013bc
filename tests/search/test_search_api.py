"""The public search over HTTP: the answer's shape, and refusals (problem+json, 422) for crafted values."""

from __future__ import annotations

import asyncio
import json
import os
import sys

import pytest
from searchdata import SARANGAN, eventually, ingest_seed

SEARCH = "/api/catalog/v1/search"


async def test_a_search_answers_hits_facets_and_paging(http, magetan):
    async with magetan.acquire() as conn:
        await ingest_seed(conn, SARANGAN)

    async def indexed():
        return (await http.get(SEARCH, params={"library": SARANGAN})).json()["total"] == 1000

    assert await eventually(indexed, timeout=2.0)
    answer = await http.get(SEARCH, params={"q": "laskar pelagi", "kecamatan": "35.20.07", "per_page": 2})
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"hits", "facets", "total", "page", "per_page", "took_ms", "degraded"}
    assert body["degraded"] is False
    assert (body["total"], body["page"], body["per_page"]) == (2, 1, 2)
    first = body["hits"][0]
    assert first["title"] == "Laskar Pelangi (Tetralogi Laskar Pelangi, #1)"
    assert {
        "isbn13",
        "title",
        "authors",
        "library",
        "library_name",
        "copies",
        "available",
        "call_number",
        "year",
        "language",
        "highlight",
    } <= set(first)
    assert first["highlight"]["title"].startswith("<mark>Laskar</mark> <mark>Pelangi</mark>")
    assert body["facets"]["library"] == {SARANGAN: 2}


@pytest.mark.parametrize(
    "params, field, code",
    [
        ({"language": 'eng" OR library != "x'}, "language", "language_invalid"),
        ({"library": "35.20.07.1013 OR library != x"}, "library", "library_invalid"),
        ({"category": "x" * 10_000}, "category", "category_invalid"),
        ({"q": "harry " * 2000}, "q", "q_too_long"),
        ({"kecamatan": "35.20.07' --"}, "kecamatan", "kecamatan_invalid"),
        ({"per_page": "1000"}, "per_page", "per_page_invalid"),
        ({"year_from": "1e3"}, "year_from", "year_invalid"),
        ({"filter": "library = x"}, "filter", "parameter_unknown"),
        ([("library", SARANGAN), ("library", "35.20.07.2012-TBM1")], "library", "parameter_repeated"),
    ],
)
async def test_crafted_values_are_refused_with_a_problem_not_a_500(http, params, field, code):
    answer = await http.get(SEARCH, params=params)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert (answer.json()["code"], answer.json()["field"]) == (code, field)


async def test_pustaka_reindex_rebuilds_the_running_servers_index(http, magetan, database_url):
    async with magetan.acquire() as conn:
        await ingest_seed(conn, SARANGAN)
    env = {**os.environ, "PUSTAKA_DATABASE_URL": database_url, "PUSTAKA_JWT_SECRET": "test-secret-" + "x" * 40}
    env.pop("PUSTAKA_MEILI_URL", None)
    command = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "pustaka", "reindex", "--json", env=env, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(command.communicate(), 60)
    assert command.returncode == 0
    assert json.loads(out) == {
        "engine": "embedded",
        "documents": 1000,
        "rebuilt": True,
        "message": "the running server rebuilt its index: 1,000 documents",
    }
    assert (await http.get(SEARCH, params={"library": SARANGAN})).json()["total"] == 1000
