"""Read the written files back as the ingest would, and check what the README promises."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

from .common import PACKAGE_SIZE, SEEDS
from .values import isbn13_of


def read_manifest(path: Path) -> tuple[list[str], list[list[str]]]:
    """Read a manifest as the ingest would see it: header + non-blank data rows, as text."""
    if path.suffix == ".xlsx":
        ws = openpyxl.load_workbook(path, read_only=True).active
        rows = [["" if c is None else str(c) for c in r] for r in ws.iter_rows(values_only=True)]
    else:
        data = path.read_bytes()
        cp = data.startswith(b"No;")  # Indonesian Excel export; else UTF-8, maybe with BOM
        text = data.decode("cp1252" if cp else "utf-8-sig")
        delim = ";" if cp else ","
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    rows = [r for r in rows if any(c.strip() for c in r)]
    hi = next(i for i, r in enumerate(rows) if r and r[0] in ("No", "isbn"))
    return rows[hi], rows[hi + 1 :]


def verify(plans: list[dict], messy_expected: dict) -> list[str]:
    lines = []
    total_items = 0
    for p in plans:
        path = SEEDS / "packages" / p["file"]
        header, rows = read_manifest(path)
        col = header.index("ISBN" if "ISBN" in header else "isbn")
        qty = header.index("Jumlah" if "Jumlah" in header else "copies")
        isbns = [r[col] for r in rows]
        with_isbn = [x for x in isbns if x.strip()]
        i13 = [isbn13_of(x) for x in with_isbn]
        assert None not in i13, (p["file"], [x for x in with_isbn if isbn13_of(x) is None][:5])
        assert len(with_isbn) == PACKAGE_SIZE == len(set(i13)), (p["file"], len(with_isbn), len(set(i13)))
        assert 3 <= len(isbns) - len(with_isbn) <= 5, p["file"]
        titles = [
            r[header.index("Judul" if "Judul" in header else "title")].strip().casefold()
            for r in rows
            if r[col].strip()
        ]
        assert len(set(titles)) == PACKAGE_SIZE, p["file"]
        items = sum(int(r[qty]) for r in rows if r[col].strip())
        total_items += items
        short = sum(1 for x in with_isbn if 7 <= len(x) <= 9)
        assert (short > 0) == (p["isbn_style"] in ("raw", "number")), (p["file"], short)
        p["check"] = {
            "rows": len(rows),
            "isbn_rows": len(with_isbn),
            "isbn13": len(set(i13)),
            "no_isbn_rows": len(rows) - len(with_isbn),
            "items": items,
            "short_isbns": short,
        }
    lines.append(
        f"{len(plans)} packages: each 1000 distinct ISBN-13 + 3-5 rows without ISBN; "
        f"{total_items} items with ISBN in all"
    )
    header, rows = read_manifest(SEEDS / "examples/manifest-berantakan.csv")
    assert len(rows) == messy_expected["summary"]["rows"]
    for r, e in zip(rows, messy_expected["rows"]):
        got = isbn13_of(r[1]) if r[1].strip() else None
        try:
            q = int(r[6])
        except ValueError:
            q = None
        status = "accepted" if got and q is not None and q > 0 else "rejected"
        assert status == e["status"] and int(r[0]) == e["row"], (r, e)
    ean = next(e["isbn"] for e in messy_expected["rows"] if e.get("code") == "isbn_prefix")
    assert sum(int(c) * (3 if k % 2 else 1) for k, c in enumerate(ean)) % 10 == 0, ean
    lines.append(f"manifest-berantakan.csv: {len(rows)} rows read back, outcomes match the expected file")
    header, rows = read_manifest(SEEDS / "examples/manifest-bersih.xlsx")
    assert len(rows) == 20 and all(isbn13_of(r[1]) for r in rows)
    lines.append("manifest-bersih.xlsx: 20 rows read back, all ISBNs valid")
    return lines
