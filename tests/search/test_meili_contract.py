"""The Meilisearch adapter speaks the Meilisearch 1.15.2 API as described: each request it makes through
the real clients (meilisearch-python for writes, aiohttp for searches) is checked against the OpenAPI
description (tests/contracts/)."""

from __future__ import annotations

import msgspec
import pytest
import requests
from meili_contract import MeiliContract

from search.backend import SearchQuery, SearchUnavailable, batches_of
from search.documents import TitleDocument, document_id
from search.meili import MeiliBackend, filters

LIVE, SPARE = "pustaka_titles", "pustaka_titles_rebuild"


def book(title_id: int, title: str, *, library: str = "35.20.07.1013", available: int = 1) -> TitleDocument:
    return TitleDocument(
        id=document_id(library, title_id),
        library=library,
        library_name="Perpustakaan Kelurahan Sarangan",
        kecamatan="35.20.07",
        kecamatan_name="Plaosan",
        title_id=title_id,
        isbn13="9789793062792",
        isbn10="9793062797",
        isbn="978-979-3062-79-2",
        local_code=None,
        title=title,
        subtitle=None,
        authors=["Andrea Hirata"],
        publisher="Bentang Pustaka",
        category=None,
        language="ind",
        audience=None,
        ddc="899.221",
        ddc_class="800",
        year=2005,
        copies=2,
        available=available,
        on_shelf=available > 0,
        call_number="899.221 HIR l",
        title_sort=title.lower(),
    )


@pytest.fixture
async def contract(monkeypatch):
    transport = MeiliContract()
    async with transport.serving() as base:
        transport.base = base
        original = requests.Session.get_adapter

        def get_adapter(session, url: str):
            return transport if url.startswith(base) else original(session, url)

        monkeypatch.setattr(requests.Session, "get_adapter", get_adapter)
        yield transport


@pytest.fixture
async def meili(contract):
    backend = MeiliBackend(contract.base, "master-key-for-tests")
    yield backend
    await backend.close()


def route_list(contract: MeiliContract) -> list[tuple[str, str]]:
    return [(c.method, c.route) for c in contract.calls]


async def test_the_first_write_creates_the_index_with_its_settings_then_adds_documents(contract, meili):
    await meili.upsert([book(1, "Laskar Pelangi"), book(2, "Sang Pemimpi", available=0)])
    assert route_list(contract) == [
        ("GET", "/indexes/{indexUid}"),
        ("POST", "/indexes"),
        ("GET", "/tasks/{taskUid}"),
        ("PATCH", "/indexes/{indexUid}/settings"),
        ("GET", "/tasks/{taskUid}"),
        ("POST", "/multi-search"),
        ("POST", "/indexes/{indexUid}/documents"),
        ("GET", "/tasks/{taskUid}"),
    ]
    create, settings, warm_up, add = contract.calls[1], contract.calls[3], contract.calls[5], contract.calls[6]
    # a search in Japanese, Chinese, Korean and Thai makes Meilisearch load those segmenters before any package
    assert [q["q"] for q in warm_up.body["queries"]] == ["美少女戦士セーラームーン", "中国历史", "한국어", "ภาษาไทย"]
    assert create.body == {"uid": LIVE, "primaryKey": "id"}
    assert settings.body["filterableAttributes"] == [
        "id",
        "library",
        "kecamatan",
        "on_shelf",
        "language",
        "audience",
        "category",
        "ddc_class",
        "year",
        "isbn13",
        "title_id",
    ]
    assert settings.body["typoTolerance"]["minWordSizeForTypos"] == {"oneTypo": 5, "twoTypos": 9}
    assert "yang" in settings.body["stopWords"] and settings.body["synonyms"]["buku"] == ["book"]
    assert add.query == {"primaryKey": "id"}
    assert [(d["id"], d["on_shelf"]) for d in add.body] == [("35-20-07-1013_1", True), ("35-20-07-1013_2", False)]


