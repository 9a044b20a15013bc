"""The catalogue over real HTTP: a librarian uploads the package, a patron looks a book up."""

import pytest

from pustaka.seeding import seeds_dir
from tests.support import token_for

MESSY = seeds_dir() / "examples" / "manifest-berantakan.csv"
GONGGANG = "35.20.01.2002"
SOMBO = "35.20.01.2008"


async def upload(http, headers, library=GONGGANG, path=MESSY, content=None, **extra):
    files = {"file": (path.name, content if content is not None else path.read_bytes(), "text/csv")}
    return await http.post(f"/api/catalog/v1/libraries/{library}/packages", files=files, headers=headers, data=extra)


@pytest.fixture
async def librarian(http, magetan):
    return await token_for(http, magetan, "sri", "librarian", GONGGANG)


async def test_a_librarian_uploads_the_package_and_gets_the_report(http, librarian):
    answer = await upload(http, librarian)
    assert answer.status_code == 201
    report = answer.json()
    assert (report["accepted_rows"], report["items_created"], len(report["rejected"])) == (30, 34, 10)
    again = await upload(http, librarian)
    assert again.status_code == 200
    assert again.json()["already_ingested"] is True


async def test_the_libraries_list_has_the_design_shape(http, magetan):
    libraries = (await http.get("/api/catalog/v1/libraries")).json()
    assert len(libraries) == 38
    assert {k: libraries[0][k] for k in ("code", "name", "kind", "kecamatan", "kabupaten")} == {
        "code": GONGGANG,
        "name": "Perpustakaan Desa Gonggang",
        "kind": "desa",
        "kecamatan": "Poncol",
        "kabupaten": "Kabupaten Magetan",
    }


async def test_uploading_needs_a_login_and_the_right_library(http, librarian):
    anonymous = await upload(http, {})
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"].startswith("application/problem+json")
    assert anonymous.json()["code"] == "token_missing"
    forged = await upload(http, {"Authorization": "Bearer " + librarian["Authorization"][7:-2] + "xx"})
    assert forged.json()["code"] == "token_invalid"
    elsewhere = await upload(http, librarian, library=SOMBO)
    assert elsewhere.status_code == 403
    assert elsewhere.json()["code"] == "forbidden"


