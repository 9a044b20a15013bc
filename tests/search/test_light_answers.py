"""Light answers for a phone on a village 3G link: every API answer and page is compressed, brotli when the
client accepts it and gzip otherwise, and a page of hits for a broad village word stays a few kilobytes."""

from __future__ import annotations

import gzip

import brotli
import msgspec
from searchdata import SARANGAN, eventually, ingest_seed

SEARCH = "/api/catalog/v1/search"


async def raw(http, path: str, encoding: str, **params) -> tuple[dict, bytes]:
    """The headers and the bytes as they travelled (not decoded by the client)."""
    async with http.stream("GET", path, params=params, headers={"Accept-Encoding": encoding}) as answer:
        assert answer.status_code == 200
        return dict(answer.headers), b"".join([chunk async for chunk in answer.aiter_raw()])


def same_answer(a: bytes, b: bytes) -> bool:
    first, second = msgspec.json.decode(a), msgspec.json.decode(b)
    first.pop("took_ms"), second.pop("took_ms")
    return first == second


async def test_a_broad_search_travels_compressed_and_arrives_the_same(http, magetan):
    async with magetan.acquire() as conn:
        await ingest_seed(conn, SARANGAN)

    async def indexed():
        return (await http.get(SEARCH, params={"library": SARANGAN})).json()["total"] == 1000

    assert await eventually(indexed, timeout=2.0)
    headers, plain = await raw(http, SEARCH, "identity", q="the")
    assert "content-encoding" not in headers
    assert len(plain) > 8000  # twenty hits with their facets

    headers, packed = await raw(http, SEARCH, "gzip, deflate, br", q="the")
    assert headers["content-encoding"] == "br"
    assert same_answer(brotli.decompress(packed), plain)
    assert len(packed) * 4 < len(plain)

    headers, packed = await raw(http, SEARCH, "gzip", q="the")
    assert headers["content-encoding"] == "gzip"
    assert same_answer(gzip.decompress(packed), plain)
    assert len(packed) * 4 < len(plain)


async def test_pages_and_their_scripts_travel_compressed(http):
    for path in ("/", "/static/opac.js", "/desk/", "/api/catalog/schema/openapi.json"):
        headers, packed = await raw(http, path, "gzip, br")
        assert headers["content-encoding"] == "br", path
        assert brotli.decompress(packed)


async def test_a_tiny_answer_goes_as_it_is(http):
    headers, body = await raw(http, "/api/catalog/v1/search/health", "gzip, br")
    assert "content-encoding" not in headers
    assert msgspec.json.decode(body)["engine"] == "embedded"
