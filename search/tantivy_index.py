"""The Tantivy side of the embedded backend (no I/O): the index schema, a document's indexed form, a
validated query as a Tantivy query, and the facet counts of an aggregation.

Searchable text is folded in Python (search/text.py) before Tantivy sees it, so queries, highlights and
the index agree on what a word is.
"""

from __future__ import annotations

import tantivy

from search.backend import FACETS, SearchQuery
from search.documents import TitleDocument
from search.stored import Holder, pack_document, pack_holders
from search.text import QueryWord, fold, synonyms

TOKENIZER = "pustaka_words"
# Searchable fields and their weights (Meilisearch: the order of searchableAttributes).
FIELDS = (("title", 3.0), ("authors", 2.0), ("subtitle", 1.5), ("category", 1.0), ("publisher", 0.7), ("codes", 1.0))
# Filter fields hold folded lower-case keys (filters ignore case, as Meilisearch's do); facets count the
# values as written, from separate fast fields.
KEYED = ("language", "audience", "category")
# One pass over the matching documents counts every facet. The kecamatan is the first eight characters of
# the library code, so its counts follow from the library's; and every document has exactly one library,
# so the library counts also add up to the total (the top-hits search then need not count).
AGGREGATION = {name: {"terms": {"field": f"facet_{name}", "size": 1000}} for name in FACETS if name != "kecamatan"}
_TITLE_FACETS = ("language", "audience", "category", "ddc_class", "year")
# Over the lead documents only: the facets that count each title once (search/grouping.py).
TITLE_AGGREGATION = {name: {"terms": {"field": f"facet_{name}", "size": 1000}} for name in _TITLE_FACETS}
TITLE_AGGREGATION["available"] = {"terms": {"field": "facet_title_available", "size": 2}}
LIBRARY_AGGREGATION = {"library": AGGREGATION["library"]}
# A grouped search's facets in one pass over the matching lead documents (one per title): the libraries
# holding the title (on a shelf, for `available=true`) are listed on its lead.
GROUPED_AGGREGATION = {
    "library": {"terms": {"field": "facet_title_library", "size": 1000}},
    **{name: {"terms": {"field": f"facet_title_{name}", "size": 1000}} for name in _TITLE_FACETS},
    "available": TITLE_AGGREGATION["available"],
}
SHELF_AGGREGATION = {**GROUPED_AGGREGATION, "library": {"terms": {"field": "facet_title_shelf_library", "size": 1000}}}
Occur = tantivy.Occur


def leads_of(base: tantivy.Query, on_shelf: bool) -> tantivy.Query:
    """The lead documents among a query's matches, scored as the query scores them; with `on_shelf`,
    only titles with a copy on a shelf somewhere."""
    clauses = [
        (Occur.Must, base),
        (Occur.Must, tantivy.Query.const_score_query(tantivy.Query.term_query(SCHEMA, "lead", True), 0.0)),
    ]
    if on_shelf:
        clauses.append(
            (Occur.Must, tantivy.Query.const_score_query(tantivy.Query.term_query(SCHEMA, "title_on_shelf", True), 0.0))
        )
    return tantivy.Query.boolean_query(clauses)


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", tokenizer_name="raw")
    builder.add_unsigned_field("title_id", indexed=True, fast=True)
    for name, _ in FIELDS:
        builder.add_text_field(name, tokenizer_name=TOKENIZER)
    builder.add_text_field("all", tokenizer_name=TOKENIZER, index_option="basic")
    builder.add_text_field("stems", tokenizer_name=TOKENIZER, index_option="basic")
    for name in ("library", "kecamatan", "ddc_class", "isbn13", *(f"key_{k}" for k in KEYED)):
        builder.add_text_field(name, tokenizer_name="raw")
    builder.add_boolean_field("on_shelf", indexed=True, fast=True)
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_text_field("title_sort", tokenizer_name="raw", fast=True)
    for name in ("library", "kecamatan", "language", "audience", "category", "ddc_class"):
        builder.add_text_field(f"facet_{name}", tokenizer_name="raw", fast=True)
    builder.add_boolean_field("facet_available", fast=True)
    # One document per title is its lead (search/embedded.py keeps it so): counting leads counts titles,
    # and the lead carries whether any library has a copy of the title on its shelf.
    builder.add_boolean_field("lead", indexed=True)
    builder.add_boolean_field("title_on_shelf", indexed=True)
    builder.add_boolean_field("facet_title_available", fast=True)
    for name in ("language", "audience", "category", "ddc_class", "library", "shelf_library"):
        builder.add_text_field(f"facet_title_{name}", tokenizer_name="raw", fast=True)
    builder.add_integer_field("facet_title_year", fast=True)
    builder.add_integer_field("facet_year", fast=True)
    # The whole document (msgpack), and on a lead every library holding its title (search/stored.py): a
    # page of hits is read from the index, in whichever process opened it.
    builder.add_bytes_field("doc", stored=True)
    builder.add_bytes_field("holdings", stored=True)
    return builder.build()


