"""Admin HTTP API for staff accounts: `/api/circulation/v1/users...`; each handler calls its use case in
`users.py`."""

from __future__ import annotations

from litestar import Request, get, post, put

from pustaka.access import Staff
from pustaka.web import once
from services.circulation import users
from services.circulation.service import Circulation
from services.circulation.users import NewUser, PasswordChange, ScopeChange
from services.circulation.wire import PREFIX


@get(f"{PREFIX}/users")
async def list_users(circulation: Circulation, staff: Staff) -> list[users.User]:
    """Every staff account (admin only)."""
    return await users.list_users(circulation, staff)


@post(f"{PREFIX}/users", status_code=201)
async def add_user(request: Request, circulation: Circulation, staff: Staff, data: NewUser) -> users.User:
    """Create a staff account (admin only)."""
    return await users.add_user(circulation, staff, data, await once(request, "circulation", staff, 201))


@post(f"{PREFIX}/users/{{name:str}}/disable", status_code=200)
async def disable_user(request: Request, circulation: Circulation, staff: Staff, name: str) -> users.User:
    """Disable an account: it cannot log in, and its tokens stop working within seconds."""
    return await users.set_active(circulation, staff, name, False, await once(request, "circulation", staff, 200))


@post(f"{PREFIX}/users/{{name:str}}/enable", status_code=200)
async def enable_user(request: Request, circulation: Circulation, staff: Staff, name: str) -> users.User:
    """Enable a disabled account again (it logs in anew)."""
    return await users.set_active(circulation, staff, name, True, await once(request, "circulation", staff, 200))


@put(f"{PREFIX}/users/{{name:str}}/scope")
async def set_scope(circulation: Circulation, staff: Staff, name: str, data: ScopeChange) -> users.User:
    """Move an account to another library (librarian) or kabupaten (district); its tokens stop working."""
    return await users.set_scope(circulation, staff, name, data)


@post(f"{PREFIX}/users/{{name:str}}/password", status_code=200)
async def reset_password(
    request: Request, circulation: Circulation, staff: Staff, name: str, data: PasswordChange
) -> users.ResetPassword:
    """Reset a password; the account's tokens stop working within seconds."""
    return await users.reset_password(
        circulation, staff, name, data.password, await once(request, "circulation", staff, 200)
    )


HANDLERS = [list_users, add_user, disable_user, enable_user, set_scope, reset_password]
