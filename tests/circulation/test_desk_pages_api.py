"""What the desk's sub-pages rely on, over real HTTP against the real database: member cards as PDF (decoded
with zbar), a copy marked damaged and repaired (guarded, journalled, sent to the catalogue), visitors from
the entrance kiosk, and visit corrections that never lose a count a kiosk made meanwhile."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import subprocess
import uuid
from pathlib import Path

import httpx
import pytest

from services.circulation.clock import today
from tests.circulation.conftest import API, GONGGANG, SOMBO, check_out, register
from tests.support import token_for

BABAD = "9789791680479"


def decode_barcodes(pdf: bytes, tmp: Path) -> list[list[str]]:
    """Render each page of a PDF to PNG (poppler's pdftoppm) and read its barcodes (zbar's zbarimg)."""
    missing = [tool for tool in ("pdftoppm", "zbarimg") if shutil.which(tool) is None]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not installed (Debian packages poppler-utils, zbar-tools; "
            "scripts/test.sh installs them): the member-card barcodes could NOT be checked"
        )
    (tmp / "cards.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(tmp / "cards.pdf"), str(tmp / "page")], check=True)
    pages = []
    for png in sorted(tmp.glob("page-*.png")):
        found = subprocess.run(
            ["zbarimg", "-q", "--raw", "-Sdisable", "-Scode128.enable", str(png)], capture_output=True, text=True
        )
        pages.append(sorted(found.stdout.split()))
    return pages


async def test_a_members_card_is_an_id1_pdf_whose_code128_reads_as_the_member_number(http, magetan, desk, tmp_path):
    member = await register(http, desk, "Siti Aminah")
    answer = await http.get(f"{API}/members/{member['member_number']}/card.pdf", headers=desk)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    assert decode_barcodes(answer.content, tmp_path) == [[member["member_number"]]]
    text = subprocess.run(["pdftotext", "-", "-"], input=answer.content, capture_output=True).stdout.decode()
    assert "Siti Aminah" in text and "Berlaku s.d." in text and member["member_number"] in text


async def test_a_sheet_of_cards_holds_eight_per_a4_page_for_one_library_only(http, magetan, desk, tmp_path):
    numbers = [(await register(http, desk, f"Anggota {n:02d}"))["member_number"] for n in range(10)]
    answer = await http.get(
        f"{API}/libraries/{GONGGANG}/member-cards.pdf", params={"numbers": ",".join(numbers)}, headers=desk
    )
    assert answer.status_code == 200, answer.text
    assert decode_barcodes(answer.content, tmp_path) == [sorted(numbers[:8]), sorted(numbers[8:])]
    size = subprocess.run(["pdfinfo", "-"], input=answer.content, capture_output=True).stdout.decode()
    assert "595.276 x 841.89 pts (A4)" in size

    # A member of another library is refused, by the admin too; so is Sombo's sheet for Gonggang's librarian.
    admin = await token_for(http, magetan, "root", "admin")
    other = (await register(http, admin, "Budi", library=SOMBO))["member_number"]
    mixed = await http.get(
        f"{API}/libraries/{GONGGANG}/member-cards.pdf", params={"numbers": f"{numbers[0]},{other}"}, headers=admin
    )
    assert (mixed.status_code, mixed.json()["code"], mixed.json()["numbers"]) == (403, "member_other_library", [other])
    theirs = await http.get(f"{API}/libraries/{SOMBO}/member-cards.pdf", params={"numbers": other}, headers=desk)
    assert (theirs.status_code, theirs.json()["code"]) == (403, "forbidden")
    one = await http.get(f"{API}/members/{other}/card.pdf", headers=desk)
    assert (one.status_code, one.json()["code"]) == (403, "forbidden")
    unknown = await http.get(
        f"{API}/libraries/{GONGGANG}/member-cards.pdf", params={"numbers": "3520012002-999999"}, headers=desk
    )
    assert (unknown.status_code, unknown.json()["code"]) == (422, "member_not_found")
    anonymous = await http.get(f"{API}/members/{numbers[0]}/card.pdf")
    assert anonymous.status_code == 401


async def test_a_damaged_copy_leaves_circulation_with_its_reason_and_comes_back_repaired(http, magetan, books, desk):
    barcode = books[BABAD][0]
    damaged = await http.post(f"{API}/items/{barcode}/damaged", headers=desk, json={"reason": "sampul sobek"})
    assert damaged.status_code == 200, damaged.text
    assert {k: damaged.json()[k] for k in ("item_barcode", "status", "reason")} == {
        "item_barcode": barcode,
        "status": "damaged",
        "reason": "sampul sobek",
    }
    member = (await register(http, desk))["member_number"]
    lend = await check_out(http, desk, barcode, member)
    assert (lend.status_code, lend.json()["code"], lend.json()["item_status"]) == (409, "item_not_available", "damaged")
    again = await http.post(f"{API}/items/{barcode}/damaged", headers=desk, json={"reason": "lagi"})
    assert (again.status_code, again.json()["code"]) == (409, "item_already_damaged")
    listed = (await http.get(f"{API}/libraries/{GONGGANG}/copies-set-aside", headers=desk)).json()
    assert [(c["barcode"], c["status"], c["reason"]) for c in listed] == [(barcode, "damaged", "sampul sobek")]
    await wait_for_catalogue(http, barcode, "damaged")

    repaired = await http.post(f"{API}/items/{barcode}/repaired", headers=desk)
    assert (repaired.status_code, repaired.json()["status"]) == (200, "available")
    await wait_for_catalogue(http, barcode, "available")
    assert (await check_out(http, desk, barcode, member)).status_code == 201
    on_loan = await http.post(f"{API}/items/{barcode}/damaged", headers=desk, json={"reason": "basah"})
    assert (on_loan.status_code, on_loan.json()["code"]) == (409, "item_on_loan")
    blank = await http.post(f"{API}/items/{barcode}/damaged", headers=desk, json={"reason": "  "})
    assert (blank.status_code, blank.json()["code"], blank.json()["field"]) == (400, "invalid_request", "reason")
    async with magetan.acquire() as conn:
        events = await conn.fetch(
            "SELECT type, detail->>'reason' AS reason FROM circulation.events "
            "WHERE type IN ('item_damaged', 'item_repaired') ORDER BY id"
        )
        audit = await conn.fetch(
            "SELECT action FROM circulation.audit_log WHERE target = $1 ORDER BY id", f"item:{barcode}"
        )
    assert [(e["type"], e["reason"]) for e in events] == [("item_damaged", "sampul sobek"), ("item_repaired", None)]
    assert [a["action"] for a in audit] == ["item_damaged", "item_repaired"]


async def wait_for_catalogue(http: httpx.AsyncClient, barcode: str, status: str) -> None:
    for _ in range(100):
        if (await http.get(f"/api/catalog/v1/items/{barcode}")).json()["status"] == status:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the catalogue did not hear that {barcode} is {status}")


async def test_a_catalogue_answer_asked_before_the_damage_arrived_does_not_undo_it(http, magetan, books, desk):
    """The race the concurrent test once hit: a look-up that left for the catalogue before the damage was
    sent, and was stored after the outbox had delivered it, must not put the copy back on the shelf."""
    from services.circulation.clients.catalog import CatalogItem
    from services.circulation.copies import Replica

    barcode = books[BABAD][0]
    item = (await http.get(f"/api/catalog/v1/items/{barcode}")).json()  # asked while the copy is available
    assert (
        await http.post(f"{API}/items/{barcode}/damaged", headers=desk, json={"reason": "basah"})
    ).status_code == 200
    await wait_for_catalogue(http, barcode, "damaged")  # the outbox has delivered it
    await Replica(magetan, catalog=None).store(
        [CatalogItem(barcode, item["library"], item["status"], item["title"], item["call_number"], item["isbn13"])],
    )
    async with magetan.acquire() as conn:
        assert await conn.fetchval("SELECT status FROM circulation.copies WHERE barcode = $1", barcode) == "damaged"


async def test_eight_clients_racing_to_mark_one_copy_damaged_record_it_once(server, http, magetan, books, desk):
    barcode = books[BABAD][1]
    start = asyncio.Event()

    async def client(n: int) -> tuple[int, str | None]:
        async with httpx.AsyncClient(base_url=server, timeout=30) as c:
            await start.wait()
            answer = await c.post(f"{API}/items/{barcode}/damaged", headers=desk, json={"reason": f"rusak {n}"})
            return answer.status_code, answer.json().get("code")

    tasks = [asyncio.create_task(client(n)) for n in range(8)]
    await asyncio.sleep(0.1)
    start.set()
    outcomes = await asyncio.gather(*tasks)
    assert sorted(outcomes, key=str) == sorted([(200, None)] + [(409, "item_already_damaged")] * 7, key=str)
    async with magetan.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM circulation.events WHERE type = 'item_damaged'") == 1


async def test_the_kiosk_records_members_and_non_members_and_the_stats_count_them(http, magetan, desk):
    member = await register(http, desk, "Rina", birth_year=today().year - 15, gender="P")
    came = await http.post(
        f"{API}/visitors", headers=desk, json={"library": GONGGANG, "member_number": member["member_number"]}
    )
    assert came.status_code == 201, came.text
    assert {k: came.json()[k] for k in ("member", "category", "gender", "visits_today")} == {
        "member": True,
        "category": "remaja",
        "gender": "P",
        "visits_today": 1,
    }
    guest = await http.post(
        f"{API}/visitors", headers=desk, json={"library": GONGGANG, "category": "lansia", "gender": "L"}
    )
    assert {k: guest.json()[k] for k in ("member", "category", "gender", "visits_today")} == {
        "member": False,
        "category": "lansia",
        "gender": "L",
        "visits_today": 2,
    }
    # A kiosk that was offline sends yesterday's visitor today: it counts for yesterday.
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    late = await http.post(
        f"{API}/visitors",
        headers=desk,
        json={"library": GONGGANG, "category": "anak", "gender": "P", "date": yesterday},
    )
    assert (late.status_code, late.json()["date"], late.json()["visits_today"]) == (201, yesterday, 1)
    refusals = [
        ({"library": GONGGANG, "member_number": "3520012002-999999"}, 422, "member_not_found"),
        (
            {
                "library": GONGGANG,
                "category": "anak",
                "gender": "L",
                "date": (today() + dt.timedelta(days=1)).isoformat(),
            },
            422,
            "date_in_future",
        ),
        ({"library": GONGGANG, "category": "anak"}, 422, "visitor_invalid"),
        ({"library": SOMBO, "category": "anak", "gender": "L"}, 403, "forbidden"),
    ]
    for body, status, code in refusals:
        answer = await http.post(f"{API}/visitors", headers=desk, json=body)
        assert (answer.status_code, answer.json()["code"]) == (status, code), body

    day = today().isoformat()
    days = (await http.get(f"{API}/libraries/{GONGGANG}/visits", headers=desk)).json()
    assert [
        (d["date"], d["member_visits"], d["non_member_visits"], d["by_category"], d["by_gender"], d["tallies"])
        for d in days
    ] == [(day, 1, 1, {"remaja": 1, "lansia": 1}, {"P": 1, "L": 1}, 2), (yesterday, 0, 1, {"anak": 1}, {"P": 1}, 1)]
    district = await token_for(http, magetan, "dinas", "district", "35.20")
    stats = (
        await http.get(
            f"{API}/stats",
            headers=district,
            params={
                "scope": f"library:{GONGGANG}",
                "from": day,
                "to": day,
                "group_by": "day",
                "breakdown": "category,gender",
            },
        )
    ).json()
    group = stats["groups"][0]
    assert {k: group["indicators"][k] for k in ("visits", "member_visits", "non_member_visits")} == {
        "visits": 2,
        "member_visits": 1,
        "non_member_visits": 1,
    }
    assert group["breakdowns"]["category"]["remaja"]["visits"] == 1
    assert group["breakdowns"]["gender"]["L"]["visits"] == 1


async def test_a_correction_made_on_stale_figures_is_refused_and_the_stats_stay_exact(http, magetan, desk):
    day = today().isoformat()
    await http.post(
        f"{API}/visits",
        headers=desk,
        json={"library": GONGGANG, "date": day, "member_visits": 3, "non_member_visits": 2},
    )
    seen = (await http.get(f"{API}/libraries/{GONGGANG}/visits", headers=desk)).json()[0]
    assert (seen["visits"], seen["tallies"]) == (5, 1)
    await http.post(f"{API}/visitors", headers=desk, json={"library": GONGGANG, "category": "anak", "gender": "L"})
    stale = await http.post(
        f"{API}/visits",
        headers=desk,
        json={
            "library": GONGGANG,
            "date": day,
            "member_visits": 4,
            "non_member_visits": 2,
            "correction": True,
            "expected_tallies": seen["tallies"],
        },
    )
    assert (stale.status_code, stale.json()["code"], stale.json()["tallies"]) == (409, "visit_tally_changed", 2)
    fixed = await http.post(
        f"{API}/visits",
        headers=desk,
        json={
            "library": GONGGANG,
            "date": day,
            "member_visits": 4,
            "non_member_visits": 3,
            "correction": True,
            "expected_tallies": 2,
        },
    )
    assert (fixed.status_code, fixed.json()["visits"]) == (201, 7)
    district = await token_for(http, magetan, "dinas", "district", "35.20")
    stats = (
        await http.get(
            f"{API}/stats", headers=district, params={"scope": f"library:{GONGGANG}", "from": day, "to": day}
        )
    ).json()
    assert stats["groups"][0]["indicators"]["visits"] == 7


async def test_kiosks_counting_the_first_visitors_of_a_day_at_once_lose_none(server, http, magetan, desk):
    start = asyncio.Event()

    async def kiosk(n: int) -> int:
        async with httpx.AsyncClient(base_url=server, timeout=30) as c:
            await start.wait()
            answer = await c.post(
                f"{API}/visitors",
                headers={**desk, "Idempotency-Key": str(uuid.uuid4())},
                json={"library": GONGGANG, "category": "anak", "gender": "LP"[n % 2]},
            )
            return answer.status_code

    tasks = [asyncio.create_task(kiosk(n)) for n in range(16)]
    await asyncio.sleep(0.1)
    start.set()
    assert await asyncio.gather(*tasks) == [201] * 16
    days = (await http.get(f"{API}/libraries/{GONGGANG}/visits", headers=desk)).json()
    assert (days[0]["non_member_visits"], days[0]["by_gender"], days[0]["tallies"]) == (16, {"L": 8, "P": 8}, 16)
    async with magetan.acquire() as conn:
        assert (
            await conn.fetchval(
                "SELECT sum((detail->>'non_member_visits')::int) FROM circulation.events WHERE type = 'visits_recorded'"
            )
            == 16
        )


async def test_reads_and_activities_of_a_library_are_listed_for_its_desk(http, magetan, books, desk):
    barcode = books[BABAD][0]
    read = await http.post(f"{API}/reads", headers=desk, json={"library": GONGGANG, "item_barcode": barcode})
    assert read.status_code == 201, read.text
    reads = (await http.get(f"{API}/libraries/{GONGGANG}/reads", headers=desk)).json()
    assert [(r["item_barcode"], r["title"]) for r in reads] == [(barcode, read.json()["title"])]
    held = await http.post(
        f"{API}/activities",
        headers=desk,
        json={
            "library": GONGGANG,
            "date": today().isoformat(),
            "title": "Dongeng Sabtu",
            "kind": "bercerita",
            "participants": 3,
            "by_category": {"anak": 3},
            "by_gender": {"L": 1, "P": 2},
        },
    )
    assert held.status_code == 201, held.text
    listed = (await http.get(f"{API}/libraries/{GONGGANG}/activities", headers=desk)).json()
    assert [(a["title"], a["participants"], a["by_gender"]) for a in listed] == [("Dongeng Sabtu", 3, {"L": 1, "P": 2})]
    other = await http.get(f"{API}/libraries/{SOMBO}/reads", headers=desk)
    assert (other.status_code, other.json()["code"]) == (403, "forbidden")


async def test_two_librarians_correcting_the_same_day_at_once_apply_one_correction(server, http, magetan, desk):
    day = today().isoformat()
    await http.post(
        f"{API}/visits",
        headers=desk,
        json={"library": GONGGANG, "date": day, "member_visits": 5, "non_member_visits": 5},
    )
    start = asyncio.Event()

    async def librarian(members: int) -> tuple[int, str | None]:
        async with httpx.AsyncClient(base_url=server, timeout=30) as c:
            await start.wait()
            answer = await c.post(
                f"{API}/visits",
                headers=desk,
                json={
                    "library": GONGGANG,
                    "date": day,
                    "member_visits": members,
                    "non_member_visits": 0,
                    "correction": True,
                    "expected_tallies": 1,
                },
            )
            return answer.status_code, answer.json().get("code")

    tasks = [asyncio.create_task(librarian(n)) for n in range(1, 9)]
    await asyncio.sleep(0.1)
    start.set()
    outcomes = await asyncio.gather(*tasks)
    assert sorted(outcomes, key=str) == sorted([(201, None)] + [(409, "visit_tally_changed")] * 7, key=str)
    winner = 1 + [status for status, _ in outcomes].index(201)
    days = (await http.get(f"{API}/libraries/{GONGGANG}/visits", headers=desk)).json()
    assert (days[0]["member_visits"], days[0]["non_member_visits"], days[0]["tallies"]) == (winner, 0, 2)
    async with magetan.acquire() as conn:  # the event log's differences add up to the day's figures
        assert (
            await conn.fetchval(
                "SELECT sum((detail->>'member_visits')::int + (detail->>'non_member_visits')::int) "
                "FROM circulation.events WHERE type = 'visits_recorded'"
            )
            == winner
        )
