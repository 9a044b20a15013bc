"""What a report checks before it reads (reports.sql): the scope's libraries, and whether the read model is
fresh."""

from __future__ import annotations

import msgspec

from pustaka.sql import load

Q = load(__file__, "reports.sql")


class Library(msgspec.Struct):
    """A library of the directory circulation keeps from the catalogue (no member data)."""

    code: str
    name: str
    kind: str
    kecamatan: str
    kecamatan_code: str
    kabupaten: str
    kabupaten_code: str


libraries_in = Q.all("libraries_in", Library)
"""The libraries of a scope: `kind` library, kecamatan or kabupaten, and its `code`."""
snapshot_missing = Q.value("snapshot_missing", bool)
"""Whether a library of `libraries` has no holdings snapshot of `today` younger than `fresh_seconds`."""
unfolded = Q.value("unfolded", bool)
"""Whether events wait above the rollups' watermark."""
