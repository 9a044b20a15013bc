"""Member cards over HTTP: one member's card, or a sheet of cards for many members of one library (the
librarian of that library; a member of another library is refused). Layout in `cards.py`."""

from __future__ import annotations

import asyncio
from typing import Annotated

import asyncpg
from litestar import Request, Response, get
from litestar.params import Parameter

from pustaka.access import Action, Staff
from pustaka.errors import Forbidden, Invalid
from pustaka.sql import load
from pustaka.web import authorise
from services.circulation import cards, views
from services.circulation.stats.directory import catalog_for, refresh_libraries
from services.circulation.wire import PREFIX

Q = load(__file__, "cards.sql")
MAX_CARDS = 2000
PDF = "application/pdf"


async def _library_name(request: Request, conn: asyncpg.Connection, code: str) -> str:
    """The library's name from circulation's directory, refreshed from the catalogue once when missing."""
    name = await conn.fetchval(Q.library_name, code)
    if name is None:
        try:
            await refresh_libraries(conn, catalog_for(request))
        except Exception:  # noqa: BLE001 - the catalogue is unreachable: the card shows the code
            return code
        name = await conn.fetchval(Q.library_name, code)
    return name or code


def _pdf(content: bytes, filename: str) -> Response[bytes]:
    return Response(content, media_type=PDF, headers={
        "Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "no-store"})


@get(f"{PREFIX}/members/{{number:str}}/card.pdf", media_type=PDF)
async def member_card(request: Request, pool: asyncpg.Pool, staff: Staff, number: str) -> Response[bytes]:
    """One member's card (ID-1, on an A4 page with cut marks)."""
    async with pool.acquire() as conn:
        member = await views.member_row(conn, number)
        authorise(staff, Action.CIRCULATE, member.library_code)
        library = await _library_name(request, conn, member.library_code)
    card = cards.Card(member.member_number, member.name, library, member.expires_on)
    return _pdf(await asyncio.to_thread(cards.render, [card], f"Kartu anggota {number}"), f"kartu-{number}.pdf")


@get(f"{PREFIX}/libraries/{{code:str}}/member-cards.pdf", media_type=PDF)
async def member_cards(
    request: Request, pool: asyncpg.Pool, staff: Staff, code: str,
    numbers: Annotated[str | None, Parameter(query="numbers", max_length=40 * MAX_CARDS)] = None,
) -> Response[bytes]:
    """Cards for the members named in `numbers` (comma-separated), eight to a page; without `numbers`,
    every active member of the library."""
    authorise(staff, Action.CIRCULATE, code)
    wanted = None
    if numbers is not None:
        wanted = list(dict.fromkeys(n.strip() for n in numbers.split(",") if n.strip()))
        if not wanted:
            raise Invalid("numbers_invalid", "give at least one member number", field="numbers")
        if len(wanted) > MAX_CARDS:
            raise Invalid("numbers_invalid", f"at most {MAX_CARDS} cards at once", field="numbers")
    async with pool.acquire() as conn:
        rows = await conn.fetch(Q.members_for_cards, code, wanted, MAX_CARDS)
        if wanted is not None:
            missing = sorted(set(wanted) - {r["member_number"] for r in rows})
            if missing:
                raise Invalid("member_not_found", f"no member has number {', '.join(missing[:5])}",
                              field="numbers", extra={"numbers": missing})
            others = [r["member_number"] for r in rows if r["library_code"] != code]
            if others:
                raise Forbidden("member_other_library", f"{', '.join(others[:5])} belong to another library; "
                                "print their cards there", field="numbers", extra={"numbers": others})
        library = await _library_name(request, conn, code)
    sheet = [cards.Card(r["member_number"], r["name"], library, r["expires_on"]) for r in rows]
    # About 1 ms per card: drawn in a worker thread, so the desk's other requests are not held up meanwhile.
    return _pdf(await asyncio.to_thread(cards.render, sheet, f"Kartu anggota {library}"), f"kartu-anggota-{code}.pdf")


HANDLERS = [member_card, member_cards]
