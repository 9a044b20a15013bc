"""The Meilisearch backend (production).

Searches, the hot path, go through one pooled httpx transport (keep-alive connections, no thread hop,
answers decoded by msgspec): measured in tests/bench/bench_search.py against meilisearch-python in a
thread, which cost the catalogue process more CPU per search than Meilisearch itself spent. Index
administration and writes (rare, batched by the indexer) keep meilisearch-python in a worker thread, and
wait for their task to succeed: the indexer deletes outbox rows only for changes Meilisearch has applied.

An engine that cannot be reached raises SearchUnavailable, whose message never names its address (the
cause goes to the log); for a short while after that, searches fail at once instead of waiting for a
connection each (the catalogue then answers from PostgreSQL, see search/fallback.py).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import Counter
from collections.abc import AsyncIterable, Sequence
from typing import Any

import aiohttp
import meilisearch
import msgspec
import yarl
from meilisearch.errors import MeilisearchApiError, MeilisearchCommunicationError, MeilisearchTimeoutError
from msgspec.structs import replace

from search.backend import FACETS, HIGHLIGHTED, Health, Hit, SearchQuery, SearchResult, SearchUnavailable, empty_facets
from search.documents import TitleDocument
from search.grouping import MAX_LIBRARIES, grouped_hit
from search.morphology import exceptions, roots
from search.text import MARK_CLOSE, MARK_OPEN, engine_query, fold, marked_html, query_words, stop_words, synonyms

INDEX = "pustaka_titles"
log = logging.getLogger("pustaka.search")
_FACET_FIELDS = {"available": "on_shelf"}
_SORTS = {"relevance": None, "year": ["year:asc"], "-year": ["year:desc"], "title": ["title_sort:asc"]}
_HIT_FIELDS = [f for f in Hit.__struct_fields__ if f not in ("highlight", "holdings")]
_HOLDING_FACETS = ("library", "kecamatan")
_HOLDING_FIELDS = [
    "id",
    "title_id",
    "library",
    "library_name",
    "kecamatan",
    "kecamatan_name",
    "copies",
    "available",
    "call_number",
]
_ENGINE_DOWN = (MeilisearchCommunicationError, MeilisearchTimeoutError)
_PLAIN = {"Accept-Encoding": "identity"}
_ENCODE = msgspec.json.Encoder().encode
_WARM_UP = ("美少女戦士セーラームーン", "中国历史", "한국어", "ภาษาไทย")
"""Searched once when the index is prepared. Meilisearch loads the segmenter of a script (a dictionary for
Japanese, Chinese, Korean, Thai) the first time a text needs it, in indexing as in searching: the first
package with a Japanese title then took 10 s instead of 0.6 s to index on this machine (the seed
collection has manga), past the 2 s freshness promise. A search loads them before any package comes."""


def index_settings() -> dict[str, Any]:
    """The index settings; stop words and synonyms come from search/data/ like the embedded backend's."""
    return {
        # The words as written before their stems (search/morphology.py): a title word outranks a stem.
        "searchableAttributes": [
            "title",
            "authors",
            "subtitle",
            "category",
            "publisher",
            "stems",
            "isbn13",
            "isbn10",
            "local_code",
        ],
        "filterableAttributes": [
            "id",
            "library",
            "kecamatan",
            "on_shelf",
            "language",
            "audience",
            "category",
            "ddc_class",
            "year",
            "isbn13",
            "title_id",
        ],
        "sortableAttributes": ["year", "title_sort"],
        # "sort" first: a sorted search is sorted strictly, as the embedded backend sorts it.
        "rankingRules": ["sort", "words", "typo", "proximity", "attribute", "exactness"],
        # A known root (what a stemmed query word becomes) is a real word: its typo neighbours are other
        # words (`tanam` is not `Tana`), as search/text.py's query_words rules for the embedded engine.
        "typoTolerance": {
            "enabled": True,
            "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
            "disableOnAttributes": ["isbn13", "isbn10", "local_code"],
            "disableOnNumbers": True,
            "disableOnWords": sorted(roots() | set(exceptions().values())),
        },
        "faceting": {"maxValuesPerFacet": 1000, "sortFacetValuesBy": {"*": "alpha"}},
        "pagination": {"maxTotalHits": 100_000},
        "stopWords": sorted(stop_words()),
        "synonyms": synonyms(),
        # Indexing speed is freshness: word proximity only within an attribute (not word by word), and no
        # search inside facet values (the OPAC lists them), make a package of 1,000 titles indexable in
        # about a second instead of several (tests/search/test_live_system.py, bench_search.py).
        "proximityPrecision": "byAttribute",
        "facetSearch": False,
    }


