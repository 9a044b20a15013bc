"""The copies to print labels for (labels.sql)."""

from __future__ import annotations

import msgspec

from pustaka.sql import load

Q = load(__file__, "labels.sql")


class PackageCopy(msgspec.Struct):
    barcode: str | None
    call_number: str | None
    title: str | None
    library_name: str
    library_code: str


class LabelRow(msgspec.Struct):
    barcode: str
    call_number: str
    title: str
    library_name: str


package_copies = Q.all("package_copies", PackageCopy)
"""A package's copies (or those of `barcodes`; None: all), in call-number order."""
library_copies = Q.all("library_copies", LabelRow)