async def test_later_writes_reuse_the_index_and_deletions_go_by_a_quoted_id_filter(contract, meili):
    await meili.upsert([book(1, "Laskar Pelangi")])
    contract.calls.clear()
    await meili.delete(["35-20-07-1013_1", "35-20-07-1013_2"])
    assert route_list(contract) == [("POST", "/indexes/{indexUid}/documents/delete"), ("GET", "/tasks/{taskUid}")]
    assert contract.calls[0].body == {"filter": 'id IN ["35-20-07-1013_1", "35-20-07-1013_2"]'}


async def test_a_search_sends_validated_filters_facets_sort_and_highlight_tags(contract, meili):
    contract.search_answer = {
        "hits": [
            {
                **msgspec.to_builtins(book(1, "Laskar Pelangi")),
                "_formatted": {"title": "\ue000Laskar\ue001 Pelangi <3", "authors": ["Andrea Hirata"]},
            }
        ],
        "query": "laskar",
        "processingTimeMs": 1,
        "hitsPerPage": 20,
        "page": 2,
        "totalPages": 2,
        "totalHits": 21,
        "facetDistribution": {
            "library": {"35.20.07.1013": 21},
            "on_shelf": {"true": 20, "false": 1},
            "year": {"2005": 21},
        },
    }
    result = await meili.search(
        SearchQuery(
            q="laskar",
            library="35.20.07.1013",
            available=True,
            category="Novel Anak's",
            year_from=2000,
            sort="-year",
            page=2,
        )
    )
    (call,) = contract.calls
    assert (call.method, call.route) == ("POST", "/indexes/{indexUid}/search")
    assert call.body["filter"] == [
        'library = "35.20.07.1013"',
        'category = "Novel Anak\'s"',
        "on_shelf = true",
        "year >= 2000",
    ]
    assert call.body["sort"] == ["year:desc"] and call.body["matchingStrategy"] == "all"
    assert (call.body["page"], call.body["hitsPerPage"]) == (2, 20)
    assert call.body["facets"] == [
        "library",
        "kecamatan",
        "on_shelf",
        "language",
        "audience",
        "category",
        "ddc_class",
        "year",
    ]
    assert result.total == 21
    assert result.hits[0].highlight == {"title": "<mark>Laskar</mark> Pelangi &lt;3"}
    assert result.facets["available"] == {"false": 1, "true": 20} and result.facets["audience"] == {}


def grouped_answer(total: int) -> dict:
    laskar = msgspec.to_builtins(book(7, "Laskar Pelangi"))
    return {
        "hits": [{**laskar, "_formatted": {"title": "\ue000Laskar\ue001 Pelangi"}}],
        "query": "laskar",
        "processingTimeMs": 1,
        "hitsPerPage": 20,
        "page": 1,
        "totalPages": 1,
        "totalHits": total,
        "facetDistribution": {"library": {"35.20.07.1013": 1}, "language": {"ind": 1}},
    }


async def test_a_grouped_search_asks_for_distinct_titles_then_the_holdings_that_also_give_the_counts(contract, meili):
    contract.search_answer = grouped_answer(total=1)
    result = await meili.search(SearchQuery(q="menanam", near="35.20.07.1013", available=True))
    # every matching title is on the page: its holdings are every matching document, and count the facets
    assert route_list(contract) == [("POST", "/indexes/{indexUid}/search")] * 2
    first, holdings = (c.body for c in contract.calls)
    # the word's stem first, then the word as written: every title with the stem, the word itself above
    assert first["q"] == "tanam menanam " and first["matchingStrategy"] == "last"
    assert holdings["q"] == ""  # the title's documents all match its words: the filter alone finds them
    assert first["distinct"] == "title_id" and "library" not in first["facets"]
    assert holdings["filter"] == ["on_shelf = true", "title_id IN [7]"] and "distinct" not in holdings
    assert "title" not in holdings["attributesToRetrieve"] and "copies" in holdings["attributesToRetrieve"]
    (hit,) = result.hits
    assert (hit.title, hit.highlight) == ("Laskar Pelangi", {"title": "<mark>Laskar</mark> Pelangi"})
    assert [(h.library, h.copies) for h in hit.holdings] == [("35.20.07.1013", 2)]
    assert (result.facets["library"], result.facets["kecamatan"]) == ({"35.20.07.1013": 1}, {"35.20.07": 1})
    assert result.facets["available"] == {"true": 1} and result.facets["language"] == {"ind": 1}


