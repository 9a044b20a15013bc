"""Indonesia OneSearch harvests a village library: a real OAI-PMH harvester (oaipmh-scythe) against /oai over
real HTTP, with small pages, while the catalogue changes under it."""

import asyncio

import httpx
import msgspec
import pytest
from lxml import etree
from oaipmh_scythe import Scythe
from oaipmh_scythe.iterator import OAIResponseIterator

from pustaka.seeding import read_package_index, seeds_dir
from services.catalog.ingest import ingest_package
from tests.inprocess import serve

GONGGANG = "35.20.01.2002"
UNKNOWN_RECORD = f"oai:perpus.magetan.go.id:{GONGGANG}/9780000000002"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
MARC = "{http://www.loc.gov/MARC21/slim}"
PAGE = 40


@pytest.fixture(scope="module")
async def endpoint(settings, database_url, servers):
    """The catalogue served alone over real HTTP, with OAI pages of 40 records."""
    from services.catalog.app import create_app

    small = msgspec.structs.replace(settings, oai_page_size=PAGE, oai_repository_id="perpus.magetan.go.id")
    running = await serve(create_app(small, database_url), servers)
    yield f"{running.url}/oai"
    await running.stop()


@pytest.fixture
async def gonggang(magetan):
    """Gonggang's aid package (1000 titles) in the catalogue."""
    entry = next(e for e in read_package_index(seeds_dir()) if e["library"] == GONGGANG)
    path = seeds_dir() / "packages" / entry["file"]
    async with magetan.acquire() as conn:
        await ingest_package(conn, library=GONGGANG, data=path.read_bytes(), source_name=path.name, actor="test")
    return magetan


async def held_titles(pool, library: str) -> dict[str, int]:
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT t.isbn13, count(*) AS copies FROM catalog.items i JOIN catalog.titles t "
            "ON t.id = i.title_id WHERE i.library_code = $1 AND i.status <> 'withdrawn' "
            "GROUP BY t.isbn13",
            library,
        )
    return {r["isbn13"]: r["copies"] for r in rows}


def harvest(endpoint: str, **query) -> list:
    with Scythe(endpoint) as scythe:
        return list(scythe.list_records(**query))


async def test_identify_formats_and_sets_describe_the_repository(endpoint, gonggang):
    def ask():
        with Scythe(endpoint) as scythe:
            identify = scythe.identify()
            formats = [f.metadataPrefix for f in scythe.list_metadata_formats()]
            sets = [s.setSpec for s in scythe.list_sets()]
            return identify, formats, sets

    identify, formats, sets = await asyncio.to_thread(ask)
    assert (
        identify.repositoryName,
        identify.baseURL,
        identify.protocolVersion,
        identify.deletedRecord,
        identify.granularity,
    ) == ("Pustaka Desa", endpoint, "2.0", "persistent", "YYYY-MM-DDThh:mm:ssZ")
    assert formats == ["oai_dc", "marc21"]
    assert sets[:3] == ["library", "kecamatan", "ddc"]
    assert {f"library:{GONGGANG}", "kecamatan:35.20.01", "ddc:600"} <= set(sets)
    assert len([s for s in sets if s.startswith("library:")]) == 38


async def test_a_harvester_takes_the_whole_catalogue_of_a_library_in_both_formats(endpoint, gonggang):
    held = await held_titles(gonggang, GONGGANG)
    dc = await asyncio.to_thread(harvest, endpoint, metadata_prefix="oai_dc", set_=f"library:{GONGGANG}")
    identifiers = [r.header.identifier for r in dc]
    assert len(identifiers) == len(set(identifiers)) == len(held) > PAGE * 10
    assert {i.rsplit("/", 1)[1] for i in identifiers} == set(held)
    assert all(i.startswith(f"oai:perpus.magetan.go.id:{GONGGANG}/") for i in identifiers)
    first = dc[0].metadata
    assert set(first) <= {
        "title",
        "creator",
        "subject",
        "description",
        "publisher",
        "contributor",
        "date",
        "type",
        "format",
        "identifier",
        "source",
        "language",
        "relation",
        "coverage",
        "rights",
    }
    marc = await asyncio.to_thread(harvest, endpoint, metadata_prefix="marc21", set_=f"library:{GONGGANG}")
    copies = {}
    for record in marc:
        element = record.xml.find(f".//{MARC}record")
        isbn = element.find(f"{MARC}datafield[@tag='020']/{MARC}subfield[@code='a']").text
        holdings = element.findall(f"{MARC}datafield[@tag='852']")
        assert {h.find(f"{MARC}subfield[@code='a']").text for h in holdings} == {GONGGANG}
        copies[isbn] = len(holdings)
    assert copies == held


