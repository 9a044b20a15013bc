"""What the search suites share: which seed packages they load, and a database of their own."""

from __future__ import annotations

import asyncio
from urllib.parse import urlparse

import asyncpg

from pustaka.database import drop_database as drop_server_database
from pustaka.database import server_url
from pustaka.seeding import load_libraries, read_libraries, seeds_dir
from services.catalog.ingest import ingest_package
from tests.databases import copy_of_template

# Two libraries of kecamatan Plaosan (35.20.07) and one of Barat (35.20.12): real seed manifests, a cp1252
# `;` CSV and two UTF-8 `,` CSVs, about 3,000 titles with Harry Potter, Indonesian titles and diacritics.
PACKAGES = ("35.20.07.2012-TBM1", "35.20.07.1013", "35.20.12.2010")
TBM_DADI, SARANGAN, BLARAN = PACKAGES


async def fresh_database(settings, template: str, name_prefix: str) -> str:
    """A copy of the session's migrated template (tests/conftest.py) holding Magetan's libraries."""
    url = await copy_of_template(settings, template, name_prefix)
    conn = await asyncpg.connect(url)
    try:
        await load_libraries(conn, read_libraries(seeds_dir() / "libraries.csv"))
    finally:
        await conn.close()
    return url


async def drop_database(settings, url: str) -> None:
    await drop_server_database(server_url(settings), urlparse(url).path.lstrip("/"))


async def ingest_seed(conn: asyncpg.Connection, library: str):
    path = next((seeds_dir() / "packages").glob(f"{library}.*"))
    return await ingest_package(conn, library=library, data=path.read_bytes(), source_name=path.name, actor="test")


async def eventually(check, timeout: float = 5.0, interval: float = 0.02):
    """Retry an async check until it returns a true value or time runs out; return its last value."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = await check()
        if value or loop.time() > deadline:
            return value
        await asyncio.sleep(interval)


class Switched:
    """A real embedded engine behind a power switch (down: it cannot be reached) and a gate that can stall
    a push half-way, to kill an indexer in the middle of a batch."""

    name = "embedded"

    def __init__(self) -> None:
        from search.embedded import EmbeddedBackend

        self.engine = EmbeddedBackend()
        self.down = False
        self.stall = False
        self.stalled = asyncio.Event()
        self.pushes = 0

    def _power(self) -> None:
        from search.backend import SearchUnavailable

        if self.down:
            raise SearchUnavailable("search_unavailable", "connection refused (switched off by the test)")

    async def upsert(self, docs):
        self._power()
        if self.stall and docs:
            half = len(docs) // 2
            await self.engine.upsert(docs[:half])
            self.stalled.set()
            await asyncio.Event().wait()  # hangs until the indexer is cancelled
        await self.engine.upsert(docs)
        self.pushes += 1

    async def delete(self, ids):
        self._power()
        await self.engine.delete(ids)

    async def search(self, query):
        self._power()
        return await self.engine.search(query)

    async def rebuild(self, batches):
        self._power()
        return await self.engine.rebuild(batches)

    async def health(self):
        from search.backend import Health

        if self.down:
            return Health(engine=self.name, ok=False, documents=None, detail="switched off")
        return await self.engine.health()

    async def close(self) -> None:
        await self.engine.close()


async def indexed_ids(backend) -> list[str]:
    """Every document id a backend returns, page by page (duplicates kept, so that they show)."""
    from search.backend import SearchQuery
    from search.documents import document_id

    ids: list[str] = []
    page = 1
    while True:
        result = await backend.search(SearchQuery(per_page=100, page=page, sort="title"))
        # One hit per title: its document in each library holding it.
        ids += [
            document_id(holding.library, int(hit.id.rsplit("_", 1)[1]))
            for hit in result.hits
            for holding in hit.holdings
        ]
        if len(result.hits) < 100:
            return ids
        page += 1


async def login(http, pool, username: str, role: str, scope: str | None = None) -> dict[str, str]:
    """Create a staff user and log in over HTTP; the Authorization header."""
    from services.circulation.staff import add_user

    async with pool.acquire() as conn:
        await add_user(conn, username=username, password="rahasia-" + username, role=role, scope=scope, actor="test")
    answer = await http.post(
        "/api/circulation/v1/auth/login", json={"username": username, "password": "rahasia-" + username}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}
