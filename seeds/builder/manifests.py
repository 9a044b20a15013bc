"""Writing manifests as librarians send them: cp1252 `;` CSV, UTF-8 `,` CSV, XLSX with stable bytes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

from .common import EN_HEADERS, ID_HEADERS


def isbn_text(rec: dict, style: str) -> str:
    """The ISBN as written in a file: goodbooks raw (leading zeros lost) or zero-padded; others as source."""
    if rec["source"] == "goodbooks" and style == "padded" and rec["isbn"]:
        return rec["isbn"].zfill(10)
    return rec["isbn"]


# cp1252: what an Indonesian Excel "CSV (dipisahkan titik koma)" export can hold
CP1252_SPECIAL = {
    "ł": "l",
    "Ł": "L",
    "ı": "i",
    "đ": "d",
    "Đ": "D",
    "ø": "o",
    "★": "*",
    "‐": "-",
    "‑": "-",
    "−": "-",
    "\u200c": "",
    "\u200b": "",
    "\u200d": "",
}


def to_cp1252(text: str, log: Counter) -> str:
    """Replace what cp1252 cannot hold: Latin letters by their base letter, other scripts by '?'."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        rep = CP1252_SPECIAL.get(ch)
        if rep is None:
            base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
            try:
                base.encode("cp1252")
                rep = base if base.strip() else ""
            except UnicodeEncodeError:
                rep = "?"
            if unicodedata.combining(ch):
                rep = ""
        log[(ch, rep)] += 1
        out.append(rep)
    return "".join(out)


def row_values(rec: dict, style: str) -> list:
    return [
        isbn_text(rec, style),
        rec["title"],
        rec["authors"],
        rec["publisher"],
        rec["year"],
        rec["copies"],
        rec["ddc"],
        rec["category"],
        rec["language"],
        rec["audience"],
    ]


def write_csv_id(path: Path, rows: list[dict], style: str, log: Counter) -> None:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(ID_HEADERS)
    for i, rec in enumerate(rows, 1):
        w.writerow([i] + [to_cp1252(str(v), log) for v in row_values(rec, style)])
    path.write_bytes(buf.getvalue().encode("cp1252"))


def write_csv_en(path: Path, rows: list[dict], style: str, bom: bool) -> None:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=",", lineterminator="\r\n")
    w.writerow(EN_HEADERS)
    for rec in rows:
        w.writerow(row_values(rec, style))
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8"))


def write_xlsx(
    path: Path, rows: list[dict], title_line: str | None, numeric_isbn: bool, stamp: dt.date, sheet: str = "Daftar Buku"
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title_line:
        ws.append([title_line])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append([])
    ws.append(ID_HEADERS)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for i, rec in enumerate(rows, 1):
        vals = row_values(rec, "padded")
        if numeric_isbn and vals[0].isdigit():
            vals[0] = int(vals[0])  # Excel keeps a number: leading zeros of an ISBN-10 are lost
        ws.append([i] + [v if v != "" else None for v in vals])
    for col, width in zip("ABCDEFGHIJK", (6, 17, 60, 30, 28, 12, 8, 10, 30, 8, 10)):
        ws.column_dimensions[col].width = width
    save_xlsx_deterministic(wb, path, stamp)


def save_xlsx_deterministic(wb, path: Path, stamp: dt.date) -> None:
    """openpyxl stamps the save time into docProps/core.xml and the zip: pin both for stable bytes."""
    when = dt.datetime.combine(stamp, dt.time(8, 0))
    wb.properties.creator = "Pustaka Desa seeds"
    wb.properties.created = when
    raw = io.BytesIO()
    wb.save(raw)
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + iso.encode(), data)
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, data)