async def test_a_change_made_between_two_pages_is_not_lost(endpoint, gonggang):
    loop = asyncio.get_running_loop()

    async def retitle(isbn13: str, title: str) -> None:
        async with gonggang.acquire() as conn:
            await conn.execute("UPDATE catalog.titles SET title = $2 WHERE isbn13 = $1", isbn13, title)

    def walk() -> tuple[list[str], str, list[str]]:
        seen, pages = [], []
        with Scythe(endpoint, iterator=OAIResponseIterator) as scythe:
            for response in scythe.list_identifiers(metadata_prefix="oai_dc", set_=f"library:{GONGGANG}"):
                page = [h.text for h in response.xml.iterfind(f".//{OAI}header/{OAI}identifier")]
                pages.append(response.xml.find(f"{OAI}responseDate").text)
                if not seen:
                    # After the first page: one title already harvested and one still to come are changed.
                    for identifier, title in ((page[0], "Judul yang diubah 1"), (ALL[-1], "Judul yang diubah 2")):
                        asyncio.run_coroutine_threadsafe(retitle(identifier.rsplit("/", 1)[1], title), loop).result()
                seen.extend(page)
        return seen, pages[0], []

    ALL = [
        h.identifier
        for h in await asyncio.to_thread(
            lambda: list(Scythe(endpoint).list_identifiers(metadata_prefix="oai_dc", set_=f"library:{GONGGANG}"))
        )
    ]
    seen, first_date, _ = await asyncio.to_thread(walk)
    assert len(seen) == len(set(seen)), "a record came twice in one harvest"
    changed = {ALL[0], ALL[-1]}
    assert set(ALL) - changed <= set(seen), "an unchanged record was skipped"
    assert set(seen) <= set(ALL)
    later = await asyncio.to_thread(
        harvest, endpoint, metadata_prefix="oai_dc", set_=f"library:{GONGGANG}", from_=first_date
    )
    titles = {r.header.identifier: r.metadata["title"][0] for r in later}
    assert titles[ALL[0]] == "Judul yang diubah 1"
    assert titles[ALL[-1]] == "Judul yang diubah 2"
    assert set(seen) | set(titles) == set(ALL), "the two harvests together miss a record"


async def test_a_withdrawn_title_is_a_deleted_record_and_stays_one(endpoint, gonggang):
    held = await held_titles(gonggang, GONGGANG)
    isbn = sorted(held)[0]
    identifier = f"oai:perpus.magetan.go.id:{GONGGANG}/{isbn}"
    async with gonggang.acquire() as conn:
        now = await conn.fetchval("SELECT clock_timestamp()")
        await asyncio.sleep(1.02 - now.microsecond / 1e6)  # datestamps have seconds: start a fresh one
        before = await conn.fetchval("SELECT clock_timestamp()")
        await conn.execute(
            "UPDATE catalog.items SET status = 'withdrawn' FROM catalog.titles t "
            "WHERE t.id = items.title_id AND t.isbn13 = $1 AND items.library_code = $2",
            isbn,
            GONGGANG,
        )

    def ask():
        with Scythe(endpoint) as scythe:
            record = scythe.get_record(identifier=identifier, metadata_prefix="marc21")
            since = before.strftime("%Y-%m-%dT%H:%M:%SZ")
            changed = list(scythe.list_identifiers(metadata_prefix="oai_dc", from_=since))
            return record, changed

    record, changed = await asyncio.to_thread(ask)
    assert record.deleted is True
    assert [(h.identifier, h.deleted) for h in changed] == [(identifier, True)]
    dc = await asyncio.to_thread(harvest, endpoint, metadata_prefix="oai_dc", set_=f"library:{GONGGANG}")
    assert sum(r.deleted for r in dc) == 1 and len(dc) == len(held)


