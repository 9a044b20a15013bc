"""The statistics API over real HTTP: who may read what, each bad input's code, privacy of district
outputs, exports read back, the district roll-up, and stats following real desk work."""

import csv
import io
import json

import openpyxl
import pytest

from services.circulation.clock import today
from tests.circulation.conftest import check_in, check_out, register
from tests.stats.conftest import API, GONGGANG, MAGETAN, SOMBO
from tests.stats.test_indicators import BUNGKUK, story  # noqa: F401  (fixture)
from tests.support import token_for

RANGE = {"from": "2025-01-01", "to": "2025-02-28"}
BABAD = "9789791680479"


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({"scope": "kabupaten:35.20", "from": "2025-03-01", "to": "2025-02-01"}, 422, "range_inverted"),
        ({"scope": "kabupaten:35.20", "from": "2019-01-01", "to": "2025-01-01"}, 422, "range_too_long"),
        ({"scope": "kabupaten:35.20", "from": "2025-02-30", "to": "2025-03-01"}, 422, "date_invalid"),
        ({"scope": "kabupaten:35.99", **RANGE}, 403, "scope_forbidden"),
        ({"scope": "kecamatan:35.20.77", **RANGE}, 404, "scope_not_found"),
        ({"scope": "library:35.20.01.9999", **RANGE}, 404, "scope_not_found"),
        ({"scope": "desa:35.20.01.2002", **RANGE}, 422, "scope_invalid"),
        ({"scope": "kabupaten:35.20", **RANGE, "group_by": "week"}, 422, "group_by_invalid"),
        ({"scope": "kabupaten:35.20", **RANGE, "breakdown": "gender,name"}, 422, "breakdown_invalid"),
        ({"scope": "kabupaten:35.20", **RANGE, "breakdown": "gender) FROM x --"}, 422, "breakdown_invalid"),
        ({"scope": "kabupaten:35.21", **RANGE}, 403, "scope_forbidden"),
    ],
)
async def test_each_bad_query_has_its_code(http, magetan, district, query, status, code):
    answer = await http.get(f"{API}/stats", headers=district, params=query)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == code


async def test_an_unknown_kabupaten_is_not_found(http, magetan, admin):
    answer = await http.get(f"{API}/stats", headers=admin, params={"scope": "kabupaten:35.99", **RANGE})
    assert (answer.status_code, answer.json()["code"]) == (404, "scope_not_found")


async def test_a_librarian_reads_only_their_own_library(http, magetan, desk):
    own = await http.get(f"{API}/stats", headers=desk, params={"scope": f"library:{GONGGANG}", **RANGE})
    assert own.status_code == 200, own.text
    for scope in (f"library:{SOMBO}", "kecamatan:35.20.01", "kabupaten:35.20"):
        answer = await http.get(f"{API}/stats", headers=desk, params={"scope": scope, **RANGE})
        assert (answer.status_code, answer.json()["code"]) == (403, "scope_forbidden")
    assert (await http.get(f"{API}/stats", params={"scope": f"library:{GONGGANG}", **RANGE})).status_code == 401


async def test_district_outputs_carry_no_member_identifier(http, story, district):
    async with story.acquire() as conn:
        secrets = [
            v
            for r in await conn.fetch("SELECT member_number, name, contact FROM circulation.members")
            for v in r.values()
        ]
    texts = []
    params = {"scope": f"kabupaten:{MAGETAN}", **RANGE}
    breakdown = "category,gender,disability,ddc_class,audience,title_category,language,library"
    texts.append((await http.get(f"{API}/stats", headers=district, params={**params, "breakdown": breakdown})).text)
    texts.append((await http.get(f"{API}/stats/libraries", headers=district, params=params)).text)
    texts.append((await http.get(f"{API}/stats/iplm", headers=district, params=params)).text)
    texts.append(
        (
            await http.get(
                f"{API}/stats/export", headers=district, params={**params, "format": "csv", "breakdown": "library"}
            )
        ).content.decode("utf-8-sig")
    )
    book = openpyxl.load_workbook(
        io.BytesIO(
            (
                await http.get(
                    f"{API}/stats/export", headers=district, params={**params, "format": "xlsx", "breakdown": breakdown}
                )
            ).content
        )
    )
    texts.append(
        json.dumps([[c for c in row] for s in book.worksheets for row in s.iter_rows(values_only=True)], default=str)
    )
    assert len(secrets) == 12
    for text in texts:
        assert "Anggota Rahasia" not in text and "member_id" not in text
        for secret in secrets:
            assert secret not in text


