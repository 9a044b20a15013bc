"""A stock-take of Perpustakaan Desa Gonggang's real aid package over HTTP: copies on loan, withdrawn,
donated meanwhile, mis-shelved, another library's copy, an unknown barcode and a double scan, each exactly
where the report says; the missing written off as lost, which reaches the desk too."""

from __future__ import annotations

import asyncio
import io

import openpyxl

from tests.care.conftest import CATALOG, GONGGANG, SOMBO, copies, eventually, ingest_books, replica_status
from tests.circulation.conftest import check_in, check_out, register

LAW = "9789798767555"  # Undang-undang HAM 1999: 342.02, a 300 among the 000s when mis-shelved


async def test_a_stocktake_reports_every_copy_exactly(http, gonggang, librarian):
    shelf = await copies(gonggang, GONGGANG)
    assert len(shelf) == 1098  # the items on the ISBN rows of its package (seeds/README.md)
    other_library = (await ingest_books(gonggang, SOMBO))[LAW][0]
    member = (await register(http, librarian))["member_number"]
    lent = [shelf[0]["barcode"], shelf[1]["barcode"]]
    for barcode in lent:
        assert (await check_out(http, librarian, barcode, member)).status_code == 201
    seen = shelf[2]["barcode"]  # lent and returned: circulation's replica knows it
    assert (await check_out(http, librarian, seen, member)).status_code == 201
    assert (await check_in(http, librarian, seen)).status_code == 200

    async def lent_in_catalogue() -> bool:
        answers = [await http.get(f"{CATALOG}/items/{b}") for b in lent + [seen]]
        return [a.json()["status"] for a in answers] == ["on_loan", "on_loan", "available"]

    assert await eventually(lent_in_catalogue, timeout=3)

    started = await http.post(f"{CATALOG}/libraries/{GONGGANG}/stocktakes", headers=librarian)
    assert started.status_code == 201, started.text
    stocktake = started.json()
    assert (stocktake["library"], stocktake["expected"], stocktake["on_loan"]) == (GONGGANG, 1096, 2)
    again = await http.post(f"{CATALOG}/libraries/{GONGGANG}/stocktakes", headers=librarian)
    assert again.status_code == 409 and again.json()["code"] == "stocktake_already_open"
    assert again.json()["open_stocktake"] == stocktake["id"] and str(stocktake["id"]) in again.json()["detail"]

    # Meanwhile: two copies weeded (one still turns up on the shelf), two donated copies arrive.
    removed, withdrawn_on_shelf = shelf[10]["barcode"], shelf[11]["barcode"]
    for barcode in (removed, withdrawn_on_shelf):
        answer = await http.post(
            f"{CATALOG}/items/{barcode}/withdrawal", headers=librarian, json={"reason": "rusak berat"}
        )
        assert answer.status_code == 200 and answer.json()["status"] == "withdrawn"
    donation = await http.post(
        f"{CATALOG}/libraries/{GONGGANG}/acquisitions",
        headers=librarian,
        json={
            "isbn": "978-602-03-3295-6",
            "source": "donation",
            "acquired_on": "2026-11-20",
            "copies": 2,
            "title": "Bertanam Cabai di Pekarangan",
            "authors": ["Siti Rahma"],
            "ddc": "635",
        },
    )
    assert donation.status_code == 201, donation.text
    donated_found, donated_missing = donation.json()["barcodes"]

    missing = [shelf[20]["barcode"], shelf[21]["barcode"], seen]
    law = [c for c in shelf if c["isbn13"] == LAW]
    assert [c["call_number"] for c in law] == ["342.02 UND u"]
    stray = law[0]["barcode"]
    skip = set(lent + missing + [removed, withdrawn_on_shelf, stray])
    in_order = [c["barcode"] for c in shelf if c["barcode"] not in skip]
    in_order.insert(500, stray)  # on the shelf among the 000s
    first_walk, second_walk = in_order[:600], in_order[600:]
    call = {c["barcode"]: c["call_number"] for c in shelf}
    place = next(i for i, b in enumerate(second_walk) if call[b] > donation.json()["call_number"])
    second_walk.insert(place, donated_found)  # shelved in call-number order

    answer = await http.post(
        f"{CATALOG}/stocktakes/{stocktake['id']}/scans",
        headers=librarian,
        json={"barcodes": first_walk + [first_walk[3], "BUKAN-BARKODE"], "run": "rak 1"},
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["accepted"] == 600 and result["scanned"] == 602
    assert result["duplicates"] == [first_walk[3]] and result["unknown"] == ["BUKAN-BARKODE"]

    lines = "\n".join(second_walk + [withdrawn_on_shelf, other_library, first_walk[0]]) + "\n"
    answer = await http.post(
        f"{CATALOG}/stocktakes/{stocktake['id']}/scan-files",
        headers=librarian,
        files={"file": ("rak-2.txt", lines.encode(), "text/plain")},
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["accepted"] == len(second_walk)
    assert result["unexpected"] == [
        {"barcode": withdrawn_on_shelf, "reason": "withdrawn", "library": GONGGANG, "title": None},
        {"barcode": other_library, "reason": "other_library", "library": SOMBO, "title": None},
    ]
    assert result["duplicates"] == [first_walk[0]]

    progress = (await http.get(f"{CATALOG}/stocktakes/{stocktake['id']}", headers=librarian)).json()
    assert progress["status"] == "open" and progress["missing"][0]["barcode"] in missing

    answer = await http.post(
        f"{CATALOG}/stocktakes/{stocktake['id']}/finish", headers=librarian, json={"mark_missing_lost": True}
    )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["status"] == "finished"
    assert sorted(m["barcode"] for m in report["missing"]) == sorted(missing + [donated_missing])
    assert sorted(report["marked_lost"]) == sorted(missing + [donated_missing])
    assert [m["barcode"] for m in report["on_loan"]] == lent
    assert sorted(report["added_during"]) == sorted([donated_found, donated_missing])
    assert [(u["barcode"], u["reason"]) for u in report["unexpected"]] == [
        (withdrawn_on_shelf, "withdrawn"),
        (other_library, "other_library"),
    ]
    assert report["unknown"] == ["BUKAN-BARKODE"]
    assert [(m["barcode"], m["call_number"], m["neighbours_class"]) for m in report["misshelved"]] == [
        (stray, "342.02 UND u", "000")
    ]
    assert sorted(report["duplicates"]) == sorted([first_walk[3], first_walk[0]])
    assert report["expected"] == 1096 and report["expected_on_loan"] == 2
    assert report["found"] == 1096 - 1 - 1 - 3 + 1  # the snapshot, less the removed, the withdrawn found
    # elsewhere and the three missing, plus the donated copy found
    assert sum(p["expected"] for p in report["progress"]) == 1096 - 2 + 2 + 2  # without the withdrawn,
    # with the copies on loan and the donations
    assert {p["main_class"]: p["scanned"] for p in report["progress"]}["300"] == 8

    refused = await http.post(
        f"{CATALOG}/stocktakes/{stocktake['id']}/scans", headers=librarian, json={"barcodes": [missing[0]]}
    )
    assert refused.status_code == 409 and refused.json()["code"] == "stocktake_finished"
    assert (await http.get(f"{CATALOG}/items/{missing[0]}")).json()["status"] == "lost"

    async def desk_knows_it_is_lost() -> bool:
        return (await replica_status(gonggang, seen) or ("",))[0] == "lost"

    assert await eventually(desk_knows_it_is_lost, timeout=3)
    answer = await check_out(http, librarian, seen, member)
    assert answer.status_code == 409 and answer.json()["item_status"] == "lost"

    sheet = openpyxl.load_workbook(
        io.BytesIO((await http.get(f"{CATALOG}/stocktakes/{stocktake['id']}/report.xlsx", headers=librarian)).content)
    )
    assert [r[0] for r in sheet["Hilang"].iter_rows(min_row=2, values_only=True)] == [
        m["barcode"] for m in report["missing"]
    ]
    pdf = await http.get(f"{CATALOG}/stocktakes/{stocktake['id']}/report.pdf", headers=librarian)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_librarians_scanning_at_once_count_each_copy_once(http, gonggang, librarian):
    stocktake = (await http.post(f"{CATALOG}/libraries/{GONGGANG}/stocktakes", headers=librarian)).json()
    barcodes = [c["barcode"] for c in await copies(gonggang, GONGGANG)][:400]
    batches = [barcodes[i * 50 : i * 50 + 100] for i in range(7)]  # overlapping halves: every copy twice but the ends

    async def scan(batch: list[str]):
        return await http.post(
            f"{CATALOG}/stocktakes/{stocktake['id']}/scans", headers=librarian, json={"barcodes": batch}
        )

    answers = await asyncio.gather(*(scan(b) for b in batches))
    assert [a.status_code for a in answers] == [200] * 7
    assert sum(a.json()["accepted"] for a in answers) == 400
    assert sum(len(a.json()["duplicates"]) for a in answers) == 300
    report = (await http.get(f"{CATALOG}/stocktakes/{stocktake['id']}", headers=librarian)).json()
    assert report["scanned"] == 400 and len(report["duplicates"]) == 300


async def test_two_stocktakes_started_at_once_open_one(http, gonggang, librarian, admin):
    answers = await asyncio.gather(
        *(
            http.post(f"{CATALOG}/libraries/{GONGGANG}/stocktakes", headers=h)
            for h in (librarian, admin, librarian, admin)
        )
    )
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409]
    opened = next(a.json()["id"] for a in answers if a.status_code == 201)
    assert {a.json()["open_stocktake"] for a in answers if a.status_code == 409} == {opened}


async def test_finishing_twice_and_other_libraries_are_refused(http, gonggang, librarian, admin):
    sombo = await http.post(f"{CATALOG}/libraries/{SOMBO}/stocktakes", headers=librarian)
    assert sombo.status_code == 403 and sombo.json()["code"] == "forbidden"
    stocktake = (await http.post(f"{CATALOG}/libraries/{GONGGANG}/stocktakes", headers=librarian)).json()
    first = await http.post(f"{CATALOG}/stocktakes/{stocktake['id']}/finish", headers=librarian, json={})
    assert first.status_code == 200 and len(first.json()["missing"]) == 1098
    assert first.json()["marked_lost"] == []
    second = await http.post(f"{CATALOG}/stocktakes/{stocktake['id']}/finish", headers=librarian, json={})
    assert second.status_code == 409 and second.json()["code"] == "stocktake_finished"
    assert (await http.get(f"{CATALOG}/items/{first.json()['missing'][0]['barcode']}")).json()["status"] == "available"
    listed = (await http.get(f"{CATALOG}/libraries/{GONGGANG}/stocktakes", headers=librarian)).json()
    assert [(s["id"], s["status"]) for s in listed] == [(stocktake["id"], "finished")]
    unknown = await http.get(f"{CATALOG}/stocktakes/999999", headers=admin)
    assert unknown.status_code == 404 and unknown.json()["code"] == "stocktake_not_found"


async def test_racing_finishes_and_withdrawals_change_state_once(http, gonggang, librarian, admin):
    stocktake = (await http.post(f"{CATALOG}/libraries/{GONGGANG}/stocktakes", headers=librarian)).json()
    finishes = await asyncio.gather(
        *(
            http.post(f"{CATALOG}/stocktakes/{stocktake['id']}/finish", headers=h, json={"mark_missing_lost": True})
            for h in (librarian, admin) * 2
        )
    )
    assert sorted(a.status_code for a in finishes) == [200, 409, 409, 409]
    lost = next(a.json() for a in finishes if a.status_code == 200)["marked_lost"]
    assert len(lost) == 1098
    async with gonggang.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM catalog.items WHERE status = 'lost'") == 1098
        assert await conn.fetchval("SELECT count(*) FROM catalog.audit_log WHERE action = 'stocktake.finish'") == 1

    barcode = lost[0]
    found = await http.post(f"{CATALOG}/items/{barcode}/status", headers=admin, json={"status": "available"})
    assert found.status_code == 200
    weeds = await asyncio.gather(
        *(
            http.post(f"{CATALOG}/items/{barcode}/withdrawal", headers=h, json={"reason": "usang"})
            for h in (librarian, admin) * 3
        )
    )
    assert sorted(a.status_code for a in weeds) == [200, 409, 409, 409, 409, 409]
    assert {a.json()["code"] for a in weeds if a.status_code == 409} == {"item_already_withdrawn"}


async def test_a_scanned_formula_stays_text_in_the_workbook(http, gonggang, librarian):
    stocktake = (await http.post(f"{CATALOG}/libraries/{GONGGANG}/stocktakes", headers=librarian)).json()
    crafted = ['=HYPERLINK("http://x","klik")', "+1+1", "-2", "@SUM(A1)"]
    answer = await http.post(
        f"{CATALOG}/stocktakes/{stocktake['id']}/scans", headers=librarian, json={"barcodes": crafted}
    )
    assert answer.json()["unknown"] == crafted
    book = openpyxl.load_workbook(
        io.BytesIO((await http.get(f"{CATALOG}/stocktakes/{stocktake['id']}/report.xlsx", headers=librarian)).content)
    )
    cells = [row[0] for row in book["Tak dikenal"].iter_rows(min_row=2)]
    assert [c.value for c in cells] == crafted and {c.data_type for c in cells} == {"s"}
