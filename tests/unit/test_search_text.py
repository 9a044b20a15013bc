"""The pure text rules of search: folding, typo budgets, query words and safe highlights."""

from __future__ import annotations

import pytest

from search.backend import SearchQuery
from search.documents import ddc_class, document_id
from search.meili import filters, quote
from search.text import edit_distance, fold, highlight, query_words, typo_budget


def test_folding_drops_case_and_diacritics():
    assert fold("Realität Sáenz Zoë François ß Œuvre") == "realitat saenz zoe francois ss oeuvre"


@pytest.mark.parametrize(
    "word, typos", [("kota", 0), ("pelangi", 1), ("pertanian", 2), ("1997", 0), ("978602031234", 0)]
)
def test_typo_budget_follows_meilisearch(word, typos):
    assert typo_budget(word) == typos


@pytest.mark.parametrize(
    "a, b, distance",
    [
        ("poter", "potter", 1),
        ("pelagi", "pelangi", 1),
        ("hte", "the", 1),
        ("statistik", "statistic", 1),
        ("pendidkan", "pendidikan", 1),
        ("buku", "kota", 3),
    ],
)
def test_edit_distance_counts_a_swap_as_one_typo(a, b, distance):
    assert edit_distance(a, b, 2) == min(distance, 3)


def test_the_last_word_is_a_prefix_and_stop_words_are_left_out():
    words = query_words("Sejarah dan budaya Jaw")
    # sejarah and budaya are known roots (search/data/kata-dasar.txt): real words, no typo allowed
    assert [(w.text, w.typos, w.prefix) for w in words] == [
        ("sejarah", 0, False),
        ("budaya", 0, False),
        ("jaw", 0, True),
    ]
    assert [(w.text, w.typos) for w in query_words("sejaarh pelagi")] == [("sejaarh", 1), ("pelagi", 1)]
    assert query_words("laskar ")[0].prefix is False  # a query ended by a space has no prefix
    assert [w.text for w in query_words("yang dan")] == ["yang", "dan"]  # nothing else: kept


def test_highlights_are_escaped_html_with_marks():
    marked = highlight('<script>alert("x")</script> Harry Potter & the Stone', query_words("harry poter"))
    assert marked == ('&lt;script&gt;alert("x")&lt;/script&gt; <mark>Harry</mark> <mark>Potter</mark> &amp; the Stone')
    assert highlight("Statistik pertambangan", query_words("pert")) == "Statistik <mark>pert</mark>ambangan"
    assert highlight("Laskar Pelangi", query_words("bumi")) is None


def test_document_ids_are_what_meilisearch_accepts():
    assert document_id("35.20.06.2001-TBM1", 42) == "35-20-06-2001-TBM1_42"
    assert (ddc_class("899.221"), ddc_class("005.133"), ddc_class(None)) == ("800", "000", None)


def test_meilisearch_filters_quote_every_value():
    assert quote('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    query = SearchQuery(kecamatan="35.20.01", language="ind", ddc_class="300", available=False, year_to=2010)
    assert filters(query) == [
        'kecamatan = "35.20.01"',
        'language = "ind"',
        'ddc_class = "300"',
        "on_shelf = false",
        "year <= 2010",
    ]


def test_the_engines_match_the_stems_of_the_query_words():
    from search.text import engine_query

    assert engine_query(query_words("Bercocok tanam")) == "cocok tanam"  # tanam: a prefix, as typed
    assert engine_query(query_words("memasak sehat ")) == "masak sehat "
    assert engine_query(query_words("pertanian")) == "tani "  # a finished word: no prefix
    assert [w.prefix for w in query_words("pertanian")] == [False]
    assert engine_query(query_words("harry poter")) == "harry poter"
