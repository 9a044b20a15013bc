"""Every indicator against a small history computed by hand, over real HTTP.

Loans, returns and renewals are written as event rows at chosen moments by tests/stats/conftest.History
(the lending use cases stamp now(); the rows are the ones journal.record writes). Members are rows of
circulation.members with chosen registration days. Visits, reads and activities go through the real
use cases' work in services/circulation/records.py. Holdings snapshots are set as the catalogue would have
given them.

History (2025), titles t1 (DDC 800, anak), t2 (600), t3 (200):
  G = Gonggang 35.20.01.2002, S = Sombo 35.20.01.2008 (both kecamatan Poncol 35.20.01), B = Bungkuk 35.20.02.2004
  m1 G anak P reg 01-05 · m2 G dewasa L reg 01-20 · m3 S lansia P reg 2024-06-01, expires 01-31
  m4 B remaja L reg 02-10
  L1 G m1 t1 out 01-31 23:30 WIB, due 02-07, back 02-05           (January, on time)
  L2 G m2 t2 out 01-10, due 01-24, renewed 01-24 to 02-07, back 02-10 (late 3 days)
  L3 S m3 t3 out 02-01 00:30 WIB (= 01-31 17:30 UTC), due 02-15, never back
  L4 G m1 t2 out 02-03, due 02-10, back 02-10 15:00               (on time)
  L5 B m4 t1 out 02-20, due 03-06, back 03-01
  visits G 01-15 5+3 (anak 4 dewasa 4, L 2 P 6) · G 02-03 2+1 · B 02-28 0+4
  reads G 01-15 t1 · G 02-03 t3 · S 02-14 t2 · activities G 01-25 12 (anak 10 dewasa 2) · B 02-14 20
  holdings G 01-01 100 items 80 titles, 02-15 98/79 · S 01-01 50/40 · B 01-01 200/150
"""

import datetime as dt

import pytest

from services.circulation import records
from services.circulation.domain.members import member_number
from services.circulation.queries.records import CopyFacts
from services.circulation.records import ActivityHeld, VisitTally
from tests.stats.conftest import API, GONGGANG, SOMBO, wib

D = dt.date
BUNGKUK = "35.20.02.2004"
T1, T2, T3 = (
    (1, "800", "anak", "fiksi", "ind"),
    (2, "600", "umum", "pertanian", "ind"),
    (3, "200", "dewasa", "agama", "jav"),
)
M1, M2, M3, M4 = (1, "anak", "P"), (2, "dewasa", "L"), (3, "lansia", "P"), (4, "remaja", "L")


async def add_member(conn, seq, library, birth_year, gender, registered, expires):
    return await conn.fetchval(
        "INSERT INTO circulation.members (member_number, library_code, name, birth_year, gender, contact,"
        " registered_on, expires_on, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'test') RETURNING id",
        member_number(library, seq),
        library,
        f"Anggota Rahasia {seq}",
        birth_year,
        gender,
        f"0812-000-{seq}",
        registered,
        expires,
    )


def title_row(t, name):
    return CopyFacts(
        title_id=t[0],
        isbn13=f"97860200000{t[0]:02d}",
        title=name,
        ddc_class=t[1],
        audience=t[2],
        category=t[3],
        language=t[4],
    )


