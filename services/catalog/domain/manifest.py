"""Reading an aid-package manifest (CSV, XLSX or JSON) into numbered rows of named fields.

Perpusnas lists come as Excel files or their CSV exports: `;`-separated Windows-1252 from an Indonesian
Excel, comma-separated UTF-8 (with or without BOM) from elsewhere, sometimes a title line above the header.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from pustaka.tables import TableError, cell_text, check_size, decode_text, is_xlsx, normalise_header, read_table

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
    check_size(data, MAX_BYTES)
    from services.catalog.domain.marc_read import sniff

    if flavour := sniff(data):
        from services.catalog.domain.marc_map import read_marc_manifest

        return read_marc_manifest(data, flavour)
    if not is_xlsx(data) and data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return _build(_json_table(data), "json")
    return _build(read_table(data), "xlsx" if is_xlsx(data) else "csv")


def _build(table: list[list[str]], fmt: str) -> Manifest:
    header_at = None
    for index, candidate in enumerate(table[:HEADER_SEARCH_ROWS]):
        if "isbn" in map_headers(candidate):
            header_at = index
            break
    if header_at is None:
        raise UnusableManifest(
            "no_isbn_column",
            "no ISBN column was found in the first rows; name one column 'ISBN' (headers such as Judul, "
            "Pengarang, Penerbit, Tahun, Jumlah are recognised too)",
        )
    headers = [str(h or "").strip() for h in table[header_at]]
    manifest = Manifest(format=fmt, headers=headers, fields=map_headers(headers))
    number = 0
    for cells in table[header_at + 1:]:
        cells = [cell_text(c) for c in cells]
        if not any(cells):
            continue
        number += 1
        values = {name: (cells[i] if i < len(cells) else "") for name, i in manifest.fields.items()}
        raw = {(headers[i] if i < len(headers) and headers[i] else f"column {i + 1}"): c
               for i, c in enumerate(cells) if c}
        manifest.rows.append(ManifestRow(number, values, raw))
    return manifest


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
    return [headers] + [[_json_value(record.get(h)) for h in headers] for record in document]


def _json_value(value: object) -> object:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value