async def oai_error(endpoint: str, query: str) -> list[str]:
    async with httpx.AsyncClient() as client:
        answer = await client.get(f"{endpoint}?{query}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/xml")
    return [e.get("code") for e in etree.fromstring(answer.content).iterfind(f"{OAI}error")]


async def test_every_oai_error_code_is_answered(endpoint, gonggang):
    held = sorted(await held_titles(gonggang, GONGGANG))
    ident = f"oai:perpus.magetan.go.id:{GONGGANG}/{held[0]}"
    cases = {
        "": "badVerb",
        "verb=Harvest": "badVerb",
        "verb=Identify&verb=Identify": "badVerb",
        "verb=ListRecords": "badArgument",
        "verb=Identify&set=x": "badArgument",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2026-13-01": "badArgument",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2026-01-01&until=2026-12-01T00:00:00Z": "badArgument",
        "verb=ListRecords&metadataPrefix=oai_dc&set=library:bukan-kode": "badArgument",
        "verb=ListRecords&resumptionToken=abc&metadataPrefix=oai_dc": "badArgument",
        "verb=ListRecords&resumptionToken=bukan-token": "badResumptionToken",
        "verb=ListSets&resumptionToken=x": "badResumptionToken",
        "verb=ListRecords&metadataPrefix=mods": "cannotDisseminateFormat",
        f"verb=GetRecord&identifier={ident}&metadataPrefix=mods": "cannotDisseminateFormat",
        f"verb=GetRecord&identifier={UNKNOWN_RECORD}&metadataPrefix=oai_dc": "idDoesNotExist",
        "verb=ListMetadataFormats&identifier=oai:elsewhere.org:1": "idDoesNotExist",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2099-01-01": "noRecordsMatch",
        "verb=ListIdentifiers&metadataPrefix=marc21&set=library:35.20.01.2008": "noRecordsMatch",
    }
    for query, code in cases.items():
        assert await oai_error(endpoint, query) == [code], query
    async with gonggang.acquire() as conn:
        await conn.execute(
            "UPDATE catalog.items SET status = 'withdrawn' FROM catalog.titles t "
            "WHERE t.id = items.title_id AND t.isbn13 = $1",
            held[0],
        )
    assert await oai_error(endpoint, f"verb=ListMetadataFormats&identifier={ident}") == ["noMetadataFormats"]


async def test_post_requests_and_the_gateway_route(endpoint, gonggang, http):
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            endpoint, data={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "ddc:800"}
        )
    root = etree.fromstring(answer.content)
    headers = root.findall(f".//{OAI}header")
    async with gonggang.acquire() as conn:
        literature = await conn.fetchval(
            "SELECT count(DISTINCT t.id) FROM catalog.titles t JOIN catalog.items i "
            "ON i.title_id = t.id WHERE t.ddc LIKE '8%'"
        )
    assert len(headers) == min(PAGE, literature)
    assert all("ddc:800" in [s.text for s in h.iterfind(f"{OAI}setSpec")] for h in headers)
    token = root.find(f".//{OAI}resumptionToken")
    if literature > PAGE:
        assert (token.get("cursor"), token.get("completeListSize")) == ("0", str(literature))
    else:
        assert token is None
    through_gateway = await http.get("/oai", params={"verb": "Identify"})
    assert through_gateway.status_code == 200
    base = etree.fromstring(through_gateway.content).find(f".//{OAI}baseURL").text
    assert base == str(http.base_url).rstrip("/") + "/oai"