@pytest.fixture
async def story(magetan, history):
    h = history
    async with magetan.acquire() as conn:
        for seq, lib, born, gender, reg, exp in (
            (1, GONGGANG, 2015, "P", D(2025, 1, 5), D(2028, 1, 5)),
            (2, GONGGANG, 1990, "L", D(2025, 1, 20), D(2028, 1, 20)),
            (3, SOMBO, 1960, "P", D(2024, 6, 1), D(2025, 1, 31)),
            (4, BUNGKUK, 2010, "L", D(2025, 2, 10), D(2028, 2, 10)),
        ):
            await add_member(conn, seq, lib, born, gender, reg, exp)
    for member, lib, at in (
        (M1, GONGGANG, "2025-01-05 09:00"),
        (M2, GONGGANG, "2025-01-20 09:00"),
        (M3, SOMBO, "2024-06-01 09:00"),
        (M4, BUNGKUK, "2025-02-10 09:00"),
    ):
        await h.event("member_registered", wib(at), lib, member=member)
    l1 = await h.loan(wib("2025-01-31 23:30"), GONGGANG, M1, T1, D(2025, 2, 7))
    l2 = await h.loan(wib("2025-01-10 09:00"), GONGGANG, M2, T2, D(2025, 1, 24))
    await h.renew(wib("2025-01-24 10:00"), GONGGANG, l2, M2, T2, D(2025, 2, 7))
    await h.loan(wib("2025-02-01 00:30"), SOMBO, M3, T3, D(2025, 2, 15))
    await h.give_back(wib("2025-02-05 10:00"), GONGGANG, l1, M1, T1, D(2025, 2, 7))
    l4 = await h.loan(wib("2025-02-03 08:00"), GONGGANG, M1, T2, D(2025, 2, 10))
    await h.give_back(wib("2025-02-10 09:00"), GONGGANG, l2, M2, T2, D(2025, 2, 7))
    await h.give_back(wib("2025-02-10 15:00"), GONGGANG, l4, M1, T2, D(2025, 2, 10))
    l5 = await h.loan(wib("2025-02-20 08:00"), BUNGKUK, M4, T1, D(2025, 3, 6))
    await h.give_back(wib("2025-03-01 08:00"), BUNGKUK, l5, M4, T1, D(2025, 3, 6))
    today = D(2025, 12, 31)
    async with magetan.acquire() as conn, conn.transaction():
        for lib, day, m, n, cat, gen in (
            (GONGGANG, D(2025, 1, 15), 5, 3, {"anak": 4, "dewasa": 4}, {"L": 2, "P": 6}),
            (GONGGANG, D(2025, 2, 3), 2, 1, None, None),
            (BUNGKUK, D(2025, 2, 28), 0, 4, None, None),
        ):
            await records.add_visits(conn, VisitTally(lib, day, m, n, cat, gen), "test", today)
        for lib, day, t in ((GONGGANG, D(2025, 1, 15), T1), (GONGGANG, D(2025, 2, 3), T3), (SOMBO, D(2025, 2, 14), T2)):
            await records.add_read(conn, lib, day, title_row(t, f"Judul {t[0]}"), None, "test")
        await records.add_activity(
            conn,
            ActivityHeld(
                GONGGANG, D(2025, 1, 25), "Dongeng", "bercerita", 12, None, {"anak": 10, "dewasa": 2}, {"L": 5, "P": 7}
            ),
            "test",
            today,
        )
        await records.add_activity(
            conn, ActivityHeld(BUNGKUK, D(2025, 2, 14), "Pelatihan", "pelatihan", 20), "test", today
        )
        for lib, day, items, titles in (
            (GONGGANG, D(2025, 1, 1), 100, 80),
            (GONGGANG, D(2025, 2, 15), 98, 79),
            (SOMBO, D(2025, 1, 1), 50, 40),
            (BUNGKUK, D(2025, 1, 1), 200, 150),
        ):
            await conn.execute(
                "INSERT INTO circulation.stats_holdings (library_code, as_of, items, titles) VALUES ($1, $2, $3, $4)",
                lib,
                day,
                items,
                titles,
            )
    return magetan


async def stats(http, headers, **query):
    answer = await http.get(f"{API}/stats", headers=headers, params=query)
    assert answer.status_code == 200, answer.text
    return answer.json()


