"""The report use cases called without HTTP, as any command line would: the same answers, a read that
writes nothing, and freshness by waiting for circulation's background upkeep (never by folding)."""

import datetime as dt
import json
from types import SimpleNamespace

import pytest

from pustaka.access import Staff
from pustaka.errors import Forbidden
from services.circulation.clients.catalog import CatalogClient
from services.circulation.stats.upkeep import StatsUpkeep
from services.reporting import reports
from services.reporting.freshness import ReadModel
from tests.stats.conftest import API, GONGGANG, MAGETAN, wib
from tests.stats.test_indicators import COLUMNS, EXPECTED, M1, T1, story  # noqa: F401  (fixture)

DINAS = Staff("dinas", "district", MAGETAN)
YEAR = reports.StatsQuery("kabupaten:35.20", "2025-01-01", "2025-02-28", "year")


@pytest.fixture
async def upkeep(server, settings, story):
    """Circulation's statistics upkeep, running as its lifespan runs it, with a catalogue client."""
    catalog = CatalogClient.over_http(server, settings)
    upkeep = StatsUpkeep()
    async with upkeep.lifespan()(SimpleNamespace(state=SimpleNamespace(pool=story, catalog=catalog))):
        yield upkeep
    await catalog.aclose()


def indicators(report) -> dict:
    return {g.period: tuple(g.indicators[c] for c in COLUMNS) for g in report.groups}


async def test_a_report_without_http_is_the_report_over_http(story, upkeep):
    report = await reports.statistics(ReadModel(story, upkeep), DINAS, YEAR)
    assert indicators(report) == EXPECTED[("kabupaten:35.20", "2025-01-01", "2025-02-28", "year")]


async def test_a_read_never_folds_it_waits_for_the_upkeep(story, upkeep, history):
    await upkeep.events_folded()
    await history.loan(wib("2025-02-27 10:00"), GONGGANG, M1, T1, dt.date(2025, 3, 13))  # a sixth loan
    async with story.acquire() as conn:
        watermark = await conn.fetchval("SELECT last_id FROM circulation.stats_watermark")
    alone = await reports.statistics(ReadModel(story), DINAS, YEAR)
    assert alone.groups[0].indicators["loans"] == 5  # without the upkeep: what is folded, nothing written
    async with story.acquire() as conn:
        assert await conn.fetchval("SELECT last_id FROM circulation.stats_watermark") == watermark
    fresh = await reports.statistics(ReadModel(story, upkeep), DINAS, YEAR)
    assert fresh.groups[0].indicators["loans"] == 6


async def test_the_use_case_owns_its_authorisation(story):
    librarian = Staff("pustakawan", "librarian", GONGGANG)
    with pytest.raises(Forbidden) as refused:
        await reports.library_rollup(ReadModel(story), librarian, "kabupaten:35.20", "2025-01-01", "2025-01-31", 30)
    assert (refused.value.code, refused.value.field) == ("scope_forbidden", "scope")


async def test_the_command_line_gives_the_answer_and_the_file_http_gives(story, http, district, database_url, tmp_path):
    from tests.integration.test_cli import run_cli

    args = [
        "--scope",
        "kabupaten:35.20",
        "--from",
        "2025-01-01",
        "--to",
        "2025-02-28",
        "--group-by",
        "month",
        "--breakdown",
        "category,library",
    ]
    params = {
        "scope": "kabupaten:35.20",
        "from": "2025-01-01",
        "to": "2025-02-28",
        "group_by": "month",
        "breakdown": "category,library",
    }
    result = await run_cli(database_url, "stats", *args, "--json")
    assert result.returncode == 0, result.stderr
    over_http = await http.get(f"{API}/stats", headers=district, params=params)
    assert json.loads(result.stdout) == over_http.json()
    result = await run_cli(database_url, "stats", *args, "--format", "csv", "--output", str(tmp_path / "s.csv"))
    assert result.returncode == 0, result.stderr
    exported = await http.get(f"{API}/stats/export", headers=district, params={**params, "format": "csv"})
    assert (tmp_path / "s.csv").read_bytes() == exported.content


async def test_a_refusal_on_the_command_line_has_the_same_code(magetan, database_url):
    from tests.integration.test_cli import run_cli

    result = await run_cli(
        database_url, "stats", "--scope", "kabupaten:99.99", "--from", "2025-01-01", "--to", "2025-01-31", "--json"
    )
    assert result.returncode == 1
    assert json.loads(result.stdout)["error"]["code"] == "scope_not_found"
