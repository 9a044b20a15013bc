"""Correcting and classifying titles over HTTP: call numbers and reprinted labels follow, search follows
within 2 s, circulation's copies follow so statistics count loans under the new class; bad classes refused."""

from __future__ import annotations

import io
import time

import pypdf

from services.circulation.clock import today
from tests.care.conftest import CATALOG, GONGGANG, SOMBO, eventually, ingest_books, replica_status
from tests.circulation.conftest import check_in, check_out, register
from tests.support import token_for

AKAR = "9789794139219"  # Akar wangi: bertanam dan penyulingan, no class in the test manifest
DEMOKRASI = "9789794991565"  # Demokrasi dan konstitusi di Indonesia, no class


async def test_a_new_class_relabels_copies_and_reaches_search_and_statistics(http, magetan, librarian):
    books = await ingest_books(magetan, GONGGANG)
    akar = books[AKAR][0]
    member = (await register(http, librarian))["member_number"]
    assert (await check_out(http, librarian, akar, member)).status_code == 201
    assert (await check_in(http, librarian, akar)).status_code == 200
    assert (await replica_status(magetan, akar)) == ("available", None)
    before = (await http.get(f"{CATALOG}/items/{akar}")).json()
    assert before["call_number"] == "000 SAN a"

    started = time.perf_counter()
    answer = await http.patch(
        f"{CATALOG}/titles/979-413-921-1",
        headers=librarian,
        json={"ddc": "633.8", "title": "Akar Wangi: Bertanam dan Penyulingan", "subjects": ["Tanaman industri"]},
    )
    assert answer.status_code == 200, answer.text
    title = answer.json()
    assert (title["ddc"], title["title"], title["subjects"]) == (
        "633.8",
        "Akar Wangi: Bertanam dan Penyulingan",
        ["Tanaman industri"],
    )
    assert title["relabelled"] == books[AKAR]
    assert title["holdings"][0]["call_number"] == "633.8 SAN a"
    assert (await http.get(f"{CATALOG}/items/{akar}")).json()["call_number"] == "633.8 SAN a"

    async def searchable() -> bool:
        hits = (
            await http.get(f"{CATALOG}/search", params={"q": "penyulingan", "library": GONGGANG, "ddc_class": "600"})
        ).json()["hits"]
        return [h["call_number"] for h in hits] == ["633.8 SAN a"]

    assert await eventually(searchable, timeout=2.0)
    assert time.perf_counter() - started < 2.0

    labels = await http.get(
        f"{CATALOG}/libraries/{GONGGANG}/labels.pdf",
        headers=librarian,
        params={"barcodes": ",".join(title["relabelled"]), "kind": "spine"},
    )
    assert labels.status_code == 200 and labels.headers["content-type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(labels.content)).pages[0].extract_text()
    assert "633.8" in text and "SAN" in text and "000" not in text

    async def desk_follows() -> bool:
        return await replica_status(magetan, akar) == ("available", "600")

    assert await eventually(desk_follows, timeout=3.0)
    assert (await check_out(http, librarian, akar, member)).status_code == 201
    day = today().isoformat()
    stats = await http.get(
        "/api/circulation/v1/stats",
        headers=librarian,
        params={"scope": f"library:{GONGGANG}", "from": day, "to": day, "breakdown": "ddc_class"},
    )
    assert stats.status_code == 200, stats.text
    by_class = stats.json()["groups"][0]["breakdowns"]["ddc_class"]
    assert by_class["600"]["loans"] == 1

    async with magetan.acquire() as conn:
        audit = await conn.fetchrow("SELECT actor, action, detail FROM catalog.audit_log WHERE action = 'title.edit'")
    assert audit["actor"] == "sri" and '"633.8"' in audit["detail"]


async def test_who_may_edit_and_what_is_refused(http, magetan, librarian, admin):
    await ingest_books(magetan, SOMBO)
    refused = await http.patch(f"{CATALOG}/titles/{AKAR}", headers=librarian, json={"ddc": "633"})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    sombo = await token_for(http, magetan, "wati", "librarian", SOMBO)
    for bad, code in (("9999", "ddc_invalid"), ("abc", "ddc_invalid"), ("63", "ddc_invalid")):
        answer = await http.patch(f"{CATALOG}/titles/{AKAR}", headers=sombo, json={"ddc": bad})
        assert answer.status_code == 422 and answer.json()["code"] == code and answer.json()["field"] == "ddc"
    for body, code in (
        ({"title": "  "}, "title_required"),
        ({"year": 3000}, "year_invalid"),
        ({"language": "indonesia"}, "language_invalid"),
        ({"audience": "bayi"}, "audience_invalid"),
    ):
        answer = await http.patch(f"{CATALOG}/titles/{AKAR}", headers=sombo, json=body)
        assert answer.status_code == 422 and answer.json()["code"] == code, answer.text
    unknown_field = await http.patch(f"{CATALOG}/titles/{AKAR}", headers=sombo, json={"isbn13": "x"})
    assert unknown_field.status_code == 400
    missing = await http.patch(f"{CATALOG}/titles/9786020332956", headers=admin, json={"ddc": "630"})
    assert missing.status_code == 404 and missing.json()["code"] == "title_not_found"
    nobody = await http.patch(f"{CATALOG}/titles/{AKAR}", json={"ddc": "630"})
    assert nobody.status_code == 401
    cleared = await http.patch(f"{CATALOG}/titles/979-8767-55-1", headers=sombo, json={"ddc": None})
    assert cleared.status_code == 200 and cleared.json()["ddc"] is None
    assert cleared.json()["holdings"][0]["call_number"] == "000 IND u"


async def test_classifying_many_titles_from_their_suggestions(http, magetan, librarian):
    await ingest_books(magetan, GONGGANG)
    listed = await http.get(f"{CATALOG}/libraries/{GONGGANG}/unclassified")
    assert listed.status_code == 200
    page = listed.json()
    suggestions = {t["isbn13"]: (t["suggested_ddc"], t["suggested_because"]) for t in page["titles"]}
    assert page["total"] == 5
    assert suggestions == {
        "9789791273503": (None, None),  # Agar jatuh cinta tak jadi bencana
        AKAR: ("633.8", "akar wangi"),
        DEMOKRASI: ("321.8", "demokrasi"),
        "9789797568368": ("515", "kalkulus"),
        "9789795331131": ("657", "accounting"),
    }
    batch = [{"isbn": isbn, "ddc": ddc} for isbn, (ddc, _) in suggestions.items() if ddc]
    bad = await http.post(
        f"{CATALOG}/classifications",
        headers=librarian,
        json={"titles": batch + [{"isbn": "9789791273503", "ddc": "abc"}]},
    )
    assert bad.status_code == 422 and bad.json()["code"] == "ddc_invalid" and bad.json()["field"] == "titles[4].ddc"
    done = await http.post(f"{CATALOG}/classifications", headers=librarian, json={"titles": batch})
    assert done.status_code == 200, done.text
    assert {c["isbn"]: c["call_number"] for c in done.json()["classified"]} == {
        AKAR: "633.8 SAN a",
        DEMOKRASI: "321.8 MD d",
        "9789797568368": "515 NUG k",
        "9789795331131": "657 WIN k",
    }
    left = (await http.get(f"{CATALOG}/libraries/{GONGGANG}/unclassified")).json()
    assert [t["isbn13"] for t in left["titles"]] == ["9789791273503"]