COLUMNS = (
    "loans",
    "renewals",
    "returns",
    "active_borrowers",
    "new_members",
    "members",
    "visits",
    "member_visits",
    "non_member_visits",
    "reads_onsite",
    "activities",
    "activity_participants",
    "collection_items",
    "titles_held",
    "turnover",
    "titles_used_pct",
    "overdue_pct",
)
EXPECTED = {
    # scope, from, to, group_by: {period: row in COLUMNS order}
    ("library:" + GONGGANG, "2025-01-01", "2025-02-28", "month"): {
        "2025-01": (2, 1, 0, 2, 2, 2, 8, 5, 3, 1, 1, 12, 100, 80, 0.02, 2.5, None),
        "2025-02": (1, 0, 3, 1, 0, 2, 3, 2, 1, 1, 0, 0, 98, 79, 0.0102, 2.53, 33.33),
    },
    ("kecamatan:35.20.01", "2025-01-01", "2025-02-28", "month"): {
        "2025-01": (2, 1, 0, 2, 2, 3, 8, 5, 3, 1, 1, 12, 150, 120, 0.0133, 1.67, None),
        "2025-02": (2, 0, 3, 2, 0, 2, 3, 2, 1, 2, 0, 0, 148, 119, 0.0135, 2.52, 50.0),
    },
    ("kabupaten:35.20", "2025-01-01", "2025-02-28", "year"): {
        "2025": (5, 1, 3, 4, 3, 3, 15, 7, 8, 3, 2, 32, 348, 269, 0.0144, 1.49, 50.0),
    },
    ("kabupaten:35.20", "2025-01-01", "2025-12-31", "year"): {
        "2025": (5, 1, 4, 4, 3, 3, 15, 7, 8, 3, 2, 32, 348, 269, 0.0144, 1.49, 40.0),
    },
    ("kecamatan:35.20.01", "2025-01-31", "2025-02-01", "day"): {
        "2025-01-31": (1, 0, 0, 1, 0, 3, 0, 0, 0, 0, 0, 0, 150, 120, 0.0067, 1.67, None),
        "2025-02-01": (1, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 150, 120, 0.0067, 2.5, None),
    },
}


@pytest.mark.parametrize("case", list(EXPECTED), ids=lambda c: f"{c[0]}-{c[3]}-{c[2]}")
async def test_every_indicator_matches_the_hand_computed_history(http, story, admin, case):
    scope, start, end, group_by = case
    answer = await stats(http, admin, scope=scope, **{"from": start, "to": end}, group_by=group_by)
    got = {g["period"]: tuple(g["indicators"][c] for c in COLUMNS) for g in answer["groups"]}
    assert got == EXPECTED[case]
    assert (answer["scope"], answer["from"], answer["to"], answer["simulated"]) == (scope, start, end, False)


async def test_breakdowns_split_the_totals(http, story, district):
    answer = await stats(
        http,
        district,
        scope="kabupaten:35.20",
        **{"from": "2025-01-01", "to": "2025-02-28"},
        group_by="year",
        breakdown="category,gender,ddc_class,language,library",
    )
    b = answer["groups"][0]["breakdowns"]
    assert {k: v["loans"] for k, v in b["category"].items()} == {"anak": 2, "dewasa": 1, "lansia": 1, "remaja": 1}
    assert {k: v.get("active_borrowers") for k, v in b["category"].items()} == {
        "anak": 1,
        "dewasa": 1,
        "lansia": 1,
        "remaja": 1,
    }
    assert {k: v.get("visits") for k, v in b["category"].items()} == {
        "anak": 4,
        "dewasa": 4,
        "lansia": None,
        "remaja": None,
    }
    assert {k: v.get("members") for k, v in b["category"].items()} == {
        "anak": 1,
        "dewasa": 1,
        "lansia": None,
        "remaja": 1,
    }
    assert {k: v["loans"] for k, v in b["gender"].items()} == {"L": 2, "P": 3}
    assert {k: v.get("loans") for k, v in b["ddc_class"].items()} == {"200": 1, "600": 2, "800": 2}
    assert {k: v.get("reads_onsite") for k, v in b["ddc_class"].items()} == {"200": 1, "600": 1, "800": 1}
    assert {k: v.get("loans") for k, v in b["language"].items()} == {"ind": 4, "jav": 1}
    assert len(b["library"]) == 38
    assert {c: b["library"][c]["loans"] for c in (GONGGANG, SOMBO, BUNGKUK)} == {GONGGANG: 3, SOMBO: 1, BUNGKUK: 1}
    assert b["library"][GONGGANG]["overdue_pct"] == 33.33 and b["library"][SOMBO]["active_borrowers"] == 1


async def test_a_loan_late_on_the_last_evening_belongs_to_that_month(http, story, admin):
    """23:30 WIB on 31 January is 16:30 UTC: January. 00:30 WIB on 1 February is 17:30 UTC on 31 January:
    February."""
    answer = await stats(http, admin, scope="library:" + SOMBO, **{"from": "2025-01-01", "to": "2025-02-28"})
    assert [(g["period"], g["indicators"]["loans"]) for g in answer["groups"]] == [("2025-01", 0), ("2025-02", 1)]