async def test_a_grouped_search_with_more_titles_than_a_page_counts_them_in_one_multi_search(contract, meili):
    contract.search_answer = grouped_answer(total=21)
    await meili.search(SearchQuery(q="menanam", near="35.20.07.1013", available=True))
    assert route_list(contract) == [("POST", "/indexes/{indexUid}/search"), ("POST", "/multi-search")]
    libraries, on_shelf, holdings = contract.calls[1].body["queries"]
    assert {q["indexUid"] for q in (libraries, on_shelf, holdings)} == {LIVE}
    assert libraries["facets"] == ["library", "kecamatan"] and "distinct" not in libraries
    assert libraries["hitsPerPage"] == on_shelf["hitsPerPage"] == 0
    assert on_shelf["filter"] == ["on_shelf = true"] and on_shelf["distinct"] == "title_id"
    assert holdings["filter"] == ["on_shelf = true", "title_id IN [7]"]
    assert libraries["q"] == on_shelf["q"] == "tanam menanam " and holdings["q"] == ""


def test_an_isbn_query_becomes_an_exact_filter():
    assert filters(SearchQuery(q="979-3062-79-7")) == ['isbn13 = "9789793062792"']


async def test_a_rebuild_fills_a_spare_index_and_swaps_it_in(contract, meili):
    await meili.upsert([book(1, "Laskar Pelangi")])
    contract.calls.clear()
    count = await meili.rebuild(batches_of([book(i, f"Buku {i}") for i in range(1, 6)], size=2))
    assert count == 5
    steps = [(c.method, c.path) for c in contract.calls if c.route != "/tasks/{taskUid}"]
    assert steps == [
        ("DELETE", f"/indexes/{SPARE}"),
        ("GET", f"/indexes/{SPARE}"),
        ("POST", "/indexes"),
        ("PATCH", f"/indexes/{SPARE}/settings"),
        ("POST", f"/indexes/{SPARE}/documents"),
        ("POST", f"/indexes/{SPARE}/documents"),
        ("POST", f"/indexes/{SPARE}/documents"),
        ("POST", "/swap-indexes"),
        ("DELETE", f"/indexes/{SPARE}"),
    ]
    assert next(c for c in contract.calls if c.route == "/swap-indexes").body == [{"indexes": [LIVE, SPARE]}]
    assert contract.indexes == {LIVE: 5}
    assert (await meili.health()).documents == 5


async def test_an_engine_that_cannot_be_reached_is_reported_as_unavailable(contract, meili):
    contract.down = True
    with pytest.raises(SearchUnavailable) as down:
        await meili.upsert([book(1, "Laskar Pelangi")])
    assert down.value.status == 503 and down.value.code == "search_unavailable"
    with pytest.raises(SearchUnavailable) as searching:
        await meili.search(SearchQuery(q="laskar"))
    assert searching.value.detail == down.value.detail == "the search engine cannot be reached"
    health = await meili.health()
    assert health.ok is False and "127.0.0.1" not in (health.detail or "")


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("post", "/indexes/pustaka_titles/search", {"q": "x", "hitPerPage": 3}),
        ("patch", "/indexes/pustaka_titles/settings", {"typoTolerance": {"minWordSizeForTypo": {"oneTypo": 5}}}),
        ("post", "/swap-indexes", {"indexes": ["a", "b"]}),
        ("post", "/indexes/pustaka_titles/documents/delete-batch", ["1"]),
        ("post", "/multi-search", {"queries": [{"indexUid": "pustaka_titles", "hitPerPage": 3}]}),
    ],
)
def test_the_contract_refuses_what_the_description_does_not_allow(contract, method, path, body):
    from jsonschema import ValidationError

    with pytest.raises((AssertionError, ValidationError)):
        getattr(requests, method)(contract.base + path, json=body)
