"""What a patron can rely on when searching, whichever engine answers: the embedded index always, and
Meilisearch when PUSTAKA_MEILI_URL names a live server. Expectations come from the catalogue tables."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import isbnlib
import pytest
from searchdata import BLARAN, PACKAGES, SARANGAN, TBM_DADI

from pustaka.errors import Invalid
from pustaka.sql import load
from search.backend import FACETS, SearchQuery, query_from_params
from search.indexer import Indexer
from search.text import fold
from services.catalog.queries import items as item_queries

ORACLE = load(str(Path(__file__)), "oracle.sql")
SORCERERS_STONE = "9780439554930"  # held by TBM Dadi, one copy
SPARROW = "9780449004838"  # Children of God (The Sparrow, #2): Perpustakaan Desa Blaran, three copies


@pytest.fixture(scope="module")
async def held(search_pool) -> list[dict]:
    async with search_pool.acquire() as conn:
        return [dict(r) for r in await conn.fetch(ORACLE.held_titles)]


async def search(backend, **params) -> object:
    return await backend.search(SearchQuery(**params))


def titles(result) -> list[str]:
    return [h.title for h in result.hits]


def words_of(row: dict) -> list[str]:
    text = " ".join(str(row[f] or "") for f in ("title", "subtitle", "authors", "publisher", "category"))
    return re.findall(r"[^\W_]+", fold(text))


async def test_a_patron_who_types_harry_poter_finds_harry_potter(backend):
    result = await search(backend, q="harry poter", library=TBM_DADI)
    assert "Harry Potter and the Sorcerer's Stone (Harry Potter, #1)" in titles(result)
    assert all("Harry Potter" in title for title in titles(result)[:4])
    assert result.hits[0].highlight["title"].startswith("<mark>Harry</mark> <mark>Potter</mark>")


async def test_a_one_letter_typo_in_an_indonesian_word_still_finds_the_book(backend):
    result = await search(backend, q="laskar pelagi", library=SARANGAN)
    assert titles(result)[0] == "Laskar Pelangi (Tetralogi Laskar Pelangi, #1)"
    assert "Sang Pemimpi (Tetralogi Laskar Pelangi, #2)" in titles(result)


async def test_the_last_word_matches_as_a_prefix(backend, held):
    result = await search(backend, q="pert", library=BLARAN, per_page=100)
    expected = {r["title"] for r in held if r["library"] == BLARAN and any(w.startswith("pert") for w in words_of(r))}
    assert expected and set(titles(result)) == expected
    statistik = next(h for h in result.hits if h.title.startswith("Statistik pertambangan"))
    assert "Statistik <mark>pert</mark>ambangan" in statistik.highlight["title"]


async def test_words_typed_without_diacritics_find_names_with_them(backend, held):
    result = await search(backend, q="garcia marquez", library=SARANGAN)
    expected = {r["title"] for r in held if r["library"] == SARANGAN and "García Márquez" in r["authors"]}
    assert "Chronicle of a Death Foretold" in expected and set(titles(result)) == expected
    assert all(
        h.highlight["authors"].startswith("Gabriel <mark>García</mark> <mark>Márquez</mark>") for h in result.hits
    )


@pytest.mark.parametrize(
    "written",
    [
        "9780449004838",
        "978-0-449-00483-8",
        "044900483X",
        "0-449-00483-X",
        "ISBN 978-0-449-00483-8",
    ],
)
async def test_an_isbn_in_any_written_form_finds_exactly_that_title(backend, held, written):
    result = await search(backend, q=written)
    expected = sorted(r["library"] for r in held if r["isbn13"] == SPARROW)
    assert expected == [BLARAN]
    assert [(h.isbn13, h.library, h.copies, h.available) for h in result.hits] == [(SPARROW, BLARAN, 3, 3)]
    assert result.total == 1


@pytest.mark.parametrize(
    "params, keep",
    [
        ({"library": SARANGAN}, lambda r: r["library"] == SARANGAN),
        ({"kecamatan": "35.20.07"}, lambda r: r["kecamatan"] == "35.20.07"),
        ({"language": "ind"}, lambda r: r["language"] == "ind"),
        ({"category": "Programming"}, lambda r: r["category"] == "Programming"),
        ({"ddc_class": "300"}, lambda r: (r["ddc"] or "").startswith("3")),
        ({"year_from": 2000, "year_to": 2005}, lambda r: r["year"] is not None and 2000 <= r["year"] <= 2005),
        ({"available": True}, lambda r: r["available"] > 0),
        ({"available": False}, lambda r: r["available"] == 0),
    ],
)
async def test_each_filter_keeps_exactly_the_titles_that_match_it(backend, held, params, keep):
    result = await search(backend, per_page=1, **params)
    if "library" in params:  # one library: one hit per title it holds
        assert result.total == sum(1 for r in held if keep(r))
    else:  # no library chosen: one hit per title, whichever libraries hold it
        assert result.total == len({r["title_id"] for r in held if keep(r)})


def counts(values) -> dict[str, int]:
    return dict(sorted(Counter(str(v) for v in values if v is not None).items()))


def by_title(rows) -> dict[int, list[dict]]:
    titles: dict[int, list[dict]] = {}
    for row in rows:
        titles.setdefault(row["title_id"], []).append(row)
    return titles


async def test_facet_counts_are_exact_for_every_filterable_field(backend, held):
    result = await search(backend, per_page=1)
    titles = by_title(held)
    one = [copies[0] for copies in titles.values()]  # a title's own facts are the same in every library

    assert set(result.facets) == set(FACETS)
    assert result.total == len(titles) < len(held)  # a title held by two libraries is one hit
    assert len(titles) > 2400
    # Libraries and kecamatan count the titles each holds; the others count every title once.
    assert result.facets["library"] == counts(r["library"] for r in held) == {p: 1000 for p in sorted(PACKAGES)}
    assert result.facets["kecamatan"] == counts(r["kecamatan"] for r in held)
    assert result.facets["available"] == counts(
        "true" if any(r["available"] for r in copies) else "false" for copies in titles.values()
    )
    assert result.facets["language"] == counts(r["language"] for r in one)
    assert result.facets["audience"] == counts(r["audience"] for r in one)
    assert set(result.facets["audience"]) == {"anak", "remaja"}  # from the goodbooks rows' Goodreads tags
    assert result.facets["category"] == counts(r["category"] for r in one)
    assert result.facets["ddc_class"] == counts(r["ddc"][0] + "00" if r["ddc"] else None for r in one)
    assert result.facets["year"] == counts(r["year"] for r in one)


async def test_facets_count_only_the_matching_titles(backend, held):
    result = await search(backend, q="statistik", kecamatan="35.20.07")
    # two statistics reports in both libraries, and TBM Dadi's "The Statistical Probability of Love at First Sight"
    assert result.total == 3
    assert result.facets["library"] == {TBM_DADI: 3, SARANGAN: 2}
    assert result.facets["audience"] == {"remaja": 1}
    assert result.facets["category"] == {"Lingkungan hidup - Statistik": 1, "Minyak bumi, tambang - Statistik": 1}
    result = await search(backend, q="statistik", library=TBM_DADI)
    assert result.facets["category"] == {"Lingkungan hidup - Statistik": 1, "Minyak bumi, tambang - Statistik": 1}


@pytest.mark.parametrize("q", ["statistik", "harry poter", "pert", "cinta", "stephen king"])
async def test_facets_add_up_to_the_titles_found(backend, q):
    result = await search(backend, q=q, per_page=100)
    assert 0 < result.total == len(result.hits) <= 100
    hits = result.hits
    holdings = [(h.library, h.available) for hit in hits for h in hit.holdings]
    assert len({h.isbn13 or h.local_code for h in hits}) == len(hits)  # one hit per title
    assert result.facets == {
        "library": counts(library for library, _ in holdings),
        "kecamatan": counts(library[:8] for library, _ in holdings),
        "available": counts("true" if any(h.available for h in hit.holdings) else "false" for hit in hits),
        "language": counts(h.language for h in hits),
        "audience": counts(h.audience for h in hits),
        "category": counts(h.category for h in hits),
        "ddc_class": counts(h.ddc[0] + "00" if h.ddc else None for h in hits),
        "year": counts(h.year for h in hits),
    }


async def test_pages_cover_every_title_once(backend, held):
    seen: list[str] = []
    page = 1
    while True:
        result = await search(backend, library=TBM_DADI, per_page=100, page=page, sort="title")
        if not result.hits:
            break
        assert result.total == 1000 and result.page == page and result.per_page == 100
        seen += [h.id for h in result.hits]
        page += 1
    assert page == 11 and len(seen) == len(set(seen)) == 1000


@pytest.mark.parametrize("sort", ["year", "-year", "title"])
async def test_sorting_orders_every_page(backend, sort):
    hits = []
    for page in (1, 2, 10):
        hits += (await search(backend, library=SARANGAN, sort=sort, per_page=100, page=page)).hits
    if sort == "title":
        keys = [fold(h.title).strip() for h in hits]
        assert keys[:200] == sorted(keys[:200])
    else:
        years = [h.year for h in hits if h.year is not None]
        assert years[:200] == sorted(years[:200], reverse=sort == "-year")
        assert hits[-1].year is None  # titles without a year come last, either way


async def test_a_copy_going_out_reaches_search(backend, search_pool):
    async with search_pool.acquire() as conn:
        barcode = (await conn.fetch(ORACLE.copies_of, TBM_DADI, SORCERERS_STONE))[0]["barcode"]
    indexer = Indexer(search_pool, backend, embedded=backend.name == "embedded")

    async def set_status(status: str) -> None:
        async with search_pool.acquire() as conn:
            outcome = await item_queries.set_statuses(conn, barcodes=[barcode], statuses=[status], actor="test")
        assert outcome is not None and outcome.updated == 1
        assert await indexer.drain() == 1

    await set_status("on_loan")
    try:
        hit = (await search(backend, q=SORCERERS_STONE, library=TBM_DADI)).hits[0]
        assert (hit.copies, hit.available) == (1, 0)
        assert (await search(backend, q="sorcerers stone", library=TBM_DADI, available=True)).total == 0
        assert (await search(backend, q="sorcerers stone", library=TBM_DADI, available=False)).total == 1
    finally:
        await set_status("available")
    hit = (await search(backend, q=SORCERERS_STONE, library=TBM_DADI)).hits[0]
    assert (hit.copies, hit.available) == (1, 1)


CRAFTED = [
    'eng" OR library != "x',
    "eng OR library != x",
    "eng' OR '1'='1",
    'x" OR 1 = 1 OR language = "y',
    "eng) OR (library EXISTS",
    "ind\\",
    "ind\x00 OR x",
    "x" * 10_000,
    "",
]


@pytest.mark.parametrize("field", ["library", "kecamatan", "language", "audience", "category", "ddc_class"])
@pytest.mark.parametrize("value", CRAFTED, ids=range(len(CRAFTED)))
async def test_crafted_filter_values_never_widen_a_search(backend, field, value):
    try:
        query = query_from_params([(field, value)])
    except Invalid as refused:
        assert refused.field == field and refused.code == f"{field}_invalid"
        return
    if value.strip():  # a value that passes validation is a literal: it matches nothing here
        assert (await backend.search(query)).total == 0


@pytest.mark.parametrize(
    "params, code",
    [
        ([("q", "x" * 201)], "q_too_long"),
        ([("per_page", "101")], "per_page_invalid"),
        ([("page", "0")], "page_invalid"),
        ([("sort", "price")], "sort_invalid"),
        ([("available", "maybe")], "available_invalid"),
        ([("year_from", "20x5")], "year_invalid"),
        ([("year_from", "2010"), ("year_to", "2000")], "year_range_invalid"),
        ([("library", SARANGAN), ("library", TBM_DADI)], "parameter_repeated"),
        ([("near", "Perpustakaan Sarangan")], "near_invalid"),
        ([("filter", "library = x")], "parameter_unknown"),
    ],
)
def test_every_search_parameter_is_validated(params, code):
    with pytest.raises(Invalid) as refused:
        query_from_params(params)
    assert refused.value.code == code


def test_isbn_forms_are_recognised_and_words_are_not():
    assert SearchQuery(q="0-449-00483-X").isbn13 == SPARROW
    assert SearchQuery(q=isbnlib.mask(SPARROW)).isbn13 == SPARROW
    assert SearchQuery(q="2005").isbn13 is None
    assert SearchQuery(q="harry potter 1997").isbn13 is None
