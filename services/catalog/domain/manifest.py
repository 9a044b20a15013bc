"""Reading an aid-package manifest (CSV, XLSX or JSON) into numbered rows of named fields.

Perpusnas lists come as Excel files or their CSV exports: `;`-separated Windows-1252 from an Indonesian
Excel, comma-separated UTF-8 (with or without BOM) from elsewhere, sometimes a title line above the header.
"""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from pustaka.tables import (
    TableError,
    cell_text,
    decode_text,
    is_xlsx,
    iter_table,
    normalise_header,
)

MAX_BYTES = 20 * 1024 * 1024
HEADER_SEARCH_ROWS = 10

# Canonical field -> accepted headers (compared lower-cased, with spaces folded and trailing ':' or '.' cut).
ALIASES: dict[str, tuple[str, ...]] = {
    "isbn": ("isbn", "no. isbn", "no isbn", "nomor isbn", "isbn13", "isbn-13", "isbn 13", "isbn10", "isbn-10"),
    "title": ("judul", "judul buku", "title"),
    "subtitle": ("anak judul", "sub judul", "subjudul", "subtitle"),
    "authors": ("pengarang", "penulis", "pengarang/penulis", "author", "authors", "author(s)"),
    "publisher": ("penerbit", "publisher"),
    "year": ("tahun", "tahun terbit", "thn terbit", "year", "publication year"),
    "copies": ("jumlah", "eksemplar", "jumlah eksemplar", "jml", "eks", "copies"),
    "ddc": ("ddc", "no. klas", "no klas", "no. kelas", "klasifikasi", "no. klasifikasi", "classification"),
    "category": ("kategori", "category"),
    "language": ("bahasa", "language"),
    "audience": ("sasaran", "sasaran pembaca", "audience"),
    "subjects": ("subjek", "subyek", "subjects", "subject"),
}
_LOOKUP = {alias: name for name, aliases in ALIASES.items() for alias in aliases}


UnusableManifest = TableError
"""The file as a whole cannot be read; nothing is ingested."""


@dataclass(frozen=True, slots=True)
class ManifestRow:
    number: int
    """1-based data row number: the header is not counted, blank lines are skipped."""
    values: dict[str, str]
    raw: dict[str, str]
    """Every non-empty cell of the row, under the file's own header, for the review list."""
    problem: tuple[str, str, str, str] | None = None
    """(field, value, code, message) when the reader itself could not read the row (a broken MARC record)."""


@dataclass(slots=True)
class Manifest:
    format: str
    headers: list[str]
    fields: dict[str, int]
    rows: list[ManifestRow] = field(default_factory=list)
    repairs: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    """(row, field, value, code, message) of what the reader repaired in accepted input (MARC records)."""


@dataclass(slots=True)
class ManifestStream:
    """A manifest read row by row: `rows` is consumed once, and only then are `repairs` complete."""

    format: str
    headers: list[str]
    fields: dict[str, int]
    rows: Iterator[ManifestRow]
    repairs: list[tuple[int, str, str, str, str]] = field(default_factory=list)


def map_headers(headers: list[str]) -> dict[str, int]:
    """Canonical field -> column index; the first column wins when two name the same field."""
    fields: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = normalise_header(header)
        name = _LOOKUP.get(key) or _LOOKUP.get(key.rstrip("."))
        if name and name not in fields:
            fields[name] = index
    return fields


def read_manifest(data: bytes, filename: str = "") -> Manifest:
    """Decode a manifest of any accepted format; raise UnusableManifest when it cannot be used."""
    stream = open_manifest(io.BytesIO(data), filename)
    rows = list(stream.rows)
    return Manifest(stream.format, stream.headers, stream.fields, rows, stream.repairs)


def open_manifest(file: BinaryIO, filename: str = "") -> ManifestStream:
    """Start reading a manifest from a seekable binary file; raise UnusableManifest when it cannot be used.

    CSV and XLSX files are read lazily, a row at a time; MARC and JSON files are parsed whole (a JSON
    document or a MARC collection has to be), within the MAX_BYTES limit."""
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    head = file.read(100_000)
    file.seek(0)
    if size > MAX_BYTES:
        raise UnusableManifest("file_too_large", f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}")
    if not _has_content(file):
        raise UnusableManifest("file_empty", "the file is empty")
    from services.catalog.domain.marc_read import sniff

    if sniff(head) is not None or (not is_xlsx(head) and head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{")):
        data = file.read()
        if flavour := sniff(data):
            from services.catalog.domain.marc_map import read_marc_manifest

            manifest = read_marc_manifest(data, flavour)
            return ManifestStream(
                manifest.format, manifest.headers, manifest.fields, iter(manifest.rows), manifest.repairs
            )
        return _build(_json_table(data), "json")
    return _build(iter_table(file), "xlsx" if is_xlsx(head) else "csv")


def _has_content(file: BinaryIO) -> bool:
    """Whether the file holds anything but white space (read in pieces)."""
    try:
        while piece := file.read(1024 * 1024):
            if piece.strip():
                return True
        return False
    finally:
        file.seek(0)


def _build(table: Iterable[list[Any]], fmt: str) -> ManifestStream:
    """`table`: rows of cells (text from CSV and XLSX, JSON values from a JSON manifest)."""
    rows = iter(table)
    first = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
    header_at = None
    for index, candidate in enumerate(first):
        if "isbn" in map_headers(candidate):
            header_at = index
            break
    if header_at is None:
        raise UnusableManifest(
            "no_isbn_column",
            "no ISBN column was found in the first rows; name one column 'ISBN' (headers such as Judul, "
            "Pengarang, Penerbit, Tahun, Jumlah are recognised too)",
        )
    headers = [str(h or "").strip() for h in first[header_at]]
    fields = map_headers(headers)
    body = itertools.chain(first[header_at + 1 :], rows)
    return ManifestStream(format=fmt, headers=headers, fields=fields, rows=_rows(body, headers, fields))


def _rows(table: Iterator[list[Any]], headers: list[str], fields: dict[str, int]) -> Iterator[ManifestRow]:
    number = 0
    for row in table:
        cells = [cell_text(c) for c in row]
        if not any(cells):
            continue
        number += 1
        values = {name: (cells[i] if i < len(cells) else "") for name, i in fields.items()}
        raw = {
            (headers[i] if i < len(headers) and headers[i] else f"column {i + 1}"): c for i, c in enumerate(cells) if c
        }
        yield ManifestRow(number, values, raw)


def _json_table(data: bytes) -> list[list[object]]:
    try:
        document = json.loads(decode_text(data))
    except json.JSONDecodeError as exc:
        raise UnusableManifest("file_format", f"the JSON cannot be read: {exc}") from None
    except RecursionError:
        raise UnusableManifest("file_format", "the JSON is nested too deeply to be a list of books") from None
    if isinstance(document, dict):
        lists = [v for v in document.values() if isinstance(v, list)]
        document = lists[0] if len(lists) == 1 else None
    if not isinstance(document, list) or not all(isinstance(r, dict) for r in document):
        raise UnusableManifest("file_format", "a JSON manifest must be a list of objects, one per book")
    headers: list[str] = []
    for record in document:
        headers.extend(k for k in record if k not in headers)
    table: list[list[object]] = [list(headers)]
    return table + [[_json_value(record.get(h)) for h in headers] for record in document]


def _json_value(value: object) -> object:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value