def quote(value: str) -> str:
    """A filter string literal. Values are validated before (no quotes, no backslashes); escaping anyway."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def filters(query: SearchQuery) -> list[str]:
    """The filter of a validated query, as a list of expressions that must all hold (pure)."""
    expressions = []
    if query.isbn13:
        expressions.append(f"isbn13 = {quote(query.isbn13)}")
    for name in ("library", "kecamatan", "language", "audience", "category", "ddc_class"):
        value = getattr(query, name)
        if value is not None:
            expressions.append(f"{name} = {quote(value)}")
    if query.available is not None:
        expressions.append(f"on_shelf = {'true' if query.available else 'false'}")
    if query.year_from is not None:
        expressions.append(f"year >= {int(query.year_from)}")
    if query.year_to is not None:
        expressions.append(f"year <= {int(query.year_to)}")
    return expressions


def search_body(query: SearchQuery) -> dict[str, Any]:
    """The options of POST /indexes/{uid}/search for a validated query (pure)."""
    body: dict[str, Any] = {
        "filter": filters(query),
        "facets": [_FACET_FIELDS.get(f, f) for f in FACETS],
        "page": query.page,
        "hitsPerPage": query.per_page,
        "attributesToRetrieve": _HIT_FIELDS,
        "attributesToHighlight": list(HIGHLIGHTED),
        "highlightPreTag": MARK_OPEN,
        "highlightPostTag": MARK_CLOSE,
        "matchingStrategy": matching_strategy(query),
    }
    if query.grouped:
        body["distinct"] = "title_id"
        body["facets"] = [f for f in body["facets"] if f not in (*_HOLDING_FACETS, "on_shelf")]
    if _SORTS[query.sort]:
        body["sort"] = _SORTS[query.sort]
    return body


def _single_reduced_word(query: SearchQuery) -> bool:
    words = [] if query.isbn13 else query_words(query.q)
    return len(words) == 1 and words[0].stem != words[0].text


def search_text(query: SearchQuery) -> str:
    """The `q` Meilisearch gets: each word replaced by its Indonesian stem (search/text.py engine_query),
    the documents' `stems` field holding the stems of theirs. A single word that has a stem is sent as
    `stem word `: with matchingStrategy `last` every title with the stem matches, and those that also
    have the word as written rank first (the `words` rule), as the embedded engine ranks them."""
    if query.isbn13:
        return ""
    words = query_words(query.q)
    if _single_reduced_word(query):
        return f"{words[0].stem} {words[0].text} "
    return engine_query(words)


def matching_strategy(query: SearchQuery) -> str:
    """`all` words must match; for a single word with a stem, `last` (see search_text)."""
    return "last" if _single_reduced_word(query) else "all"


def grouped_bodies(query: SearchQuery) -> dict[str, dict[str, Any]]:
    """The searches that complete a grouped answer (pure): the titles each library holds (`library` facet,
    every document counted) and the titles with a copy on a shelf. They go with the holdings of the page's
    titles in one /multi-search request."""
    common = {"filter": filters(query), "matchingStrategy": matching_strategy(query)}
    return {
        "libraries": {**common, "facets": list(_HOLDING_FACETS), "page": 1, "hitsPerPage": 0},
        # Kept titles with a copy on a shelf: none when the query keeps only holdings with none on a shelf.
        "on_shelf": {
            **common,
            "filter": filters(query) if query.available else [*filters(query), "on_shelf = true"],
            "distinct": "title_id",
            "page": 1,
            "hitsPerPage": 0,
        },
    }


def holdings_body(query: SearchQuery, title_ids: Sequence[int]) -> dict[str, Any]:
    """The documents of this page's titles (pure): only the fields that differ from library to library, the
    title's own come with its hit. No words: every searchable field is the title's own (search/documents.py),
    so each document of a title found matches them as well, and a search by filter alone costs Meilisearch
    less."""
    ids = ", ".join(str(int(i)) for i in title_ids)
    return {
        "q": "",
        "filter": [*filters(query), f"title_id IN [{ids}]"],
        "page": 1,
        "hitsPerPage": max(1, len(title_ids)) * MAX_LIBRARIES,
        "attributesToRetrieve": _HOLDING_FIELDS,
    }


class _Formatted(msgspec.Struct):
    """The highlighted fields of a hit (Meilisearch sends every retrieved field again; the rest is skipped)."""

    title: str | None = None
    subtitle: str | None = None
    authors: list[str] | str | None = None
    publisher: str | None = None
    category: str | None = None


class _Document(msgspec.Struct, kw_only=True):
    """A hit as Meilisearch sends it, decoded straight into the fields we use."""

    id: str
    library: str
    library_name: str
    kecamatan: str
    kecamatan_name: str
    copies: int
    available: int
    call_number: str
    title_id: int = 0
    isbn13: str | None = None
    isbn10: str | None = None
    isbn: str | None = None
    local_code: str | None = None
    title: str = ""
    subtitle: str | None = None
    authors: list[str] | None = None
    publisher: str | None = None
    year: int | None = None
    language: str | None = None
    audience: str | None = None
    category: str | None = None
    ddc: str | None = None
    formatted: _Formatted | None = msgspec.field(default=None, name="_formatted")


class _Answer(msgspec.Struct):
    """One search's answer, only the parts used (decoding skips the others without building them)."""

    hits: list[_Document] = []
    totalHits: int = 0  # noqa: N815 (Meilisearch's name)
    facetDistribution: dict[str, dict[str, int]] = {}  # noqa: N815


