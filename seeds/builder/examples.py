"""The example manifests: a messy one with one of each known defect, and a clean XLSX one."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path

import isbnlib

from .common import FIELDS, ID_HEADERS, SEEDS
from .manifests import to_cp1252, write_xlsx
from .packages import copies_for
from .values import isbn13_of


def messy_rows(gb: dict, il: dict, sl: dict) -> list:
    """The rows of manifest-berantakan.csv (None = the blank line), each with its expected outcome.

    Real records; only the ISBN or Jumlah of the rejected rows is damaged on purpose, and two titles are
    re-typed (line break, ';' and quotes; Word-style autocorrect) to carry the characters under test.
    """

    def rec(r, **kw):
        row = {f: r[f] for f in FIELDS if f != "copies"}
        row["copies"] = 1
        row.update(kw)
        return row

    def ok(row, note="", recovered=False):
        row["expect"] = {
            "status": "accepted",
            **({"note": note} if note else {}),
            **({"recovered_isbn": True} if recovered else {}),
        }
        return row

    def bad(row, field, code, reason):
        row["expect"] = {"status": "rejected", "field": field, "code": code, "reason": reason}
        return row

    def g(n: int) -> dict:
        return gb[f"goodbooks:{n}"]

    def i(n: int) -> dict:
        return il[f"oai:balaiyanpus.jogjaprov.go.id:{n}"]

    def s(n: int) -> dict:
        return sl[f"slims:{n}"]

    def pad(r: dict) -> str:
        return r["isbn"].zfill(10)

    laskar = g(3678)
    return [
        ok(rec(i(67))),
        ok(rec(s(1))),
        ok(rec(g(1)), "9 characters: ISBN-10 0439023483 whose leading zero a spreadsheet dropped", recovered=True),
        ok(rec(g(2), isbn=pad(g(2)), copies=2)),
        bad(
            rec(i(69), isbn="979-413-921-2"),
            "isbn",
            "isbn_checksum",
            "wrong check digit (the source record has 979-413-921-1)",
        ),
        ok(rec(g(5130))),
        ok(rec(i(85))),
        bad(
            rec(i(60)),
            "isbn",
            "isbn_checksum",
            "9 characters after removing hyphens (979-222-23-5, truncated in the source catalogue); "
            "left-padded to 0979222235 it still fails the ISBN-10 checksum",
        ),
        ok(rec(s(2))),
        ok(rec(g(4), isbn=pad(g(4)))),
        bad(
            rec(g(4835), isbn="97930629244"),
            "isbn",
            "isbn_length",
            "11 digits (ISBN-10 9793062924 with a digit typed twice)",
        ),
        ok(rec(i(51))),
        ok(rec(g(7795))),
        bad(
            rec(i(46), isbn="978979756836"),
            "isbn",
            "isbn_length",
            "12 digits (ISBN-13 9789797568368 without its check digit)",
        ),
        ok(rec(i(101), copies=2)),
        bad(rec(g(5451), isbn="97860A1234567"), "isbn", "isbn_chars", "letters in the ISBN"),
        ok(rec(s(3))),
        bad(
            rec(i(63), isbn="9.78979E+12"),
            "isbn",
            "isbn_scientific",
            "scientific notation as Excel writes 9789791680479: digits lost, not recoverable",
        ),
        ok(rec(g(6), isbn=pad(g(6)))),
        ok(rec(laskar), "Laskar Pelangi as ISBN-10; the same book comes again later as ISBN-13"),
        None,
        bad(rec(g(7567)), "isbn", "isbn_missing", "no ISBN (empty cell)"),
        ok(rec(i(105))),
        bad(
            rec(i(32), isbn="9771234567003"),
            "isbn",
            "isbn_prefix",
            "EAN-13 with prefix 977 (serials, ISSN-based): valid checksum but not an ISBN",
        ),
        ok(rec(s(4))),
        ok(rec(i(18), isbn="ISBN 979-8767-55-1"), "written with an 'ISBN ' prefix and hyphens"),
        ok(rec(g(5953)), "ISBN-10 with check digit X"),
        ok(rec(g(7955))),
        ok(
            rec(g(1754), title='The Mortal Instruments Boxed Set:\n"City of Bones"; "City of Ashes"; "City of Glass"'),
            "title with a line break, ';' and double quotes: one quoted CSV field, one row",
        ),
        ok(rec(i(58))),
        bad(rec(g(7063), copies=-1), "jumlah", "jumlah_negative", "negative number of copies"),
        ok(rec(g(7), isbn=pad(g(7)))),
        bad(rec(g(7484), copies="dua"), "jumlah", "jumlah_not_number", "number of copies written as a word"),
        ok(rec(s(5))),
        ok(
            rec(g(4216), isbn=pad(g(4216)), title="Sacré Bleu – A Comedy d’Art"),
            "Windows-1252 characters é, en dash and right single quote in the title",
        ),
        ok(rec(g(5778), copies=3), "3 copies"),
        ok(
            rec(laskar, isbn=isbnlib.to_isbn13(laskar["isbn"])),
            "ISBN-13 of the book on row %d (Laskar Pelangi): merged, copies added",
        ),
        ok(rec(i(106))),
        ok(rec(g(11))),
        ok(rec(s(9))),
        ok(rec(g(8804))),
    ]


def write_messy(path: Path, spec: list, log: Counter) -> dict:
    """Write the messy manifest and return its expected ingest outcome."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(ID_HEADERS)
    expected, n, first_row = [], 0, {}
    for row in spec:
        if row is None:
            buf.write("\r\n")
            continue
        n += 1
        w.writerow([n] + [to_cp1252(str(row[f]), log) for f in FIELDS])
        e = {"row": n, **row["expect"], "isbn": str(row["isbn"]), "jumlah": str(row["copies"]), "title": row["title"]}
        if e["status"] == "accepted":
            e["isbn13"] = isbn13_of(row["isbn"])
            if e["isbn13"] in first_row:
                e["merged_into_row"] = first_row[e["isbn13"]]
                e["note"] = e["note"] % first_row[e["isbn13"]]
            else:
                first_row[e["isbn13"]] = n
        expected.append(e)
    path.write_bytes(buf.getvalue().encode("cp1252"))
    acc = [e for e in expected if e["status"] == "accepted"]
    return {
        "file": path.name,
        "encoding": "cp1252",
        "delimiter": ";",
        "row_numbering": "1-based data rows, header excluded, blank lines not counted; a quoted field with "
        "a line break stays one row",
        "summary": {
            "rows": n,
            "accepted_rows": len(acc),
            "rejected_rows": n - len(acc),
            "titles": len({e["isbn13"] for e in acc}),
            "items_created": sum(int(e["jumlah"]) for e in acc),
            "duplicates_merged": sum(1 for e in acc if "merged_into_row" in e),
            "recovered_isbns": sum(1 for e in acc if e.get("recovered_isbn")),
        },
        "codes_note": "code values are suggestions in the style of DESIGN.md (isbn_checksum); the field and "
        "the accepted/rejected outcome are what tests should pin",
        "rows": expected,
    }


