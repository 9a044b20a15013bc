"""The embedded default: a Tantivy index in this process, kept on disk in the data folder (or in memory).

Why Tantivy and not PostgreSQL full-text search: over the 38,000 Magetan documents, the 200 realistic queries
of tests/bench/bench_search.py (typos, prefixes, ISBNs, filters, with all eight facet counts and highlights)
take p50 0.57 ms / p95 1.3 ms here, against p50 7-8.6 ms / p95 15-21 ms for the same questions to
PostgreSQL with pg_trgm word similarity, unaccent and a GIN index; and the whole index builds from
PostgreSQL in about two seconds. With `pustaka up` the index is kept on disk (search/persisted.py) and
reopened at start when it is current, so that start-up does not grow with the collection; the documents
the hits are made from are stored in it too, and read from it for each page (nothing is kept in Python, so
memory does not grow with the collection either, and other processes may open the same index read-only:
search/follower.py).

Concurrency: searches read an immutable searcher snapshot and never wait, from any number of coroutines or
threads; writes (upsert, delete, rebuild) run in a worker thread, one at a time under a lock. A rebuild
builds a second index aside and swaps one reference, so searches in flight finish on the old one. Writes
that race a rebuild would land in the old index: the indexer's advisory lock (search/indexer.py) is what
keeps them apart, as it does for Meilisearch.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterable, Sequence
from pathlib import Path

import msgspec
import tantivy

from search import persisted
from search.backend import HIGHLIGHTED, Health, SearchQuery, SearchResult, hit_from_document
from search.documents import TitleDocument
from search.grouping import grouped_hit
from search.morphology import fingerprint
from search.stored import grouped_hit_of, stored_document, stored_lead
from search.tantivy_generation import Build, Generation
from search.tantivy_index import (
    AGGREGATION,
    GROUPED_AGGREGATION,
    LIBRARY_AGGREGATION,
    SCHEMA,
    SHELF_AGGREGATION,
    TITLE_AGGREGATION,
    facets_of,
    leads_of,
    new_index,
    to_query,
)
from search.text import Highlighter, query_words

SCHEMA_VERSION = "stored-3"
"""Part of what an index on disk is checked against at start: an index of another layout is rebuilt."""
_ORDERS = {
    "year": ("year", tantivy.Order.Asc),
    "-year": ("year", tantivy.Order.Desc),
    "title": ("title_sort", tantivy.Order.Asc),
}
Occur = tantivy.Occur


def words_fingerprint() -> str:
    """How an index's words were analysed and laid out (search/persisted.py compares it at start)."""
    return f"{fingerprint()}|{SCHEMA_VERSION}"