class _Answers(msgspec.Struct):
    results: list[_Answer]


_DECODE_ANSWER = msgspec.json.Decoder(_Answer).decode
_DECODE_ANSWERS = msgspec.json.Decoder(_Answers).decode


def _title_ids(result: SearchResult) -> list[int]:
    return [int(h.id.rsplit("_", 1)[1]) for h in result.hits]


_MARKED = re.compile(f"{MARK_OPEN}([^{MARK_CLOSE}]*){MARK_CLOSE}(\\w*)")


def whole_words(formatted: str, prefixes: tuple[str, ...]) -> str:
    """Meilisearch marks as many letters as the query word has, also for a typo: `poter` marks `Potte` of
    `Potter`. As the embedded backend does, a typo marks the whole word; only a real prefix of the last
    query word (`pert` in `pertanian`) stays a part (pure)."""

    def widen(match: re.Match) -> str:
        marked, rest = match.group(1), match.group(2)
        if not rest or fold(marked) in prefixes:
            return match.group(0)
        return MARK_OPEN + marked + rest + MARK_CLOSE

    return _MARKED.sub(widen, formatted)


def _hit(doc: _Document, highlight: dict[str, str]) -> Hit:
    return Hit(
        id=doc.id,
        isbn13=doc.isbn13,
        isbn10=doc.isbn10,
        isbn=doc.isbn,
        local_code=doc.local_code,
        title=doc.title,
        subtitle=doc.subtitle,
        authors=doc.authors or [],
        publisher=doc.publisher,
        year=doc.year,
        language=doc.language,
        audience=doc.audience,
        category=doc.category,
        ddc=doc.ddc,
        library=doc.library,
        library_name=doc.library_name,
        kecamatan=doc.kecamatan,
        kecamatan_name=doc.kecamatan_name,
        copies=doc.copies,
        available=doc.available,
        call_number=doc.call_number,
        highlight=highlight,
    )


