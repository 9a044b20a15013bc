"""The ISBN of a book from what a librarian types or a scanner reads off the back cover (an EAN-13)."""

from __future__ import annotations

import re

from kernel.isbn import Isbn, IsbnError, clean_isbn


def _ean_check(first12: str) -> str:
    return str((10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(first12)) % 10) % 10)


def isbn_from_scan(raw: str) -> Isbn:
    """An ISBN-13 from a typed ISBN (10 or 13, any hyphens) or a scanned EAN-13.

    A well-formed EAN-13 that does not start with 978/979 is a product code, not a book (a magazine's 977,
    a bottle of water's 899): refused as `ean_not_a_book` so the librarian knows the scan itself worked.
    """
    digits = re.sub(r"[\s\-]", "", raw or "")
    if (
        len(digits) == 13
        and digits.isdigit()
        and not digits.startswith(("978", "979"))
        and _ean_check(digits[:12]) == digits[12]
    ):
        raise IsbnError(
            "ean_not_a_book",
            f"'{raw.strip()}' is an EAN-13 product code that does not start with "
            "978 or 979, so it is not a book's ISBN (a magazine, or the barcode of something else)",
        )
    return clean_isbn(raw)
