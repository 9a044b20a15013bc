"""Member cards over HTTP: one member's card, or a sheet of cards for many members of one library; each handler
calls its use case in `member_cards.py` and answers the PDF. Layout in `cards.py`."""

from __future__ import annotations

from typing import Annotated

from litestar import Response, get
from litestar.params import Parameter

from pustaka.access import Staff
from services.circulation import member_cards as printing
from services.circulation.member_cards import MAX_CARDS
from services.circulation.service import Circulation
from services.circulation.wire import PREFIX

PDF = "application/pdf"


def _pdf(content: bytes, filename: str) -> Response[bytes]:
    return Response(
        content,
        media_type=PDF,
        headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "no-store"},
    )


@get(f"{PREFIX}/members/{{number:str}}/card.pdf", media_type=PDF)
async def member_card(circulation: Circulation, staff: Staff, number: str) -> Response[bytes]:
    """One member's card (ID-1, on an A4 page with cut marks)."""
    return _pdf(await printing.member_card(circulation, staff, number), f"kartu-{number}.pdf")


@get(f"{PREFIX}/libraries/{{code:str}}/member-cards.pdf", media_type=PDF)
async def member_cards(
    circulation: Circulation,
    staff: Staff,
    code: str,
    numbers: Annotated[str | None, Parameter(query="numbers", max_length=40 * MAX_CARDS)] = None,
) -> Response[bytes]:
    """Cards for the members named in `numbers` (comma-separated), eight to a page; without `numbers`,
    every active member of the library."""
    return _pdf(await printing.member_cards(circulation, staff, code, numbers), f"kartu-anggota-{code}.pdf")


HANDLERS = [member_card, member_cards]
