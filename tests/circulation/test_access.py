"""Who may do what at the desk: role x library x action, tokens, and input that is not what it claims."""

import datetime as dt

import jwt
import pytest
from litestar.security.jwt import Token

from pustaka.tokens import issue
from tests.circulation.conftest import API, GONGGANG, SOMBO, check_out, register

STAFF = [
    ("root", "admin", None),
    ("sri", "librarian", GONGGANG),
    ("joko", "librarian", SOMBO),
    ("dinas", "district", "35.20"),
]


@pytest.fixture
async def tokens(books, settings, pool):
    """Tokens as login issues them (login itself, with its argon2 cost, is tested elsewhere)."""
    from services.circulation.staff import add_user

    async with pool.acquire() as conn:
        staff = [
            await add_user(conn, username=name, password="rahasia-" + name, role=role, scope=scope, actor="test")
            for name, role, scope in STAFF
        ]
    return {s.username: {"Authorization": "Bearer " + issue(s, settings.jwt_secret, 10)[0]} for s in staff}


@pytest.fixture
async def members(http, tokens):
    return {
        library: (await register(http, tokens["root"], f"Anggota {library}", library=library))["member_number"]
        for library in (GONGGANG, SOMBO)
    }


def allowed(name: str, library: str) -> bool:
    return name == "root" or (name == "sri" and library == GONGGANG) or (name == "joko" and library == SOMBO)


ACTIONS = ["register", "check_out", "check_in", "hold", "overdue", "read_member", "policy"]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("library", [GONGGANG, SOMBO])
@pytest.mark.parametrize("name", [s[0] for s in STAFF])
async def test_only_the_library_s_own_staff_and_admins_circulate_there(
    http, books, tokens, members, name, library, action
):
    headers = tokens[name]
    member = members[library]
    # Gonggang's copies are only in Gonggang: in Sombo a desk acts on Sombo's members and policies.
    barcode = books["9789791680479"][0]
    if action == "register":
        answer = await http.post(
            f"{API}/members",
            headers=headers,
            json={"name": "Baru", "library": library, "birth_year": 2000, "gender": "L"},
        )
    elif action == "check_out":
        answer = await check_out(http, headers, barcode, members[GONGGANG])
        library = GONGGANG  # the copy's library decides (and lends to its own members only)
    elif action == "check_in":
        await check_out(http, tokens["root"], barcode, members[GONGGANG])
        answer = await http.post(f"{API}/returns", headers=headers, json={"item_barcode": barcode})
        library = GONGGANG
    elif action == "hold":
        answer = await http.post(
            f"{API}/holds",
            headers=headers,
            json={"isbn13": "9789791680479", "member_number": member, "library": library},
        )
    elif action == "overdue":
        answer = await http.get(f"{API}/libraries/{library}/overdue", headers=headers)
    elif action == "read_member":
        answer = await http.get(f"{API}/members/{member}", headers=headers)
    else:
        answer = await http.put(
            f"{API}/libraries/{library}/loan-policies/anak",
            headers=headers,
            json={"loan_days": 7, "max_open_loans": 3, "max_renewals": 2},
        )
    if allowed(name, library):
        assert answer.status_code < 400 or answer.json()["code"] == "title_not_held", answer.text
    elif action in ("check_out", "check_in") and name == "joko":
        # A librarian scanning another library's copy is told whose copy it is.
        assert (answer.status_code, answer.json()["code"]) == (403, "item_of_other_library"), answer.text
    else:
        assert (answer.status_code, answer.json()["code"]) == (403, "forbidden"), answer.text


async def test_nothing_is_recorded_for_a_refused_actor(http, books, tokens, members, pool):
    answer = await check_out(http, tokens["joko"], books["9789791680479"][0], members[GONGGANG])
    assert answer.status_code == 403
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM circulation.loans") == 0
        assert await conn.fetchval("SELECT count(*) FROM circulation.events WHERE type = 'checked_out'") == 0


async def test_every_write_needs_a_valid_token(http, books, desk, settings):
    member = (await register(http, desk))["member_number"]
    barcode = books["9789791680479"][0]
    missing = await check_out(http, {}, barcode, member)
    assert (missing.status_code, missing.json()["code"]) == (401, "token_missing")
    assert missing.headers["content-type"].startswith("application/problem+json")
    forged = await check_out(http, {"Authorization": desk["Authorization"][:-3] + "abc"}, barcode, member)
    assert (forged.status_code, forged.json()["code"]) == (401, "token_invalid")
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    expired = jwt.encode(
        {
            "exp": past,
            "iat": past - dt.timedelta(hours=1),
            "sub": "sri",
            "iss": "pustaka-desa",
            "extras": {"role": "librarian", "scope": GONGGANG},
        },
        settings.jwt_secret,
        "HS256",
    )
    old = await check_out(http, {"Authorization": f"Bearer {expired}"}, barcode, member)
    assert (old.status_code, old.json()["code"]) == (401, "token_expired")
    other_key = Token(exp=past + dt.timedelta(hours=1), sub="root", iss="pustaka-desa", extras={"role": "admin"})
    alien = await check_out(
        http, {"Authorization": "Bearer " + other_key.encode("another-secret" * 4, "HS256")}, barcode, member
    )
    assert alien.json()["code"] == "token_invalid"
    assert (await http.get(f"{API}/members/{member}")).status_code == 401


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 400),
        (b'{"item_barcode": 12, "member_number": "x"}', 400),
        (b'{"item_barcode": "000000000018"}', 400),
        (b'{"item_barcode": "000000000018", "member_number": "a", "extra": 1}', 400),
        (b'{"item_barcode": "../../etc", "member_number": "a"}', 400),
        (b"[]", 400),
        (b'{"item_barcode": "' + b"1" * 200_000 + b'", "member_number": "a"}', 413),
    ],
)
async def test_bad_input_is_a_problem_with_a_code(http, books, desk, body, status):
    answer = await http.post(f"{API}/loans", headers={**desk, "Content-Type": "application/json"}, content=body)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"]
