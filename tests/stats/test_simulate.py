"""The simulator drives the real use cases and marks everything it writes as simulated."""

import datetime as dt

from services.circulation.clients.catalog import CatalogClient
from services.circulation.clock import today
from services.circulation.stats.simulate import simulate
from tests.stats.conftest import API, GONGGANG


async def test_a_simulated_month_shows_in_statistics_marked_simulated(http, server, settings, books, admin, magetan):
    catalog = CatalogClient.over_http(server, settings)
    report = await simulate(magetan, catalog, months=1, seed=5, today=today(), libraries=[GONGGANG])
    await catalog.aclose()
    assert report.libraries == 1 and report.loans > 10 and report.members >= 4 and report.visits > 0
    async with magetan.acquire() as conn:
        assert await conn.fetchval("SELECT bool_and(simulated) FROM circulation.events")
        kinds = {
            r["type"]: r["n"] for r in await conn.fetch("SELECT type, count(*) AS n FROM circulation.events GROUP BY 1")
        }
        first, last = await conn.fetchrow(
            "SELECT min(at AT TIME ZONE 'Asia/Jakarta')::date,"
            " max(at AT TIME ZONE 'Asia/Jakarta')::date FROM circulation.events"
        )
        assert await conn.fetchval("SELECT count(*) FROM circulation.loans") == report.loans
    assert (kinds["checked_out"], kinds.get("checked_in", 0), kinds["member_registered"]) == (
        report.loans,
        report.returns,
        report.members,
    )
    assert first == report.start and last <= report.end < today()
    answer = await http.get(
        f"{API}/stats",
        headers=admin,
        params={
            "scope": f"library:{GONGGANG}",
            "from": report.start.isoformat(),
            "to": report.end.isoformat(),
            "group_by": "year",
        },
    )
    body = answer.json()
    assert body["simulated"] is True
    values = body["groups"][0]["indicators"]
    assert (values["loans"], values["returns"], values["renewals"], values["new_members"], values["visits"]) == (
        report.loans,
        report.returns,
        report.renewals,
        report.members,
        report.visits,
    )
    assert values["reads_onsite"] == report.reads and values["activities"] == report.activities
    assert report.end - report.start == dt.timedelta(days=29)
