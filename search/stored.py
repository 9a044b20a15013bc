"""What the embedded index stores beside its searchable fields (pure): each document whole, and on the lead
document of a title every library that holds it. A page of hits is made from these alone, so any process
that opens the index answers searches without keeping documents in memory (a worker started with
`pustaka up --workers N`, or a process after a restart)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import msgspec

from search.backend import Hit, Holding
from search.documents import TitleDocument
from search.grouping import holding_order


class Holder(msgspec.Struct, array_like=True, frozen=True):
    """One library's holding of a title, as its document says (stored on the title's lead document)."""

    id: str
    library: str
    library_name: str
    kecamatan: str
    kecamatan_name: str
    copies: int
    available: int
    call_number: str
    on_shelf: bool


def holder(doc: TitleDocument) -> Holder:
    return Holder(
        doc.id,
        doc.library,
        doc.library_name,
        doc.kecamatan,
        doc.kecamatan_name,
        doc.copies,
        doc.available,
        doc.call_number,
        doc.on_shelf,
    )


pack_document = msgspec.msgpack.Encoder().encode
unpack_document = msgspec.msgpack.Decoder(TitleDocument).decode
pack_holders = msgspec.msgpack.Encoder().encode
unpack_holders = msgspec.msgpack.Decoder(list[Holder]).decode


def title_of(document_id: str) -> int:
    """The title id in a document id (`35-20-01-2001_123` -> 123; search/documents.py document_id)."""
    return int(document_id.rsplit("_", 1)[1])


def grouped_hit_of(doc: TitleDocument, holders: Iterable[Holder], near: str | None, highlight: dict[str, str]) -> Hit:
    """One hit for a title: the title's facts from `doc`, the first holding's library, copies and shelf
    (the patron's library first, then those with a copy on the shelf), and every holding in that order."""
    ordered = sorted(holders, key=lambda h: holding_order(h.library, h.available, near))
    first = ordered[0]
    return Hit(
        id=first.id,
        isbn13=doc.isbn13,
        isbn10=doc.isbn10,
        isbn=doc.isbn,
        local_code=doc.local_code,
        title=doc.title,
        subtitle=doc.subtitle,
        authors=doc.authors,
        publisher=doc.publisher,
        year=doc.year,
        language=doc.language,
        audience=doc.audience,
        category=doc.category,
        ddc=doc.ddc,
        library=first.library,
        library_name=first.library_name,
        kecamatan=first.kecamatan,
        kecamatan_name=first.kecamatan_name,
        copies=first.copies,
        available=first.available,
        call_number=first.call_number,
        highlight=highlight,
        holdings=[
            Holding(library=h.library, name=h.library_name, copies=h.copies, available=h.available) for h in ordered
        ],
    )


def lead_of(holders: Sequence[Holder]) -> str | None:
    """Which document of a title is its lead: the one of smallest id (any fixed rule would do)."""
    return min((h.id for h in holders), default=None)


def stored_document(searcher, address) -> TitleDocument:
    """The document stored at this address of a Tantivy searcher."""
    return unpack_document(_bytes(searcher.doc(address).get_first("doc")))


def stored_lead(searcher, address) -> tuple[TitleDocument, list[Holder]]:
    """The lead document stored at this address, with its title's holdings."""
    stored = searcher.doc(address)
    return unpack_document(_bytes(stored.get_first("doc"))), unpack_holders(_bytes(stored.get_first("holdings")))


def _bytes(value: object) -> bytes:
    if not isinstance(value, bytes):
        raise ValueError("a stored field of the search index is missing (an index of another layout?)")
    return value
