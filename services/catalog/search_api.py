"""The catalogue's search: `GET /api/catalog/v1/search`, and the search engine's life beside the app.

The public catalogue needs no login. Every parameter is validated (search/backend.py) before an engine
sees it; a wrong value is a 422 problem with its code and field, never a wider search.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated
from urllib.parse import parse_qsl

import brotli
import msgspec
from litestar import Litestar, Request, get
from litestar.params import Parameter

from kernel.wire import CATALOG_PREFIX
from pustaka.compression import compression
from pustaka.config import Settings
from pustaka.workers import is_reader
from search import backend_for, fallback, persisted
from search.backend import Health, SearchResult, SearchUnavailable, query_from_params
from search.follower import follow
from search.indexer import Indexer, databases

PREFIX = CATALOG_PREFIX
log = logging.getLogger("pustaka.search")


def _param(description: str) -> object:
    return Parameter(description=description, required=False)


Text = str | None


@get(f"{PREFIX}/search")
async def search(
    request: Request,
    q: Annotated[Text, _param("words (typos forgiven, the last one also as a prefix) or an ISBN")] = None,
    library: Annotated[Text, _param("a library code, e.g. 35.20.01.2001")] = None,
    near: Annotated[Text, _param("the patron's library code: first among a title's holdings")] = None,
    kecamatan: Annotated[Text, _param("a kecamatan code, e.g. 35.20.01")] = None,
    available: Annotated[Text, _param("true: a copy is on the shelf; false: none is")] = None,
    language: Annotated[Text, _param("a value of the language facet, e.g. ind")] = None,
    audience: Annotated[Text, _param("a value of the audience facet")] = None,
    category: Annotated[Text, _param("a value of the category facet")] = None,
    ddc_class: Annotated[Text, _param("DDC hundreds: 000, 100, ..., 900")] = None,
    year_from: Annotated[Text, _param("first year of publication")] = None,
    year_to: Annotated[Text, _param("last year of publication")] = None,
    sort: Annotated[Text, _param("relevance (default), year, -year or title")] = None,
    page: Annotated[Text, _param("1 or more")] = None,
    per_page: Annotated[Text, _param("1 to 100, default 20")] = None,
) -> SearchResult:
    """Find titles held by the libraries: typo-tolerant words or an ISBN, filters, facets, sorting, pages.
    While the search engine cannot be reached, or its index is still being filled at start, PostgreSQL
    answers, with `degraded: true`.

    The parameters are declared for the API description; they are read and validated together from the
    query string (search/backend.py), so that an unknown or repeated parameter is refused too."""
    query = query_from_params(request.query_params.multi_items())
    if not request.app.state.search_indexer.ready:  # still filling the index at start
        return await fallback.search(request.app.state.pool, query)
    try:
        return await request.app.state.search.search(query)
    except SearchUnavailable:  # the engine is away: PostgreSQL answers, plainer, and says so
        return await fallback.search(request.app.state.pool, query)


@get(f"{PREFIX}/search/health")
async def search_health(request: Request) -> Health:
    """Which engine answers searches, whether it is reachable, and how many documents it holds."""
    return await request.app.state.search.health()


HANDLERS = [search, search_health]


async def _index_folder(settings: Settings, pool) -> Path | None:
    """Where the embedded index is kept: the data folder, one per database (those of dropped databases go)."""
    if settings.meili_url:
        return None
    async with pool.acquire() as conn:
        database = await conn.fetchval("SELECT current_database()")
        names = {d.datname for d in await databases(conn)}
    persisted.forget_other_databases(settings.data_dir, names)
    return persisted.index_root(settings.data_dir, database)


def search_lifespan(settings: Settings):
    """Start the search engine with the app: an indexer fills the index when it is empty (the embedded one
    in a fresh process) and drains the outbox in the background until the app stops."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        backend = backend_for(settings, await _index_folder(settings, app.state.pool))
        app.state.search = backend
        embedded = backend.name == "embedded"
        if is_reader():  # `pustaka up --workers N`: the writer process indexes, this one follows or just asks
            async with _following(app, backend):
                yield
            return
        # The index is filled by the indexer's first step, in the background: the app serves at once
        # (searches answer from PostgreSQL until then, and the health check says `preparing`).
        indexer = app.state.search_indexer = Indexer(app.state.pool, backend, embedded=embedded)
        task = asyncio.create_task(indexer.run(), name="search-indexer")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await backend.close()

    return lifespan


@asynccontextmanager
async def _following(app: Litestar, backend) -> AsyncIterator[None]:
    """A reader worker's search: the embedded index on disk followed read-only (search/follower.py), or
    Meilisearch asked directly; nothing drained here."""
    task = None
    if backend.name == "embedded" and backend.folder is not None:
        app.state.search_indexer, task = await follow(backend)
    else:
        app.state.search_indexer = _Answering()
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await backend.close()


class _Answering:
    ready = True


class SearchFastPath:
    """The search answer without Litestar's request machinery, around the catalogue app.

    Searching is most of what the catalogue is asked, and Litestar's routing, dependency injection,
    middleware and response building cost about a third of a millisecond per answer, a quarter of the
    whole. A plain `GET /api/catalog/v1/search` that the engine answers is served here (the same JSON,
    compressed by the same settings, pustaka/compression.py); anything else goes to the app untouched:
    every other path, a wrong value (Litestar answers the problem with its code and field), a search
    while the index is being filled or the engine is away (PostgreSQL answers there)."""

    def __init__(self, app: Litestar) -> None:
        self.app = app
        config = compression()
        self.state = app.state
        self.minimum = config.minimum_size
        modes = {"text": brotli.MODE_TEXT, "generic": brotli.MODE_GENERIC, "font": brotli.MODE_FONT}
        self.brotli = {
            "quality": config.brotli_quality,
            "lgwin": config.brotli_lgwin,
            "lgblock": config.brotli_lgblock,
            "mode": modes[config.brotli_mode],
        }
        self.gzip_level = config.gzip_compress_level if config.brotli_gzip_fallback else None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"] != SEARCH_PATH or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        try:
            indexer = getattr(self.state, "search_indexer", None)
            if indexer is None or not indexer.ready:
                raise LookupError("the index is still being filled")
            query = query_from_params(parse_qsl(scope["query_string"].decode("utf-8"), keep_blank_values=True))
            body = _ENCODE(await self.state.search.search(query))
        except Exception:  # noqa: BLE001 - the app answers it, as it answers every other request
            await self.app(scope, receive, send)
            return
        headers = [(b"content-type", b"application/json")]
        if len(body) >= self.minimum:
            accepted = _accept_encoding(scope)
            if "br" in accepted:  # a window no larger than the answer: the same bytes, half the set-up
                window = min(self.brotli["lgwin"], max(10, (len(body) + 16).bit_length()))
                body = brotli.compress(body, **{**self.brotli, "lgwin": window})
                headers += [(b"content-encoding", b"br"), (b"vary", b"Accept-Encoding")]
            elif "gzip" in accepted and self.gzip_level is not None:
                body = gzip.compress(body, self.gzip_level, mtime=0)
                headers += [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


SEARCH_PATH = f"{PREFIX}/search"
_ENCODE = msgspec.json.Encoder().encode


def _accept_encoding(scope) -> str:
    for name, value in scope["headers"]:
        if name == b"accept-encoding":
            return value.decode("latin-1")
    return ""
