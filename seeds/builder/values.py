"""Rules for single source values (ISBN, year, ISBD punctuation), written here again on purpose.

The seed builder is an oracle for the project's ingest: it must not import the kernel or the services
(`kernel/`, `services/`), or a bug there would be copied into the data that is meant to catch it.
"""

from __future__ import annotations

import re

import isbnlib


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


def isbd_strip(s: str) -> str:
    """Drop the ISBD punctuation a MARC subfield carries at its ends (' /', ' :', ',')."""
    s = s.strip()
    s = re.sub(r"^[:;/=,]\s*", "", s)
    return re.sub(r"\s*[:;/=,]$", "", s).strip()