def clean_rows(il_valid: list[dict], gb_ind: list[dict], lib_code: str) -> list[dict]:
    recs = [r for r in il_valid if r["isbn13"]][:12] + gb_ind[:8]
    return [dict(r, isbn=r["isbn13"], copies=copies_for(lib_code, r["isbn13"])) for r in recs]


def write_examples(goodbooks, inlislite, slims, il_valid, gb_ind, clean_lib: dict) -> dict:
    """Write both example manifests and their expected outcomes; return the messy one's expectation."""
    gb_by_id = {r["id"]: r for r in goodbooks}
    il_by_id = {r["id"]: r for r in inlislite}
    sl_by_id = {r["id"]: r for r in slims}
    messy = write_messy(SEEDS / "examples/manifest-berantakan.csv", messy_rows(gb_by_id, il_by_id, sl_by_id), Counter())
    (SEEDS / "examples/manifest-berantakan.expected.json").write_text(
        json.dumps(messy, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    clean = clean_rows(il_valid, gb_ind, clean_lib["code"])
    write_xlsx(
        SEEDS / "examples/manifest-bersih.xlsx",
        clean,
        f"DAFTAR BUKU BANTUAN PERPUSNAS TAHUN 2025 — {clean_lib['name']}",
        False,
        dt.date(2025, 7, 1),
    )
    summary = {
        "rows": len(clean),
        "accepted_rows": len(clean),
        "rejected_rows": 0,
        "titles": len(clean),
        "items_created": sum(r["copies"] for r in clean),
        "duplicates_merged": 0,
        "recovered_isbns": 0,
    }
    expected = {
        "file": "manifest-bersih.xlsx",
        "header_row": 3,
        "library": clean_lib["code"],
        "summary": summary,
        "isbn13": [r["isbn13"] for r in clean],
    }
    (SEEDS / "examples/manifest-bersih.expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return messy