SCHEMA = _schema()
_ANALYZER = (
    tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
    .filter(tantivy.Filter.remove_long(60))
    .filter(tantivy.Filter.lowercase())
    .build()
)


def indexed(doc: TitleDocument, holders: list[Holder] | None = None) -> tantivy.Document:
    """The indexed form of a document: searchable text folded in Python, so queries fold the same way.
    `holders`: this is its title's lead document, the one that grouped searches count, and these are every
    library holding the title (stored with it, and whether any has a copy on the shelf)."""
    d = tantivy.Document()
    lead = holders is not None
    title_on_shelf = lead and any(h.on_shelf for h in holders or ())
    d.add_boolean("lead", lead)
    d.add_boolean("title_on_shelf", title_on_shelf)
    if lead:  # the title facets are counted from lead documents alone
        d.add_boolean("facet_title_available", title_on_shelf)
        for h in holders or ():
            d.add_text("facet_title_library", h.library)
            if h.on_shelf:
                d.add_text("facet_title_shelf_library", h.library)
    d.add_text("id", doc.id)
    d.add_unsigned("title_id", doc.title_id)
    texts = {
        "title": doc.title,
        "authors": " ; ".join(doc.authors),
        "subtitle": doc.subtitle,
        "category": doc.category,
        "publisher": doc.publisher,
    }
    for name, value in texts.items():
        if value:
            d.add_text(name, fold(value))
    # Every searchable word once more in one field, where typos and prefixes are matched: one automaton
    # walks one term dictionary instead of five.
    d.add_text("all", fold(" ; ".join(v for v in texts.values() if v)))
    if doc.stems:
        d.add_text("stems", doc.stems)
    d.add_text("codes", " ".join(c for c in (doc.isbn13, doc.isbn10, doc.local_code and doc.local_code.lower()) if c))
    for name in ("library", "kecamatan"):
        d.add_text(name, getattr(doc, name))
        d.add_text(f"facet_{name}", getattr(doc, name))
    for name in KEYED:
        value = getattr(doc, name)
        if value:
            d.add_text(f"key_{name}", fold(value))
            d.add_text(f"facet_{name}", value)
            if lead:
                d.add_text(f"facet_title_{name}", value)
    if doc.ddc_class:
        d.add_text("ddc_class", doc.ddc_class)
        d.add_text("facet_ddc_class", doc.ddc_class)
        if lead:
            d.add_text("facet_title_ddc_class", doc.ddc_class)
    if doc.isbn13:
        d.add_text("isbn13", doc.isbn13)
    d.add_boolean("on_shelf", doc.on_shelf)
    d.add_boolean("facet_available", doc.on_shelf)
    if doc.year is not None:
        d.add_integer("year", doc.year)
        d.add_integer("facet_year", doc.year)
        if lead:
            d.add_integer("facet_title_year", doc.year)
    d.add_text("title_sort", doc.title_sort)
    d.add_bytes("doc", pack_document(doc))
    if holders is not None:
        d.add_bytes("holdings", pack_holders(holders))
    return d


def new_index(path: str | None = None, *, read_only: bool = False) -> tantivy.Index:
    """The index in memory, or in the folder `path` (created there when absent). `read_only`: open the
    index another process writes (search/follower.py reloads it when that process commits)."""
    index = tantivy.Index.open(path) if read_only and path else tantivy.Index(SCHEMA, path=path, reuse=True)
    index.register_tokenizer(TOKENIZER, _ANALYZER)
    # Reload on every commit, also the ones that finish background merges: searches then see few segments.
    # Writes also reload explicitly, so that a search right after an upsert sees it.
    index.config_reader(reload_policy="manual" if read_only else "commit")
    return index


STEM_SCORE = 2.0
"""A word matched only through its stem or a synonym: above a typo (1.0), below the word as written."""


def _alternative(phrase: str) -> tantivy.Query:
    """A synonym (one stem, or several that must all be there) matched in the stems field."""
    parts = phrase.split()
    if len(parts) == 1:
        return tantivy.Query.term_query(SCHEMA, "stems", parts[0])
    return tantivy.Query.boolean_query([(Occur.Must, tantivy.Query.term_query(SCHEMA, "stems", p)) for p in parts])


