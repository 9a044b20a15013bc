"""The embedded index kept on disk carries the language work: reopened at start, it finds titles by the
stems of their words and groups one hit per title with its holdings exactly as the index that was built;
and writes after the reopening keep each title's lead document right (the lead moves, the counts stay)."""

from __future__ import annotations

from searchdata import BLARAN, SARANGAN

from search import persisted
from search.backend import SearchQuery
from search.documents import document_id
from search.embedded import EmbeddedBackend, words_fingerprint
from search.indexer import rebuild_from_database

QUERIES = [
    SearchQuery(q="bercocok tanam"),
    SearchQuery(q="memasak", near=BLARAN),
    SearchQuery(q="dongeng anak", sort="title"),
    SearchQuery(available=True, per_page=50),
    SearchQuery(kecamatan="35.20.07", q="obat"),
    SearchQuery(q="tanaman obat", library=BLARAN),
]


def answer(result) -> tuple:
    return result.total, result.facets, [(h.id, h.holdings, h.highlight) for h in result.hits]


async def test_a_reopened_index_answers_by_stems_and_by_title_as_the_built_one(language_pool, tmp_path):
    built = EmbeddedBackend(tmp_path)
    await rebuild_from_database(language_pool, built)
    before = [answer(built.search_now(q)) for q in QUERIES]
    farming = built.search_now(QUERIES[0])
    assert farming.hits[0].title == "Bercocok tanam padi sawah"  # matched through stems and synonyms
    assert sorted(h.library for h in farming.hits[0].holdings) == sorted((SARANGAN, BLARAN))
    await built.close()

    reopened = EmbeddedBackend(tmp_path)
    assert await reopened.reopen()
    assert reopened.drain_key == built.drain_key == persisted.saved(tmp_path, words_fingerprint()).key
    assert [answer(reopened.search_now(q)) for q in QUERIES] == before

    # Sarangan lets its farming titles go: each stays one hit, now held by Blaran alone.
    title_ids = [int(h.id.rsplit("_", 1)[1]) for h in farming.hits]
    await reopened.delete([document_id(SARANGAN, t) for t in title_ids])
    after = reopened.search_now(QUERIES[0])
    assert (after.total, [h.title for h in after.hits]) == (farming.total, [h.title for h in farming.hits])
    assert all([h.library for h in hit.holdings] == [BLARAN] for hit in after.hits)
    assert after.facets["library"] == {BLARAN: farming.total}
    assert sum(after.facets["available"].values()) == farming.total


async def test_an_index_whose_words_were_stemmed_otherwise_is_not_reopened(language_pool, tmp_path):
    """Changed stemming rules or roots (search/data/) make the stems on disk stale: the index is rebuilt."""
    built = EmbeddedBackend(tmp_path)
    await rebuild_from_database(language_pool, built)
    await built.close()
    saved = persisted.saved(tmp_path, words_fingerprint())
    assert saved is not None and await EmbeddedBackend(tmp_path).reopen()
    persisted.record(saved.folder, saved.key, saved.position, "stemmed-by-an-older-version")
    assert persisted.saved(tmp_path, words_fingerprint()) is None
    assert not await EmbeddedBackend(tmp_path).reopen()