def _highlight(formatted: _Formatted | None, prefixes: tuple[str, ...]) -> dict[str, str]:
    marked: dict[str, str] = {}
    if formatted is None:
        return marked
    for name in HIGHLIGHTED:
        value = getattr(formatted, name)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        if isinstance(value, str) and MARK_OPEN in value:
            marked[name] = marked_html(whole_words(value, prefixes))
    return marked


def _result(query: SearchQuery, answer: _Answer) -> SearchResult:
    prefixes = tuple(w.text for w in query_words(query.q) if w.prefix)
    hits = [_hit(doc, _highlight(doc.formatted, prefixes)) for doc in answer.hits]
    facets = empty_facets()
    for name in FACETS:
        distribution = answer.facetDistribution.get(_FACET_FIELDS.get(name, name)) or {}
        facets[name] = dict(sorted(distribution.items()))
    return SearchResult(
        hits=hits, facets=facets, total=answer.totalHits, page=query.page, per_page=query.per_page, took_ms=0.0
    )


def _counted(held: Sequence[_Document]) -> tuple[_Answer, _Answer]:
    """The answers of grouped_bodies' two searches, counted from every matching document (pure)."""
    distribution = {name: dict(Counter(getattr(d, name) for d in held)) for name in _HOLDING_FACETS}
    on_shelf = len({d.title_id for d in held if d.available > 0})
    return _Answer(facetDistribution=distribution), _Answer(totalHits=on_shelf)


def _grouped_result(
    query: SearchQuery, first: SearchResult, libraries: _Answer, on_shelf: _Answer, holdings: Sequence[_Document]
) -> SearchResult:
    """A grouped answer from the distinct search and the searches of grouped_bodies and holdings_body."""
    by_title: dict[int, list[_Document]] = {}
    for doc in holdings:
        by_title.setdefault(doc.title_id, []).append(doc)
    hits = []
    for hit, title_id in zip(first.hits, _title_ids(first)):
        held = [
            replace(
                hit,
                id=d.id,
                library=d.library,
                library_name=d.library_name,
                kecamatan=d.kecamatan,
                kecamatan_name=d.kecamatan_name,
                copies=d.copies,
                available=d.available,
                call_number=d.call_number,
                highlight={},
            )
            for d in by_title.get(title_id, [])
        ]
        hits.append(grouped_hit(held or [hit], query.near, hit.highlight))
    facets = dict(first.facets)
    for name in _HOLDING_FACETS:
        facets[name] = dict(sorted((libraries.facetDistribution.get(name) or {}).items()))
    shelved = on_shelf.totalHits
    facets["available"] = {k: v for k, v in (("false", first.total - shelved), ("true", shelved)) if v}
    return SearchResult(
        hits=hits, facets=facets, total=first.total, page=first.page, per_page=first.per_page, took_ms=first.took_ms
    )


