"""HTTP handlers for members: register, edit, suspend, reinstate, renew a membership, import a list, look
up. Each decodes the request, calls its use case in `members.py` and returns the answer."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Request, get, patch, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter

from pustaka import idempotency
from pustaka.access import Staff
from pustaka.unit_of_work import Once
from pustaka.web import once
from services.circulation import members
from services.circulation.domain.member_list import MAX_BYTES
from services.circulation.members import Correction, MembershipRenewal, Registration, Suspension
from services.circulation.service import Circulation
from services.circulation.wire import PREFIX


class MemberUpload(msgspec.Struct):
    file: UploadFile


@post(f"{PREFIX}/members", status_code=201)
async def register(request: Request, circulation: Circulation, staff: Staff, data: Registration) -> members.Member:
    """Register a member; the answer carries the new `member_number` for the card."""
    return await members.register_member(circulation, staff, data, await once(request, "circulation", staff, 201))


@patch(f"{PREFIX}/members/{{number:str}}")
async def correct(
    request: Request, circulation: Circulation, staff: Staff, number: str, data: Correction
) -> members.Member:
    """Correct a member's details; only the fields given change."""
    return await members.edit_member(circulation, staff, number, data, await once(request, "circulation", staff, 200))


@post(f"{PREFIX}/members/{{number:str}}/suspension", status_code=200)
async def suspend(
    request: Request, circulation: Circulation, staff: Staff, number: str, data: Suspension
) -> members.Member:
    """Suspend a member (no loans, renewals or holds until reinstated), with the reason."""
    return await members.suspend_member(
        circulation, staff, number, data, await once(request, "circulation", staff, 200)
    )


@post(f"{PREFIX}/members/{{number:str}}/reinstatement", status_code=200)
async def reinstate(request: Request, circulation: Circulation, staff: Staff, number: str) -> members.Member:
    """Lift a member's suspension."""
    return await members.reinstate_member(circulation, staff, number, await once(request, "circulation", staff, 200))


@post(f"{PREFIX}/members/{{number:str}}/renewals", status_code=200)
async def renew_membership(
    request: Request, circulation: Circulation, staff: Staff, number: str, data: MembershipRenewal | None = None
) -> members.Member:
    """Extend a membership (3 years unless `years` says otherwise)."""
    return await members.renew_membership(
        circulation, staff, number, data or MembershipRenewal(), await once(request, "circulation", staff, 200)
    )


@post(f"{PREFIX}/libraries/{{code:str}}/member-imports", status_code=201, request_max_body_size=MAX_BYTES + 65536)
async def import_list(
    request: Request,
    circulation: Circulation,
    staff: Staff,
    code: str,
    data: Annotated[MemberUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> members.ImportReport:
    """Import a member list (CSV or XLSX, field `file`): valid rows become members, the rest are reported."""
    content = await data.file.read()
    upload = members.MemberList(code, content, data.file.filename or "upload")
    return await members.import_members(circulation, staff, upload, _once_for_file(request, staff, content))


def _once_for_file(request: Request, staff: Staff, content: bytes) -> Once | None:
    """An upload's Idempotency-Key is bound to the file's bytes (a multipart body differs at each send)."""
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    return Once(
        "circulation", staff.username, key, idempotency.fingerprint(request.method, request.url.path, content), 201
    )


@get(f"{PREFIX}/members/{{number:str}}")
async def get_member(circulation: Circulation, staff: Staff, number: str) -> members.Member:
    """A member, for the staff of the member's library."""
    return await members.member(circulation, staff, number)


@get(f"{PREFIX}/libraries/{{code:str}}/members")
async def list_members(
    circulation: Circulation,
    staff: Staff,
    code: str,
    q: str | None = None,
    page: Annotated[int, Parameter(ge=1)] = 1,
    per_page: Annotated[int, Parameter(ge=1, le=500)] = 50,
) -> members.MemberPage:
    """A library's members by name (filter `q`: part of a name, or a member number)."""
    return await members.library_members(circulation, staff, code, q, page, per_page)


HANDLERS = [register, correct, suspend, reinstate, renew_membership, import_list, get_member, list_members]
