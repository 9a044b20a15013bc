"""One built Tantivy index of the embedded backend (search/embedded.py), where it is kept on disk, and how
its writes keep one lead document per title.

Nothing of the documents is kept in Python: the index stores each document, and on the lead document of
a title every library holding it (search/stored.py). A write reads the leads of the titles it touches from
the index itself, so the writing process needs no more memory for 200,000 titles than for 2,000, and
another process that opens the index read-only answers exactly as the writer does.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tantivy

from search.documents import TitleDocument
from search.stored import Holder, holder, lead_of, stored_document, stored_lead, title_of
from search.tantivy_index import SCHEMA, indexed, new_index

Occur = tantivy.Occur


@dataclass
class Generation:
    """One built index; a rebuild makes a new generation."""

    index: tantivy.Index = field(default_factory=new_index)
    folder: Path | None = None
    """Where the index is kept on disk (search/persisted.py); None: in memory."""
    key: str = field(default_factory=lambda: f"embedded:memory-{uuid.uuid4().hex}")
    """Who drained the outbox, as catalog.search_index_state records it (search/persisted.py)."""
    writer: tantivy.IndexWriter | None = None

    def open_writer(self) -> tantivy.IndexWriter:
        if self.writer is None:
            self.writer = self.index.writer(heap_size=64_000_000, num_threads=1)
        return self.writer

    def apply(self, writer: tantivy.IndexWriter, upserts: Iterable[TitleDocument], deletes: Iterable[str]) -> None:
        """Add or replace `upserts` and remove the documents `deletes` names, keeping each touched title's
        lead: the lead is written again with the title's holdings as they now are, and moves to another
        document when its own goes (or a document of smaller id comes)."""
        changed = {doc.id: doc for doc in upserts}
        gone = set(deletes) - set(changed)
        by_title: dict[int, list[TitleDocument]] = {}
        for doc in changed.values():
            by_title.setdefault(doc.title_id, []).append(doc)
        gone_by_title: dict[int, list[str]] = {}
        for doc_id in gone:
            gone_by_title.setdefault(title_of(doc_id), []).append(doc_id)
        titles = set(by_title) | set(gone_by_title)
        if not titles:
            return
        searcher = self.index.searcher()
        leads = _leads(searcher, titles)
        for title_id in titles:
            old_doc, old_holders = leads.get(title_id, (None, []))
            holders = {h.id: h for h in old_holders}
            for doc_id in gone_by_title.get(title_id, ()):
                holders.pop(doc_id, None)
                writer.delete_documents_by_term("id", doc_id)
            for doc in by_title.get(title_id, ()):
                holders[doc.id] = holder(doc)
            held = list(holders.values())
            new_lead = lead_of(held)
            old_lead = old_doc.id if old_doc is not None else None
            for doc in by_title.get(title_id, ()):
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(indexed(doc, held if doc.id == new_lead else None))
            if new_lead is not None and new_lead not in changed:  # the lead stays, its holdings changed
                lead_doc = old_doc if new_lead == old_lead else _document(searcher, new_lead)
                if lead_doc is not None:
                    writer.delete_documents_by_term("id", new_lead)
                    writer.add_document(indexed(lead_doc, held))
            if old_doc is not None and old_lead != new_lead and old_lead in holders and old_lead not in changed:
                writer.delete_documents_by_term("id", old_doc.id)  # no longer the lead
                writer.add_document(indexed(old_doc))


class Build:
    """A rebuild's writes into a fresh generation: every document is written as it comes, except the
    lead of each title (its smallest id), written at the end with the title's holdings."""

    def __init__(self, generation: Generation) -> None:
        self.generation = generation
        self.writer = generation.open_writer()
        self.holders: dict[int, dict[str, Holder]] = {}
        self.leads: dict[int, TitleDocument] = {}

    def add(self, docs: Iterable[TitleDocument]) -> int:
        count = 0
        for doc in docs:
            count += 1
            holders = self.holders.setdefault(doc.title_id, {})
            lead = self.leads.get(doc.title_id)
            if doc.id in holders and (lead is None or lead.id != doc.id):  # the same document again: the last wins
                self.writer.delete_documents_by_term("id", doc.id)
            holders[doc.id] = holder(doc)
            if lead is None or doc.id <= lead.id:
                if lead is not None and lead.id != doc.id:
                    self.writer.add_document(indexed(lead))
                self.leads[doc.title_id] = doc
            else:
                self.writer.add_document(indexed(doc))
        return count

    def finish(self) -> None:
        for title_id, lead in self.leads.items():
            self.writer.add_document(indexed(lead, list(self.holders[title_id].values())))
        self.holders.clear()
        self.leads.clear()


def _leads(searcher: tantivy.Searcher, titles: set[int]) -> dict[int, tuple[TitleDocument, list[Holder]]]:
    """The lead document and holdings of each of these titles, as the index has them."""
    query = tantivy.Query.boolean_query(
        [
            (Occur.Must, tantivy.Query.term_set_query(SCHEMA, "title_id", sorted(titles))),
            (Occur.Must, tantivy.Query.term_query(SCHEMA, "lead", True)),
        ]
    )
    found = searcher.search(query, max(len(titles), 1))
    leads = {}
    for _, address in found.hits:
        doc, holders = stored_lead(searcher, address)
        leads[doc.title_id] = (doc, holders)
    return leads


def _document(searcher: tantivy.Searcher, doc_id: str) -> TitleDocument | None:
    found = searcher.search(tantivy.Query.term_query(SCHEMA, "id", doc_id), 1)
    for _, address in found.hits:
        return stored_document(searcher, address)
    return None