class MeiliBackend:
    name = "meilisearch"

    def __init__(
        self,
        url: str,
        api_key: str | None,
        *,
        index: str = INDEX,
        timeout: int = 10,
        task_timeout_ms: int = 60_000,
        connections: int = 32,
        retry_after: float = 1.0,
    ) -> None:
        # Uncompressed answers: Meilisearch streams a compressed answer in pieces, and on a keep-alive
        # connection each one then waits ~40 ms for a delayed TCP acknowledgement (measured: 45 ms per
        # search with gzip, 5 ms without; Meilisearch itself spends 1 ms). Compression is for the patron's
        # 3G link, not for the hop from the catalogue to its engine.
        self.client = meilisearch.Client(url, api_key, timeout=timeout, custom_headers=_PLAIN)
        self.index, self.spare = index, f"{index}_rebuild"
        self.task_timeout_ms = task_timeout_ms
        self._ready = False
        self._headers = {"Content-Type": "application/json", **_PLAIN}
        if api_key:
            self._headers["Authorization"] = f"Bearer {api_key}"
        self._search_url = yarl.URL(f"{url.rstrip('/')}/indexes/{index}/search")
        self._multi_url = yarl.URL(f"{url.rstrip('/')}/multi-search")
        self._connections = connections
        self._timeout = aiohttp.ClientTimeout(total=timeout, sock_connect=2.0)
        self._session: aiohttp.ClientSession | None = None
        self._loaded_once = False
        self._loading: asyncio.Task | None = None
        """Loading the segmenters again, in the background, after the engine was away."""
        self.retry_after = retry_after
        self._down_until = 0.0

    def _unreachable(self, exc: Exception) -> SearchUnavailable:
        log.warning("Meilisearch cannot be reached: %s", exc)
        self._down_until = time.monotonic() + self.retry_after
        self._ready = False
        return SearchUnavailable("search_unavailable", "the search engine cannot be reached")

    async def _call(self, function, *args, **kwargs):
        """Run a blocking client call in a thread; an unreachable engine becomes SearchUnavailable."""
        try:
            return await asyncio.to_thread(function, *args, **kwargs)
        except _ENGINE_DOWN as exc:
            raise self._unreachable(exc) from exc

    def _wait(self, task, *, tolerated: str | None = None) -> None:
        """Wait for a task; a failure is an error unless its code is the `tolerated` one."""
        done = self.client.wait_for_task(task.task_uid, timeout_in_ms=self.task_timeout_ms, interval_in_ms=20)
        if done.status == "succeeded" or (tolerated and (done.error or {}).get("code") == tolerated):
            return
        raise SearchUnavailable("search_task_failed", f"Meilisearch task {done.uid} {done.status}: {done.error}")

    def _prepare(self, uid: str) -> None:
        """Create the index if needed and apply the settings (idempotent)."""
        try:
            self.client.get_index(uid)
        except MeilisearchApiError as exc:
            if exc.code != "index_not_found":
                raise
            self._wait(self.client.create_index(uid, {"primaryKey": "id"}))
        self._wait(self.client.index(uid).update_settings(index_settings()))

    async def ensure_index(self) -> None:
        """Create the index and apply its settings, then load Meilisearch's segmenters (_WARM_UP). The indexer
        calls it at each step: at start it prepares everything before any package; after the engine was away
        (it may have restarted) it prepares again once the engine answers, and the segmenters then load in
        the background, beside any write rather than before it."""
        if not self._ready:
            await self._call(self._prepare, self.index)
            self._ready = True
            if not self._loaded_once:
                await self._load_segmenters()
                self._loaded_once = True
            elif self._loading is None or self._loading.done():
                self._loading = asyncio.create_task(self._load_segmenters())

    async def _load_segmenters(self) -> None:
        try:
            await self._many([{"q": text, "page": 1, "hitsPerPage": 0} for text in _WARM_UP])
        except SearchUnavailable as exc:
            log.warning("Meilisearch segmenters not loaded: %s", exc.detail)

    def _add(self, uid: str, docs: Sequence[TitleDocument]) -> None:
        payload = msgspec.to_builtins(list(docs))
        self._wait(self.client.index(uid).add_documents(payload, primary_key="id"))

    async def upsert(self, docs: Sequence[TitleDocument]) -> None:
        if docs:
            await self.ensure_index()
            await self._call(self._add, self.index, docs)

    def _delete(self, ids: Sequence[str]) -> None:
        # Delete by filter: ids are [A-Za-z0-9_-] by construction (documents.document_id), quoted anyway.
        expression = "id IN [" + ", ".join(quote(i) for i in ids) + "]"
        self._wait(self.client.index(self.index).delete_documents(filter=expression))

    async def delete(self, ids: Sequence[str]) -> None:
        if ids:
            await self.ensure_index()
            await self._call(self._delete, ids)

    async def search(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        if started < self._down_until:
            raise SearchUnavailable("search_unavailable", "the search engine cannot be reached")
        text = search_text(query)
        first = {"q": text, **search_body(query)}
        result = _result(query, await self._one(first))
        if query.grouped and result.hits:
            result = await self._grouped(query, text, result)
        elif query.grouped:
            result = _grouped_result(query, result, _Answer(), _Answer(), [])
        result.took_ms = round((time.perf_counter() - started) * 1000, 3)
        return result

    async def _grouped(self, query: SearchQuery, text: str, result: SearchResult) -> SearchResult:
        """The second round trip of a grouped search. When every matching title is on this page, the
        holdings of its titles are every matching document, and the counts come from them: one search
        instead of three, which is most searches for a title (Meilisearch's CPU is then what limits
        searches per second, see tests/bench/bench_meili_client.py)."""
        holdings = holdings_body(query, _title_ids(result))
        if query.page == 1 and result.total <= len(result.hits):
            held = (await self._one(holdings)).hits
            return _grouped_result(query, result, *_counted(held), held)
        libraries, on_shelf, answer = await self._many(
            [*({"q": text, **b} for b in grouped_bodies(query).values()), holdings]
        )
        return _grouped_result(query, result, libraries, on_shelf, answer.hits)

    async def _one(self, body: dict[str, Any]) -> _Answer:
        return _DECODE_ANSWER(await self._post(self._search_url, _ENCODE(body)))

    async def _many(self, bodies: Sequence[dict[str, Any]]) -> list[_Answer]:
        """Several searches of the index in one /multi-search request, answered in order."""
        queries = [{"indexUid": self.index, **body} for body in bodies]
        return _DECODE_ANSWERS(await self._post(self._multi_url, _ENCODE({"queries": queries}))).results

    def _http(self) -> aiohttp.ClientSession:
        """The pooled keep-alive session, made in the running event loop on first use."""
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections, ttl_dns_cache=None),
                headers=self._headers,
                timeout=self._timeout,
                auto_decompress=False,
                skip_auto_headers=("User-Agent",),
            )
        return self._session

    async def _post(self, url: yarl.URL, content: bytes) -> bytes:
        """One POST through the pooled session; an engine away or refusing is SearchUnavailable."""
        try:
            async with self._http().post(url, data=content) as answer:
                data = await answer.read()
                status = answer.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise self._unreachable(exc) from exc
        if status != 200:  # e.g. the index lost with its volume: `pustaka reindex` rebuilds it
            log.error("Meilisearch refused a search: %s %s", status, data[:300])
            raise SearchUnavailable("search_unavailable", "the search engine cannot answer now")
        return data

    def _drop(self, uid: str) -> None:
        self._wait(self.client.delete_index(uid), tolerated="index_not_found")

    async def rebuild(self, batches: AsyncIterable[Sequence[TitleDocument]]) -> int:
        """Fill a fresh index aside, swap it with the live one, then drop the old one."""
        await self.ensure_index()
        await self._call(self._drop, self.spare)
        await self._call(self._prepare, self.spare)
        count = 0
        async for batch in batches:
            await self._call(self._add, self.spare, batch)
            count += len(batch)
        await self._call(lambda: self._wait(self.client.swap_indexes([{"indexes": [self.index, self.spare]}])))
        await self._call(self._drop, self.spare)
        return count

    async def health(self) -> Health:
        try:
            await self._call(self.client.health)
            stats = await self._call(self.client.index(self.index).get_stats)
        except SearchUnavailable as exc:
            return Health(engine=self.name, ok=False, documents=None, detail=exc.detail)
        except MeilisearchApiError as exc:
            return Health(engine=self.name, ok=exc.code == "index_not_found", documents=0, detail=exc.code)
        return Health(engine=self.name, ok=True, documents=stats.number_of_documents)

    async def close(self) -> None:
        if self._loading is not None:
            self._loading.cancel()
        if self._session is not None:
            await self._session.close()
