"""One built Tantivy index of the embedded backend with the documents it serves (search/embedded.py),
and the lead document of each title that grouped searches count."""

from __future__ import annotations

from dataclasses import dataclass, field

import tantivy

from search.backend import Hit, hit_from_document
from search.documents import TitleDocument
from search.tantivy_index import facet_row, indexed, new_index


@dataclass
class Generation:
    """One built index with the documents it serves; a rebuild makes a new generation."""

    index: tantivy.Index = field(default_factory=new_index)
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
