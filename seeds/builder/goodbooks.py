"""goodbooks-10k rows (English-language Goodreads metadata, 2017) as book records."""

from __future__ import annotations

import csv
from pathlib import Path

from .values import isbn13_of, year_of

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
