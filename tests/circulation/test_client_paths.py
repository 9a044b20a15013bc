"""The circulation→catalogue client escapes what it puts into a path: a crafted barcode or code reaches no
other endpoint with the service's token."""

from __future__ import annotations

from services.circulation.clients.catalog import CatalogClient
from tests.circulation.conftest import API, GONGGANG, SOMBO


async def test_crafted_values_stay_inside_their_path_segment(server, settings, books, magetan):
    client = CatalogClient.over_http(server, settings)
    try:
        assert await client.item("a/../../libraries") is None
        assert await client.item("../items/" + books["9789791680479"][0]) is None
        assert await client.library_exists(f"{GONGGANG}/../{SOMBO}") is False
        assert await client.title_copies(GONGGANG, "../../../libraries") is None
        assert await client.library_exists(SOMBO) is True
    finally:
        await client.aclose()


async def test_a_crafted_barcode_at_the_desk_is_just_an_unknown_copy(http, books, desk):
    answer = await http.post(f"{API}/items/a%2F..%2F..%2Flibraries/lost", headers=desk)
    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")  # no route has a slash in a barcode
