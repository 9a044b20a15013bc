"""The circulation service's wire types: constrained values its requests carry, checked when decoded."""

from __future__ import annotations

from typing import Annotated

import msgspec

from kernel.libraries import LIBRARY_CODE_PATTERN
from kernel.wire import CIRCULATION_PREFIX

PREFIX = CIRCULATION_PREFIX
Barcode = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=64,
        pattern=r"^[0-9A-Za-z-]+$",
        description="the copy's barcode, as printed on its label",
    ),
]
MemberNumber = Annotated[
    str,
    msgspec.Meta(
        min_length=1,
        max_length=40,
        pattern=r"^[0-9A-Za-z-]+$",
        description="the number on the member card, e.g. 3520012002-000017",
    ),
]
LibraryCode = Annotated[
    str, msgspec.Meta(pattern=LIBRARY_CODE_PATTERN, description="a library's Kemendagri code, e.g. 35.20.01.2001")
]
Isbn = Annotated[
    str,
    msgspec.Meta(
        min_length=1, max_length=40, description="an ISBN-13 or ISBN-10 as written: hyphens, spaces, an ISBN prefix"
    ),
]
