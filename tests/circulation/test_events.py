"""The event log statistics are computed from: complete, with a title snapshot, without personal data,
and append-only."""

import asyncpg
import pytest

from tests.circulation.conftest import API, GONGGANG, check_in, check_out, register

UU_HAM = "9789798767555"  # DDC 342.02, audience dewasa, category nonfiksi, language ind


async def test_every_change_is_an_event_with_the_title_facts_and_no_personal_data(http, books, desk, pool):
    ani = await register(http, desk, "Ani Rahmawati", birth_year=2016, disability=True, contact="0812-555")
    barcode = books[UU_HAM][0]
    loan = (await check_out(http, desk, barcode, ani["member_number"])).json()
    async with pool.acquire() as conn:  # a day before the due date, so that the renewal moves it
        await conn.execute("UPDATE circulation.loans SET due_date = due_date - 6 WHERE id = $1", loan["loan_id"])
    renewed = await http.post(f"{API}/loans/{loan['loan_id']}/renewals", headers=desk)
    assert renewed.status_code == 200, renewed.text
    await check_in(http, desk, barcode)
    await http.post(
        f"{API}/holds",
        headers=desk,
        json={"isbn13": UU_HAM, "member_number": ani["member_number"], "library": GONGGANG},
    )
    async with pool.acquire() as conn:
        events = [dict(r) for r in await conn.fetch("SELECT * FROM circulation.events ORDER BY id")]
        columns = {
            r["column_name"]
            for r in await conn.fetch(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'circulation' "
                "AND table_name = 'events'"
            )
        }
        audit = await conn.fetch(
            "SELECT actor, action FROM circulation.audit_log WHERE action <> 'staff.add' ORDER BY id"
        )
    assert [e["type"] for e in events] == [
        "member_registered",
        "checked_out",
        "renewed",
        "checked_in",
        "hold_placed",
        "hold_awaiting_pickup",
    ]
    assert {(e["actor"], e["library_code"]) for e in events} == {("sri", GONGGANG)}
    assert all(e["at"] is not None for e in events)
    assert all(
        (e["member_category"], e["member_gender"], e["member_disability"]) == ("anak", "P", True) for e in events
    )
    lending = [e for e in events if e["type"] != "member_registered"]
    assert {(e["isbn13"], e["ddc_class"], e["audience"], e["category"], e["language"]) for e in lending} == {
        (UU_HAM, "300", "dewasa", "nonfiksi", "ind")
    }
    assert all(e["title_id"] is not None for e in lending)
    assert events[1]["loan_id"] == loan["loan_id"] and events[1]["due_date"].isoformat() == loan["due_date"]
    assert events[3]["late_days"] == 0
    assert not columns & {"name", "member_number", "contact", "birth_year"}
    for personal in ("Ani Rahmawati", ani["member_number"], "0812-555"):
        assert all(personal not in str(e) for e in events)
    assert [a["action"] for a in audit] == [e["type"] for e in events]


async def test_the_event_log_is_append_only(http, books, desk, pool):
    await register(http, desk)
    async with pool.acquire() as conn:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await conn.execute("UPDATE circulation.events SET actor = 'someone else'")
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await conn.execute("DELETE FROM circulation.events")
        assert await conn.fetchval("SELECT count(*) FROM circulation.events") == 1


async def test_statistics_can_find_events_by_library_type_and_time(pool):
    async with pool.acquire() as conn:
        indexes = {
            r["indexdef"]
            for r in await conn.fetch(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = 'circulation' AND tablename = 'events'"
            )
        }
    assert any("(library_code, type, at)" in i for i in indexes)
