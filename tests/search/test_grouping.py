"""Grouped answers of the embedded engine stay exact while documents come and go: a title is counted by
one lead document, which moves when its library lets the title go, and which knows whether any library
has a copy on the shelf. Checked against the plain grouping of every match."""

from __future__ import annotations

import pytest

from search.backend import SearchQuery, batches_of
from search.documents import TitleDocument, document_id
from search.embedded import EmbeddedBackend
from search.morphology import stemmed_text

LIBRARIES = ("35.20.07.1013", "35.20.07.2012-TBM1", "35.20.12.2010")


def book(title_id: int, title: str, library: str, available: int = 1) -> TitleDocument:
    return TitleDocument(
        id=document_id(library, title_id),
        library=library,
        library_name=f"Perpustakaan {library}",
        kecamatan=library[:8],
        kecamatan_name="",
        title_id=title_id,
        isbn13=None,
        isbn10=None,
        isbn=None,
        local_code=f"LOK{title_id:07d}",
        title=title,
        subtitle=None,
        authors=["Suparman"],
        publisher=None,
        category="Pertanian",
        language="ind",
        audience=None,
        ddc=None,
        ddc_class=None,
        year=2019,
        copies=2,
        available=available,
        on_shelf=available > 0,
        call_number="633 SUP b",
        title_sort=title.lower(),
        stems=stemmed_text(title, None, "Pertanian"),
    )


async def grouped_both_ways(engine: EmbeddedBackend, **params):
    """The answer by leads, and the same search answered by grouping every match in Python."""
    query = SearchQuery(per_page=100, **params)
    searcher = engine.searcher()
    from search.tantivy_index import to_query
    from search.text import query_words

    words = query_words(query.q)
    by_leads = engine.search_now(query)
    by_matches = engine._grouped_matches(query, searcher, to_query(query, words), words, 0.0)
    return by_leads, by_matches


@pytest.fixture
async def engine():
    engine = EmbeddedBackend()
    docs = [book(1, "Bercocok tanam padi sawah", lib) for lib in LIBRARIES]
    docs += [
        book(2, "Menanam cabai dalam polybag", LIBRARIES[0], available=0),
        book(2, "Menanam cabai dalam polybag", LIBRARIES[2], available=0),
        book(3, "Tanaman obat keluarga", LIBRARIES[1]),
    ]
    await engine.rebuild(batches_of(docs))
    return engine


def summary(result):
    return (
        result.total,
        result.facets,
        [(h.title, [(x.library, x.available) for x in h.holdings]) for h in result.hits],
    )


@pytest.mark.parametrize(
    "params", [{}, {"q": "tanam"}, {"q": "menanam"}, {"available": True}, {"q": "tanam", "available": True}]
)
async def test_counting_leads_agrees_with_grouping_every_match(engine, params):
    by_leads, by_matches = await grouped_both_ways(engine, **params)
    assert summary(by_leads) == summary(by_matches)


async def test_a_title_stays_one_hit_while_its_libraries_change(engine):
    await engine.delete([document_id(LIBRARIES[0], 1)])  # the lead's library lets the title go
    result = await engine.search(SearchQuery(q="padi sawah"))
    assert result.total == 1
    assert [h.library for h in result.hits[0].holdings] == [LIBRARIES[1], LIBRARIES[2]]
    await engine.delete([document_id(LIBRARIES[1], 1), document_id(LIBRARIES[2], 1)])
    assert (await engine.search(SearchQuery(q="padi sawah"))).total == 0
    await engine.upsert([book(1, "Bercocok tanam padi sawah", LIBRARIES[2])])
    assert (await engine.search(SearchQuery(q="padi sawah"))).total == 1


async def test_a_copy_coming_back_makes_the_title_available(engine):
    assert (await engine.search(SearchQuery(q="cabai", available=True))).total == 0
    assert (await engine.search(SearchQuery())).facets["available"] == {"false": 1, "true": 2}
    await engine.upsert([book(2, "Menanam cabai dalam polybag", LIBRARIES[2], available=1)])
    result = await engine.search(SearchQuery(q="cabai", available=True))
    assert [(h.library, h.available) for h in result.hits[0].holdings] == [(LIBRARIES[2], 1)]
    assert (await engine.search(SearchQuery())).facets["available"] == {"true": 3}
    by_leads, by_matches = await grouped_both_ways(engine, q="cabai")
    assert summary(by_leads) == summary(by_matches)
