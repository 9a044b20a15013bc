"""GET /api/catalog/v1/holdings: the copies held and titles of many libraries in one answer (what the district
statistics snapshot), equal to what each library's own lists say."""

from __future__ import annotations

from tests.circulation.conftest import GONGGANG, SOMBO, ingest_books


async def test_holdings_of_several_libraries_in_one_answer(magetan, http):
    copies = await ingest_books(magetan, GONGGANG)
    lost = copies[sorted(copies)[0]][0]
    async with magetan.acquire() as conn:
        await conn.execute("UPDATE catalog.items SET status = 'lost' WHERE barcode = $1", lost)
    answer = await http.get("/api/catalog/v1/holdings", params=[("library", SOMBO), ("library", GONGGANG)])
    assert answer.status_code == 200
    items = (await http.get(f"/api/catalog/v1/libraries/{GONGGANG}/items", params={"per_page": 1})).json()["total"]
    titles = (await http.get(f"/api/catalog/v1/libraries/{GONGGANG}/titles", params={"per_page": 1})).json()["total"]
    assert answer.json() == [
        {"library": GONGGANG, "items": items - 1, "titles": titles},
        {"library": SOMBO, "items": 0, "titles": 0},
    ]
    assert items == 12 and titles == 8


async def test_holdings_refuses_an_unreasonable_list(magetan, http):
    answer = await http.get("/api/catalog/v1/holdings", params=[("library", f"35.20.01.{n:04d}") for n in range(501)])
    assert answer.status_code == 422 and answer.json()["code"] == "too_many_libraries"