def _word_query(word: QueryWord) -> tantivy.Query:
    """One query word: its stem exact in each field (scored by field weight, the word as written above
    it), or in the stems of the words (a constant score), or with typos or as a prefix in any searchable
    field (a constant, lower score), or as one of its synonyms."""
    term, boost = tantivy.Query.term_query, tantivy.Query.boost_query
    stem = word.stem or word.text
    clauses = [(Occur.Should, boost(term(SCHEMA, name, stem), weight * 2)) for name, weight in FIELDS]
    if stem != word.text:
        clauses += [(Occur.Should, boost(term(SCHEMA, name, word.text), weight * 3)) for name, weight in FIELDS]
    clauses.append((Occur.Should, tantivy.Query.const_score_query(term(SCHEMA, "stems", stem), STEM_SCORE)))
    if word.typos or word.prefix:
        clauses.append(
            (
                Occur.Should,
                boost(
                    tantivy.Query.fuzzy_term_query(SCHEMA, "all", word.text, distance=word.typos, prefix=word.prefix),
                    1.0,
                ),
            )
        )
    if word.prefix and any(c.isdigit() for c in word.text):
        clauses.append(
            (Occur.Should, tantivy.Query.fuzzy_term_query(SCHEMA, "codes", word.text, distance=0, prefix=True))
        )
    for alternative in synonyms().get(stem, []):
        clauses.append((Occur.Should, tantivy.Query.const_score_query(_alternative(alternative), STEM_SCORE)))
    return tantivy.Query.boolean_query(clauses)


def _words_query(words: list[QueryWord]) -> list[tuple[tantivy.Occur, tantivy.Query]]:
    """Every word must match; a run of words that is a multi-word synonym (`cocok tanam`) may instead be
    matched by one of its alternatives (`tani`)."""
    table = synonyms()
    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    index = 0
    while index < len(words):
        for length in (3, 2):
            run = words[index : index + length]
            key = " ".join(w.stem or w.text for w in run)
            if len(run) == length and key in table:
                written = tantivy.Query.boolean_query([(Occur.Must, _word_query(w)) for w in run])
                options = [(Occur.Should, written)] + [
                    (Occur.Should, tantivy.Query.const_score_query(_alternative(a), STEM_SCORE * length))
                    for a in table[key]
                ]
                clauses.append((Occur.Must, tantivy.Query.boolean_query(options)))
                index += length
                break
        else:
            clauses.append((Occur.Must, _word_query(words[index])))
            index += 1
    return clauses


def to_query(query: SearchQuery, words: list[QueryWord]) -> tantivy.Query:
    clauses = _words_query(words)
    term = tantivy.Query.term_query
    if query.isbn13:
        clauses.append((Occur.Must, term(SCHEMA, "isbn13", query.isbn13)))
    for name in ("library", "kecamatan", "ddc_class"):
        value = getattr(query, name)
        if value is not None:
            clauses.append((Occur.Must, term(SCHEMA, name, value)))
    for name in KEYED:
        value = getattr(query, name)
        if value is not None:
            clauses.append((Occur.Must, term(SCHEMA, f"key_{name}", fold(value))))
    if query.available is not None:
        clauses.append((Occur.Must, term(SCHEMA, "on_shelf", query.available)))
    if query.year_from is not None or query.year_to is not None:
        clauses.append(
            (
                Occur.Must,
                tantivy.Query.range_query(
                    SCHEMA,
                    "year",
                    tantivy.FieldType.Integer,
                    query.year_from if query.year_from is not None else -9999,
                    query.year_to if query.year_to is not None else 9999,
                ),
            )
        )
    if not clauses:
        return tantivy.Query.all_query()
    if not words:  # filters only: every match scores the same
        clauses.append((Occur.Should, tantivy.Query.all_query()))
    return tantivy.Query.boolean_query(clauses)


def facets_of(aggregation: dict, finish: bool = True) -> dict[str, dict[str, int]]:
    """Facet counts from Tantivy's aggregation over the matching documents (`finish`: with the kecamatan
    counts added up from the library counts, every facet present)."""
    facets = {}
    for name in FACETS:
        if not finish and name not in aggregation:
            continue
        counts: dict[str, int] = {}
        for bucket in aggregation.get(name, {}).get("buckets", ()):
            key = bucket.get("key_as_string", bucket["key"])
            counts[str(int(key)) if isinstance(key, float) else str(key)] = bucket["doc_count"]
        facets[name] = counts
    return _finish(facets) if finish else {name: dict(sorted(c.items())) for name, c in facets.items()}


def _finish(facets: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    kecamatan: dict[str, int] = {}
    for library, count in facets["library"].items():
        kecamatan[library[:8]] = kecamatan.get(library[:8], 0) + count
    facets["kecamatan"] = kecamatan
    return {name: dict(sorted(counts.items())) for name, counts in facets.items()}
