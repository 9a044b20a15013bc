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
from collections.abc import AsyncIterable, Sequence
from pathlib import Path

import msgspec
import tantivy
from msgspec.structs import replace

from search import persisted
from search.backend import HIGHLIGHTED, Health, SearchQuery, SearchResult
from search.documents import TitleDocument
from search.grouping import FacetCounter, grouped_hit
from search.morphology import fingerprint
from search.tantivy_generation import Generation
from search.tantivy_index import (
    AGGREGATION,
    LIBRARY_AGGREGATION,
    TITLE_AGGREGATION,
    facets_of,
    facets_of_rows,
    leads_of,
    new_index,
    stored_document,
    to_query,
)
from search.text import Highlighter, query_words

SMALL = 200
"""Result sets up to this size have their facets counted from the matches in hand."""
_ORDERS = {"year": ("year", tantivy.Order.Asc), "-year": ("year", tantivy.Order.Desc),
           "title": ("title_sort", tantivy.Order.Asc)}


class EmbeddedBackend:
    """Tantivy, in memory or in `folder`, with Meilisearch's semantics (see search/text.py)."""

    name = "embedded"

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._generation = Generation()
        self._write_lock = threading.Lock()
        self._next_key = itertools.count(1)
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
        """Reopen the index saved on disk with its documents; False when there is none."""
        if self.folder is None:
            return False
        saved = persisted.saved(self.folder, fingerprint())
        if saved is None:
            return False
        return await asyncio.to_thread(self._reopen, saved)

    def _reopen(self, saved: persisted.Saved) -> bool:
        try:
            index = new_index(str(saved.folder))
        except (OSError, ValueError):
            return False
        generation = Generation(index=index, folder=saved.folder, key=saved.key)
        searcher = index.searcher()
        every = searcher.search(tantivy.Query.all_query(), max(searcher.num_docs, 1))
        addresses = [address for _, address in every.hits]
        keys = searcher.fast_field_values("key", addresses) if addresses else []
        for key, address in zip(keys, addresses):
            doc = stored_document(searcher, address)
            generation.keys[doc.id] = key
            generation.keep(key, doc)
        stale = generation.restore_leads(searcher)
        if stale:  # leads not as this version keeps them: index those titles' documents again
            writer = generation.open_writer()
            generation.write(writer, stale, {generation.docs[k].title_id for k in stale})
            writer.commit()
            index.reload()
        with self._write_lock:
            self._next_key = itertools.count(max(keys, default=0) + 1)
            self._generation = generation
            self.position = saved.position
        return True

    async def record(self, position: int) -> None:
        """The index has applied the outbox up to this row (kept beside an index on disk)."""
        generation = self._generation
        if generation.folder is not None and self.folder is not None:
            await asyncio.to_thread(persisted.record, generation.folder, generation.key, position, fingerprint())

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
            keys: set[int] = set()
            for doc in docs:
                key = generation.keys.get(doc.id)
                if key is None:
                    key = generation.keys[doc.id] = next(self._next_key)
                keys.add(key)
                generation.keep(key, doc)
            generation.write(writer, keys, {doc.title_id for doc in docs})
            writer.commit()
            generation.index.reload()

    def _delete(self, ids: list[str]) -> None:
        with self._write_lock:
            generation = self._generation
            writer = generation.open_writer()
            title_ids: set[int] = set()
            for doc_id in ids:
                key = generation.keys.pop(doc_id, None)
                if key is not None:
                    writer.delete_documents_by_term("id", doc_id)
                    title_ids.add(generation.docs[key].title_id)
                    generation.forget(key)
            generation.write(writer, set(), title_ids)
            writer.commit()
            generation.index.reload()

    def _add_all(self, generation: Generation, writer: tantivy.IndexWriter, docs: list[TitleDocument]) -> None:
        """Keep a rebuild's documents; they are indexed at the swap, once every title's lead is known."""
        for doc in docs:
            key = generation.keys.get(doc.id)
            if key is None:
                key = generation.keys[doc.id] = next(self._next_key)
            else:  # the same document twice in one rebuild: keep the last
                generation.forget(key)
            generation.keep(key, doc)

    def _swap_in(self, generation: Generation) -> None:
        writer = generation.open_writer()
        generation.write(writer, set(generation.docs), set(generation.titles), fresh=True)
        with self._write_lock:
            writer.commit()
            generation.index.reload()
            if generation.folder is not None and self.folder is not None:
                persisted.record(generation.folder, generation.key, 0, fingerprint())
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
        if query.grouped:
            return self._grouped(query, generation, searcher, tantivy_query, words, started)
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

    def _grouped(self, query: SearchQuery, generation: Generation, searcher: tantivy.Searcher,
                 tantivy_query: tantivy.Query, words: list, started: float) -> SearchResult:
        """One hit per title, counted by the title's lead document (see Generation.write): a title's
        documents share its words and title facts, so a title matches when its lead does; the libraries
        holding it come from memory. Filters on a holding (kecamatan, no copy on the shelf) are not the
        same for every document of a title: those searches group their matches in Python."""
        if query.kecamatan is not None or query.available is False:
            return self._grouped_matches(query, generation, searcher, tantivy_query, words, started)
        on_shelf = query.available is True
        leads = leads_of(to_query(msgspec.structs.replace(query, available=None), words), on_shelf)
        end = query.offset + query.per_page
        found = self._top(searcher, leads, query.sort, max(end, SMALL))
        addresses = [address for _, address in found.hits]
        keys = searcher.fast_field_values("key", addresses) if addresses else []
        docs, titles = generation.docs, generation.titles

        def holdings(key: int) -> list[int]:
            members = titles.get(docs[key].title_id, ())
            return [k for k in members if docs[k].on_shelf] if on_shelf else list(members)

        keys = [k for k in keys if k in docs]  # a key missing: deleted since this searcher's snapshot
        if found.count <= len(keys):
            counter = FacetCounter()
            for key in keys:
                members = holdings(key)
                counter.add_title(generation.facet_rows[key], (docs[k].library for k in members),
                                  any(docs[k].on_shelf for k in members))
            facets = counter.facets()
        else:
            facets = facets_of(searcher.aggregate(tantivy_query, LIBRARY_AGGREGATION))
            facets.update(facets_of(searcher.aggregate(leads, TITLE_AGGREGATION), finish=False))
        hits = []
        highlighter = Highlighter(words)
        for key in keys[query.offset:end]:
            hit = grouped_hit([generation.hits[k] for k in holdings(key)], query.near)
            hits.append(replace(hit, highlight=_highlights(docs[key], highlighter)) if words else hit)
        return SearchResult(hits=hits, facets=facets, total=found.count, page=query.page, per_page=query.per_page,
                            took_ms=round((time.perf_counter() - started) * 1000, 3))

    def _grouped_matches(self, query: SearchQuery, generation: Generation, searcher: tantivy.Searcher,
                         tantivy_query: tantivy.Query, words: list, started: float) -> SearchResult:
        """One hit per title by reading every match (in rank order) and grouping them by title."""
        found = self._top(searcher, tantivy_query, query.sort, SMALL)
        if found.count > len(found.hits):
            found = self._top(searcher, tantivy_query, query.sort, found.count)
        addresses = [address for _, address in found.hits]
        keys = searcher.fast_field_values("key", addresses) if addresses else []
        docs = generation.docs
        groups: dict[int, list[int]] = {}
        for key in keys:
            doc = docs.get(key)
            if doc is not None:  # None: deleted since this searcher's snapshot
                groups.setdefault(doc.title_id, []).append(key)
        counter = FacetCounter()
        rows = generation.facet_rows
        for members in groups.values():
            counter.add_title(rows[members[0]], (docs[k].library for k in members),
                              any(docs[k].on_shelf for k in members))
        hits = []
        highlighter = Highlighter(words)
        for members in list(groups.values())[query.offset:query.offset + query.per_page]:
            hit = grouped_hit([generation.hits[k] for k in members], query.near)
            hits.append(replace(hit, highlight=_highlights(docs[members[0]], highlighter)) if words else hit)
        return SearchResult(hits=hits, facets=counter.facets(), total=len(groups), page=query.page,
                            per_page=query.per_page, took_ms=round((time.perf_counter() - started) * 1000, 3))

    @staticmethod
    def _top(searcher: tantivy.Searcher, tantivy_query: tantivy.Query, sort: str, limit: int):
        if sort == "relevance":
            return searcher.search(tantivy_query, limit, count=True)
        field_name, order = _ORDERS[sort]
        return searcher.search(tantivy_query, limit, count=True, order_by_field=field_name, order=order)

    async def health(self) -> Health:
        return Health(engine=self.name, ok=True, documents=self._generation.index.searcher().num_docs)

    async def close(self) -> None:
        """Let go of the index writer (and its lock on the folder): another backend may open the index."""
        await asyncio.to_thread(self._close)

    def _close(self) -> None:
        with self._write_lock:
            writer, self._generation.writer = self._generation.writer, None
            if writer is not None:
                writer.wait_merging_threads()

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
