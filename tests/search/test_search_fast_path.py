"""The search answer served without Litestar's request machinery (services/catalog/search_api.py
SearchFastPath) is the answer Litestar gives: the same JSON, status and content headers, compressed the
same way; and whatever it does not answer itself (a wrong value, another path, the index still being
filled) reaches the catalogue app, which answers it as always."""

from __future__ import annotations

import asyncpg
import httpx
import msgspec
import pytest
from litestar.testing import AsyncTestClient
from searchdata import SARANGAN, drop_database, eventually, fresh_database, ingest_seed

from services.catalog.app import create_app
from services.catalog.search_api import SearchFastPath

SEARCH = "/api/catalog/v1/search"
QUERIES = [
    {"q": "laskar pelagi"},
    {"q": "harry potter", "library": SARANGAN},
    {"q": "zzzzqqq"},
    {"available": "true", "sort": "title", "per_page": "3"},
    {"q": "sejarah", "near": SARANGAN},
]
ENCODINGS = ["br, gzip", "gzip", "identity"]


class Counted:
    """The catalogue app, counting the requests that reach it."""

    def __init__(self, app) -> None:
        self.app, self.state, self.calls = app, app.state, 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            self.calls += 1
        await self.app(scope, receive, send)


@pytest.fixture
async def catalog(settings, template_database, tmp_path):
    """The catalogue app over one seed package behind the fast path (started by a test client, as Litestar's
    tests run an app), and a client that asks the app itself."""
    url = await fresh_database(settings, template_database, "pustaka_fastpath")
    conn = await asyncpg.connect(url)
    await ingest_seed(conn, SARANGAN)
    await conn.close()
    app = create_app(msgspec.structs.replace(settings, data_dir=tmp_path), url)
    counted = Counted(app)
    async with (
        AsyncTestClient(app=SearchFastPath(counted)) as fast,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as plain,
    ):

        async def ready() -> bool:
            return (await fast.get("/api/catalog/health")).json()["search"] == "ready"

        assert await eventually(ready, timeout=30)
        counted.calls = 0
        yield app, counted, fast, plain
    await drop_database(settings, url)


def content(answer: httpx.Response) -> tuple:
    body = answer.json()
    if isinstance(body, dict):
        body.pop("took_ms", None)
    return (
        answer.status_code,
        answer.headers.get("content-type"),
        answer.headers.get("content-encoding"),
        answer.headers.get("vary"),
        body,
    )


async def test_the_fast_answer_is_litestars_answer_and_the_rest_goes_to_the_app(catalog):
    app, counted, fast, plain = catalog
    for params in QUERIES:
        for encoding in ENCODINGS:
            headers = {"Accept-Encoding": encoding}
            mine, theirs = (
                await fast.get(SEARCH, params=params, headers=headers),
                await plain.get(SEARCH, params=params, headers=headers),
            )
            assert content(mine) == content(theirs), (params, encoding)
    assert counted.calls == 0  # every one of those was answered by the fast path
    assert (
        (await fast.get(SEARCH, params={"q": "laskar pelagi"})).json()["hits"][0]["title"].startswith("Laskar Pelangi")
    )

    wrong = await fast.get(SEARCH, params={"library": "Sarangan"})
    assert (wrong.status_code, wrong.json()["code"], wrong.json()["field"]) == (422, "library_invalid", "library")
    assert content(wrong) == content(await plain.get(SEARCH, params={"library": "Sarangan"}))
    health = await fast.get("/api/catalog/v1/search/health")
    assert health.status_code == 200 and health.json()["engine"] == "embedded"
    assert counted.calls == 2

    app.state.search_indexer.ready = False  # as while the index is filled at start: PostgreSQL answers
    answer = await fast.get(SEARCH, params={"q": "laskar pelangi"})
    assert answer.json()["degraded"] is True and counted.calls == 3