async def test_a_file_that_is_not_a_manifest_is_a_clear_422(http, librarian):
    answer = await upload(http, librarian, content=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert answer.status_code == 422
    assert (answer.json()["code"], answer.json()["field"]) == ("file_format", "file")
    empty = await upload(http, librarian, content=b"")
    assert empty.json()["code"] == "file_empty"


async def test_a_50_mb_upload_is_refused_without_being_stored(http, librarian, magetan):
    answer = await upload(http, librarian, content=b"isbn;judul\n" + b"9780439554930;x\n" * (50 * 1024 * 1024 // 16))
    assert answer.status_code == 413
    assert answer.json()["code"] == "file_too_large"
    async with magetan.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM catalog.packages") == 0


async def test_an_unknown_library_is_404(http, magetan):
    admin = await token_for(http, magetan, "admin", "admin")
    answer = await upload(http, admin, library="35.20.99.9999")
    assert (answer.status_code, answer.json()["code"]) == (404, "library_not_found")


async def test_a_retried_upload_with_the_same_idempotency_key_gets_the_first_answer(http, librarian):
    first = await upload(http, {**librarian, "Idempotency-Key": "paket-2025-1"})
    replay = await upload(http, {**librarian, "Idempotency-Key": "paket-2025-1"})
    assert (first.status_code, replay.status_code) == (201, 201)
    assert replay.json() == first.json()
    assert replay.headers["idempotent-replayed"] == "true"


async def test_a_title_is_found_by_any_written_isbn_with_its_holdings(http, librarian):
    await upload(http, librarian)
    forms = ["9780439554930", "978-0-439-55493-0", "0439554934", "0-439-55493-4"]
    answers = [await http.get(f"/api/catalog/v1/titles/{form}") for form in forms]
    assert {a.status_code for a in answers} == {200}
    title = answers[0].json()
    assert title["title"] == "Harry Potter and the Sorcerer's Stone (Harry Potter, #1)"
    assert title["holdings"] == [
        {
            "library": GONGGANG,
            "library_name": "Perpustakaan Desa Gonggang",
            "kecamatan": "Poncol",
            "copies": 2,
            "available": 2,
            "call_number": "000 ROW h",
        }
    ]
    assert (await http.get("/api/catalog/v1/titles/9780439554931")).json()["code"] == "isbn_invalid"
    assert (await http.get("/api/catalog/v1/titles/9786020324784")).status_code == 404


async def test_items_are_listed_page_by_page_and_found_by_barcode(http, librarian):
    await upload(http, librarian)
    page = (await http.get(f"/api/catalog/v1/libraries/{GONGGANG}/items", params={"per_page": 10, "page": 2})).json()
    assert (page["total"], page["page"], page["per_page"], len(page["items"])) == (34, 2, 10, 10)
    item = page["items"][0]
    assert set(item) >= {"barcode", "isbn13", "title", "status", "call_number"}
    found = (await http.get(f"/api/catalog/v1/items/{item['barcode']}")).json()
    assert (found["barcode"], found["status"], found["library"]) == (item["barcode"], "available", GONGGANG)
    assert (await http.get("/api/catalog/v1/items/000000000019")).json()["code"] == "barcode_invalid"
    bad = await http.get(f"/api/catalog/v1/libraries/{GONGGANG}/items", params={"status": "hilang"})
    assert bad.json()["code"] == "status_invalid"


async def test_a_rejected_row_is_fixed_and_resubmitted_or_accepted_without_isbn(http, librarian):
    report = (await upload(http, librarian)).json()
    package = report["package_id"]
    rejections = (await http.get(f"/api/catalog/v1/packages/{package}/rejections")).json()
    by_row = {r["row"]: r for r in rejections}
    assert len(rejections) == 10
    checksum = by_row[5]
    assert checksum["values"]["title"] == "Akar wangi : bertanam dan penyulingan"
    still_wrong = await http.post(
        f"/api/catalog/v1/packages/{package}/rejections/{checksum['id']}/resubmissions",
        json={"values": {"isbn": "979-413-921-3"}},
        headers=librarian,
    )
    assert (still_wrong.status_code, still_wrong.json()["code"]) == (422, "isbn_checksum")
    fixed = await http.post(
        f"/api/catalog/v1/packages/{package}/rejections/{checksum['id']}/resubmissions",
        json={"values": {"isbn": "979-413-921-1"}},
        headers=librarian,
    )
    assert fixed.status_code == 201, fixed.text
    assert (fixed.json()["isbn13"], len(fixed.json()["barcodes"])) == ("9789794139219", 1)
    no_isbn = by_row[21]
    local = await http.post(
        f"/api/catalog/v1/packages/{package}/rejections/{no_isbn['id']}/resubmissions",
        json={"without_isbn": True},
        headers=librarian,
    )
    assert local.status_code == 201
    assert local.json()["local_code"] == "LOK0000001"
    assert (await http.get("/api/catalog/v1/titles/LOK0000001")).json()["title"].startswith("Negeri 5 Menara")
    twice = await http.post(
        f"/api/catalog/v1/packages/{package}/rejections/{no_isbn['id']}/resubmissions",
        json={"without_isbn": True},
        headers=librarian,
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "rejection_resolved")
    left = (await http.get(f"/api/catalog/v1/packages/{package}")).json()["open_rejections"]
    assert left == 8


async def test_the_openapi_description_is_served(http, magetan):
    schema = (await http.get("/api/catalog/schema/openapi.json")).json()
    assert "/api/catalog/v1/libraries/{code}/packages" in schema["paths"]


async def test_a_fixed_rejection_answers_what_the_openapi_description_promises(http, librarian):
    import jsonschema

    package = (await upload(http, librarian)).json()["package_id"]
    rejection = (await http.get(f"/api/catalog/v1/packages/{package}/rejections")).json()[0]
    fixed = await http.post(
        f"/api/catalog/v1/packages/{package}/rejections/{rejection['id']}/resubmissions",
        headers=librarian,
        json={"values": {"isbn": "979-413-921-1"}},
    )
    assert fixed.status_code == 201, fixed.text
    described = (await http.get("/api/catalog/schema/openapi.json")).json()
    operation = described["paths"]["/api/catalog/v1/packages/{package_id}/rejections/{rejection_id}/resubmissions"]
    schema = operation["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    jsonschema.validate(fixed.json(), {**schema, "components": described["components"]})
    assert fixed.json()["rejection"]["fixed"]["isbn"] == "979-413-921-1"
    assert "_fixed" not in fixed.json()["rejection"]["raw"]
