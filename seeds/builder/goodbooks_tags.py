"""Derive seeds/sources/goodbooks-10k/theme_tags.csv from goodbooks-10k's `tags.csv` and copies of its
`book_tags.csv` (see sources/goodbooks-10k/SOURCE.md). Run once by a maintainer; the seed builder reads the
result. Keeps, for the books of books_1-9000.csv whose tags are known: the sum of their tag counts and the
rows of the tags the builder's theme rules look at.

    cd seeds && python -m builder.goodbooks_tags SHARED TAGS_CSV BOOK_TAGS_CSV [BOOK_TAGS_CSV ...]

Copies are read in the order given; a (book, tag) pair already read is not overwritten.
"""

import csv
import sys
from pathlib import Path

from .themes import SOURCE, is_theme_tag


def main(shared: str, tags_csv: str, *copies: str) -> None:
    with open(Path(shared) / "data/books/goodbooks-10k/books_1-9000.csv", encoding="utf-8", newline="") as f:
        book_id = {r["goodreads_book_id"]: r["book_id"] for r in csv.DictReader(f)}
    with open(tags_csv, encoding="utf-8", newline="") as f:
        tag_name = {r["tag_id"]: r["tag_name"] for r in csv.DictReader(f)}
    counts: dict[str, dict[str, int]] = {}
    for path in copies:
        with open(path, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if r["goodreads_book_id"] in book_id:
                    tags = counts.setdefault(book_id[r["goodreads_book_id"]], {})
                    tags.setdefault(tag_name[r["tag_id"]], int(r["count"]))
    with open(SOURCE, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["book_id", "tags_total", "tag", "count"])
        for book in sorted(counts, key=int):
            total = sum(counts[book].values())
            themed = sorted((t, n) for t, n in counts[book].items() if is_theme_tag(t))
            for tag, n in themed or [("", "")]:
                w.writerow([book, total, tag, n])


if __name__ == "__main__":
    main(*sys.argv[1:])
