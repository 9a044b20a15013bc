"""Text rules both backends share (pure): folding accents, query words, typo budgets, highlighting.

Meilisearch's behaviour is the reference: words are compared without case and diacritics, a word of 5-8
letters may carry one typo and a word of 9 or more two, and the last word of a query also matches as the
start of a longer word. Highlights are HTML-escaped text with `<mark>` around the matched words, so a page
can insert them as they are.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
WORD = re.compile(r"[^\W_]+")
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
"""Private-use characters that stand for <mark> and </mark> until the text is escaped."""

_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
    }
)


def fold(text: str) -> str:
    """Lower case without diacritics: `Realität` -> `realitat`, `Sáenz` -> `saenz`."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def typo_budget(word: str) -> int:
    """Typos allowed in a query word, as Meilisearch counts them (minWordSizeForTypos 5 and 9)."""
    if word.isdigit():
        return 0  # numbers (years, ISBN fragments) must match exactly, as with disableOnNumbers
    return 2 if len(word) >= 9 else 1 if len(word) >= 5 else 0


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (a swap of neighbours is one typo), or limit + 1 when larger."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit or len(set(a).symmetric_difference(b)) > 2 * limit:
        return limit + 1  # each typo changes the set of letters by at most two
    # What the two share at either end costs nothing: compare only the middle.
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    a, b = a[start:end_a], b[start:end_b]
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if not a or not b:
        return max(len(a), len(b))
    far = limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [far] * len(b)
        # Only cells within `limit` of the diagonal can stay within the limit (Ukkonen's band).
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            cb = b[j - 1]
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return far
        previous2, previous = previous, current
    return min(previous[-1], far)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """Indonesian and English words a query ignores (`dan`, `yang`, `the`, ...), from search/data/."""
    words: set[str] = set()
    for name in ("stopwords-id.txt", "stopwords-en.txt"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            word = line.split("#", 1)[0].strip()
            if word:
                words.add(fold(word))
    return frozenset(words)


@lru_cache(maxsize=1)
def synonyms() -> dict[str, list[str]]:
    """Single-word synonyms, both ways (`buku` <-> `book`), from search/data/synonyms.json."""
    raw = json.loads((DATA / "synonyms.json").read_text(encoding="utf-8"))
    return {fold(word): [fold(s) for s in alternatives] for word, alternatives in raw["synonyms"].items()}


@dataclass(frozen=True, slots=True)
class QueryWord:
    text: str
    """Folded, lower case."""
    typos: int
    prefix: bool
    """The last word of a query not ended by a space also matches the start of longer words."""
    letters: frozenset[str] = frozenset()
    stem: str = ""
    """The word's Indonesian stem (search/morphology.py); the word itself when it has none."""

    def matches(self, token: str) -> int:
        """How many characters of the folded `token` match this word (0: no match)."""
        text, typos = self.text, self.typos
        if token == text:
            return len(token)
        if self.prefix and token.startswith(text):
            return len(text)
        if not typos:
            return 0
        # Cheap refusals first: each typo changes the length by at most one and the letters by at most two.
        if (
            abs(len(token) - len(text)) <= typos
            and len(self.letters.symmetric_difference(token)) <= 2 * typos
            and edit_distance(text, token, typos) <= typos
        ):
            return len(token)
        if self.prefix and len(token) > len(text):
            head = token[: len(text)]
            if len(self.letters.symmetric_difference(head)) <= 2 * typos and edit_distance(text, head, typos) <= typos:
                return len(text)
        return 0


def query_words(q: str) -> list[QueryWord]:
    """The words of a query, folded, stop words left out (unless the query has nothing else), each with its
    stem. A word whose stem is a known root (`memasak` -> `masak`, `tanam`) allows no typo: it is a real
    word, and its typo neighbours (`memasarkan`, `Tana`) are other words. A word reduced to a stem is a
    finished word: it is no prefix either."""
    from search.morphology import roots, stem  # morphology builds on this module

    words = WORD.findall(fold(q))
    kept = [w for w in words if w not in stop_words()] or words
    ends_open = bool(q) and not q[-1].isspace()
    known = roots()
    result = []
    for index, word in enumerate(kept):
        root = stem(word)
        last = index == len(kept) - 1 and kept[-1] == words[-1] and ends_open and root == word
        typos = 0 if root in known or root != word else typo_budget(word)
        result.append(QueryWord(word, typos, prefix=last, letters=frozenset(word), stem=root))
    return result


def engine_query(words: list[QueryWord]) -> str:
    """The query as the engines match it: each word replaced by its stem, ended by a space unless the last
    word is a prefix (Meilisearch's rule for prefix search)."""
    text = " ".join(w.stem or w.text for w in words)
    return text if words and words[-1].prefix else text + " " if text else ""


def _cut(token: str, folded_length: int) -> int:
    """How many characters of the original `token` make up its first `folded_length` folded characters."""
    if token.isascii():
        return folded_length
    total = 0
    for index, char in enumerate(token):
        total += len(fold(char))
        if total >= folded_length:
            return index + 1
    return len(token)


class Highlighter:
    """Marks what a query matched in texts; remembers each token's verdict for the page being built."""

    def __init__(self, words: list[QueryWord]) -> None:
        self.words = words
        self._verdicts: dict[str, int] = {}

    @classmethod
    def shared(cls, words: list[QueryWord]) -> Highlighter:
        """A highlighter for these words that remembers its verdicts across searches: the same query
        comes back often (each keystroke, each page), and judging every word of a page costs more than
        the search itself."""
        key = tuple(words)
        highlighter = _SHARED.get(key)
        if highlighter is None or len(highlighter._verdicts) > 20_000:
            if len(_SHARED) >= 512:
                _SHARED.pop(next(iter(_SHARED)))
            highlighter = _SHARED[key] = cls(words)
        return highlighter

    def _judge(self, folded: str) -> int:
        from search.morphology import stem

        verdict = 0
        for word in self.words:
            verdict = max(verdict, word.matches(folded))
        if not verdict and any(w.stem == stem(folded) for w in self.words):
            verdict = len(folded)  # the same stem: `Menanam` for `tanaman`
        self._verdicts[folded] = verdict
        return verdict

    def mark(self, text: str) -> str | None:
        """`text` HTML-escaped with `<mark>` around the parts the query matched; None when nothing matched."""
        verdicts = self._verdicts
        pieces: list[str] = []
        position = 0
        for start, end, folded in tokens(text):
            length = verdicts.get(folded)
            if length is None:
                length = self._judge(folded)
            if not length:
                continue
            cut = end if length >= len(folded) else start + _cut(text[start:end], length)
            pieces.append(text[position:start])
            pieces.append(MARK_OPEN + text[start:cut] + MARK_CLOSE)
            position = cut
        if not pieces:
            return None
        pieces.append(text[position:])
        return marked_html("".join(pieces))


_SHARED: dict[tuple[QueryWord, ...], Highlighter] = {}


@lru_cache(maxsize=50_000)
def tokens(text: str) -> tuple[tuple[int, int, str], ...]:
    """The words of a text with their positions and folded forms (remembered: hits repeat across searches)."""
    if text.isascii():  # lower() keeps ASCII positions
        return tuple((m.start(), m.end(), m.group()) for m in WORD.finditer(text.lower()))
    return tuple((m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text))


def highlight(text: str, words: list[QueryWord]) -> str | None:
    """`text` HTML-escaped with `<mark>` around the parts the query matched; None when nothing matched."""
    return Highlighter(words).mark(text)


def marked_html(text: str) -> str:
    """Escape `text` for HTML and turn the private-use mark characters into <mark> tags."""
    return html.escape(text, quote=False).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")