async def test_csv_and_xlsx_exports_read_back(http, story, district):
    params = {"scope": "kecamatan:35.20.01", **RANGE, "breakdown": "library,gender"}
    answer = await http.get(f"{API}/stats/export", headers=district, params={**params, "format": "csv"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert 'filename="statistik-352001-2025-01-01-2025-02-28.csv"' in answer.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert [(r["Periode"], r["Kode"], r["Peminjaman"], r["Kunjungan"]) for r in rows] == [
        ("2025-01", "35.20.01", "2", "8"),
        ("2025-01", GONGGANG, "2", "8"),
        ("2025-01", SOMBO, "0", "0"),
        ("2025-02", "35.20.01", "2", "3"),
        ("2025-02", GONGGANG, "1", "3"),
        ("2025-02", SOMBO, "1", "0"),
    ]
    assert rows[3]["Terlambat kembali (%)"] == "50.0" and rows[0]["Data simulasi"] == "tidak"

    answer = await http.get(f"{API}/stats/export", headers=district, params={**params, "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["Indikator", "Rincian Jenis kelamin", "Keterangan"]
    sheet = [list(r) for r in book["Indikator"].iter_rows(values_only=True)]
    assert sheet[0][:7] == ["Wilayah", "Periode", "Dari", "Sampai", "Kode", "Nama", "Peminjaman"]
    assert [r[6] for r in sheet[1:]] == [2, 2, 0, 2, 1, 1]
    gender = [list(r) for r in book["Rincian Jenis kelamin"].iter_rows(values_only=True)]
    assert gender[0][:2] == ["Periode", "Jenis kelamin"]
    assert {(r[0], r[1]): r[gender[0].index("Peminjaman")] for r in gender[1:]} == {
        ("2025-01", "L"): 1,
        ("2025-01", "P"): 1,
        ("2025-02", "L"): None,
        ("2025-02", "P"): 2,
    }
    bad = await http.get(f"{API}/stats/export", headers=district, params={**params, "format": "docx"})
    assert (bad.status_code, bad.json()["code"]) == (422, "format_invalid")


async def test_the_iplm_table_has_a_row_per_library_keyed_by_its_kemendagri_code(http, story, district):
    params = {"scope": f"kabupaten:{MAGETAN}", **RANGE}
    table = (await http.get(f"{API}/stats/iplm", headers=district, params=params)).json()
    assert len(table["rows"]) == 38 and table["simulated"] is False
    gonggang = next(r for r in table["rows"] if r["Kode Kemendagri"] == GONGGANG)
    assert {
        k: gonggang[k]
        for k in (
            "Jumlah anggota",
            "Kunjungan anggota",
            "Kunjungan non-anggota",
            "Jumlah judul",
            "Jumlah eksemplar",
            "Jumlah peminjaman",
            "Baca di tempat",
            "Peserta kegiatan",
            "Periode dari",
            "Periode sampai",
        )
    } == {
        "Jumlah anggota": 2,
        "Kunjungan anggota": 7,
        "Kunjungan non-anggota": 4,
        "Jumlah judul": 79,
        "Jumlah eksemplar": 98,
        "Jumlah peminjaman": 3,
        "Baca di tempat": 2,
        "Peserta kegiatan": 12,
        "Periode dari": "2025-01-01",
        "Periode sampai": "2025-02-28",
    }
    answer = await http.get(f"{API}/stats/iplm", headers=district, params={**params, "format": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(answer.content))["IPLM"].iter_rows(values_only=True))
    assert rows[0][0] == "Kode Kemendagri" and len(rows) == 39
    answer = await http.get(f"{API}/stats/iplm", headers=district, params={**params, "format": "csv"})
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Kode Kemendagri", "Nama perpustakaan"] and len(rows) == 39


async def test_the_district_rollup_lists_libraries_and_the_quiet_ones(http, story, district):
    answer = await http.get(
        f"{API}/stats/libraries", headers=district, params={"scope": f"kabupaten:{MAGETAN}", **RANGE, "quiet_days": 14}
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert len(body["libraries"]) == 38
    by_code = {r["library"]: r["indicators"] for r in body["libraries"]}
    assert (by_code[GONGGANG]["loans"], by_code[BUNGKUK]["visits"], by_code[SOMBO]["reads_onsite"]) == (3, 4, 1)
    quiet = {q["library"]: q for q in body["quiet"]}
    # Up to 28 February, 14 days: Bungkuk lent on the 20th and counted visitors on the 28th; Gonggang last
    # lent on 3 February (25 days before); Sombo on 1 February; the 35 others never.
    assert BUNGKUK not in quiet and len(quiet) == 37
    assert (quiet[GONGGANG]["last_activity"], quiet[GONGGANG]["days_without_activity"]) == ("2025-02-03", 25)
    assert quiet["35.20.03.1002"]["last_activity"] is None


async def test_statistics_follow_real_desk_work(http, books, desk, district):
    """Check-outs and check-ins through the real use cases show up in today's statistics at once."""
    siti = await register(http, desk, "Siti Aminah", birth_year=2014, gender="P")
    copies = books[BABAD]
    for barcode in copies:
        assert (await check_out(http, desk, barcode, siti["member_number"])).status_code == 201
    assert (await check_in(http, desk, copies[0])).status_code == 200
    day = today().isoformat()
    await http.post(
        f"{API}/visits",
        headers=desk,
        json={"library": GONGGANG, "date": day, "member_visits": 1, "non_member_visits": 2},
    )
    answer = await http.get(
        f"{API}/stats",
        headers=district,
        params={"scope": f"library:{GONGGANG}", "from": day, "to": day, "group_by": "day", "breakdown": "category"},
    )
    assert answer.status_code == 200, answer.text
    group = answer.json()["groups"][0]
    values = group["indicators"]
    assert (
        values["loans"],
        values["returns"],
        values["active_borrowers"],
        values["new_members"],
        values["members"],
        values["visits"],
    ) == (2, 1, 1, 1, 1, 3)
    assert values["collection_items"] == 12 and values["titles_held"] == 8
    assert values["turnover"] == round(2 / 12, 4) and values["titles_used_pct"] == 12.5
    assert group["breakdowns"]["category"]["anak"]["loans"] == 2
    assert siti["member_number"] not in answer.text and "Siti" not in answer.text


async def test_a_simulated_history_is_marked(http, magetan, history, admin):
    from tests.stats.conftest import wib

    await history.event(
        "member_registered", wib("2025-03-03 10:00"), GONGGANG, member=(9, "dewasa", "L"), simulated=True
    )
    params = {"scope": f"library:{GONGGANG}", "from": "2025-03-01", "to": "2025-03-31"}
    assert (await http.get(f"{API}/stats", headers=admin, params=params)).json()["simulated"] is True
    answer = await http.get(f"{API}/stats/export", headers=admin, params={**params, "format": "csv"})
    assert "simulasi" in answer.headers["content-disposition"]
    assert (
        list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))[0]["Data simulasi"] == "ya"
    )
    other = {"scope": f"library:{GONGGANG}", "from": "2025-04-01", "to": "2025-04-30"}
    assert (await http.get(f"{API}/stats", headers=admin, params=other)).json()["simulated"] is False


async def test_a_district_user_of_another_kabupaten_is_refused_everywhere(http, magetan):
    ngawi = await token_for(http, magetan, "ngawi", "district", "35.21")
    for path in ("stats", "stats/libraries", "stats/iplm", "stats/export"):
        answer = await http.get(f"{API}/{path}", headers=ngawi, params={"scope": f"kabupaten:{MAGETAN}", **RANGE})
        assert (answer.status_code, answer.json()["code"]) == (403, "scope_forbidden"), path


async def test_the_monthly_pdf_reports_read_back(http, story, district, desk):
    from pypdf import PdfReader

    answer = await http.get(
        f"{API}/stats/report.pdf", headers=district, params={"scope": f"kabupaten:{MAGETAN}", "month": "2025-02"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert "Kabupaten Magetan" in text and "Februari 2025" in text
    assert "Peminjaman" in text and "Perpustakaan Desa Gonggang" in text and "Anggota Rahasia" not in text
    assert "SIMULASI" not in text
    answer = await http.get(
        f"{API}/stats/report.pdf", headers=desk, params={"scope": f"library:{GONGGANG}", "month": "2025-01"}
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert "Perpustakaan Desa Gonggang" in text and "Januari 2025" in text
    bad = await http.get(
        f"{API}/stats/report.pdf", headers=district, params={"scope": f"kabupaten:{MAGETAN}", "month": "2025-13"}
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "date_invalid")


async def test_top_titles_and_never_borrowed_titles(http, books, desk, district):
    """Through the real desk: two titles lent (one twice), the other six of Gonggang's eight never."""
    from tests.circulation.conftest import check_in as give_back

    ani = (await register(http, desk, "Ani", birth_year=2012, gender="P"))["member_number"]
    babad, other = books[BABAD], [b for isbn, bs in books.items() if isbn != BABAD for b in bs][:1]
    assert (await check_out(http, desk, babad[0], ani)).status_code == 201
    assert (await give_back(http, desk, babad[0])).status_code == 200
    assert (await check_out(http, desk, babad[0], ani)).status_code == 201
    assert (await check_out(http, desk, other[0], ani)).status_code == 201
    day = today().isoformat()
    answer = await http.get(
        f"{API}/stats",
        headers=desk,
        params={"scope": f"library:{GONGGANG}", "from": day, "to": day, "breakdown": "top_titles,never_borrowed"},
    )
    assert answer.status_code == 200, answer.text
    b = answer.json()["groups"][0]["breakdowns"]
    top = list(b["top_titles"].items())
    assert top[0] == (BABAD, {"rank": 1, "loans": 2, "title": "Babad Tanah Jawi"})
    assert len(top) == 2 and top[1][1]["loans"] == 1 and top[1][1]["rank"] == 2
    assert len(b["never_borrowed"]) == 6 and BABAD not in b["never_borrowed"]
    assert all(v["copies"] >= 1 and v["title"] for v in b["never_borrowed"].values())
    wide = await http.get(
        f"{API}/stats",
        headers=district,
        params={"scope": "kecamatan:35.20.01", "from": day, "to": day, "breakdown": "never_borrowed"},
    )
    assert (wide.status_code, wide.json()["code"]) == (422, "breakdown_needs_library")
    kabupaten = await http.get(
        f"{API}/stats",
        headers=district,
        params={"scope": f"kabupaten:{MAGETAN}", "from": day, "to": day, "breakdown": "top_titles"},
    )
    assert list(kabupaten.json()["groups"][0]["breakdowns"]["top_titles"])[0] == BABAD
    sheet = await http.get(
        f"{API}/stats/export",
        headers=district,
        params={"scope": f"kabupaten:{MAGETAN}", "from": day, "to": day, "breakdown": "top_titles", "format": "xlsx"},
    )
    rows = list(
        openpyxl.load_workbook(io.BytesIO(sheet.content))["Rincian Judul terpopuler"].iter_rows(values_only=True)
    )
    assert rows[0][:2] == ("Periode", "Judul terpopuler") and rows[1][1] == BABAD
