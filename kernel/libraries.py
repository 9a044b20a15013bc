"""Library codes: the Kemendagri village code (`35.20.01.2001`), with a suffix for a TBM (`-TBM1`).

The code's prefixes name the kecamatan (`35.20.01`) and the kabupaten (`35.20`)."""

from __future__ import annotations

import re

LIBRARY_CODE_PATTERN = r"^\d{2}\.\d{2}\.\d{2}\.\d{4}(-TBM\d+)?$"
KECAMATAN_CODE_PATTERN = r"^\d{2}\.\d{2}\.\d{2}$"
KABUPATEN_CODE_PATTERN = r"^\d{2}\.\d{2}$"

LIBRARY_CODE = re.compile(LIBRARY_CODE_PATTERN)
KECAMATAN_CODE = re.compile(KECAMATAN_CODE_PATTERN)
KABUPATEN_CODE = re.compile(KABUPATEN_CODE_PATTERN)


def is_library_code(text: str) -> bool:
    return bool(LIBRARY_CODE.match(text))


def kecamatan_of(code: str) -> str:
    """`35.20.01.2001` -> `35.20.01`."""
    return code[:8]


def kabupaten_of(code: str) -> str:
    """`35.20.01.2001` -> `35.20`."""
    return code[:5]
