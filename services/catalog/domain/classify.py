"""Class suggestions for titles without one: words of a title's subjects and title looked up in a mapping
kept as data (`services/catalog/data/ddc_suggestions.tsv`), which the librarian confirms.

The rule: every mapped phrase found (as whole words, accents folded) in the subjects, the category or the
title scores; a phrase in a subject or category scores 3, one in the title 1, longer phrases win ties; the
class with the highest score is suggested with the phrase that decided it. Indonesian practice for fiction
follows the call-number rules: Indonesian novels and children's stories under 899.221 (Sastra Indonesia),
English-language novels (a series note such as `(Discworld, #29)`) under 823.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SERIES = re.compile(r"\(([^()]*?),?\s*#\d+(?:-\d+)?\)\s*$")
SUBJECT_WEIGHT, TITLE_WEIGHT = 3, 1


@dataclass(frozen=True, slots=True)
class Mapping:
    phrase: str
    ddc: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    ddc: str
    because: str
    """The phrase (or rule) that gave the class, shown to the librarian."""


def fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return " " + " ".join(re.findall(r"[a-z0-9]+", plain)) + " "


def parse_mappings(text: str) -> list[Mapping]:
    """`phrase<TAB>ddc` lines; `#` comments and blank lines skipped."""
    found = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        phrase, ddc = (part.strip() for part in line.split("\t")[:2])
        found.append(Mapping(fold(phrase).strip(), ddc))
    return found


def suggest(
    mappings: list[Mapping], *, title: str, subjects: list[str], category: str | None, language: str | None
) -> Suggestion | None:
    """The class most of the title's words point to, or None when nothing matches."""
    scores: dict[str, tuple[int, int, str]] = {}
    subject_text = fold(" ; ".join([*subjects, category or ""]))
    title_text = fold(title)
    for m in mappings:
        needle = f" {m.phrase} "
        weight = SUBJECT_WEIGHT * (needle in subject_text) + TITLE_WEIGHT * (needle in title_text)
        if weight:
            score, length, because = scores.get(m.ddc, (0, 0, m.phrase))
            if len(m.phrase) > length:
                because = m.phrase
            scores[m.ddc] = (score + weight, max(length, len(m.phrase)), because)
    if scores:
        ddc, (_, _, because) = max(scores.items(), key=lambda kv: (kv[1][0], kv[1][1]))
        return Suggestion(ddc, because)
    if _SERIES.search(title or ""):
        return Suggestion("899.221" if language == "ind" else "823", "novel seri")
    return None
