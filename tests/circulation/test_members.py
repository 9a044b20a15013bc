"""Members at the desk: register, correct, suspend, renew, and import a member list (CSV and XLSX)."""

import io

import openpyxl

from services.circulation.clock import today
from tests.circulation.conftest import API, GONGGANG, SOMBO, register


async def test_numbers_run_per_library_and_the_category_comes_from_the_birth_year(http, magetan, admin):
    first = await register(http, admin, "Siti", birth_year=today().year - 70)
    second = await register(http, admin, "Budi", birth_year=today().year - 15, gender="L", disability=True)
    elsewhere = await register(http, admin, "Wati", library=SOMBO, birth_year=today().year - 5)
    assert first["member_number"][:-1] == "3520012002-00001"
    assert second["member_number"][:-1] == "3520012002-00002"
    assert elsewhere["member_number"][:-1] == "3520012008-00001"
    assert [m["category"] for m in (first, second, elsewhere)] == ["lansia", "remaja", "anak"]
    assert second["disability"] is True and first["status"] == "active"
    assert first["expires_on"] == today().replace(year=today().year + 3).isoformat()
    shown = (await http.get(f"{API}/members/{second['member_number']}", headers=admin)).json()
    assert shown == second


async def test_a_member_is_corrected_field_by_field(http, magetan, admin):
    siti = await register(http, admin, "Siti  Aminah", contact="0812")
    assert siti["name"] == "Siti Aminah"
    fixed = await http.patch(
        f"{API}/members/{siti['member_number']}", headers=admin, json={"birth_year": 1950, "contact": None}
    )
    assert fixed.status_code == 200
    assert (fixed.json()["name"], fixed.json()["category"], fixed.json()["contact"]) == ("Siti Aminah", "lansia", None)
    wrong = await http.patch(f"{API}/members/{siti['member_number']}", headers=admin, json={"library": SOMBO})
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_request"
    missing = await http.patch(f"{API}/members/3520012002-999999", headers=admin, json={"name": "X"})
    assert (missing.status_code, missing.json()["code"]) == (404, "member_not_found")


async def test_registration_refuses_what_is_not_a_member(http, magetan, admin):
    async def refused(**fields):
        body = {"name": "Ani", "library": GONGGANG, "birth_year": 1990, "gender": "P", **fields}
        answer = await http.post(f"{API}/members", headers=admin, json=body)
        return answer.status_code, answer.json()["code"]

    assert await refused(birth_year=today().year + 1) == (422, "birth_year_invalid")
    assert await refused(gender="X") == (400, "invalid_request")
    assert await refused(library="99.99.99.9999") == (422, "library_not_found")
    assert await refused(library="Gonggang") == (400, "invalid_request")
    assert await refused(name="   ") == (422, "name_invalid")
    assert await refused(nickname="A") == (400, "invalid_request")


def xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def test_a_member_list_is_imported_with_a_row_level_report(http, magetan, admin, pool):
    content = xlsx(
        [
            ["No", "Nama", "Tahun Lahir", "Jenis Kelamin", "Disabilitas", "Kontak"],
            [1, "Budi Santoso", 2015, "L", "tidak", "0812"],
            [2, "Sri Wahyuni", 1980.0, "Perempuan", "ya", None],
            [3, "Tanpa Tahun", None, "P", None, None],
            [4, "Joko", 1975, "laki", None, None],
        ]
    )
    answer = await http.post(
        f"{API}/libraries/{GONGGANG}/member-imports", headers=admin, files={"file": ("anggota.xlsx", content)}
    )
    assert answer.status_code == 201, answer.text
    report = answer.json()
    assert (report["rows"], report["imported"]) == (4, 2)
    assert [(r["row"], r["field"], r["code"]) for r in report["rejected"]] == [
        (3, "birth_year", "birth_year_invalid"),
        (4, "gender", "gender_invalid"),
    ]
    sri = (await http.get(f"{API}/members/{report['member_numbers'][1]}", headers=admin)).json()
    assert (sri["name"], sri["gender"], sri["disability"], sri["category"]) == ("Sri Wahyuni", "P", True, "dewasa")
    listed = (await http.get(f"{API}/libraries/{GONGGANG}/members?q=budi", headers=admin)).json()
    assert [m["name"] for m in listed["members"]] == ["Budi Santoso"] and listed["total"] == 1
    async with pool.acquire() as conn:
        events = await conn.fetchval("SELECT count(*) FROM circulation.events WHERE type = 'member_registered'")
    assert events == 2
    csv = "Nama;Tahun Lahir;JK\nAni;1999;P\n".encode("cp1252")
    again = await http.post(
        f"{API}/libraries/{GONGGANG}/member-imports", headers=admin, files={"file": ("anggota.csv", csv)}
    )
    assert again.json()["member_numbers"][0][:-1] == "3520012002-00003"
    unusable = await http.post(
        f"{API}/libraries/{GONGGANG}/member-imports", headers=admin, files={"file": ("x.csv", b"Alamat\nPlaosan\n")}
    )
    assert (unusable.status_code, unusable.json()["code"]) == (422, "columns_missing")