class EmbeddedBackend:
    """Tantivy, in memory or in `folder`, with Meilisearch's semantics (see search/text.py)."""

    name = "embedded"

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._generation = Generation()
        self._write_lock = threading.Lock()
        self.position: int | None = None
        """The last outbox row the index on disk applied, once reopened; None: built in this process."""

    @property
    def drain_key(self) -> str:
        return self._generation.key

    def _new_generation(self) -> Generation:
        if self.folder is None:
            return Generation()
        folder, key = persisted.new_generation(self.folder)
        return Generation(index=new_index(str(folder)), folder=folder, key=key)

    async def reopen(self) -> bool:
        """Reopen the index saved on disk; False when there is none (or it is of another layout)."""
        if self.folder is None:
            return False
        saved = persisted.saved(self.folder, words_fingerprint())
        if saved is None:
            return False
        return await asyncio.to_thread(self._reopen, saved)

    def _reopen(self, saved: persisted.Saved) -> bool:
        try:
            index = new_index(str(saved.folder))
        except (OSError, ValueError):
            return False
        with self._write_lock:
            self._generation = Generation(index=index, folder=saved.folder, key=saved.key)
            self.position = saved.position
        return True

    def open_read_only(self, saved: persisted.Saved) -> None:
        """Search the generation another process writes (search/follower.py); this backend never writes it."""
        index = new_index(str(saved.folder), read_only=True)
        with self._write_lock:
            self._generation = Generation(index=index, folder=saved.folder, key=saved.key)
            self.position = saved.position

    def reload(self) -> None:
        """See what the writing process committed since (search/follower.py)."""
        self._generation.index.reload()

    async def record(self, position: int) -> None:
        """The index has applied the outbox up to this row (kept beside an index on disk)."""
        generation = self._generation
        if generation.folder is not None and self.folder is not None:
            await asyncio.to_thread(persisted.record, generation.folder, generation.key, position, words_fingerprint())

    # -- writes ---------------------------------------------------------------------------------------
    async def upsert(self, docs: Sequence[TitleDocument]) -> None:
        if docs:
            await asyncio.to_thread(self._apply, list(docs), [])

    async def delete(self, ids: Sequence[str]) -> None:
        if ids:
            await asyncio.to_thread(self._apply, [], list(ids))

    async def rebuild(self, batches: AsyncIterable[Sequence[TitleDocument]]) -> int:
        generation = await asyncio.to_thread(self._new_generation)
        build = Build(generation)
        count = 0
        async for batch in batches:
            count += await asyncio.to_thread(build.add, list(batch))
        await asyncio.to_thread(self._swap_in, build)
        return count

    def _apply(self, upserts: list[TitleDocument], deletes: list[str]) -> None:
        with self._write_lock:
            generation = self._generation
            writer = generation.open_writer()
            generation.apply(writer, upserts, deletes)
            writer.commit()
            generation.index.reload()

    def _swap_in(self, build: Build) -> None:
        build.finish()
        generation = build.generation
        with self._write_lock:
            build.writer.commit()
            generation.index.reload()
            if generation.folder is not None and self.folder is not None:
                persisted.record(generation.folder, generation.key, 0, words_fingerprint())
                persisted.make_current(self.folder, generation.folder)
            old, self._generation = self._generation, generation
        if old.writer is not None:  # let go of the old index's files
            old.writer.wait_merging_threads()
            old.writer = None

    # -- reads ----------------------------------------------------------------------------------------
    async def search(self, query: SearchQuery) -> SearchResult:
        # Runs on the event loop: a search is well under a millisecond, less than a thread hop costs.
        return self.search_now(query)

    def searcher(self) -> tantivy.Searcher:
        return self._generation.index.searcher()

    def search_now(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        searcher = self.searcher()
        words = [] if query.isbn13 else query_words(query.q)
        tantivy_query = to_query(query, words)
        if query.grouped:
            if query.kecamatan is not None or query.available is False:
                return self._grouped_matches(query, searcher, tantivy_query, words, started)
            return self._grouped(query, searcher, tantivy_query, words, started)
        # The page of hits (and the count) in one execution of the query, the facets in a second one.
        end = query.offset + query.per_page
        found = self._top(searcher, tantivy_query, query.sort, end)
        facets = facets_of(searcher.aggregate(tantivy_query, AGGREGATION) if found.count else {})
        highlighter = Highlighter.shared(words)
        hits = []
        for _, address in found.hits[query.offset : end]:
            doc = stored_document(searcher, address)
            hits.append(hit_from_document(doc, _highlights(doc, highlighter)))
        return SearchResult(
            hits=hits,
            facets=facets,
            total=found.count,
            page=query.page,
            per_page=query.per_page,
            took_ms=round((time.perf_counter() - started) * 1000, 3),
        )

    def _grouped(
        self, query: SearchQuery, searcher: tantivy.Searcher, tantivy_query: tantivy.Query, words: list, started: float
    ) -> SearchResult:
        """One hit per title, counted by the title's lead document (search/tantivy_generation.py): a title's
        documents share its words and title facts, so a title matches when its lead does; the libraries
        holding it are stored with the lead. Filters on a holding (kecamatan, no copy on the shelf) are not
        the same for every document of a title: those searches group their matches (_grouped_matches)."""
        on_shelf = query.available is True
        leads = leads_of(to_query(msgspec.structs.replace(query, available=None), words), on_shelf)
        end = query.offset + query.per_page
        found = self._top(searcher, leads, query.sort, end)
        # The facets in a second execution, over the matching leads only (one per title).
        facets = facets_of(
            searcher.aggregate(leads, SHELF_AGGREGATION if on_shelf else GROUPED_AGGREGATION) if found.count else {}
        )
        hits = []
        highlighter = Highlighter.shared(words)
        for _, address in found.hits[query.offset : end]:
            doc, holders = stored_lead(searcher, address)
            if on_shelf:
                holders = [h for h in holders if h.on_shelf]
            if holders:
                hits.append(grouped_hit_of(doc, holders, query.near, _highlights(doc, highlighter)))
        return SearchResult(
            hits=hits,
            facets=facets,
            total=found.count,
            page=query.page,
            per_page=query.per_page,
            took_ms=round((time.perf_counter() - started) * 1000, 3),
        )

    def _grouped_matches(
        self, query: SearchQuery, searcher: tantivy.Searcher, tantivy_query: tantivy.Query, words: list, started: float
    ) -> SearchResult:
        """One hit per title by reading every match (in rank order) and grouping them by title."""
        found = self._top(searcher, tantivy_query, query.sort, 200)
        if found.count > len(found.hits):
            found = self._top(searcher, tantivy_query, query.sort, found.count)
        addresses = [address for _, address in found.hits]
        title_ids = searcher.fast_field_values("title_id", addresses) if addresses else []
        shelves = searcher.fast_field_values("on_shelf", addresses) if addresses else []
        groups: dict[int, list] = {}
        on_shelf: set[int] = set()
        for address, value, shelf in zip(addresses, title_ids, shelves):
            title_id = int(value or 0)
            groups.setdefault(title_id, []).append(address)
            if shelf:
                on_shelf.add(title_id)
        if groups:
            facets = facets_of(searcher.aggregate(tantivy_query, LIBRARY_AGGREGATION))
            of_titles = tantivy.Query.boolean_query(
                [
                    (Occur.Must, tantivy.Query.term_set_query(SCHEMA, "title_id", sorted(groups))),
                    (Occur.Must, tantivy.Query.term_query(SCHEMA, "lead", True)),
                ]
            )
            facets.update(facets_of(searcher.aggregate(of_titles, TITLE_AGGREGATION), finish=False))
            shelved = {"false": len(groups) - len(on_shelf), "true": len(on_shelf)}
            facets["available"] = {k: v for k, v in shelved.items() if v}
        else:
            facets = facets_of({})
        hits = []
        highlighter = Highlighter.shared(words)
        for members in list(groups.values())[query.offset : query.offset + query.per_page]:
            docs = [stored_document(searcher, address) for address in members]
            hits.append(
                grouped_hit([hit_from_document(d, {}) for d in docs], query.near, _highlights(docs[0], highlighter))
            )
        return SearchResult(
            hits=hits,
            facets=facets,
            total=len(groups),
            page=query.page,
            per_page=query.per_page,
            took_ms=round((time.perf_counter() - started) * 1000, 3),
        )

    @staticmethod
    def _top(searcher: tantivy.Searcher, tantivy_query: tantivy.Query, sort: str, limit: int):
        limit = max(limit, 1)
        if sort == "relevance":
            return searcher.search(tantivy_query, limit, count=True)
        field_name, order = _ORDERS[sort]
        return searcher.search(tantivy_query, limit, count=True, order_by_field=field_name, order=order)

    async def health(self) -> Health:
        return Health(engine=self.name, ok=True, documents=self.searcher().num_docs)

    async def close(self) -> None:
        """Let go of the index writer (and its lock on the folder): another backend may open the index."""
        await asyncio.to_thread(self._close)

    def _close(self) -> None:
        with self._write_lock:
            writer, self._generation.writer = self._generation.writer, None
            if writer is not None:
                writer.wait_merging_threads()

    def document_count(self) -> int:
        return self.searcher().num_docs


def _highlights(doc: TitleDocument, highlighter: Highlighter) -> dict[str, str]:
    if not highlighter.words:
        return {}
    marked = {}
    for name in HIGHLIGHTED:
        value = ", ".join(doc.authors) if name == "authors" else getattr(doc, name)
        if value:
            text = highlighter.mark(value)
            if text is not None:
                marked[name] = text
    return marked
