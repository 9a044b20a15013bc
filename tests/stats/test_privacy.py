"""Anonymising returned loans: the member link goes, every statistic stays (also after a rebuild)."""

import datetime as dt

import asyncpg
import pytest

from services.circulation.clock import today
from services.circulation.stats.privacy import anonymise_returned_loans
from services.circulation.stats.rollup import rebuild
from tests.circulation.conftest import check_in, check_out, register
from tests.stats.conftest import API
from tests.stats.test_indicators import story  # noqa: F401  (fixture)

BABAD = "9789791680479"


async def indicators(http, headers, scope, start, end, group_by="day"):
    answer = await http.get(
        f"{API}/stats",
        headers=headers,
        params={"scope": scope, "from": start, "to": end, "group_by": group_by, "breakdown": "category,gender,library"},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["groups"]


async def test_returned_loans_lose_their_member_and_statistics_do_not_change(http, books, desk, admin, magetan):
    siti = await register(http, desk, "Siti Aminah", birth_year=1980, gender="P")
    kept, returned = books[BABAD]
    assert (await check_out(http, desk, returned, siti["member_number"])).status_code == 201
    assert (await check_out(http, desk, kept, siti["member_number"])).status_code == 201
    assert (await check_in(http, desk, returned)).status_code == 200
    day = today().isoformat()
    before = await indicators(http, admin, "kecamatan:35.20.01", day, day)
    assert before[0]["indicators"]["active_borrowers"] == 1

    async with magetan.acquire() as conn:
        done = await anonymise_returned_loans(
            conn, older_than_days=30, today=today() + dt.timedelta(days=31), actor="root"
        )
        assert (done.loans, done.events) == (1, 2)  # the returned loan's check-out and check-in
        loans = {
            r["barcode"]: r["member_id"] for r in await conn.fetch("SELECT barcode, member_id FROM circulation.loans")
        }
        assert loans[returned] is None and loans[kept] is not None
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM circulation.events e JOIN circulation.loans l"
                " ON l.id = e.loan_id WHERE l.barcode = $1 AND e.member_id IS NOT NULL",
                returned,
            )
            == 0
        )
        with pytest.raises(asyncpg.exceptions.InsufficientPrivilegeError):
            await conn.execute("UPDATE circulation.events SET member_id = NULL WHERE member_id IS NOT NULL")
    assert await indicators(http, admin, "kecamatan:35.20.01", day, day) == before
    async with magetan.acquire() as conn:
        await rebuild(conn)
    assert await indicators(http, admin, "kecamatan:35.20.01", day, day) == before
    history = (await http.get(f"{API}/members/{siti['member_number']}/loans?status=closed", headers=desk)).json()
    assert history == []  # the member's own history no longer shows the unlinked loan


async def test_anonymising_over_http_is_for_admins_and_keeps_a_years_statistics(http, story, admin, district):
    refused = await http.post(f"{API}/privacy/anonymisations", headers=district, json={"older_than_days": 30})
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    bad = await http.post(f"{API}/privacy/anonymisations", headers=admin, json={"older_than_days": 0})
    assert bad.status_code == 400
    before = await indicators(http, admin, "kabupaten:35.20", "2025-01-01", "2025-02-28", "month")
    answer = await http.post(f"{API}/privacy/anonymisations", headers=admin, json={"older_than_days": 30})
    assert answer.status_code == 200, answer.text
    assert answer.json()["borrower_rows"] > 0
    assert await indicators(http, admin, "kabupaten:35.20", "2025-01-01", "2025-02-28", "month") == before
    async with story.acquire() as conn:
        await rebuild(conn)
        assert await conn.fetchval("SELECT count(*) FROM circulation.stats_borrowers WHERE member_id > 0") == 0
        assert await conn.fetchval("SELECT count(*) FROM circulation.audit_log WHERE action = 'loans_anonymised'") == 1
    assert await indicators(http, admin, "kabupaten:35.20", "2025-01-01", "2025-02-28", "month") == before
