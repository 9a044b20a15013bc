"""Printing member cards: one member's card, or a sheet of cards for many members of one library (the
librarian of that library; a member of another library is refused). The layout is `cards.py`."""

from __future__ import annotations

import asyncio

import asyncpg

from pustaka.access import Action, Staff, authorise
from pustaka.errors import Forbidden, Invalid, NotFound
from services.circulation import cards
from services.circulation.libraries import library_name
from services.circulation.queries import cards as q
from services.circulation.service import Circulation

MAX_CARDS = 2000


async def member_card(circulation: Circulation, staff: Staff, number: str) -> bytes:
    """One member's card (ID-1, on an A4 page with cut marks), as PDF."""

    async def work(conn: asyncpg.Connection) -> q.CardRow:
        member = await q.member_for_card(conn, number=number)
        if member is None:
            raise NotFound("member_not_found", f"no member has number {number}", field="member_number")
        authorise(staff, Action.CIRCULATE, member.library_code)
        return member

    member = await circulation.read(work)
    card = cards.Card(
        member.member_number, member.name, await library_name(circulation, member.library_code), member.expires_on
    )
    return await asyncio.to_thread(cards.render, [card], f"Kartu anggota {number}")


def wanted_numbers(numbers: str | None) -> list[str] | None:
    """The member numbers asked for (comma-separated, each once, in order); None: every active member."""
    if numbers is None:
        return None
    wanted = list(dict.fromkeys(n.strip() for n in numbers.split(",") if n.strip()))
    if not wanted:
        raise Invalid("numbers_invalid", "give at least one member number", field="numbers")
    if len(wanted) > MAX_CARDS:
        raise Invalid("numbers_invalid", f"at most {MAX_CARDS} cards at once", field="numbers")
    return wanted


async def member_cards(circulation: Circulation, staff: Staff, library: str, numbers: str | None = None) -> bytes:
    """Cards for the members named in `numbers` (comma-separated), eight to a page; without `numbers`, every
    active member of the library. As PDF."""
    authorise(staff, Action.CIRCULATE, library)
    wanted = wanted_numbers(numbers)

    async def work(conn: asyncpg.Connection) -> list[q.CardRow]:
        rows = await q.members_for_cards(conn, library=library, numbers=wanted, max_cards=MAX_CARDS)
        if wanted is not None:
            missing = sorted(set(wanted) - {r.member_number for r in rows})
            if missing:
                raise Invalid(
                    "member_not_found",
                    f"no member has number {', '.join(missing[:5])}",
                    field="numbers",
                    extra={"numbers": missing},
                )
            others = [r.member_number for r in rows if r.library_code != library]
            if others:
                raise Forbidden(
                    "member_other_library",
                    f"{', '.join(others[:5])} belong to another library; print their cards there",
                    field="numbers",
                    extra={"numbers": others},
                )
        return rows

    rows = await circulation.read(work)
    name = await library_name(circulation, library)
    sheet = [cards.Card(r.member_number, r.name, name, r.expires_on) for r in rows]
    # About 1 ms per card: drawn in a worker thread, so the desk's other requests are not held up meanwhile.
    return await asyncio.to_thread(cards.render, sheet, f"Kartu anggota {name}")
