"""Paths, sizes, manifest headers and the seeded choice every other module uses.

Every choice comes from SHA-256 of a fixed salt and a key, never from the clock or Python's hash(), so the
same input gives byte-identical output.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent  # the seeds/ folder: where the output goes


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


def h(*parts: object) -> int:
    """A stable 64-bit number for the given key (SHA-256 of the salt and the parts)."""
    key = "|".join([SALT, *map(str, parts)]).encode("utf-8")
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big")


def ranked(items, key, *salt):
    """Items in a stable pseudo-random order: a seeded shuffle that no Python version changes."""
    return sorted(items, key=lambda it: (h(*salt, key(it)), key(it)))
