"""Indonesian morphology for search (pure): the stem of a word, the same for a document and a query.

Neither engine stems Indonesian, so the stem of every word is computed here, in Python, into a field of
every document (search/documents.py) and for every query word, identically for Tantivy and Meilisearch.

Snowball's Indonesian stemmer (the Tala algorithm) removes particles, possessives, `-kan/-an/-i` and the
prefixes, but cannot restore the first letter that a meN-/peN- prefix swallowed (`menanam` -> `anam`, not
`tanam`; `mengenal` -> `enal`), and happily cuts foreign words (`diana` -> `ana`). The layer here lists the
readings a word allows (each prefix with its possible lost letter, each suffix combination, reduplication)
and keeps only a reading that is a known root (search/data/kata-dasar.txt), preferring the longest root,
then Snowball's choice. A word with no known root stays as it is: a name or an English word is never cut.
Where even that chooses wrongly, search/data/stem_exceptions.tsv says what the stem is.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import snowballstemmer

from search.text import DATA, WORD, fold

_SNOWBALL = snowballstemmer.stemmer("indonesian")
_VOWELS = frozenset("aeiou")
_MIN_ROOT = 3
# Prefixes, longest first, with the letters a root may have lost to them (None: no letter lost).
# meN-/peN- assimilate the root's first consonant: t -> n (menanam), p -> m (memakai), k -> ng (mengenal),
# s -> ny (menyapu); before a vowel the lost letter may also be nothing (mengambil) or the nasal itself
# (menanti: me + nanti), which the plain `me-`/`pe-` entries cover.
_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("meny", ("s",)),
    ("peny", ("s",)),
    ("meng", ("", "k")),
    ("peng", ("", "k")),
    ("mem", ("p", "")),
    ("pem", ("p", "")),
    ("men", ("t", "")),
    ("pen", ("t", "")),
    ("me", ("",)),
    ("pe", ("",)),
    ("ber", ("",)),
    ("be", ("",)),
    ("ter", ("",)),
    ("per", ("",)),
    ("pel", ("",)),
    ("di", ("",)),
    ("ke", ("",)),
    ("se", ("",)),
)
_PARTICLES = ("lah", "kah", "tah", "pun")
_POSSESSIVES = ("nya", "ku", "mu")
_DERIVATIONAL = ("kan", "an", "i")


@lru_cache(maxsize=1)
def roots() -> frozenset[str]:
    """The root words a word may be reduced to (search/data/kata-dasar.txt)."""
    words: set[str] = set()
    for line in (DATA / "kata-dasar.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(fold(w) for w in line.split())
    return frozenset(words)


@lru_cache(maxsize=1)
def exceptions() -> dict[str, str]:
    """Word -> stem where the rules choose wrongly (search/data/stem_exceptions.tsv)."""
    table: dict[str, str] = {}
    for line in (DATA / "stem_exceptions.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            word, stem_ = line.split("\t")[:2]
            table[fold(word.strip())] = fold(stem_.strip())
    return table


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """What the stems of a text depend on (these rules, their data, Snowball's version), as a short hash: an
    index kept on disk whose documents were stemmed otherwise is rebuilt, not reopened (search/persisted.py)."""
    digest = hashlib.sha256(metadata.version("snowballstemmer").encode())
    for path in (Path(__file__), DATA / "kata-dasar.txt", DATA / "stem_exceptions.tsv"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _without_suffixes(word: str) -> list[str]:
    """The word with every combination of particle, possessive and derivational suffix it ends with removed,
    the word itself first: `kesehatannya` -> [`kesehatannya`, `kesehatan`, `kesehat`]."""
    forms = [word]
    for group in (_PARTICLES, _POSSESSIVES, _DERIVATIONAL):
        for form in list(forms):
            for suffix in group:
                if form.endswith(suffix) and len(form) - len(suffix) >= _MIN_ROOT:
                    forms.append(form[: -len(suffix)])
    return forms


def _without_prefixes(word: str, depth: int = 2) -> list[str]:
    """The word with up to `depth` prefixes removed, each lost first letter restored in every way it may
    have been: `menanam` -> [`menanam`, `tanam`, `anam`, `nanam`, ...]."""
    forms = [word]
    if depth == 0:
        return forms
    for prefix, lost in _PREFIXES:
        if not word.startswith(prefix):
            continue
        rest = word[len(prefix) :]
        if len(rest) < _MIN_ROOT:
            continue
        # A lost letter stands only before a vowel (me-n-anam); `me`/`pe` go before m, n, ny, ng, l, r, w, y.
        if prefix in ("me", "pe") and rest[0] not in "mnlrwy":
            continue
        for letter in lost:
            if letter and rest[0] not in _VOWELS:
                continue
            forms += _without_prefixes(letter + rest, depth - 1)
        if prefix in ("ber", "ter", "per") and rest[0] in _VOWELS:
            forms += _without_prefixes("r" + rest, depth - 1)  # be-rencana, te-rasa, pe-rawat
    return forms


def _readings(word: str) -> list[str]:
    """Every way of reading the word as affixes around a root, Snowball's reading first."""
    readings = [_SNOWBALL.stemWord(word)]
    for bare in _without_suffixes(word):
        for core in _without_prefixes(bare):
            readings.append(core)
            if core != bare:  # a confix: ke-...-an, per-...-an after the prefix is gone
                readings += _without_suffixes(core)[1:]
    return readings


@lru_cache(maxsize=300_000)
def stem(word: str) -> str:
    """The stem of one word (folded to lower case without diacritics): a known root, or the word itself."""
    word = fold(word)
    known = roots()
    if word in known:
        return word
    if word in exceptions():
        return exceptions()[word]
    if "-" in word:  # reduplication: anak-anak -> anak, buah-buahan -> buah, sayur-mayur -> sayur
        return stem(word.split("-", 1)[0])
    if len(word) <= _MIN_ROOT or not word.isalpha():
        return word
    best = ""
    for reading in _readings(word):
        if reading in known and len(reading) > len(best):
            best = reading
    return best or word


def stems(text: str) -> list[str]:
    """The stems of the words of a text, in order (folded; reduplicated words give their stem twice)."""
    return [stem(w) for w in WORD.findall(fold(text))]


@lru_cache(maxsize=100_000)
def stemmed_text(*texts: str | None) -> str:
    """The distinct stems of these texts, space-separated: the `stems` field of a search document."""
    seen: dict[str, None] = {}
    for text in texts:
        if text:
            for s in stems(text):
                seen.setdefault(s, None)
    return " ".join(seen)
