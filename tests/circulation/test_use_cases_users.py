"""Staff accounts as use cases, called without HTTP: the admin adds, lists, disables, moves and resets
accounts; nobody else may."""

from __future__ import annotations

import datetime as dt

import pytest

from pustaka.access import Staff
from pustaka.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from services.circulation import staff as accounts
from services.circulation import users
from services.circulation.users import NewUser, ScopeChange
from tests.circulation.conftest import GONGGANG, SOMBO
from tests.circulation.use_cases import desk_service

ROOT = Staff("root", "admin")


@pytest.fixture
async def circulation(server, settings, magetan):
    async with desk_service(server, settings, magetan, dt.date(2026, 11, 25)) as service:
        yield service


async def _audit(pool) -> list[tuple]:
    async with pool.acquire() as conn:
        return [
            tuple(r)
            for r in await conn.fetch(
                "SELECT actor, action, library_code, target FROM circulation.audit_log ORDER BY id"
            )
        ]


async def test_the_admin_adds_a_librarian_and_moves_her_to_another_library(circulation, magetan):
    added = await users.add_user(circulation, ROOT, NewUser(" Sri ", "rahasia-sri", "librarian", GONGGANG))
    assert (added.username, added.role, added.scope, added.active) == ("sri", "librarian", GONGGANG, True)
    moved = await users.set_scope(circulation, ROOT, "SRI", ScopeChange(SOMBO))
    assert (moved.username, moved.scope) == ("sri", SOMBO)
    assert [(u.username, u.scope) for u in await users.list_users(circulation, ROOT)] == [("sri", SOMBO)]
    assert await _audit(magetan) == [
        ("root", "staff.add", GONGGANG, "staff:sri"),
        ("root", "staff.scope", SOMBO, "staff:sri"),
    ]


async def test_a_disabled_account_cannot_log_in_until_enabled(circulation, magetan):
    await users.add_user(circulation, ROOT, NewUser("sri", "rahasia-sri", "librarian", GONGGANG))
    disabled = await users.set_active(circulation, ROOT, "sri", False)
    assert disabled.active is False
    async with magetan.acquire() as conn:
        with pytest.raises(Unauthorized):
            await accounts.login(conn, username="sri", password="rahasia-sri", client="127.0.0.1")
    await users.set_active(circulation, ROOT, "sri", True)
    async with magetan.acquire() as conn:
        again = await accounts.login(conn, username="sri", password="rahasia-sri", client="127.0.0.1")
    assert (again.username, again.role, again.scope) == ("sri", "librarian", GONGGANG)


async def test_a_generated_password_is_given_once_and_replaces_the_old_one(circulation, magetan):
    await users.add_user(circulation, ROOT, NewUser("sri", "rahasia-sri", "librarian", GONGGANG))
    generated = await users.reset_password(circulation, ROOT, "sri")
    assert generated.password is not None and len(generated.password) >= accounts.MIN_PASSWORD
    chosen = await users.reset_password(circulation, ROOT, "sri", "kata-sandi-baru")
    assert (chosen.user.username, chosen.password) == ("sri", None)
    async with magetan.acquire() as conn:
        assert (await accounts.login(conn, username="sri", password="kata-sandi-baru", client="x")).username == "sri"


async def test_refusals(circulation, magetan):
    await users.add_user(circulation, ROOT, NewUser("root", "rahasia-root", "admin"))
    await users.add_user(circulation, ROOT, NewUser("sri", "rahasia-sri", "librarian", GONGGANG))
    sri = Staff("sri", "librarian", GONGGANG)
    for attempt in (
        users.list_users(circulation, sri),
        users.set_active(circulation, sri, "sri", False),
        users.add_user(
            circulation, Staff("dinas", "district", "35.20"), NewUser("budi", "rahasia-budi", "librarian", GONGGANG)
        ),
    ):
        with pytest.raises(Forbidden):
            await attempt
    with pytest.raises(Conflict) as self_disable:
        await users.set_active(circulation, ROOT, "root", False)
    assert self_disable.value.code == "cannot_disable_self"
    with pytest.raises(NotFound) as nobody:
        await users.set_active(circulation, ROOT, "nobody", False)
    assert (nobody.value.code, nobody.value.field) == ("user_not_found", "username")
    with pytest.raises(Invalid) as scope:
        await users.set_scope(circulation, ROOT, "sri", ScopeChange("35.20"))
    assert (scope.value.code, scope.value.field) == ("scope_invalid", "scope")
    with pytest.raises(Invalid) as short:
        await users.reset_password(circulation, ROOT, "sri", "pendek")
    assert short.value.code == "password_too_short"
    assert [a[1] for a in await _audit(magetan)] == ["staff.add", "staff.add"]
