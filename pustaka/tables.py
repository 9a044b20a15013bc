"""Reading a spreadsheet as librarians send it: the first sheet of an XLSX, or a CSV export (`,` `;` or
tab; UTF-8 with or without BOM, or Windows-1252 as an Indonesian Excel writes it). Pure: bytes in, cells out.
Both the aid-package manifest and the member list are read with it."""

from __future__ import annotations

import csv
import io
import re

SNIFF_LINES = 10


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
    return _xlsx_rows(data) if is_xlsx(data) else _csv_rows(data)


def _xlsx_rows(data: bytes) -> list[list[str]]:
    import openpyxl

    # A damaged workbook fails in many ways inside openpyxl and the XML parser (zip, KeyError, TypeError,
    # parse errors...); whichever it is, the user's file is unusable, which is what they need to hear.
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001
        raise TableError("file_format", f"the file looks like XLSX but cannot be opened: {exc}") from None
    try:
        return [[cell_text(c) for c in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    except Exception as exc:  # noqa: BLE001
        raise TableError("file_format", f"the XLSX workbook is damaged: {exc}") from None
    finally:
        book.close()


def _csv_rows(data: bytes) -> list[list[str]]:
    text = decode_text(data)
    if "\x00" in text:
        raise TableError("file_format", "the file is neither text (CSV, JSON) nor an XLSX workbook")
    lines = text.splitlines()[:SNIFF_LINES]
    counts = {d: max((line.count(d) for line in lines), default=0) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        delimiter = ","
    try:
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise TableError("file_format", f"the CSV file cannot be read: {exc}") from None
