"""HTTP handlers for members: register, edit, suspend, reinstate, renew a membership, import a list."""

from __future__ import annotations

from typing import Annotated, Literal

import asyncpg
import msgspec
from litestar import Request, Response, get, patch, post
from litestar.datastructures import State, UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter

from pustaka.access import Action, Staff
from pustaka.errors import Invalid
from pustaka.web import authorise
from services.circulation import clock, members, views
from services.circulation.clients.catalog import CatalogUnreachable
from services.circulation.domain.member_list import MAX_BYTES
from services.circulation.wire import PREFIX, LibraryCode, write

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
BirthYear = Annotated[int, msgspec.Meta(ge=1900, le=2200)]
Contact = Annotated[str, msgspec.Meta(max_length=200)]


class Registration(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    library: LibraryCode
    birth_year: BirthYear
    gender: Literal["L", "P"]
    disability: bool = False
    contact: Contact | None = None


class Correction(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Only the fields given change."""

    name: Name | msgspec.UnsetType = msgspec.UNSET
    birth_year: BirthYear | msgspec.UnsetType = msgspec.UNSET
    gender: Literal["L", "P"] | msgspec.UnsetType = msgspec.UNSET
    disability: bool | msgspec.UnsetType = msgspec.UNSET
    contact: Contact | None | msgspec.UnsetType = msgspec.UNSET


class Suspension(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class MembershipRenewal(msgspec.Struct, forbid_unknown_fields=True):
    years: Annotated[int, msgspec.Meta(ge=1, le=10)] = 3


class MemberUpload(msgspec.Struct):
    file: UploadFile


class MemberPage(msgspec.Struct):
    members: list[members.Member]
    total: int
    page: int
    per_page: int


async def _known_library(state: State, code: str) -> None:
    try:
        known = await state.catalog.library_exists(code)
    except CatalogUnreachable:
        return  # a well-formed code is taken on trust while the catalogue is away
    if not known:
        raise Invalid("library_not_found", f"no library has the code '{code}'", field="library")


@post(f"{PREFIX}/members", status_code=201)
async def register(request: Request, pool: asyncpg.Pool, state: State, staff: Staff,
                   data: Registration) -> Response[members.Member]:
    """Register a member; the answer carries the new `member_number` for the card."""
    authorise(staff, Action.CIRCULATE, data.library)
    await _known_library(state, data.library)

    async def run(conn: asyncpg.Connection) -> tuple[int, members.Member]:
        return 201, await members.register_member(
            conn, staff, name=data.name, library=data.library, birth_year=data.birth_year, gender=data.gender,
            disability=data.disability, contact=data.contact, today=clock.today())

    return await write(request, pool, state, staff, await request.body(), run)


@patch(f"{PREFIX}/members/{{number:str}}")
async def correct(request: Request, pool: asyncpg.Pool, state: State, staff: Staff, number: str,
                  data: Correction) -> Response[members.Member]:
    """Correct a member's details; only the fields given change."""
    changes = msgspec.structs.asdict(data)
    changes = {k: v for k, v in changes.items() if v is not msgspec.UNSET}

    async def run(conn: asyncpg.Connection) -> tuple[int, members.Member]:
        return 200, await members.edit_member(conn, staff, number, today=clock.today(), **changes)

    return await write(request, pool, state, staff, await request.body(), run)


@post(f"{PREFIX}/members/{{number:str}}/suspension", status_code=200)
async def suspend(request: Request, pool: asyncpg.Pool, state: State, staff: Staff, number: str,
                  data: Suspension) -> Response[members.Member]:
    """Suspend a member (no loans, renewals or holds until reinstated), with the reason."""

    async def run(conn: asyncpg.Connection) -> tuple[int, members.Member]:
        return 200, await members.suspend_member(conn, staff, number, reason=data.reason, today=clock.today())

    return await write(request, pool, state, staff, await request.body(), run)


@post(f"{PREFIX}/members/{{number:str}}/reinstatement", status_code=200)
async def reinstate(request: Request, pool: asyncpg.Pool, state: State, staff: Staff,
                    number: str) -> Response[members.Member]:
    """Lift a member's suspension."""

    async def run(conn: asyncpg.Connection) -> tuple[int, members.Member]:
        return 200, await members.reinstate_member(conn, staff, number, today=clock.today())

    return await write(request, pool, state, staff, await request.body(), run)


@post(f"{PREFIX}/members/{{number:str}}/renewals", status_code=200)
async def renew_membership(request: Request, pool: asyncpg.Pool, state: State, staff: Staff, number: str,
                           data: MembershipRenewal | None = None) -> Response[members.Member]:
    """Extend a membership (3 years unless `years` says otherwise)."""
    years = data.years if data is not None else MembershipRenewal().years

    async def run(conn: asyncpg.Connection) -> tuple[int, members.Member]:
        return 200, await members.renew_membership(conn, staff, number, years=years, today=clock.today())

    return await write(request, pool, state, staff, await request.body(), run)


@post(f"{PREFIX}/libraries/{{code:str}}/member-imports", status_code=201, request_max_body_size=MAX_BYTES + 65536)
async def import_list(request: Request, pool: asyncpg.Pool, state: State, staff: Staff, code: str,
                      data: Annotated[MemberUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
                      ) -> Response[members.ImportReport]:
    """Import a member list (CSV or XLSX, field `file`): valid rows become members, the rest are reported."""
    authorise(staff, Action.CIRCULATE, code)
    await _known_library(state, code)
    content = await data.file.read()

    async def run(conn: asyncpg.Connection) -> tuple[int, members.ImportReport]:
        return 201, await members.import_members(conn, staff, library=code, data=content,
                                                 source_name=data.file.filename or "upload", today=clock.today())

    return await write(request, pool, state, staff, content, run)


@get(f"{PREFIX}/members/{{number:str}}")
async def get_member(pool: asyncpg.Pool, staff: Staff, number: str) -> members.Member:
    """A member, for the staff of the member's library."""
    async with pool.acquire() as conn:
        row = await views.member_row(conn, number)
    authorise(staff, Action.CIRCULATE, row["library_code"])
    return members.member_of(row, clock.today())


@get(f"{PREFIX}/libraries/{{code:str}}/members")
async def list_members(
    pool: asyncpg.Pool, staff: Staff, code: str, q: str | None = None,
    page: Annotated[int, Parameter(ge=1)] = 1, per_page: Annotated[int, Parameter(ge=1, le=500)] = 50,
) -> MemberPage:
    """A library's members by name (filter `q`: part of a name, or a member number)."""
    authorise(staff, Action.CIRCULATE, code)
    async with pool.acquire() as conn:
        rows = await conn.fetch(views.Q.members_of_library, code, q, per_page, (page - 1) * per_page)
    today = clock.today()
    return MemberPage([members.member_of(r, today) for r in rows], rows[0]["total"] if rows else 0, page, per_page)


HANDLERS = [register, correct, suspend, reinstate, renew_membership, import_list, get_member, list_members]
