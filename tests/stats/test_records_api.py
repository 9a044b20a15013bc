"""Visitor tallies, on-the-spot reads and activities over real HTTP: validation, idempotency, events."""

import datetime as dt

from tests.stats.conftest import API, GONGGANG, SOMBO

BABAD = "9789791680479"
TODAY = dt.date(2026, 11, 25)


async def test_visit_tallies_add_up_and_a_correction_replaces_the_day(http, clock, magetan, desk):
    clock.set(TODAY)
    day = (TODAY - dt.timedelta(days=1)).isoformat()
    first = await http.post(
        f"{API}/visits",
        headers=desk,
        json={
            "library": GONGGANG,
            "date": day,
            "member_visits": 5,
            "non_member_visits": 3,
            "by_category": {"anak": 4, "dewasa": 4},
            "by_gender": {"L": 2, "P": 6},
        },
    )
    assert first.status_code == 201, first.text
    second = await http.post(
        f"{API}/visits",
        headers=desk,
        json={"library": GONGGANG, "date": day, "member_visits": 2, "non_member_visits": 0},
    )
    assert second.status_code == 201
    assert {k: second.json()[k] for k in ("member_visits", "non_member_visits", "visits", "tallies")} == {
        "member_visits": 7,
        "non_member_visits": 3,
        "visits": 10,
        "tallies": 2,
    }
    fixed = await http.post(
        f"{API}/visits",
        headers=desk,
        json={
            "library": GONGGANG,
            "date": day,
            "member_visits": 6,
            "non_member_visits": 1,
            "correction": True,
            "by_gender": {"L": 3, "P": 4},
        },
    )
    assert fixed.status_code == 201
    assert (fixed.json()["visits"], fixed.json()["by_gender"], fixed.json()["by_category"]) == (7, {"L": 3, "P": 4}, {})
    async with magetan.acquire() as conn:
        events = await conn.fetch("SELECT detail FROM circulation.events WHERE type = 'visits_recorded' ORDER BY id")
    assert len(events) == 3


async def test_visit_refusals_each_have_a_code(http, clock, magetan, desk):
    clock.set(TODAY)
    day = TODAY.isoformat()
    cases = [
        (
            {"library": GONGGANG, "date": day, "member_visits": 2, "non_member_visits": 1, "by_category": {"anak": 2}},
            422,
            "breakdown_sum_mismatch",
        ),
        (
            {
                "library": GONGGANG,
                "date": (TODAY + dt.timedelta(days=1)).isoformat(),
                "member_visits": 1,
                "non_member_visits": 0,
            },
            422,
            "date_in_future",
        ),
        ({"library": SOMBO, "date": day, "member_visits": 1, "non_member_visits": 0}, 403, "forbidden"),
        ({"library": GONGGANG, "date": day, "member_visits": -1, "non_member_visits": 0}, 400, "invalid_request"),
        (
            {"library": GONGGANG, "date": day, "member_visits": 1, "non_member_visits": 0, "extra": 1},
            400,
            "invalid_request",
        ),
    ]
    for body, status, code in cases:
        answer = await http.post(f"{API}/visits", headers=desk, json=body)
        assert (answer.status_code, answer.json()["code"]) == (status, code), (body, answer.text)
    assert (
        await http.post(
            f"{API}/visits", json={"library": GONGGANG, "date": day, "member_visits": 1, "non_member_visits": 0}
        )
    ).status_code == 401


async def test_a_replayed_tally_is_recorded_once(http, clock, magetan, desk):
    clock.set(TODAY)
    body = {"library": GONGGANG, "date": TODAY.isoformat(), "member_visits": 4, "non_member_visits": 0}
    headers = {**desk, "Idempotency-Key": "tally-1"}
    first = await http.post(f"{API}/visits", headers=headers, json=body)
    again = await http.post(f"{API}/visits", headers=headers, json=body)
    assert first.status_code == again.status_code == 201
    assert again.headers.get("idempotent-replayed") == "true" and again.json() == first.json()
    async with magetan.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM circulation.events WHERE type = 'visits_recorded'") == 1


async def test_a_read_on_the_spot_snapshots_the_title(http, clock, books, desk):
    clock.set(TODAY)
    barcode = books[BABAD][0]
    by_copy = await http.post(f"{API}/reads", headers=desk, json={"library": GONGGANG, "item_barcode": barcode})
    assert by_copy.status_code == 201, by_copy.text
    assert (by_copy.json()["title"], by_copy.json()["isbn13"]) == ("Babad Tanah Jawi", BABAD)
    by_isbn = await http.post(f"{API}/reads", headers=desk, json={"library": GONGGANG, "isbn13": "978-979-1680-47-9"})
    assert by_isbn.status_code == 201, by_isbn.text
    missing = await http.post(f"{API}/reads", headers=desk, json={"library": GONGGANG})
    assert (missing.status_code, missing.json()["code"]) == (422, "read_target_invalid")
    unknown = await http.post(f"{API}/reads", headers=desk, json={"library": GONGGANG, "item_barcode": "NOPE404"})
    assert (unknown.status_code, unknown.json()["code"]) == (422, "item_not_found")


async def test_an_activity_is_recorded_with_its_participants(http, clock, magetan, desk):
    clock.set(TODAY)
    answer = await http.post(
        f"{API}/activities",
        headers=desk,
        json={
            "library": GONGGANG,
            "date": TODAY.isoformat(),
            "title": "Dongeng Sabtu pagi",
            "kind": "bercerita",
            "participants": 12,
            "partner": "PKK Desa",
            "by_category": {"anak": 10, "dewasa": 2},
            "by_gender": {"L": 5, "P": 7},
        },
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["participants"] == 12
    bad = await http.post(
        f"{API}/activities",
        headers=desk,
        json={
            "library": GONGGANG,
            "date": TODAY.isoformat(),
            "title": "Lomba",
            "kind": "lomba",
            "participants": 3,
            "by_gender": {"L": 1},
        },
    )
    assert (bad.status_code, bad.json()["code"], bad.json()["field"]) == (422, "breakdown_sum_mismatch", "by_gender")


async def test_records_for_an_unknown_library_are_refused(http, clock, magetan, admin):
    clock.set(TODAY)
    answer = await http.post(
        f"{API}/visits",
        headers=admin,
        json={"library": "35.20.01.9999", "date": TODAY.isoformat(), "member_visits": 1, "non_member_visits": 0},
    )
    assert (answer.status_code, answer.json()["code"], answer.json()["field"]) == (404, "library_not_found", "library")
