"""Members of other libraries: by default a library lends only to its own members; a kabupaten may let its
libraries lend to each other's members, and even then a librarian never sees their name or contact."""

from __future__ import annotations

import datetime as dt

from services.circulation.domain.members import _luhn
from tests.circulation.conftest import API, GONGGANG, SOMBO, check_in, check_out, register
from tests.support import token_for

TITLE = "9789791680479"


async def _sombo_member(http, magetan) -> str:
    sombo_desk = await token_for(http, magetan, "wati", "librarian", SOMBO)
    member = await register(http, sombo_desk, "Rahasia Sombo", library=SOMBO, contact="0812-0000-1111")
    return member["member_number"]


async def test_a_library_refuses_to_lend_to_or_hold_for_another_librarys_member(http, books, desk, magetan):
    stranger = await _sombo_member(http, magetan)
    barcode = books[TITLE][0]

    lent = await check_out(http, desk, barcode, stranger)
    held = await http.post(
        f"{API}/holds", headers=desk, json={"isbn13": TITLE, "member_number": stranger, "library": GONGGANG}
    )

    assert (lent.status_code, lent.json()["code"]) == (409, "member_of_other_library")
    assert (held.status_code, held.json()["code"]) == (409, "member_of_other_library")
    assert "Rahasia" not in lent.text + held.text


async def test_numbers_of_another_library_cannot_be_probed_for_members(http, books, desk, magetan):
    real = await _sombo_member(http, magetan)
    prefix = real.split("-")[0]
    answers = set()
    for n in range(1, 6):  # sequential card numbers: the first is real, the rest belong to nobody
        body = f"{n:05d}"
        number = f"{prefix}-{body}{_luhn(prefix + body)}"
        held = await http.post(
            f"{API}/holds", headers=desk, json={"isbn13": TITLE, "member_number": number, "library": GONGGANG}
        )
        lent = await check_out(http, desk, books[TITLE][0], number)
        answers.add((held.status_code, held.json()["code"], lent.status_code, lent.json()["code"]))
    assert answers == {(409, "member_of_other_library", 409, "member_of_other_library")}


async def test_a_kabupaten_may_allow_lending_to_its_members_anywhere_without_showing_their_details(
    http, books, desk, magetan, pool
):
    stranger = await _sombo_member(http, magetan)
    district = await token_for(http, magetan, "dinas", "district", "35.20")
    refused = await http.put(
        f"{API}/kabupaten/35.20/lending-area", headers=desk, json={"lend_to_whole_kabupaten": True}
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    allowed = await http.put(
        f"{API}/kabupaten/35.20/lending-area", headers=district, json={"lend_to_whole_kabupaten": True}
    )
    assert allowed.status_code == 200 and allowed.json()["lend_to_whole_kabupaten"] is True
    other_kabupaten = await http.put(
        f"{API}/kabupaten/35.19/lending-area", headers=district, json={"lend_to_whole_kabupaten": True}
    )
    assert other_kabupaten.status_code == 403
    neighbour = (await register(http, desk, "Tetangga Gonggang"))["member_number"]
    other_title = next(isbn for isbn in books if isbn != TITLE)

    assert (await check_out(http, desk, books[other_title][0], stranger)).status_code == 201
    for barcode in books[TITLE]:
        assert (await check_out(http, desk, barcode, neighbour)).status_code == 201
    held = await http.post(
        f"{API}/holds", headers=desk, json={"isbn13": TITLE, "member_number": stranger, "library": GONGGANG}
    )
    assert held.status_code == 201, held.text
    back = await check_in(http, desk, books[TITLE][0])
    waiting = back.json()["hold_waiting"]
    assert waiting["member_number"] == stranger and waiting["name"] is None
    async with pool.acquire() as conn:
        await conn.execute(
            "UPDATE circulation.loans SET due_date = $1 WHERE barcode = $2", dt.date(2020, 1, 6), books[other_title][0]
        )
    overdue = await http.get(f"{API}/libraries/{GONGGANG}/overdue", headers=desk)
    assert [(o["member_number"], o["name"], o["contact"]) for o in overdue.json()] == [(stranger, None, None)]
    assert "Rahasia" not in back.text + overdue.text + held.text
