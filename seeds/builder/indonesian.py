"""The Indonesian catalogue sources as book records: INLISLite OAI-PMH records and SLiMS sample data."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from .values import isbd_strip, isbn13_of, year_of


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
