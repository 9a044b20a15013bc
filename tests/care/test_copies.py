"""Copies outside packages (donations, purchases by ISBN or the back cover's EAN-13), and withdrawal and
damage from the catalogue, which the desk and search follow."""

from __future__ import annotations

from tests.care.conftest import CATALOG, GONGGANG, eventually, ingest_books, replica_status
from tests.circulation.conftest import check_in, check_out, register

LASKAR = "9789793062792"
LAW = "9789798767555"  # Undang-undang HAM 1999: two copies in the test manifest


async def test_a_donation_by_a_scanned_ean_and_a_purchase_of_a_known_title(http, magetan, librarian):
    books = await ingest_books(magetan, GONGGANG)
    magazine = await http.post(
        f"{CATALOG}/libraries/{GONGGANG}/acquisitions",
        headers=librarian,
        json={"isbn": "9771234567003", "source": "donation", "acquired_on": "2026-11-01"},
    )
    assert magazine.status_code == 422 and magazine.json()["code"] == "ean_not_a_book"
    unknown = await http.post(
        f"{CATALOG}/libraries/{GONGGANG}/acquisitions",
        headers=librarian,
        json={"isbn": "9789793062792", "source": "donation", "acquired_on": "2026-11-01"},
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "title_required"
    form = await http.get(f"{CATALOG}/titles/9789793062792")
    assert form.status_code == 404

    donated = await http.post(
        f"{CATALOG}/libraries/{GONGGANG}/acquisitions",
        headers={**librarian, "Idempotency-Key": "donasi-1"},
        json={
            "isbn": "9789793062792",
            "source": "donation",
            "acquired_on": "2026-11-01",
            "copies": 2,
            "title": "Laskar Pelangi",
            "authors": ["Andrea Hirata"],
            "ddc": "899.221",
            "language": "ind",
        },
    )
    assert donated.status_code == 201, donated.text
    body = donated.json()
    assert (body["title_created"], body["call_number"], len(body["barcodes"])) == (True, "899.221 HIR l", 2)
    replay = await http.post(
        f"{CATALOG}/libraries/{GONGGANG}/acquisitions",
        headers={**librarian, "Idempotency-Key": "donasi-1"},
        json={
            "isbn": "9789793062792",
            "source": "donation",
            "acquired_on": "2026-11-01",
            "copies": 2,
            "title": "Laskar Pelangi",
            "authors": ["Andrea Hirata"],
            "ddc": "899.221",
            "language": "ind",
        },
    )
    assert replay.json() == body and replay.headers["idempotent-replayed"] == "true"

    form = (await http.get(f"{CATALOG}/titles/979-3062-79-7")).json()  # a known ISBN fills the form
    assert (form["title"], form["authors"], form["ddc"]) == ("Laskar Pelangi", ["Andrea Hirata"], "899.221")
    bought = await http.post(
        f"{CATALOG}/libraries/{GONGGANG}/acquisitions",
        headers=librarian,
        json={"isbn": "978-979-756-836-8", "source": "purchase", "acquired_on": "2026-11-02"},
    )
    assert bought.status_code == 201 and bought.json()["title_created"] is False
    items = (await http.get(f"{CATALOG}/libraries/{GONGGANG}/titles/9789797568368/items")).json()["items"]
    assert len(items) == 2 and bought.json()["barcodes"][0] in [i["barcode"] for i in items]
    async with magetan.acquire() as conn:
        sources = await conn.fetch(
            "SELECT source, acquired_on::text FROM catalog.items WHERE barcode = ANY($1) ORDER BY barcode",
            body["barcodes"] + bought.json()["barcodes"],
        )
    assert [(r["source"], r["acquired_on"]) for r in sources] == [
        ("donation", "2026-11-01"),
        ("donation", "2026-11-01"),
        ("purchase", "2026-11-02"),
    ]
    assert books  # the package was there before


async def test_withdrawal_and_damage_reach_the_desk_and_search(http, magetan, librarian):
    books = await ingest_books(magetan, GONGGANG)
    member = (await register(http, librarian))["member_number"]
    lent, weeded, damaged = books["9789797312947"]  # Paket pembelajaran fisika: three copies
    for barcode in (weeded, damaged):  # seen at the desk before
        assert (await check_out(http, librarian, barcode, member)).status_code == 201
        assert (await check_in(http, librarian, barcode)).status_code == 200
    assert (await check_out(http, librarian, lent, member)).status_code == 201

    async def on_loan() -> bool:
        return (await http.get(f"{CATALOG}/items/{lent}")).json()["status"] == "on_loan"

    assert await eventually(on_loan, timeout=3)
    refused = await http.post(f"{CATALOG}/items/{lent}/withdrawal", headers=librarian, json={"reason": "usang"})
    assert refused.status_code == 409 and refused.json()["code"] == "item_on_loan"
    no_reason = await http.post(f"{CATALOG}/items/{weeded}/withdrawal", headers=librarian, json={"reason": " "})
    assert no_reason.status_code == 422 and no_reason.json()["code"] == "reason_required"

    answer = await http.post(f"{CATALOG}/items/{weeded}/withdrawal", headers=librarian, json={"reason": "usang"})
    assert answer.status_code == 200 and answer.json()["status"] == "withdrawn"
    answer = await http.post(f"{CATALOG}/items/{damaged}/damage", headers=librarian, json={"reason": "basah"})
    assert answer.status_code == 200 and answer.json()["status"] == "damaged"
    again = await http.post(f"{CATALOG}/items/{weeded}/withdrawal", headers=librarian, json={"reason": "usang"})
    assert again.status_code == 409 and again.json()["code"] == "item_already_withdrawn"

    async def desk_follows() -> bool:
        return ((await replica_status(magetan, weeded)) or ("",))[0] == "withdrawn" and (
            (await replica_status(magetan, damaged)) or ("",)
        )[0] == "damaged"

    assert await eventually(desk_follows, timeout=3)
    for barcode, status in ((weeded, "withdrawn"), (damaged, "damaged")):
        answer = await check_out(http, librarian, barcode, member)
        assert answer.status_code == 409 and answer.json()["item_status"] == status

    async def search_follows() -> bool:
        hits = (await http.get(f"{CATALOG}/search", params={"q": "9789797312947", "library": GONGGANG})).json()
        return hits["hits"] and (hits["hits"][0]["copies"], hits["hits"][0]["available"]) == (2, 0)

    assert await eventually(search_follows, timeout=2)
    async with magetan.acquire() as conn:
        reasons = await conn.fetch(
            "SELECT action, detail->>'reason' AS reason FROM catalog.audit_log "
            "WHERE action IN ('item.withdrawn', 'item.damaged') ORDER BY id"
        )
    assert [(r["action"], r["reason"]) for r in reasons] == [("item.withdrawn", "usang"), ("item.damaged", "basah")]


async def test_the_copy_change_feed_circulation_follows(http, magetan, librarian):
    books = await ingest_books(magetan, GONGGANG)
    empty = (await http.get(f"{CATALOG}/copy-changes")).json()
    assert empty == {"upto": 0, "upto_at": None, "after_at": None, "last": 0, "items": []}
    barcode = books[LAW][0]
    await http.post(f"{CATALOG}/items/{barcode}/damage", headers=librarian, json={"reason": "sobek"})
    await http.patch(f"{CATALOG}/titles/{LAW}", headers=librarian, json={"ddc": "342.085"})
    feed = (await http.get(f"{CATALOG}/copy-changes", params={"after": 0, "limit": 1})).json()
    assert (feed["upto"], feed["last"]) == (1, 2)
    assert [(i["barcode"], i["status"], i["ddc"]) for i in feed["items"]] == [(barcode, "damaged", "342.085")]
    rest = (await http.get(f"{CATALOG}/copy-changes", params={"after": 1})).json()
    assert rest["after_at"] == feed["upto_at"] and rest["upto"] == 2
    assert sorted(i["barcode"] for i in rest["items"]) == sorted(books[LAW])
    assert {i["call_number"] for i in rest["items"]} == {"342.085 IND u"}
