"""Reading a spreadsheet as librarians send it: the first sheet of an XLSX, or a CSV export (`,` `;` or
tab; UTF-8 with or without BOM, or Windows-1252 as an Indonesian Excel writes it). Pure: bytes in, cells out.
Both the aid-package manifest and the member list are read with it.

`iter_table` reads a seekable binary file row by row (a large manifest is never held whole in memory);
`read_table` is the same on bytes, as a list."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

SNIFF_LINES = 10
SNIFF_BYTES = 1024 * 1024
"""The delimiter is guessed from the first lines, found in the file's first megabyte."""
READ_BYTES = 1024 * 1024


class TableError(ValueError):
    """The file as a whole cannot be read; `code` is stable for machines, `message` is for the librarian."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def cell_text(value: object) -> str:
    """A cell as text: a whole number an Excel cell stored as float loses its `.0`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def normalise_header(text: str) -> str:
    """A header compared case-insensitively, spaces folded, a BOM and a trailing ':' cut."""
    folded = re.sub(r"\s+", " ", str(text or "").replace("\ufeff", "")).strip().lower()
    return folded.rstrip(":").strip()


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def check_size(data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise TableError("file_too_large", f"the file is {len(data):,} bytes; the limit is {max_bytes:,}")
    if not data.strip():
        raise TableError("file_empty", "the file is empty")


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_table(data: bytes) -> list[list[str]]:
    """The rows of cells of an XLSX's first sheet or of a CSV file."""
    return list(iter_table(io.BytesIO(data)))


def iter_table(file: BinaryIO) -> Iterator[list[str]]:
    """The rows of an XLSX's first sheet or of a CSV file, one at a time, from a seekable binary file.

    A file that cannot be read at all raises TableError before the first row is asked for."""
    file.seek(0)
    head = file.read(4)
    file.seek(0)
    return _xlsx_rows(file) if head == b"PK\x03\x04" else _csv_rows(file)


def _xlsx_rows(file: BinaryIO) -> Iterator[list[str]]:
    import openpyxl

    # A damaged workbook fails in many ways inside openpyxl and the XML parser (zip, KeyError, TypeError,
    # parse errors...); whichever it is, the user's file is unusable, which is what they need to hear.
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001
        raise TableError("file_format", f"the file looks like XLSX but cannot be opened: {exc}") from None
    return _sheet_rows(book)


def _sheet_rows(book) -> Iterator[list[str]]:  # noqa: ANN001 - openpyxl's read-only workbook
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield [cell_text(c) for c in row]
    except Exception as exc:  # noqa: BLE001
        raise TableError("file_format", f"the XLSX workbook is damaged: {exc}") from None
    finally:
        book.close()


def _csv_rows(file: BinaryIO) -> Iterator[list[str]]:
    encoding = _text_encoding(file)
    file.seek(0)
    head = file.read(SNIFF_BYTES).decode(encoding, errors="replace")
    file.seek(0)
    lines = head.splitlines()[:SNIFF_LINES]
    counts = {d: max((line.count(d) for line in lines), default=0) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        delimiter = ","
    return _csv_cells(file, encoding, delimiter)


def _csv_cells(file: BinaryIO, encoding: str, delimiter: str) -> Iterator[list[str]]:
    text = io.TextIOWrapper(file, encoding=encoding, errors="replace", newline="")
    try:
        for row in csv.reader(text, delimiter=delimiter):
            yield [c.strip() for c in row]
    except csv.Error as exc:
        raise TableError("file_format", f"the CSV file cannot be read: {exc}") from None
    finally:
        if not text.closed:
            text.detach()  # the caller owns the file: closing the reader must not close it


def _text_encoding(file: BinaryIO) -> str:
    """What `decode_text` would choose, found by reading the file once in pieces: `utf-8-sig` after a BOM,
    `utf-8` when every byte is valid UTF-8, else `cp1252`. A NUL byte means the file is not text."""
    bom = file.read(3) == b"\xef\xbb\xbf"
    file.seek(0)
    valid: codecs.IncrementalDecoder | None = codecs.getincrementaldecoder("utf-8")()
    while piece := file.read(READ_BYTES):
        if b"\x00" in piece:
            raise TableError("file_format", "the file is neither text (CSV, JSON) nor an XLSX workbook")
        if valid is not None:
            try:
                valid.decode(piece)
            except UnicodeDecodeError:
                valid = None
    if bom:
        return "utf-8-sig"
    if valid is not None:
        try:
            valid.decode(b"", final=True)
        except UnicodeDecodeError:
            valid = None
    return "utf-8" if valid is not None else "cp1252"
