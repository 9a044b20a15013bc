"""One built Tantivy index of the embedded backend with the documents it serves (search/embedded.py),
the lead document of each title that grouped searches count, and where the index is kept on disk."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

import tantivy

from search.backend import Hit, hit_from_document
from search.documents import TitleDocument
from search.tantivy_index import facet_row, indexed, leads_of, new_index


@dataclass
class Generation:
    """One built index with the documents it serves; a rebuild makes a new generation."""

    index: tantivy.Index = field(default_factory=new_index)
    folder: Path | None = None
    """Where the index is kept on disk (search/persisted.py); None: in memory."""
    key: str = field(default_factory=lambda: f"embedded:memory-{uuid.uuid4().hex}")
    """Who drained the outbox, as catalog.search_index_state records it (search/persisted.py)."""
    writer: tantivy.IndexWriter | None = None
    docs: dict[int, TitleDocument] = field(default_factory=dict)
    keys: dict[str, int] = field(default_factory=dict)
    facet_rows: dict[int, tuple[str | None, ...]] = field(default_factory=dict)
    hits: dict[int, Hit] = field(default_factory=dict)
    """Each document as a hit without highlights: a search copies it with its own."""
    titles: dict[int, set[int]] = field(default_factory=dict)
    """Title id -> the keys of its documents (one per library holding it)."""
    leads: dict[int, tuple[int, bool]] = field(default_factory=dict)
    """Title id -> (key of its lead document, a copy on a shelf somewhere), as indexed."""

    def keep(self, key: int, doc: TitleDocument) -> None:
        self.docs[key] = doc
        self.facet_rows[key] = facet_row(doc)
        self.hits[key] = hit_from_document(doc, {})
        self.titles.setdefault(doc.title_id, set()).add(key)

    def forget(self, key: int) -> None:
        doc = self.docs.pop(key, None)
        self.facet_rows.pop(key, None)
        self.hits.pop(key, None)
        if doc is not None:
            keys = self.titles.get(doc.title_id)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self.titles[doc.title_id]

    def lead_state(self, title_id: int) -> tuple[int, bool] | None:
        """The lead a title should have: its document of lowest key, and whether any copy is on a shelf."""
        keys = self.titles.get(title_id)
        if not keys:
            return None
        return min(keys), any(self.docs[k].on_shelf for k in keys)

    def restore_leads(self, searcher: tantivy.Searcher) -> set[int]:
        """After reopening an index from disk with its documents kept: the leads as the index has them.
        Returns the keys of the titles whose indexed lead is not the one they should have (an index
        written by another version), to be written again."""
        every = tantivy.Query.all_query()
        indexed_leads: dict[int, list[tuple[int, bool]]] = {}
        for on_shelf in (False, True):
            found = searcher.search(leads_of(every, on_shelf), max(searcher.num_docs, 1))
            addresses = [address for _, address in found.hits]
            for key in searcher.fast_field_values("key", addresses) if addresses else []:
                doc = self.docs.get(key)
                if doc is None:
                    continue
                leads = indexed_leads.setdefault(doc.title_id, [])
                leads[:] = [lead for lead in leads if lead[0] != key] + [(key, on_shelf)]
        stale: set[int] = set()
        for title_id, keys in self.titles.items():
            found = indexed_leads.get(title_id, [])
            if len(found) == 1 and found[0] == self.lead_state(title_id):
                self.leads[title_id] = found[0]
            else:
                stale |= keys
        return stale

    def write(self, writer: tantivy.IndexWriter, keys: set[int], title_ids: set[int], fresh: bool = False) -> None:
        """Index the documents of `keys` again, and every lead of `title_ids` that changed (one lead per
        title: a grouped search counts the leads)."""
        for title_id in title_ids:
            old, new = self.leads.get(title_id), self.lead_state(title_id)
            if old == new:
                continue
            if new is None:
                del self.leads[title_id]
            else:
                self.leads[title_id] = new
                keys.add(new[0])
            if old is not None and old[0] in self.docs:
                keys.add(old[0])  # no longer the lead, or the lead with another shelf state
        for key in keys:
            doc = self.docs.get(key)
            if doc is not None:
                lead = self.leads.get(doc.title_id)
                if not fresh:
                    writer.delete_documents_by_term("id", doc.id)
                writer.add_document(indexed(doc, key, lead is not None and lead[0] == key, bool(lead and lead[1])))

    def open_writer(self) -> tantivy.IndexWriter:
        if self.writer is None:
            self.writer = self.index.writer(heap_size=64_000_000, num_threads=1)
        return self.writer
