"""The embedded default: a Tantivy index in this process, kept on disk in the data folder (or in memory).

Why Tantivy and not PostgreSQL full-text search: over the 38,000 Magetan documents, the 200 realistic queries
of tests/bench/bench_search.py (typos, prefixes, ISBNs, filters, with all eight facet counts and highlights)
take p50 0.57 ms / p95 1.3 ms here, against p50 7-8.6 ms / p95 15-21 ms for the same questions to
PostgreSQL with pg_trgm word similarity, unaccent and a GIN index; and the whole index builds from
PostgreSQL in about two seconds. With `pustaka up` the index is kept on disk (search/persisted.py) and
reopened at start when it is current, so that start-up does not grow with the collection; the documents
the hits are made from are stored in it too.

Concurrency: searches read an immutable searcher snapshot and never wait, from any number of coroutines or
threads; writes (upsert, delete, rebuild) run in a worker thread, one at a time under a lock. A rebuild
builds a second index aside and swaps one reference, so searches in flight finish on the old one. Writes
that race a rebuild would land in the old index: the indexer's advisory lock (search/indexer.py) is what
keeps them apart, as it does for Meilisearch.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
import uuid
from collections.abc import AsyncIterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import tantivy
from msgspec.structs import replace

from search import persisted
from search.backend import HIGHLIGHTED, Health, Hit, SearchQuery, SearchResult, hit_from_document
from search.documents import TitleDocument
from search.tantivy_index import (AGGREGATION, facet_row, facets_of, facets_of_rows, indexed, new_index,
                                  stored_document, to_query)
from search.text import Highlighter, query_words


SMALL = 200
"""Result sets up to this size have their facets counted from the matches in hand."""
_ORDERS = {"year": ("year", tantivy.Order.Asc), "-year": ("year", tantivy.Order.Desc),
           "title": ("title_sort", tantivy.Order.Asc)}


@dataclass
class _Generation:
    """One built index with the documents it serves; a rebuild makes a new generation."""

    index: tantivy.Index = field(default_factory=new_index)
    folder: Path | None = None
    key: str = field(default_factory=lambda: f"embedded:memory-{uuid.uuid4().hex}")
    """Who drained the outbox, as catalog.search_index_state records it (search/persisted.py)."""
    writer: tantivy.IndexWriter | None = None
    docs: dict[int, TitleDocument] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)
    facet_rows: dict[int, tuple[str | None, ...]] = field(default_factory=dict)
    hits: dict[int, Hit] = field(default_factory=dict)
    """Each document as a hit without highlights: a search copies it with its own."""

    def keep(self, key: int, doc: TitleDocument) -> None:
        self.docs[key] = doc
        self.facet_rows[key] = facet_row(doc)
        self.hits[key] = hit_from_document(doc, {})

    def forget(self, key: int) -> None:
        self.docs.pop(key, None)
        self.facet_rows.pop(key, None)
        self.hits.pop(key, None)

    def open_writer(self) -> tantivy.IndexWriter:
        if self.writer is None:
            self.writer = self.index.writer(heap_size=64_000_000, num_threads=1)
        return self.writer


class EmbeddedBackend:
    """Tantivy, in memory or in `folder`, with Meilisearch's semantics (see search/text.py)."""

    name = "embedded"

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._generation = _Generation()
        self._write_lock = threading.Lock()
        self._next_key = itertools.count(1)
        self.position: int | None = None
        """The last outbox row the index on disk applied, once reopened; None: built in this process."""

    @property
    def drain_key(self) -> str:
        return self._generation.key

    def _new_generation(self) -> _Generation:
        if self.folder is None:
            return _Generation()
        folder, key = persisted.new_generation(self.folder)
        return _Generation(index=new_index(str(folder)), folder=folder, key=key)

    async def reopen(self) -> bool:
        """Reopen the index saved on disk with its documents; False when there is none."""
        if self.folder is None:
            return False
        saved = persisted.saved(self.folder)
        if saved is None:
            return False
        return await asyncio.to_thread(self._reopen, saved)

    def _reopen(self, saved: persisted.Saved) -> bool:
        try:
            index = new_index(str(saved.folder))
        except (OSError, ValueError):
            return False
        generation = _Generation(index=index, folder=saved.folder, key=saved.key)
        searcher = index.searcher()
        every = searcher.search(tantivy.Query.all_query(), max(searcher.num_docs, 1))
        addresses = [address for _, address in every.hits]
        keys = searcher.fast_field_values("key", addresses) if addresses else []
        for key, address in zip(keys, addresses):
            doc = stored_document(searcher, address)
            generation.keys[doc.id] = key
            generation.keep(key, doc)
        with self._write_lock:
            self._next_key = itertools.count(max(keys, default=0) + 1)
            self._generation = generation
            self.position = saved.position
        return True

    async def record(self, position: int) -> None:
        """The index has applied the outbox up to this row (kept beside an index on disk)."""
        generation = self._generation
        if generation.folder is not None and self.folder is not None:
            await asyncio.to_thread(persisted.record, generation.folder, generation.key, position)

    # -- writes ---------------------------------------------------------------------------------------
    async def upsert(self, docs: Sequence[TitleDocument]) -> None:
        if docs:
            await asyncio.to_thread(self._upsert, list(docs))

    async def delete(self, ids: Sequence[str]) -> None:
        if ids:
            await asyncio.to_thread(self._delete, list(ids))

    async def rebuild(self, batches: AsyncIterable[Sequence[TitleDocument]]) -> int:
        generation = await asyncio.to_thread(self._new_generation)
        writer = generation.open_writer()
        count = 0
        async for batch in batches:
            await asyncio.to_thread(self._add_all, generation, writer, list(batch))
            count += len(batch)
        await asyncio.to_thread(self._swap_in, generation)
        return count

    def _upsert(self, docs: list[TitleDocument]) -> None:
        with self._write_lock:
            generation = self._generation
            writer = generation.open_writer()
            for doc in docs:
                key = generation.keys.get(doc.id)
                if key is None:
                    key = generation.keys[doc.id] = next(self._next_key)
                else:
                    writer.delete_documents_by_term("id", doc.id)
                writer.add_document(indexed(doc, key))
                generation.keep(key, doc)
            writer.commit()
            generation.index.reload()

    def _delete(self, ids: list[str]) -> None:
        with self._write_lock:
            generation = self._generation
            writer = generation.open_writer()
            for doc_id in ids:
                key = generation.keys.pop(doc_id, None)
                if key is not None:
                    writer.delete_documents_by_term("id", doc_id)
                    generation.forget(key)
            writer.commit()
            generation.index.reload()

    def _add_all(self, generation: _Generation, writer: tantivy.IndexWriter, docs: list[TitleDocument]) -> None:
        for doc in docs:
            key = generation.keys.get(doc.id)
            if key is not None:  # the same document twice in one rebuild: keep the last
                writer.delete_documents_by_term("id", doc.id)
            else:
                key = generation.keys[doc.id] = next(self._next_key)
            writer.add_document(indexed(doc, key))
            generation.keep(key, doc)

    def _swap_in(self, generation: _Generation) -> None:
        with self._write_lock:
            writer = generation.open_writer()
            writer.commit()
            generation.index.reload()
            if generation.folder is not None and self.folder is not None:
                persisted.record(generation.folder, generation.key, 0)
                persisted.make_current(self.folder, generation.folder)
            self._generation = generation

    # -- reads ----------------------------------------------------------------------------------------
    async def search(self, query: SearchQuery) -> SearchResult:
        # Runs on the event loop: a search is well under a millisecond, less than a thread hop costs.
        return self.search_now(query)

    def search_now(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        generation = self._generation
        searcher = generation.index.searcher()
        words = [] if query.isbn13 else query_words(query.q)
        tantivy_query = to_query(query, words)
        # One execution of the query usually answers everything: the best SMALL matches (or the page, if
        # further) and the count. When that is every match, the facets are counted from them in Python;
        # only a larger result set runs the query again, as an aggregation.
        end = query.offset + query.per_page
        found = self._top(searcher, tantivy_query, query.sort, max(end, SMALL))
        addresses = [address for _, address in found.hits]
        keys = searcher.fast_field_values("key", addresses) if addresses else []
        if found.count <= len(keys):
            rows = generation.facet_rows
            facets = facets_of_rows([rows[k] for k in keys if k in rows])
        else:
            facets = facets_of(searcher.aggregate(tantivy_query, AGGREGATION))
        hits = []
        highlighter = Highlighter(words)
        for key in keys[query.offset:end]:
            doc, hit = generation.docs.get(key), generation.hits.get(key)
            if doc is not None and hit is not None:  # None: deleted since this searcher's snapshot
                hits.append(replace(hit, highlight=_highlights(doc, highlighter)) if words else hit)
        return SearchResult(hits=hits, facets=facets, total=found.count, page=query.page, per_page=query.per_page,
                            took_ms=round((time.perf_counter() - started) * 1000, 3))

    @staticmethod
    def _top(searcher: tantivy.Searcher, tantivy_query: tantivy.Query, sort: str, limit: int):
        if sort == "relevance":
            return searcher.search(tantivy_query, limit, count=True)
        field_name, order = _ORDERS[sort]
        return searcher.search(tantivy_query, limit, count=True, order_by_field=field_name, order=order)

    async def health(self) -> Health:
        return Health(engine=self.name, ok=True, documents=self._generation.index.searcher().num_docs)

    async def close(self) -> None:
        return None

    def document_count(self) -> int:
        return self._generation.index.searcher().num_docs


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
